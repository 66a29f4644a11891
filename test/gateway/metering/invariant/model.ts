/**
 * The invariant run's model of metering: ghost figures per licence (credits bought, receipts the gateway accepted,
 * calls it answered with 200) and the answer the gateway must give to a receipt or a call, predicted from the
 * ghosts and the chain as the rules in gateway/ledger/ledger.ts and gateway/metering/meter.ts state them. A seeded
 * pseudo-random generator makes a run repeatable. Importing this file does nothing.
 */
import { DEFAULT_DEADLINE_MARGIN } from "../../../../gateway/metering/meter.js";

/** Seconds a receipt must still run to authorise a call (the Meter's default `deadlineMargin`). */
export const METER_MARGIN = DEFAULT_DEADLINE_MARGIN;
/** Seconds a receipt must still run for the settler to batch it (the Settler's default `deadlineMargin`). */
export const SETTLER_MARGIN = 600;
/** How far ahead a receipt's deadline may be (the UsageMeter's RECEIPT_WINDOW). */
export const WINDOW = 86_400;
/** Seconds of chain time between two settler passes at most (the gateway settler's default interval). */
export const SETTLE_EVERY = 60;

/** Thrown when the gateway or the chain did not do what the model predicts. */
export class Surprise extends Error {}

/** Mulberry32: a small seeded generator, so that a failing run is repeated by its seed. */
export class Random {
  private state: number;

  /** @param seed any 32-bit integer. */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** A whole number in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** An index chosen by `weights`. */
  weighted(weights: readonly number[]): number {
    let r = this.next() * weights.reduce((a, b) => a + b, 0);
    for (const [i, w] of weights.entries()) {
      if (r < w) return i;
      r -= w;
    }
    return weights.length - 1;
  }
}

/** A receipt as the client sends it, and who signed it. */
export interface WireReceipt {
  licenceId: string;
  cap: string;
  deadline: number;
  signature: string;
}

/** A receipt the gateway accepted. */
export interface AcceptedReceipt {
  cap: bigint;
  deadline: number;
  /** Lowercase address of its signer (the licence's holder when it was accepted). */
  signer: string;
}

/** What the run knows of one licence. */
export interface LicenceGhost {
  id: bigint;
  /** Credits bought for it: the purchase's, plus every renewal's. */
  bought: bigint;
  accepted: AcceptedReceipt[];
  /** Call ids the gateway answered 200 on this licence, in order. */
  answered: string[];
}

/** The chain's view of a licence at the head, as a prediction needs it. */
export interface ChainLicence {
  owner: string;
  expiry: number;
  credits: bigint;
  settled: bigint;
  transferable: boolean;
}

/**
 * The widest cap `holder` signed for the licence whose deadline is at or after `at`; undefined when none is. A
 * previous holder's receipts authorise nothing more for the next one (they only settle what was served before).
 */
export function liveCap(ghost: LicenceGhost, at: number, holder: string): bigint | undefined {
  let cap: bigint | undefined;
  for (const r of ghost.accepted)
    if (r.signer === holder && r.deadline >= at && (cap === undefined || r.cap > cap)) cap = r.cap;
  return cap;
}

/** The widest cap ever accepted for the licence (0 when none). */
export function widestCap(ghost: LicenceGhost): bigint {
  return ghost.accepted.reduce((max, r) => (r.cap > max ? r.cap : max), 0n);
}

/** True when the licence is live at `now` (the chain's time). */
export function live(chain: ChainLicence, now: number): boolean {
  return chain.expiry === 0 || chain.expiry > now;
}

/**
 * The answer to a receipt the licence's would-be holder `account` offers (after the licence checks passed): "accept",
 * or the status refusing it (400 deadline out of the window, 409 stale or below what was used).
 */
export function receiptVerdict(
  ghost: LicenceGhost,
  receipt: { cap: bigint; deadline: number },
  served: bigint,
  now: number,
  holder: string,
): "accept" | 400 | 409 {
  if (receipt.deadline < now + METER_MARGIN || receipt.deadline > now + WINDOW) return 400;
  const inForce = liveCap(ghost, now, holder);
  if (inForce !== undefined && receipt.cap <= inForce) return 409;
  if (receipt.cap < served) return 409;
  return "accept";
}

/**
 * Whether a call of `cost` may be reserved: within the cap in force `METER_MARGIN` from now, and within the credits
 * left minus what was served but not settled. 402 when not.
 */
export function reserveVerdict(
  ghost: LicenceGhost,
  served: bigint,
  chain: ChainLicence,
  now: number,
  cost: bigint,
): "ok" | 402 {
  const cap = liveCap(ghost, now + METER_MARGIN, chain.owner) ?? 0n;
  const wanted = served + cost;
  return wanted <= cap && wanted - chain.settled <= chain.credits ? "ok" : 402;
}
