/**
 * Licences as a holder reads them: which ones an account holds (the LicenseManager is not enumerable, so its ERC-721
 * `Transfer` events to the account are walked and kept where the account still owns the licence), and each one's
 * model, offer, access, credits, expiry, transferability, derivative terms and whether it is the account's primary
 * licence.
 */
import { chainNow, type Context } from "./context.js";
import { events, firstModelBlock } from "./events.js";
import { derivativeTerms, type DerivativeTerms } from "./lineage.js";
import { timeText, tokenInfo } from "./units.js";

/** Why a licence gives access or not: live, past its expiry, or a metered licence with no credits left. */
export type LicenceAccess = "live" | "expired" | "out of credits";

export interface LicenceInfo {
  licenceId: bigint;
  holder: string;
  modelId: bigint;
  model: string;
  offerId: bigint;
  termsId: bigint;
  access: LicenceAccess;
  live: boolean;
  metered: boolean;
  /** Credits left (0 and meaningless when unmetered). */
  credits: bigint;
  creditsText: string;
  /** 0 = perpetual. */
  expiry: bigint;
  expiryText: string;
  transferable: boolean;
  /** What a model registered with it pays its parent and must charge (`ws derive`); null: no derivatives. */
  derivatives: DerivativeTerms | null;
  /** Whether it is its holder's primary licence for the model (the one `hasAccess` looks at). */
  primary: boolean;
}

/** Licence `licenceId` (which must exist) as its holder reads it, at chain time `now`. */
export async function licenceInfo(ctx: Context, licenceId: bigint, now: bigint): Promise<LicenceInfo> {
  const l = await ctx.licenses.licence(licenceId);
  const holder = await ctx.licenses.ownerOf(licenceId);
  const modelId = BigInt(l.modelId);
  const terms = await ctx.licenses.terms(l.termsId);
  const access: LicenceAccess =
    l.expiry !== 0n && l.expiry <= now ? "expired" : l.metered && l.credits === 0n ? "out of credits" : "live";
  return {
    licenceId,
    holder,
    modelId,
    model: (await ctx.registry.model(modelId)).name,
    offerId: BigInt(l.offerId),
    termsId: BigInt(l.termsId),
    access,
    live: access === "live",
    metered: l.metered,
    credits: l.credits,
    creditsText: l.metered ? `${l.credits} credits` : "unmetered",
    expiry: l.expiry,
    expiryText: l.expiry === 0n ? "perpetual" : timeText(l.expiry),
    transferable: l.transferable,
    derivatives: derivativeTerms(terms, await tokenInfo(ctx, terms.paymentToken)),
    primary: (await ctx.licenses.primaryLicence(modelId, holder)) === licenceId,
  };
}

/** Every licence `account` holds now, in id order. */
export async function licencesOf(ctx: Context, account: string): Promise<LicenceInfo[]> {
  const filter = ctx.licenses.filters.Transfer(undefined, account);
  const received = await events(ctx, ctx.licenses, filter, await firstModelBlock(ctx));
  const ids = [...new Set(received.map((e) => e.args.tokenId))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const now = await chainNow(ctx);
  const held: LicenceInfo[] = [];
  for (const id of ids) {
    if ((await ctx.licenses.ownerOf(id)) === account) held.push(await licenceInfo(ctx, id, now));
  }
  return held;
}

/** Why a licence that is not live gives no access, as a sentence ending: "licence #3 expired at ...". */
export function lapsed(l: LicenceInfo): string {
  return l.access === "expired"
    ? `licence #${l.licenceId} expired at ${l.expiryText}`
    : `licence #${l.licenceId} has no credits left`;
}
