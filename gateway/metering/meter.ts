/**
 * The metering service (`Metering`, see metered-call.ts): for each inference call it authenticates the caller, takes
 * the receipt the call carries (exact mode), finds the caller's licence of the model at the chain's head, syncs the
 * ledger with it, and reserves the call's worst case in the ledger's transaction (never beyond the signed cap, never
 * beyond the credits left minus what was served but not settled). It also takes receipts on their own (capped mode:
 * `authorise`), and answers what a licence may still spend (`quote`).
 */
import { randomUUID } from "node:crypto";

import type { Signer, TypedDataDomain } from "ethers";
import type { FastifyRequest } from "fastify";

import type { Ledger, LicenceState, UsageRecord } from "../ledger/ledger.ts";
import { authenticate } from "../server/auth/bearer.ts";
import type { GatewayContext } from "../server/context.ts";
import { HttpProblem } from "../server/problem.ts";
import type { LicenceAtHead, MeteringChain } from "./chain.ts";
import type { CallRequest, MeteredCall, Metering, ReportedUsage } from "./metered-call.ts";
import { costOf, maxCostOf, rateOf, type Rate } from "./pricing.ts";
import { inferenceLicenceRequired, licenceLapsed, notOperator, paymentRequired, receiptRefused } from "./problems.ts";
import { badReceipt, parseReceipt, RECEIPT_HEADER, verifyReceipt, type ReceiptInput } from "./receipts.ts";
import { type ReceiptRecorder, worthRecording } from "./record-receipt.ts";
import { servedVersion } from "./served.ts";
import { signUsageRecord } from "./signed-usage.ts";

/** What the metering service is built from. */
export interface MeterOptions {
  ctx: GatewayContext;
  ledger: Ledger;
  chain: MeteringChain;
  /** The operator key: signs usage records (and, in the settler, settlements). */
  operator: Signer;
  /** The UsageMeter's EIP-712 domain (`receiptDomain(meter)`). */
  domain: TypedDataDomain;
  /**
   * Seconds a receipt must still run to authorise a call (default `DEFAULT_DEADLINE_MARGIN`). It must exceed the
   * settler's own margin (600 s) by more than the time between its passes: a call served on a receipt that the
   * settler will no longer batch by its next pass is never paid for.
   */
  deadlineMargin?: number;
  /** Records contract wallets' receipts on chain before they authorise anything (record-receipt.ts). */
  recorder?: ReceiptRecorder;
}

/**
 * Default `deadlineMargin`: the settler's 600 s margin (time for its transaction to land before the deadline) plus
 * five of its default 60 s intervals between passes.
 */
export const DEFAULT_DEADLINE_MARGIN = 900;

/** What a licence may still spend here (`GET /usage/quote`). */
export interface Quote {
  state: LicenceState;
  rate: Rate;
  /** The chain's time, Unix seconds (receipts' deadlines are checked against it). */
  now: number;
}

/** The metering service. */
export class Meter implements Metering {
  private readonly options: MeterOptions;
  private readonly deadlineMargin: number;
  private operatorAddress?: Promise<string>;
  /** Contract wallets' receipts being recorded, per licence (see `accept`). */
  private readonly recording = new Map<bigint, Promise<unknown>>();
  /** The chain state last written to the ledger per licence (its block and values): the same read skips the write. */
  private readonly synced = new Map<bigint, string>();

  /** @param options see `MeterOptions`. */
  constructor(options: MeterOptions) {
    this.options = options;
    this.deadlineMargin = options.deadlineMargin ?? DEFAULT_DEADLINE_MARGIN;
  }

  /** The ledger the meter spends from. */
  get ledger(): Ledger {
    return this.options.ledger;
  }

  /** The operator key's address, lowercase. */
  operator(): Promise<string> {
    this.operatorAddress ??= this.options.operator.getAddress().then((a) => a.toLowerCase());
    return this.operatorAddress;
  }

  /** @inheritdoc */
  async begin(request: FastifyRequest, call: CallRequest): Promise<MeteredCall> {
    try {
      return await this.reserve(request, call);
    } catch (error) {
      const outcome = error instanceof HttpProblem ? String(error.status) : "error";
      this.options.ctx.metrics.inferenceCalls.inc({ route: call.route, outcome });
      throw error;
    }
  }

  private async reserve(request: FastifyRequest, call: CallRequest): Promise<MeteredCall> {
    const { ctx, ledger } = this.options;
    const { address } = await authenticate(request, ctx.tokenScope);
    const account = address.toLowerCase();
    const { terms } = await this.served(call.modelId);
    const licence = await this.licenceOf(call.modelId, account);
    await this.sync(licence);
    const header = request.headers[RECEIPT_HEADER];
    if (Array.isArray(header)) throw badReceipt("(header)", "send one X-Weightshare-Receipt header, not several");
    if (header !== undefined) await this.accept(parseReceipt(header), account, licence);

    const rate = rateOf(terms);
    const { maxCost: worst, maxOutputTokens } = maxCostOf(rate, call.estimate);
    const maxCost = licence.metered ? worst : 0n;
    const callId = randomUUID();
    const reserved = await ledger.reserve({
      callId,
      licenceId: licence.licenceId,
      account,
      route: call.route,
      model: call.model,
      maxCost,
      now: licence.now,
      deadlineMargin: this.deadlineMargin,
    });
    if (!reserved.ok) throw paymentRequired(reserved.reason, reserved.state, maxCost);
    return this.meteredCall(callId, call.route, licence, account, rate, maxCost, maxOutputTokens);
  }

  /** Takes a receipt on its own (capped mode): the licence's new state, or the 4xx problem. */
  async authorise(request: FastifyRequest, body: unknown): Promise<LicenceState> {
    const { address } = await authenticate(request, this.options.ctx.tokenScope);
    const account = address.toLowerCase();
    const receipt = parseReceipt(body);
    const licence = await this.options.chain.licence(receipt.licenceId).catch(() => undefined);
    if (licence === undefined || licence.holder !== account) {
      throw new HttpProblem({
        status: 403,
        title: "Not your licence",
        kind: "not-licence-holder",
        detail: `licence #${receipt.licenceId} is not held by ${account} on chain`,
      });
    }
    await this.checkLicence(licence);
    await this.sync(licence);
    return this.accept(receipt, account, licence);
  }

  /** What `account`'s licence of `modelId` may still spend, and the model's rate. */
  async quote(request: FastifyRequest, modelId: bigint): Promise<Quote> {
    const { address } = await authenticate(request, this.options.ctx.tokenScope);
    const { terms } = await this.served(modelId);
    const licence = await this.licenceOf(modelId, address.toLowerCase());
    const state = await this.options.ledger.syncChain(licence.licenceId, licence);
    this.synced.set(licence.licenceId, syncKey(licence));
    return { state, rate: rateOf(terms), now: licence.now };
  }

  /**
   * The gateway's signature over a charged call's record (deterministic: RFC 6979), made when a licensee lists its
   * usage rather than on every call, so no ECDSA signing sits on the inference path.
   */
  signRecord(record: UsageRecord): Promise<string> {
    const { operator, ctx } = this.options;
    return signUsageRecord(operator, record, { chainId: ctx.chainId, gateway: ctx.domain });
  }

  /** The served version of a model, read once per head block (its URI on chain is read per block anyway). */
  private served(modelId: bigint): ReturnType<typeof servedVersion> {
    const { ctx } = this.options;
    return ctx.access.atHead(`served:${modelId}`, () => servedVersion(ctx, modelId));
  }

  /** Writes the chain's view of the licence to the ledger unless it is what was last written. */
  private async sync(licence: LicenceAtHead): Promise<void> {
    const key = syncKey(licence);
    if (this.synced.get(licence.licenceId) === key) return;
    await this.options.ledger.syncChain(licence.licenceId, licence);
    this.synced.set(licence.licenceId, key);
    if (this.synced.size > 100_000) this.synced.clear();
  }

  private async licenceOf(modelId: bigint, account: string): Promise<LicenceAtHead> {
    const licence = await this.options.chain.licenceOf(modelId, account);
    if (licence === undefined) throw inferenceLicenceRequired(modelId, account);
    await this.checkLicence(licence);
    return licence;
  }

  private async checkLicence(licence: LicenceAtHead): Promise<void> {
    if (licence.expiry !== 0 && licence.expiry <= licence.now) throw licenceLapsed(licence.licenceId, licence.expiry);
    const [operator, ours] = await Promise.all([this.options.chain.operatorOf(licence.modelId), this.operator()]);
    if (operator !== ours) throw notOperator(licence.modelId, operator, ours);
  }

  private async accept(input: ReceiptInput, account: string, licence: LicenceAtHead): Promise<LicenceState> {
    if (input.licenceId !== licence.licenceId) {
      throw new HttpProblem({
        status: 400,
        title: "Bad usage receipt",
        kind: "bad-receipt",
        detail:
          `receipt licenceId: ${input.licenceId} is not the licence this call is served under ` +
          `(#${licence.licenceId}, your primary licence of model #${licence.modelId})`,
        extensions: { field: "licenceId" },
      });
    }
    const stored = await verifyReceipt(input, account, licence.modelId, {
      provider: this.options.ctx.provider,
      domain: this.options.domain,
      now: licence.now,
      deadlineMargin: this.deadlineMargin,
    });
    const { recorder, ledger } = this.options;
    const add = async (): Promise<LicenceState> => {
      if (stored.contractWallet && recorder !== undefined) {
        const state = await ledger.licence(licence.licenceId);
        if (state !== undefined && worthRecording(stored, state, licence.now)) await recorder.record(stored);
      }
      const outcome = await ledger.addReceipt(stored, licence.now);
      if (!outcome.accepted) throw receiptRefused(outcome.reason, input.cap, outcome.state);
      return outcome.state;
    };
    if (!stored.contractWallet) return add();
    // A wallet's receipts are recorded on chain, then stored, one at a time per licence in this process: two sent at
    // once could otherwise both pass the deadline check and leave the chain keeping another one than the ledger.
    const previous = this.recording.get(licence.licenceId) ?? Promise.resolve();
    const turn = previous.then(add, add);
    const settled = turn.catch(() => undefined);
    this.recording.set(licence.licenceId, settled);
    void settled.then(() => {
      if (this.recording.get(licence.licenceId) === settled) this.recording.delete(licence.licenceId);
    });
    return turn;
  }

  private meteredCall(
    callId: string,
    route: string,
    licence: LicenceAtHead,
    account: string,
    rate: Rate,
    maxCost: bigint,
    maxOutputTokens: number | undefined,
  ): MeteredCall {
    const { ledger, ctx } = this.options;
    const charge = (usage: ReportedUsage) => (licence.metered ? costOf(rate, usage) : 0n);
    let done = false;
    return {
      callId,
      licenceId: licence.licenceId,
      account,
      maxCost,
      ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
      headers: {
        "X-Weightshare-Call": callId,
        "X-Weightshare-Licence": licence.licenceId.toString(),
        "X-Weightshare-Credits-Reserved": maxCost.toString(),
      },
      costOf: charge,
      commit: async (usage: ReportedUsage): Promise<UsageRecord> => {
        const record = await ledger.commit({
          callId,
          cost: charge(usage),
          promptTokens: usage.promptTokens,
          completionTokens: usage.completionTokens,
          finishedAt: Date.now(),
        });
        done = true;
        ctx.metrics.inferenceCalls.inc({ route, outcome: "served" });
        ctx.metrics.creditsCharged.inc({ route }, Number(record.cost));
        return record;
      },
      release: async () => {
        if (done) return;
        // The ledger's release is idempotent: a failed one may be tried again.
        await ledger.release(callId, Date.now());
        done = true;
        ctx.metrics.inferenceCalls.inc({ route, outcome: "failed" });
      },
    };
  }
}

/**
 * What identifies a chain read of a licence for the ledger: its values at a block (so a licence that went to another
 * holder and back, synced by another replica in between, is written again).
 */
function syncKey(licence: LicenceAtHead): string {
  return `${licence.block}:${licence.modelId}:${licence.holder}:${licence.metered}:${licence.credits}:${licence.settled}`;
}
