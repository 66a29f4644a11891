/**
 * Primary sales of a treasury's fractions (`IFractionSales`) from plain ethers: a sale's terms, progress and current
 * price as plain values, and buying with a price guard (ETH sent for the price now, the contract returning any
 * excess; an ERC-20 approved for exactly the cost when the allowance is short). Opening and stopping a sale is the
 * treasury's, by vote: governance/funding.ts builds those proposals. Hardhat-free.
 */
import { ZeroAddress, type ContractTransactionReceipt, type Signer } from "ethers";

import type { IFractionSales } from "../types/ethers-contracts/index.ts";
import { approveExactly } from "./raises.ts";

/** What a sale is opened with (`IFractionSales.SaleTerms`), as plain values. */
export interface SaleTerms {
  modelId: bigint;
  /** The zero address for ETH. */
  token: string;
  /** Price of one fraction at `startsAt` and at `endsAt` (equal for a fixed price; never rising). */
  startPrice: bigint;
  endPrice: bigint;
  /** Fractions for sale. */
  amount: bigint;
  startsAt: bigint;
  endsAt: bigint;
}

/** Where a sale stands at a given time. */
export type SaleStatus = "Upcoming" | "Active" | "SoldOut" | "Ended" | "Stopped";

export interface SaleSummary {
  saleId: bigint;
  terms: SaleTerms;
  sold: bigint;
  left: bigint;
  stopped: boolean;
  /** Money that reached the treasury. */
  proceeds: bigint;
  status: SaleStatus;
  /** The price of one fraction now (as `buy` would charge in the latest block's time). */
  price: bigint;
}

/** A `SaleTerms` result as plain values. */
export function saleTermsOf(t: IFractionSales.SaleTermsStructOutput): SaleTerms {
  return {
    modelId: t.modelId,
    token: t.token,
    startPrice: t.startPrice,
    endPrice: t.endPrice,
    amount: t.amount,
    startsAt: t.startsAt,
    endsAt: t.endsAt,
  };
}

/** Whether a sale with these terms and progress is upcoming, active, sold out, ended or stopped at `now`. */
export function saleStatus(terms: SaleTerms, sold: bigint, stopped: boolean, now: bigint): SaleStatus {
  if (stopped) return "Stopped";
  if (sold >= terms.amount) return "SoldOut";
  if (now < terms.startsAt) return "Upcoming";
  if (now >= terms.endsAt) return "Ended";
  return "Active";
}

/** Terms, progress and price of `saleId` at the latest block (reverts `FractionSalesUnknownSale` when unknown). */
export async function saleSummary(sales: IFractionSales, saleId: bigint): Promise<SaleSummary> {
  const provider = sales.runner?.provider;
  if (provider == null) throw new Error("saleSummary: the FractionSales contract is not connected to a provider");
  const [terms, state, price, block] = await Promise.all([
    sales.sale(saleId).then(saleTermsOf),
    sales.saleState(saleId),
    sales.currentPrice(saleId),
    provider.getBlock("latest"),
  ]);
  const now = BigInt(block?.timestamp ?? 0);
  return {
    saleId,
    terms,
    sold: state.sold,
    left: terms.amount - state.sold,
    stopped: state.stopped,
    proceeds: state.proceeds,
    status: saleStatus(terms, state.sold, state.stopped, now),
    price,
  };
}

/** Every sale id (1..saleCount) of model `modelId` (all when undefined). */
export async function saleIds(sales: IFractionSales, modelId?: bigint): Promise<bigint[]> {
  const count = await sales.saleCount();
  const ids: bigint[] = [];
  for (let id = 1n; id <= count; id++) {
    if (modelId === undefined || (await sales.sale(id)).modelId === modelId) ids.push(id);
  }
  return ids;
}

/**
 * Buys `amount` fractions of `saleId` for `to` (default: the signer) at the current price, refused by the contract
 * above `maxPrice` per fraction. Pays the cost at the price now (a falling price only lowers it; the contract
 * returns excess ETH); an ERC-20 is approved for exactly that cost when the allowance is short.
 */
export async function buyFractions(
  sales: IFractionSales,
  signer: Signer,
  saleId: bigint,
  amount: bigint,
  maxPrice: bigint,
  to?: string,
): Promise<{ receipt: ContractTransactionReceipt; cost: bigint; price: bigint }> {
  const s = sales.connect(signer);
  const terms = saleTermsOf(await s.sale(saleId));
  const price = await s.currentPrice(saleId);
  const cost = amount * (price < maxPrice ? price : maxPrice);
  if (terms.token !== ZeroAddress) await approveExactly(signer, terms.token, await s.getAddress(), cost);
  const receiver = to ?? (await signer.getAddress());
  const tx = await s.buy(saleId, amount, maxPrice, receiver, { value: terms.token === ZeroAddress ? cost : 0n });
  const receipt = await tx.wait();
  if (receipt === null) throw new Error("buyFractions: the purchase was dropped");
  const address = (await s.getAddress()).toLowerCase();
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== address) continue;
    const parsed = s.interface.parseLog(log);
    if (parsed?.name === "FractionsBought") {
      return { receipt, cost: parsed.args.paid as bigint, price: parsed.args.price as bigint };
    }
  }
  throw new Error("buyFractions: the purchase was mined but recorded no FractionsBought");
}
