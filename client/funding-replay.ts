/**
 * Rebuilds every raise and fraction sale from their events alone, as an indexer does: no view is called. Each raise's
 * totals and each backer's position, and each sale's totals, are folded from the logs in chain order. A test checks
 * the result against the contracts' own views after a mixed history (test/client/funding-replay.test.ts), which is
 * what makes the events a complete record.
 */
import type { Log } from "ethers";

import { IFractionSales__factory } from "../types/ethers-contracts/factories/contracts/interfaces/IFractionSales__factory.ts";
import { IRaises__factory } from "../types/ethers-contracts/factories/contracts/interfaces/IRaises__factory.ts";

/** A raise as its events tell it. Money in the raise's token; fractions whole. */
export interface ReplayedRaise {
  modelId: bigint;
  token: string;
  price: bigint;
  cap: bigint;
  seatPrice: bigint;
  committed: bigint;
  seatsSold: bigint;
  finalized: boolean;
  cancelled: boolean;
  succeeded: boolean | null;
  tranchesReleased: bigint;
  milestoneFailed: boolean;
  milestoneRefund: bigint;
  accessOfferId: bigint;
  inflow: bigint;
  refunded: bigint;
  released: bigint;
  paidForSeats: bigint;
  backers: Map<string, ReplayedBacking>;
}

/** One backer in a raise, as the events tell it. */
export interface ReplayedBacking {
  fractions: bigint;
  seats: bigint;
  acceptedTerms: boolean;
  claimed: boolean;
  claimedFractions: bigint;
  seatsDelivered: boolean;
  /** Fee-on-transfer remainders plus what delivered seats cost below the seat price. */
  surplus: bigint;
  refunded: bigint;
}

/** A treasury sale as its events tell it. */
export interface ReplayedSale {
  modelId: bigint;
  token: string;
  amount: bigint;
  sold: bigint;
  proceeds: bigint;
  stopped: boolean;
}

export interface ReplayedFunding {
  raises: Map<bigint, ReplayedRaise>;
  sales: Map<bigint, ReplayedSale>;
}

function backingOf(raise: ReplayedRaise, backer: string): ReplayedBacking {
  const key = backer.toLowerCase();
  let b = raise.backers.get(key);
  if (b === undefined) {
    b = {
      fractions: 0n,
      seats: 0n,
      acceptedTerms: false,
      claimed: false,
      claimedFractions: 0n,
      seatsDelivered: false,
      surplus: 0n,
      refunded: 0n,
    };
    raise.backers.set(key, b);
  }
  return b;
}

/**
 * Folds `logs` (the Raises contract's at `raisesAddress` and the FractionSales contract's at `salesAddress`, in chain
 * order; other logs are skipped) into every raise and sale.
 */
export function replayFunding(logs: readonly Log[], raisesAddress: string, salesAddress: string): ReplayedFunding {
  const raisesIface = IRaises__factory.createInterface();
  const salesIface = IFractionSales__factory.createInterface();
  const out: ReplayedFunding = { raises: new Map(), sales: new Map() };
  const raiseOf = (id: bigint): ReplayedRaise => {
    const r = out.raises.get(id);
    if (r === undefined) throw new Error(`replayFunding: an event of raise ${id} before its RaiseOpened`);
    return r;
  };
  for (const log of logs) {
    const address = log.address.toLowerCase();
    if (address === raisesAddress.toLowerCase()) {
      const e = raisesIface.parseLog(log);
      if (e === null) continue;
      const a = e.args;
      switch (e.name) {
        case "RaiseOpened":
          out.raises.set(a.raiseId, {
            modelId: a.modelId,
            token: a.token,
            price: a.terms.price,
            cap: a.terms.cap,
            seatPrice: a.terms.seatPrice,
            committed: 0n,
            seatsSold: 0n,
            finalized: false,
            cancelled: false,
            succeeded: null,
            tranchesReleased: 0n,
            milestoneFailed: false,
            milestoneRefund: 0n,
            accessOfferId: 0n,
            inflow: 0n,
            refunded: 0n,
            released: 0n,
            paidForSeats: 0n,
            backers: new Map(),
          });
          break;
        case "TermsAccepted":
          backingOf(raiseOf(a.raiseId), a.backer).acceptedTerms = true;
          break;
        case "Committed": {
          const r = raiseOf(a.raiseId);
          const b = backingOf(r, a.backer);
          b.fractions += a.fractions;
          b.seats += a.seats;
          b.surplus += a.surplus;
          r.committed += a.fractions;
          r.seatsSold += a.seats;
          r.inflow += a.paid;
          break;
        }
        case "RaiseCancelled": {
          const r = raiseOf(a.raiseId);
          r.finalized = true;
          r.cancelled = true;
          break;
        }
        case "RaiseFinalized": {
          const r = raiseOf(a.raiseId);
          r.finalized = true;
          r.succeeded = a.succeeded;
          break;
        }
        case "TrancheReleased": {
          const r = raiseOf(a.raiseId);
          r.tranchesReleased += 1n;
          r.released += a.amount;
          break;
        }
        case "MilestoneFailed": {
          const r = raiseOf(a.raiseId);
          r.milestoneFailed = true;
          r.milestoneRefund = a.refundable;
          break;
        }
        case "Refunded": {
          const r = raiseOf(a.raiseId);
          r.refunded += a.amount;
          backingOf(r, a.backer).refunded += a.amount;
          break;
        }
        case "FractionsClaimed": {
          const b = backingOf(raiseOf(a.raiseId), a.backer);
          b.claimed = true;
          b.claimedFractions += a.fractions;
          break;
        }
        case "AccessOfferSet":
          raiseOf(a.raiseId).accessOfferId = a.offerId;
          break;
        case "SeatsDelivered": {
          const r = raiseOf(a.raiseId);
          const b = backingOf(r, a.backer);
          b.seatsDelivered = true;
          b.surplus += b.seats * r.seatPrice - a.paid;
          r.paidForSeats += a.paid;
          break;
        }
      }
    } else if (address === salesAddress.toLowerCase()) {
      const e = salesIface.parseLog(log);
      if (e === null) continue;
      const a = e.args;
      if (e.name === "SaleOpened") {
        out.sales.set(a.saleId, {
          modelId: a.modelId,
          token: a.token,
          amount: a.terms.amount,
          sold: 0n,
          proceeds: 0n,
          stopped: false,
        });
      } else {
        const s = out.sales.get(a.saleId);
        if (s === undefined) throw new Error(`replayFunding: an event of sale ${a.saleId} before its SaleOpened`);
        if (e.name === "FractionsBought") {
          s.sold += a.amount;
          s.proceeds += a.paid;
        } else if (e.name === "SaleStopped") s.stopped = true;
      }
    }
  }
  return out;
}
