/**
 * The plain sentences for the refusals of Raises and FractionSales (and of the minting grants raises mint out of),
 * joined to the other protocol errors' sentences by errors.ts. Each keeps the values a user needs to act.
 */
import type { Result } from "ethers";

type Phrase = (a: Result) => string;

const RAISE_STATUS = ["Pending", "Open", "Closed", "Succeeded", "Failed", "Cancelled"];
const status = (value: unknown) => RAISE_STATUS[Number(value)] ?? `status ${String(value)}`;

/** A raise's or sale's time as an ISO date with its timestamp. */
function time(value: unknown): string {
  const seconds = BigInt(String(value));
  return `${new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z")} (${seconds})`;
}

export const FUNDING_PHRASES: Record<string, Phrase> = {
  RaisesUnknownRaise: (a) => `there is no raise #${a[0]}`,
  RaisesUnknownModel: (a) => `there is no model #${a[0]}`,
  RaisesUnauthorizedTreasury: (a) => `${a[0]} is not the treasury of model #${a[1]}; only its vote can do this`,
  RaisesInvalidTerms: (a) => `the raise's ${a[0]} is not valid`,
  RaisesGrantTooSmall: (a) =>
    `the treasury of model #${a[0]} lets the raises contract mint ${a[1]} fractions and its raises need ${a[2]} (ws propose --action open-raise grants the cap first)`,
  RaisesNotOpen: (a) => `raise #${a[0]} is ${status(a[1])}, not open for commitments`,
  RaisesWrongStatus: (a) => `raise #${a[0]} is ${status(a[1])}, which does not allow this`,
  RaisesNothingCommitted: (a) => `a commitment to raise #${a[0]} needs at least one fraction or seat`,
  RaisesAccountCapExceeded: (a) =>
    `${a[1]} would hold ${a[2]} fractions of raise #${a[0]}; one account may commit at most ${a[3]}`,
  RaisesSeatsSoldOut: (a) => `raise #${a[0]} has ${a[2]} licence seats left; ${a[1]} were asked for`,
  RaisesNotAllowed: (a) => `${a[1]} is not on the allow-list of raise #${a[0]} (or its proof does not match)`,
  RaisesTermsNotAccepted: (a) => `${a[1]} has not signed the terms of raise #${a[0]} (the signature does not verify)`,
  RaisesWrongPayment: (a) => `the commitment costs ${a[0]} (smallest units) and ${a[1]} wei was sent`,
  RaisesUnderpaid: (a) =>
    `only ${a[1]} of the ${a[0]} the seats cost arrived (smallest units): a token that takes a fee on transfer cannot pay for seats`,
  RaisesNothingToRefund: (a) => `${a[1]} has nothing refundable in raise #${a[0]} now`,
  RaisesNothingToClaim: (a) => `${a[1]} has no fractions to claim from raise #${a[0]} (none allocated, or claimed)`,
  RaisesInvalidRecipient: (a) =>
    `${a[0]} cannot receive this (the zero address, or not the backer: only a backer may name another address)`,
  RaisesNoTrancheLeft: (a) => `raise #${a[0]} has no tranche left to release (all released, or a milestone failed)`,
  RaisesOfferMismatch: (a) => `offer ${a[1]} cannot deliver the seats of raise #${a[0]}: its ${a[2]} does not match`,
  RaisesAccessDeadlinePassed: (a) => `the offer of raise #${a[0]} had to be named by ${time(a[1])}`,
  RaisesNoAccessOffer: (a) => `the DAO has not named the offer the seats of raise #${a[0]} are delivered from yet`,
  RaisesNoAccessPresale: (a) => `raise #${a[0]} sells no licence seats`,
  RaisesAccessOfferAlreadySet: (a) => `the seats of raise #${a[0]} are delivered from offer ${a[1]} already`,
  RaisesTooManySeats: (a) => `${a[1]} would hold ${a[2]} seats of raise #${a[0]}; one account may buy at most ${a[3]}`,
  RaisesNoSeatsToDeliver: (a) => `${a[1]} has no seats of raise #${a[0]} left to deliver (none, delivered or refunded)`,
  FractionSalesUnknownSale: (a) => `there is no sale #${a[0]}`,
  FractionSalesUnknownModel: (a) => `there is no model #${a[0]}`,
  FractionSalesUnauthorizedTreasury: (a) => `${a[0]} is not the treasury of model #${a[1]}; only its vote can do this`,
  FractionSalesInvalidTerms: (a) => `the sale's ${a[0]} is not valid`,
  FractionSalesNotActive: (a) =>
    a[3] === true
      ? `sale #${a[0]} was stopped`
      : `sale #${a[0]} is open from ${time(a[1])} until ${time(a[2])}, not now`,
  FractionSalesInvalidAmount: (a) => `a purchase needs at least one fraction, got ${a[0]}`,
  FractionSalesSoldOut: (a) => `sale #${a[0]} has ${a[2]} fractions left; ${a[1]} were asked for`,
  FractionSalesPriceAboveMax: (a) => `the price is ${a[0]} a fraction, above your maximum ${a[1]} (smallest units)`,
  FractionSalesWrongPayment: (a) => `the purchase costs ${a[0]} (smallest units) and ${a[1]} wei was sent`,
  FractionSalesUnderpaid: (a) =>
    `only ${a[2]} of the ${a[1]} price arrived in ${a[0]} (smallest units): a token that takes a fee on transfer cannot pay`,
  FractionSalesInvalidRecipient: (a) => `${a[0]} cannot receive fractions`,
  FractionSalesTreasuryShort: (a) =>
    `the treasury holds ${a[2]} fractions, fewer than the ${a[1]} asked for from sale #${a[0]}`,
  ModelSharesMintingExceedsGrant: (a) =>
    `${a[1]} may mint ${a[3]} more fractions of model #${a[0]}, fewer than the ${a[2]} asked for`,
  ModelSharesInvalidGrant: (a) => `a minting grant needs a minter and an amount (got ${a[0]}, ${a[1]})`,
};
