/**
 * The events an indexer reads to rebuild every raise and every fraction sale without calling a view: each raise's
 * terms are in `RaiseOpened`, each sale's in `SaleOpened`, and every movement of money, fractions and seats after
 * that has its own event. With the ModelShares events below (the minting grants a treasury gives a raise, and the
 * approval it gives the sales contract), a raise's and a sale's whole life is in the logs.
 */
import { Interface } from "ethers";

import { IFractionSales__factory } from "../types/ethers-contracts/factories/contracts/interfaces/IFractionSales__factory.ts";
import { IRaises__factory } from "../types/ethers-contracts/factories/contracts/interfaces/IRaises__factory.ts";

/** The events, by the deployment key of the contract that emits them, in the order of a raise's or sale's life. */
export const FUNDING_EVENTS = {
  raises: [
    "RaiseOpened",
    "TermsAccepted",
    "Committed",
    "RaiseCancelled",
    "RaiseFinalized",
    "TrancheReleased",
    "MilestoneFailed",
    "Refunded",
    "FractionsClaimed",
    "AccessOfferSet",
    "SeatsDelivered",
  ],
  sales: ["SaleOpened", "FractionsBought", "SaleStopped"],
  /** On ModelShares: the grant a raise mints out of, and the treasury's approval of the sales contract. */
  shares: ["MintingGranted", "MintingRenounced", "ApprovalForAll"],
} as const;

/** Each funding event's full signature and topic, by contract (read from the interfaces' ABIs). */
export function fundingEventTopics(): { contract: string; name: string; signature: string; topic: string }[] {
  const shares = new Interface([
    "event MintingGranted(uint256 indexed modelId, address indexed minter, uint256 amount, uint256 granted)",
    "event MintingRenounced(uint256 indexed modelId, address indexed minter, uint256 amount, uint256 granted)",
    "event ApprovalForAll(address indexed account, address indexed operator, bool approved)",
  ]);
  const interfaces: Record<keyof typeof FUNDING_EVENTS, Interface> = {
    raises: IRaises__factory.createInterface(),
    sales: IFractionSales__factory.createInterface(),
    shares,
  };
  return (Object.keys(FUNDING_EVENTS) as (keyof typeof FUNDING_EVENTS)[]).flatMap((contract) =>
    FUNDING_EVENTS[contract].map((name) => {
      const event = interfaces[contract].getEvent(name);
      if (event === null) throw new Error(`fundingEventTopics: no event ${name} in ${contract}'s ABI`);
      return { contract, name, signature: event.format("sighash"), topic: event.topicHash };
    }),
  );
}
