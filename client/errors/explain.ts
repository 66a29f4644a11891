/**
 * Contract refusals in plain words, with no Hardhat and no file system, so tasks and the web app print the same
 * sentences: a revert's data is decoded against an interface holding every protocol error (the tasks build it from
 * Hardhat's artifacts, the app from its generated bindings), then phrased as one sentence a user can act on (`voted
 * already`, `the treasury holds less than the proposal sends`), with the custom error and its values kept in
 * brackets so nothing is hidden. Unknown errors still come out as one line: `Name(arg, ...)`, a reason string or a
 * panic code.
 */
import { Interface, type Result } from "ethers";

import { PROPOSAL_STATES } from "../../governance/tally/abi.ts";
import { ATTESTATION_PHRASES } from "./attestations.ts";
import { FUNDING_PHRASES } from "./funding.ts";
import { LINEAGE_PHRASES } from "./lineage.ts";

const PANICS: Record<number, string> = {
  0x01: "an assertion failed",
  0x11: "an amount overflowed or went below zero",
  0x12: "division by zero",
  0x32: "an index out of range",
};

type Phrase = (a: Result) => string;

const state = (value: unknown) => PROPOSAL_STATES[Number(value)] ?? `state ${String(value)}`;

/** The sentences, by error name. Each keeps the values a user needs to fix the input. */
const PHRASES: Record<string, Phrase> = {
  AccessControlUnauthorizedAccount: (a) => `${a[0]} lacks the role this needs (${a[1]})`,
  GovernorAlreadyCastVote: (a) => `${a[0]} has already voted on this proposal`,
  GovernorUnexpectedProposalState: (a) =>
    Number(a[2]) === 0
      ? `this exact proposal already exists (${shortId(a[0])}, ${state(a[1])}); change its description to propose it again`
      : `proposal ${shortId(a[0])} is ${state(a[1])}, which does not allow this`,
  GovernorInsufficientProposerVotes: (a) => `${a[0]} has ${a[1]} votes; proposing needs ${a[2]}`,
  GovernorRestrictedProposer: (a) => `${a[0]} may not submit this proposal (its description names another proposer)`,
  GovernorNonexistentProposal: (a) => `no proposal ${shortId(a[0])} on this model`,
  GovernorUnableToCancel: (a) =>
    `${a[1]} cannot cancel proposal ${shortId(a[0])}: only its proposer before voting opens, or the guardian`,
  GovernorOnlyExecutor: (a) => `${a[0]} is not the model's timelock; only a passed proposal can do this`,
  ModelGovernorGuardianCannotCancel: (a) =>
    `the guardian cannot cancel proposal ${shortId(a[0])}: it changes the guardian itself`,
  GovernanceParameterOutOfBounds: (a) => `${a[0]} must be between ${a[2]} and ${a[3]}, got ${a[1]}`,
  TimelockUnexpectedOperationState: () =>
    "the timelock operation is not ready (not queued, or its delay has not passed)",
  TimelockUnexecutedPredecessor: () => "an earlier timelock operation it depends on has not run",
  FailedCall: () => "a call of the proposal failed: the treasury may not hold what it sends, or a target refused it",
  InsufficientBalance: (a) => `the sender holds ${a[0]} wei and this needs ${a[1]}`,
  ERC1155InsufficientBalance: (a) => `${a[0]} holds ${a[1]} fractions of model #${a[3]}; this needs ${a[2]}`,
  ERC1155InvalidReceiver: (a) => `${a[0]} cannot receive fractions (not an ERC-1155 receiver, or the zero address)`,
  ERC1155MissingApprovalForAll: (a) => `${a[0]} is not approved to move the fractions of ${a[1]}`,
  ERC20InsufficientBalance: (a) => `${a[0]} holds ${a[1]} of the token (smallest units); this needs ${a[2]}`,
  SafeERC20FailedOperation: (a) => `the token ${a[0]} refused the transfer (it returned false or no data)`,
  LicenseManagerUnderpaid: (a) =>
    `only ${a[2]} of the ${a[1]} price arrived in ${a[0]} (smallest units): a token that takes a fee on transfer cannot pay`,
  LicenseManagerNothingToFlush: (a) => `the licence manager holds no ${tokenName(a[1])} revenue of model #${a[0]}`,
  ERC20InsufficientAllowance: (a) => `the allowance of ${a[0]} is ${a[1]}; this needs ${a[2]}`,
  ERC721IncorrectOwner: (a) => `licence #${a[1]} belongs to ${a[2]}, not ${a[0]}`,
  ERC721InsufficientApproval: (a) => `${a[0]} may not move licence #${a[1]}`,
  ERC721NonexistentToken: (a) => `no licence #${a[0]}`,
  ERC721InvalidReceiver: (a) => `${a[0]} cannot receive a licence (not an ERC-721 receiver, or the zero address)`,
  ModelVotesNonTransferable: () => "votes move with fractions; transfer fractions or delegate instead",
  ModelSharesSupplyOverflow: (a) => `model #${a[0]} would have ${a[1]} fractions; at most ${a[2]}`,
  ModelRegistryInvalidMember: (a) => `members[${a[0]}] (${a[1]}, amount ${a[2]}) is not a valid member`,
  ModelRegistryEmptyName: () => "the model needs a name",
  RevenueVaultInvalidSplit: (a) => `contributors (${a[0]} bps) + holders (${a[1]} bps) must not exceed ${a[2]} bps`,
  RevenueVaultInvalidContributor: (a) => `contributors[${a[0]}] (${a[1]}, ${a[2]} shares) is not valid`,
  RevenueVaultInvalidContributors: (a) => `${a[0]} accounts and ${a[1]} shares; at most ${a[2]} contributors`,
  RevenueVaultInvalidUnlockWindow: (a) => `the unlock window must be from ${a[1]} s to ${a[2]} s, got ${a[0]} s`,
  RevenueVaultNothingArrived: (a) => `nothing of ${a[1]} arrived for model #${a[0]}`,
  RevenueVaultNothingToRelease: (a) => `${a[2]} has nothing to release of ${tokenName(a[1])} in model #${a[0]}`,
  RevenueVaultTokenAllowed: (a) => `model #${a[0]} accepts ${tokenName(a[1])} as revenue, so it is not recoverable`,
  RevenueVaultTokenNotAllowed: (a) =>
    `model #${a[0]} does not accept ${tokenName(a[1])} as revenue (allow it by vote: ws propose --action allow-token)`,
  RevenueVaultTooManyTokens: (a) => `model #${a[0]} already accepts the most tokens it can (${a[1]})`,
  RevenueVaultInvalidRecipient: (a) => `${a[0]} cannot receive the payment`,
  RevenueVaultInvalidAmount: (a) => `amount ${a[0]} does not match the ETH sent (${a[1]})`,
  LicenseManagerNotOnSale: (a) => `offer ${a[1]} of model #${a[0]} is not on sale`,
  LicenseManagerSoldOut: (a) => `offer ${a[1]} of model #${a[0]} is sold out (cap ${a[2]})`,
  LicenseManagerPriceAboveMax: (a) => `the price is ${a[0]}, above your maximum ${a[1]} (smallest units)`,
  LicenseManagerInsufficientPayment: (a) => `the price is ${a[0]}; ${a[1]} was paid (smallest units)`,
  LicenseManagerNonTransferable: (a) => `licence #${a[0]} is not transferable under its terms`,
  LicenseManagerNotLicenceOwner: (a) => `${a[0]} does not hold licence #${a[1]}`,
  LicenseManagerUnknownLicence: (a) => `no licence #${a[0]}`,
  LicenseManagerUnknownOffer: (a) => `model #${a[0]} has no offer ${a[1]}`,
  LicenseManagerInvalidOffer: (a) => `the offer's ${a[0]} is not valid`,
  LicenseManagerInvalidTermsURI: (a) => `the terms URI holds a control character (${a[1]})`,
  LicenseManagerRenewalGivesNothing: (a) =>
    `renewing licence #${a[0]} would give nothing (perpetual and unmetered, or its offer gives neither time nor credits)`,
  LicenseManagerInvalidRecipient: (a) => `${a[0]} cannot receive a licence`,
  UsageMeterNotOperator: (a) => `${a[0]} is not the operator of model #${a[1]}`,
  UsageMeterAboveCap: (a) => `receipt ${a[0]} charges a total of ${a[1]}, above its cap ${a[2]}`,
  UsageMeterReceiptExpired: (a) => `receipt ${a[0]} expired at ${a[1]}`,
  UsageMeterBadSignature: (a) => `receipt ${a[0]} for licence #${a[1]} is not signed by ${a[2]}`,
  ...FUNDING_PHRASES,
  ...ATTESTATION_PHRASES,
  ...LINEAGE_PHRASES,
};

/** Whether refusals named `name` come out as a plain sentence (the rest as `Name(args)`). */
export function phrased(name: string): boolean {
  return PHRASES[name] !== undefined;
}

/** The zero address reads as ETH. */
function tokenName(token: unknown): string {
  return /^0x0{40}$/.test(String(token)) ? "ETH" : String(token);
}

/** A proposal id as a human reads it: its hex form shortened (0x1234…abcd), decimal ids below 2^32 kept whole. */
export function shortId(id: unknown): string {
  const n = BigInt(String(id));
  if (n < 2n ** 32n) return String(n);
  const hex = n.toString(16).padStart(64, "0");
  return `0x${hex.slice(0, 4)}…${hex.slice(-4)}`;
}

/** The revert data carried by an error from ethers, a provider or Hardhat's simulated chain. */
function revertData(error: unknown): string | undefined {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 5; depth++) {
    const data = e.data;
    if (typeof data === "string" && data.startsWith("0x")) return data;
    if (typeof data === "object" && data !== null && typeof (data as { data?: unknown }).data === "string") {
      return (data as { data: string }).data;
    }
    e = (e.error ?? e.cause ?? e.info) as Record<string, unknown> | undefined;
  }
  return undefined;
}

/** `error` as one sentence: the contract's reason in plain words, the custom error and its values in brackets. */
export function explain(errors: Interface, error: unknown): string {
  const data = revertData(error);
  if (data === undefined || data === "0x") {
    const message = String((error as Error)?.message ?? error).split("\n")[0];
    return data === "0x" ? "the contract reverted without a reason" : message;
  }
  if (data.startsWith("0x08c379a0")) {
    return String(Interface.from(["error Error(string)"]).decodeErrorResult("Error", data)[0]);
  }
  if (data.startsWith("0x4e487b71")) {
    const code = Number(Interface.from(["error Panic(uint256)"]).decodeErrorResult("Panic", data)[0]);
    return `${PANICS[code] ?? "the contract panicked"} (panic 0x${code.toString(16)})`;
  }
  const parsed = errors.parseError(data);
  if (parsed === null) return `the contract reverted with unknown error data ${data.slice(0, 10)}`;
  const raw = `${parsed.name}(${Array.from(parsed.args).map(String).join(", ")})`;
  const phrase = PHRASES[parsed.name];
  return phrase === undefined ? raw : `${phrase(parsed.args)} [${raw}]`;
}
