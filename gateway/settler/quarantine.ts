/**
 * Licences the settler leaves out of its batches for a while because their receipt makes `settle` revert (signed
 * by someone who no longer held the licence, a contract wallet that revoked its signature, this gateway not being
 * the model's operator, ...). One bad receipt must never hold everyone else's settlement back: the batch it was in
 * is marked failed and rebuilt without it. A licence comes back as soon as the ledger holds a new receipt for it
 * (its cap or deadline changed) or after `durationMs`, whichever is first; nothing of it is forgotten (its served
 * credits stay unsettled in the ledger, and the lag metric keeps counting them). The list lives in memory: after a
 * restart, the first simulation finds the same receipts again at the cost of one failed batch.
 */
import type { Ledger } from "../ledger/ledger.ts";

/** One licence left out, and why. */
export interface QuarantineEntry {
  licenceId: bigint;
  /** The decoded revert, e.g. `UsageMeterSignerNotHolder(0, 0x…, 1767225600, 1767139200)`. */
  reason: string;
  /** Unix ms when it was left out. */
  since: number;
  /** The licence's widest receipt in the ledger then: a different one means the licensee signed again. */
  cap?: bigint;
  capDeadline?: number;
}

/** The settler's quarantine (see the module comment). */
export class Quarantine {
  private readonly entries = new Map<bigint, QuarantineEntry>();
  private readonly durationMs: number;

  constructor(durationMs: number) {
    this.durationMs = durationMs;
  }

  /** Leaves `licenceId` out from now on, remembering the receipt the ledger holds for it. */
  async add(ledger: Ledger, licenceId: bigint, reason: string, now: number): Promise<void> {
    const state = await ledger.licence(licenceId);
    this.entries.set(licenceId, { licenceId, reason, since: now, cap: state?.cap, capDeadline: state?.capDeadline });
  }

  /**
   * The licences still left out at `now`: releases those held longer than the duration and those with a new
   * receipt in the ledger.
   */
  async held(ledger: Ledger, now: number): Promise<bigint[]> {
    for (const entry of [...this.entries.values()]) {
      if (now - entry.since >= this.durationMs) {
        this.entries.delete(entry.licenceId);
        continue;
      }
      const state = await ledger.licence(entry.licenceId);
      if (state && (state.cap !== entry.cap || state.capDeadline !== entry.capDeadline)) {
        this.entries.delete(entry.licenceId);
      }
    }
    return [...this.entries.keys()];
  }

  /** What is left out now, oldest first. */
  list(): QuarantineEntry[] {
    return [...this.entries.values()].sort((a, b) => a.since - b.since);
  }

  get size(): number {
    return this.entries.size;
  }
}
