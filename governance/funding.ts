/**
 * Typed proposal builders for raises and primary sales of treasury fractions (issue #14): what a model's treasury
 * does by vote on the Raises and FractionSales contracts. Opening a raise grants the Raises contract minting of the
 * raise's cap first (the treasury cannot take a grant back, so fractions owed to backers cannot be voted away);
 * opening a sale lets the FractionSales contract move the treasury's fractions first (it moves only what a sale
 * offers, from this model's treasury). The tasks (`ws propose --action open-raise ...`), tests and the demo share
 * these, so a proposal built in a test is the bytes a user's task sends.
 */
import type { Interface } from "ethers";

import type { RaiseTerms } from "../client/raises.js";
import type { SaleTerms } from "../client/sales.js";
import type { IFractionSales, IRaises, ModelShares } from "../types/ethers-contracts/index.js";
import { combine, type Proposal } from "./proposals.js";

interface Call {
  target: string;
  data: string;
}

function proposal(description: string, calls: Call[]): Proposal {
  return combine(
    description,
    calls.map((c) => ({ targets: [c.target], values: [0n], calldatas: [c.data], description })),
  );
}

/**
 * Open a raise of `terms.modelId`'s fractions: grant the Raises contract minting of `terms.cap` fractions, then
 * `raises.open(terms)` (which needs a grant covering the cap beyond what the model's other open raises promise).
 */
export async function openRaise(args: {
  shares: ModelShares;
  raises: IRaises;
  terms: RaiseTerms;
  description: string;
}): Promise<Proposal> {
  const raises = await args.raises.getAddress();
  return proposal(args.description, [
    {
      target: await args.shares.getAddress(),
      data: args.shares.interface.encodeFunctionData("grantMinting", [args.terms.modelId, raises, args.terms.cap]),
    },
    { target: raises, data: args.raises.interface.encodeFunctionData("open", [args.terms]) },
  ]);
}

/** Cancel a raise that is not finalised: everything committed becomes refundable. */
export async function cancelRaise(args: { raises: IRaises; raiseId: bigint; description: string }): Promise<Proposal> {
  return raiseCall(args, "cancel");
}

/** Release the next milestone tranche of a successful raise to the treasury. */
export async function releaseTranche(args: {
  raises: IRaises;
  raiseId: bigint;
  description: string;
}): Promise<Proposal> {
  return raiseCall(args, "releaseTranche");
}

/** Declare the current milestone failed: what is not released becomes refundable to the backers pro rata. */
export async function failMilestone(args: {
  raises: IRaises;
  raiseId: bigint;
  description: string;
}): Promise<Proposal> {
  return raiseCall(args, "failMilestone");
}

async function raiseCall(
  args: { raises: IRaises; raiseId: bigint; description: string },
  method: "cancel" | "releaseTranche" | "failMilestone",
): Promise<Proposal> {
  return proposal(args.description, [
    {
      target: await args.raises.getAddress(),
      data: (args.raises.interface as Interface).encodeFunctionData(method, [args.raiseId]),
    },
  ]);
}

/** Name the licence offer the seats of a successful raise are delivered from. */
export async function setAccessOffer(args: {
  raises: IRaises;
  raiseId: bigint;
  offerId: bigint;
  description: string;
}): Promise<Proposal> {
  return proposal(args.description, [
    {
      target: await args.raises.getAddress(),
      data: args.raises.interface.encodeFunctionData("setAccessOffer", [args.raiseId, args.offerId]),
    },
  ]);
}

/**
 * Open a sale of treasury fractions: let the FractionSales contract move the treasury's fractions
 * (`setApprovalForAll`), then `sales.open(terms)`.
 */
export async function openSale(args: {
  shares: ModelShares;
  sales: IFractionSales;
  terms: SaleTerms;
  description: string;
}): Promise<Proposal> {
  const sales = await args.sales.getAddress();
  return proposal(args.description, [
    {
      target: await args.shares.getAddress(),
      data: args.shares.interface.encodeFunctionData("setApprovalForAll", [sales, true]),
    },
    { target: sales, data: args.sales.interface.encodeFunctionData("open", [args.terms]) },
  ]);
}

/** Stop a sale: its unsold fractions stay in the treasury (they never left it). */
export async function stopSale(args: {
  sales: IFractionSales;
  saleId: bigint;
  description: string;
}): Promise<Proposal> {
  return proposal(args.description, [
    { target: await args.sales.getAddress(), data: args.sales.interface.encodeFunctionData("stop", [args.saleId]) },
  ]);
}
