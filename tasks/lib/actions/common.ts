/**
 * What every `ws propose` action shares: its arguments and the builder signature (the checks of the tokens an
 * action names are tokens.ts's `tokenArg` and `accepts`).
 */
import type { Proposal } from "../../../governance/index.js";
import type { Model } from "../../../sdk/index.js";
import type { CommonArgs, Context } from "../context.js";

export interface ProposeArgs extends CommonArgs {
  modelId: string;
  action: string;
  to: string;
  amount: string;
  offerId: string;
  price: string;
  contributorsBps: string;
  holdersBps: string;
  credits: string;
  days: string;
  cap: string;
  commercialUse: string;
  transferable: boolean;
  derivatives: boolean;
  parentShareBps: string;
  minDerivativePrice: string;
  termsUri: string;
  termsFile: string;
  termsHash: string;
  contributors: string;
  uri: string;
  file: string;
  contentHash: string;
  token: string;
  setting: string;
  description: string;
  /** Raises and sales (tasks/lib/actions/funding.ts). */
  raiseId: string;
  saleId: string;
  goal: string;
  accountCap: string;
  opens: string;
  closes: string;
  terms: string;
  tranches: string;
  seatPrice: string;
  seats: string;
  accessDeadline: string;
  allowlist: string;
  endPrice: string;
  /** Attestations (tasks/lib/actions/attestations.ts). */
  manifestHash: string;
  kind: string;
  uid: string;
  remove?: boolean;
  /** Derivative models (tasks/lib/actions/lineage.ts). */
  licences: string;
}

/** Builds one action's proposal from the task's arguments, refusing bad ones in one line. */
export type Build = (ctx: Context, m: Model, args: ProposeArgs) => Promise<Proposal>;
