/**
 * The plain sentences for the refusals of derivative models (issue #15): the lineage registry's (ModelLineage), the
 * licence manager's price floor for a derivative's offers, and the vault's check of the parents it is given. Joined
 * to the other protocol errors' sentences by errors.ts. Amounts in ETH read as ETH; in an ERC-20, as smallest units
 * of the token's address (the sentence has no token metadata).
 */
import { formatEther, type Result } from "ethers";

type Phrase = (a: Result) => string;

const isEth = (token: unknown) => /^0x0{40}$/.test(String(token));
const tokenName = (token: unknown) => (isEth(token) ? "ETH" : String(token));
const amount = (token: unknown, value: unknown) =>
  isEth(token) ? `${formatEther(BigInt(String(value)))} ETH` : `${value} (smallest units) of ${token}`;
const percent = (bps: unknown) => `${Number(bps) / 100}%`;
const plural = (n: unknown, word: string) => `${n} ${word}${BigInt(String(n)) === 1n ? "" : "s"}`;

export const LINEAGE_PHRASES: Record<string, Phrase> = {
  ModelLineageUnknownModel: (a) => `there is no model #${a[0]}`,
  ModelLineageNotRegistrant: (a) =>
    `${a[0]} is neither the creator nor the treasury of model #${a[1]}; only they register its parents`,
  ModelLineageCreatorNotSoleHolder: (a) =>
    `the creator ${a[0]} holds ${a[2]} of the ${a[3]} fractions of model #${a[1]}: it registers parents alone only while it holds them all; otherwise the treasury does, by vote (ws propose --action register-derivative)`,
  ModelLineageAlreadyRegistered: (a) =>
    `model #${a[0]} is registered as a derivative already; its parents are set once`,
  ModelLineageNotNew: (a) =>
    `model #${a[0]} is not new (${a[2] === true ? "it has allowed a payment token" : `it has ${plural(a[1], "licence offer")}`}); only a model that has published no offer and taken no payment becomes a derivative, so its parents miss nothing it earned`,
  ModelLineageHasChildren: (a) =>
    `model #${a[0]} has ${plural(a[1], "derivative")} already; a parent cannot become a derivative itself`,
  ModelLineageInvalidParents: (a) => `a derivative needs 1 to ${a[1]} parents, one licence each; got ${a[0]}`,
  ModelLineageNotLicenceHolder: (a) => `${a[0]} does not hold licence #${a[1]} (${a[2]} does)`,
  ModelLineageLicenceNotLive: (a) => `licence #${a[0]} has expired or has no credits left (ws renew)`,
  ModelLineageNotDerivativeLicence: (a) => `licence #${a[0]} does not allow derivatives under its terms`,
  ModelLineageLicenceUsed: (a) =>
    `licence #${a[0]} registered model #${a[1]} already; each licence registers one derivative`,
  ModelLineageCycle: (a) => `model #${a[0]} cannot be a derivative of itself (a licence of model #${a[1]})`,
  ModelLineageDuplicateParent: (a) => `two licences are of model #${a[0]}; one licence per parent`,
  ModelLineageShareAboveCap: (a) =>
    `the parents would take ${percent(a[0])} of the derivative's revenue together; at most ${percent(a[1])}`,
  ModelLineageTooDeep: (a) =>
    `the derivative would have ${plural(a[0], "generation")} of ancestors above it; at most ${a[1]}`,
  ModelLineageTooManyRoutes: (a) =>
    `a payment into the derivative would credit ${plural(a[0], "ancestor")} (one per path up its lineage); at most ${a[1]}`,
  ModelLineageConflictingMinPrice: (a) =>
    `the parents set price floors in different tokens (${tokenName(a[0])} and ${tokenName(a[1])}); no offer could meet both`,
  LicenseManagerBelowDerivativeFloor: (a) =>
    String(a[1]) === String(a[3])
      ? `model #${a[0]} is a derivative whose licences cost at least ${amount(a[3], a[4])}; this offer asks ${amount(a[1], a[2])}`
      : `model #${a[0]} is a derivative whose licences are priced in ${tokenName(a[3])}, at least ${amount(a[3], a[4])}; this offer is priced in ${tokenName(a[1])}`,
  RevenueVaultInvalidParents: (a) =>
    `the vault refused the parents of model #${a[0]} (set once, each an existing model, at most 100% each)`,
};
