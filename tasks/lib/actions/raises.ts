/**
 * `ws propose` actions on raises (presales of the model's fractions and licence seats):
 * - open-raise --price P [--token T] --goal N --cap N [--account-cap N] [--opens TIME] --closes TIME
 *   (--terms FILE [--terms-uri URI] | --terms-uri URI [--terms-file FILE] [--terms-hash 0x…]) [--tranches 30,30,40]
 *   [--seat-price P --seats N --access-deadline TIME] [--allowlist FILE]: grants the Raises contract minting of
 *   --cap fractions and opens the raise. Times: now, +7d (from now), 2027-01-31, 2027-01-31T12:00:00Z or a Unix
 *   timestamp; the raise must close after the proposal can be executed. Tranches are percentages of the money
 *   raised, released one by one by vote (the first when the raise is finalised).
 * - cancel-raise, release-tranche, fail-milestone --raise-id N; set-access-offer --raise-id N --offer-id O.
 * Every argument is checked as the contract will check it, so a proposal that could not run is not filed.
 */
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { ZeroHash } from "ethers";

import type { RaiseTerms } from "../../../client/raises.js";
import { cancelRaise, failMilestone, openRaise, releaseTranche, setAccessOffer } from "../../../governance/index.js";
import type { Model } from "../../../sdk/index.js";
import type { IRaises } from "../../../types/ethers-contracts/index.js";
import { confirm, TaskInputError, uint } from "../cli.js";
import { chainNow, offerId as checkedOfferId, offerTerms, type Context } from "../context.js";
import { documentHash } from "../documents.js";
import { allowlistArg, raiseIdArg, raisesOf } from "../raises.js";
import { named, tokenArg } from "../tokens.js";
import { formatAmount, parseAmount, parseTime, timeText, type TokenInfo } from "../units.js";
import type { Build, ProposeArgs } from "./common.js";

const U32 = 2n ** 32n - 1n;
const U48 = 2n ** 48n - 1n;
const U64 = 2n ** 64n - 1n;
const U128 = 2n ** 128n - 1n;
/** Most milestone tranches a raise may have (Raises.MAX_TRANCHES). */
const MAX_TRANCHES = 20;

/** `--<name>`, required, as an amount of `token` above zero and at most 2^128 - 1 smallest units. */
export function positiveAmount(name: string, value: string, token: TokenInfo, what: string): bigint {
  if (value === "") throw new TaskInputError(`--${name}: expected ${what} in ${token.symbol} (e.g. 0.01)`);
  const amount = parseAmount(name, value, token);
  if (amount === 0n) throw new TaskInputError(`--${name}: expected more than 0 ${token.symbol}, got ${value}`);
  if (amount > U128) {
    throw new TaskInputError(`--${name}: expected at most ${formatAmount(U128, token)}, got ${value}`);
  }
  return amount;
}

/** `--<name>`, a chain time (tasks/lib/units.ts `parseTime`) that fits in 48 bits. */
export function timeArg(name: string, value: string, now: bigint): bigint {
  const time = parseTime(name, value, now);
  if (time > U48) throw new TaskInputError(`--${name}: expected a time before the year 8,000,000, got ${value}`);
  return time;
}

/** When a proposal filed now can be executed at the earliest: voting delay + voting period + timelock delay. */
export async function earliestExecution(ctx: Context, m: Model): Promise<bigint> {
  const [delay, period, timelock] = await Promise.all([
    m.governor.votingDelay(),
    m.governor.votingPeriod(),
    m.timelock.getMinDelay(),
  ]);
  return (await chainNow(ctx)) + delay + period + timelock;
}

/** `--tranches 30,30,40`: percentages of the money raised (up to 2 decimals) as basis points summing to 10,000. */
export function tranchesArg(value: string): bigint[] {
  if (value.trim() === "") return [];
  const parts = value.split(",").map((p) => p.trim());
  const bps = parts.map((p) => {
    if (!/^\d+(\.\d{1,2})?$/.test(p)) {
      throw new TaskInputError(`--tranches: expected percentages such as 30,30,40, got "${p}" in "${value}"`);
    }
    const [whole, fraction = ""] = p.split(".");
    const n = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0") || "0");
    if (n === 0n) throw new TaskInputError(`--tranches: each tranche must be more than 0%, got "${value}"`);
    return n;
  });
  if (bps.length > MAX_TRANCHES) {
    throw new TaskInputError(`--tranches: expected at most ${MAX_TRANCHES} tranches, got ${bps.length}`);
  }
  const sum = bps.reduce((a, b) => a + b, 0n);
  if (sum !== 10_000n) {
    throw new TaskInputError(`--tranches: expected percentages summing to 100, got ${Number(sum) / 100} ("${value}")`);
  }
  return bps;
}

/** `--<name>`: a whole number of at most `max`, required unless `fallback` is given. */
function count(name: string, value: string, max: bigint, what: string, fallback?: string): bigint {
  if (value === "" && fallback === undefined) throw new TaskInputError(`--${name}: expected ${what}`);
  return uint(name, value === "" ? (fallback as string) : value, max);
}

/** The raise's terms document: `--terms FILE` (its URI `--terms-uri`, or the file's file:// URL) or `--terms-uri`. */
async function termsDocument(args: ProposeArgs): Promise<{ uri: string; hash: string }> {
  if (args.terms === "" && args.termsUri === "") {
    throw new TaskInputError(
      "--terms: expected the terms document backers accept: a file (hashed), or --terms-uri URI (with --terms-hash 0x… when it cannot be read here)",
    );
  }
  const file = args.terms !== "" ? args.terms : args.termsFile;
  const uri = args.termsUri !== "" ? args.termsUri : pathToFileURL(resolve(args.terms)).href;
  const { hash } = await documentHash({
    uriOption: "terms-uri",
    uri,
    fileOption: args.terms !== "" ? "terms" : "terms-file",
    file,
    hashOption: "terms-hash",
    hash: args.termsHash,
  });
  return { uri, hash };
}

/** Builds and checks the terms of `ws propose --action open-raise`. */
export async function raiseTermsArgs(ctx: Context, m: Model, args: ProposeArgs): Promise<RaiseTerms> {
  const token = await tokenArg(ctx, args.token);
  const price = positiveAmount("price", args.price, token, "the price of one fraction");
  const goal = count("goal", args.goal, U64, "the fractions the raise must sell to succeed (its soft cap)");
  if (goal === 0n) throw new TaskInputError("--goal: expected at least 1 fraction, got 0");
  const cap = count("cap", args.cap, U64, "the most fractions the raise sells (its hard cap)");
  if (cap < goal) throw new TaskInputError(`--cap: expected at least the goal (${goal} fractions), got ${cap}`);
  if (cap * price > U128) {
    throw new TaskInputError(
      `--cap: ${cap} fractions at ${formatAmount(price, token)} is more money than a raise holds (2^128 - 1 smallest units)`,
    );
  }
  const accountCap = count("account-cap", args.accountCap, U64, "", "0");
  const now = await chainNow(ctx);
  const opensAt = timeArg("opens", args.opens === "" ? "now" : args.opens, now);
  if (args.closes === "") throw new TaskInputError("--closes: expected when the raise closes, e.g. +14d or 2027-01-31");
  const closesAt = timeArg("closes", args.closes, now);
  if (closesAt <= opensAt) {
    throw new TaskInputError(`--closes: expected after the opening (${timeText(opensAt)}), got ${timeText(closesAt)}`);
  }
  const executable = await earliestExecution(ctx, m);
  if (closesAt <= executable) {
    throw new TaskInputError(
      `--closes: the raise would close at ${timeText(closesAt)}, before this proposal can be executed (${timeText(executable)} at the earliest: voting delay, voting period and timelock delay); expected a later time`,
    );
  }
  const tranches = tranchesArg(args.tranches);
  let seatPrice = 0n;
  let seats = 0n;
  let accessDeadline = 0n;
  if (args.seatPrice !== "" || args.seats !== "" || args.accessDeadline !== "") {
    seatPrice = positiveAmount("seat-price", args.seatPrice, token, "the price of one licence seat");
    seats = count("seats", args.seats, U32, "how many licence seats the raise sells");
    if (seats === 0n) throw new TaskInputError("--seats: expected at least 1 seat with --seat-price, got 0");
    if (seats * seatPrice > U128) {
      throw new TaskInputError(
        `--seats: ${seats} seats at ${formatAmount(seatPrice, token)} is more than a raise holds`,
      );
    }
    if (args.accessDeadline === "") {
      throw new TaskInputError(
        "--access-deadline: expected when the treasury must name the offer seats are delivered from (after --closes), e.g. +60d",
      );
    }
    accessDeadline = timeArg("access-deadline", args.accessDeadline, now);
    if (accessDeadline <= closesAt) {
      throw new TaskInputError(
        `--access-deadline: expected after the raise closes (${timeText(closesAt)}), got ${timeText(accessDeadline)}`,
      );
    }
  }
  const allowlistRoot = args.allowlist === "" ? ZeroHash : allowlistArg(args.allowlist).root;
  const document = await termsDocument(args);
  return {
    modelId: m.modelId,
    token: token.address,
    price,
    goal,
    cap,
    accountCap,
    opensAt,
    closesAt,
    allowlistRoot,
    termsHash: document.hash,
    termsURI: document.uri,
    tranches,
    seatPrice,
    seats,
    accessDeadline,
  };
}

/** `--raise-id`, checked to be a raise of model `m`. */
async function modelRaise(ctx: Context, m: Model, args: ProposeArgs): Promise<{ raises: IRaises; raiseId: bigint }> {
  const raises = await raisesOf(ctx);
  const raiseId = await raiseIdArg(raises, args.raiseId);
  const modelId = (await raises.raise(raiseId)).modelId;
  if (modelId !== m.modelId) {
    throw new TaskInputError(`--raise-id: raise #${raiseId} sells fractions of model #${modelId}, not #${m.modelId}`);
  }
  return { raises, raiseId };
}

const STATUS = ["Pending", "Open", "Closed", "Succeeded", "Failed", "Cancelled"];

/** The raise's status; refused when it is settled as failed or cancelled (nothing of a tranche is left to move). */
async function successfulOrPending(raises: IRaises, raiseId: bigint, args: ProposeArgs, what: string): Promise<string> {
  const status = STATUS[Number(await raises.status(raiseId))];
  if (status === "Failed" || status === "Cancelled") {
    throw new TaskInputError(`--raise-id: raise #${raiseId} is ${status}: there is no tranche to ${what}`);
  }
  if (status !== "Succeeded") {
    confirm(args, "raise-id", `raise #${raiseId} is ${status}; only a raise that succeeded can ${what} a tranche`);
  }
  return status;
}

/** Refused when no tranche is left to release or fail. */
async function trancheLeft(raises: IRaises, raiseId: bigint): Promise<void> {
  const [terms, state] = await Promise.all([raises.raise(raiseId), raises.raiseState(raiseId)]);
  if (state.milestoneFailed) {
    throw new TaskInputError(`--raise-id: a milestone of raise #${raiseId} failed already: no tranche is left`);
  }
  const tranches = Math.max(1, terms.tranches.length);
  if (Number(state.tranchesReleased) >= tranches) {
    throw new TaskInputError(`--raise-id: all ${tranches} tranches of raise #${raiseId} are released`);
  }
}

export const RAISE_ACTIONS: Record<string, Build> = {
  "open-raise": async (ctx, m, args) => {
    const raises = await raisesOf(ctx);
    const terms = await raiseTermsArgs(ctx, m, args);
    return openRaise({ shares: ctx.shares, raises, terms, description: args.description });
  },

  "cancel-raise": async (ctx, m, args) => {
    const { raises, raiseId } = await modelRaise(ctx, m, args);
    const status = STATUS[Number(await raises.status(raiseId))];
    if (!["Pending", "Open", "Closed"].includes(status)) {
      throw new TaskInputError(
        `--raise-id: raise #${raiseId} is ${status}; only a raise not yet finalised (Pending, Open or Closed) can be cancelled`,
      );
    }
    return cancelRaise({ raises, raiseId, description: args.description });
  },

  "release-tranche": async (ctx, m, args) => {
    const { raises, raiseId } = await modelRaise(ctx, m, args);
    await successfulOrPending(raises, raiseId, args, "release");
    await trancheLeft(raises, raiseId);
    return releaseTranche({ raises, raiseId, description: args.description });
  },

  "fail-milestone": async (ctx, m, args) => {
    const { raises, raiseId } = await modelRaise(ctx, m, args);
    await successfulOrPending(raises, raiseId, args, "fail");
    await trancheLeft(raises, raiseId);
    return failMilestone({ raises, raiseId, description: args.description });
  },

  "set-access-offer": async (ctx, m, args) => {
    const { raises, raiseId } = await modelRaise(ctx, m, args);
    const [terms, state] = await Promise.all([raises.raise(raiseId), raises.raiseState(raiseId)]);
    if (terms.seats === 0n) throw new TaskInputError(`--raise-id: raise #${raiseId} sells no licence seats`);
    if (state.accessOfferId !== 0n) {
      throw new TaskInputError(
        `--raise-id: the seats of raise #${raiseId} are delivered from offer ${state.accessOfferId} already`,
      );
    }
    const executable = await earliestExecution(ctx, m);
    if (executable >= terms.accessDeadline) {
      throw new TaskInputError(
        `--raise-id: the offer of raise #${raiseId} must be named before ${timeText(terms.accessDeadline)}, and this proposal can be executed at ${timeText(executable)} at the earliest`,
      );
    }
    const offerId = await checkedOfferId(ctx, m.modelId, args.offerId);
    const offer = await offerTerms(ctx, m.modelId, offerId);
    const token = await tokenArg(ctx, terms.token);
    if (offer.paymentToken !== terms.token) {
      const offered = named(await tokenArg(ctx, offer.paymentToken));
      throw new TaskInputError(
        `--offer-id: offer ${offerId} is priced in ${offered}; the seats of raise #${raiseId} were paid in ${named(token)}`,
      );
    }
    if (offer.price > terms.seatPrice) {
      throw new TaskInputError(
        `--offer-id: offer ${offerId} costs ${formatAmount(offer.price, token)}, more than the ${formatAmount(terms.seatPrice, token)} backers paid a seat`,
      );
    }
    if (!offer.onSale) confirm(args, "offer-id", `offer ${offerId} is not on sale, so seats cannot be bought from it`);
    return setAccessOffer({ raises, raiseId, offerId, description: args.description });
  },
};
