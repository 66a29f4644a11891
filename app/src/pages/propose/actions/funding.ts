/**
 * Raises, sales and lineage (tasks/lib/actions/raises.ts, sales.ts, lineage.ts): cancel a raise, release or fail
 * a tranche, name a raise's access offer, stop a sale, register the model as a derivative. Opening a raise or a sale
 * is open-raise.ts and open-sale.ts.
 */
import type { Address } from "viem";

import {
  cancelRaise,
  failMilestone,
  releaseTranche,
  setAccessOffer,
  stopSale,
} from "../../../../../governance/funding.ts";
import { registerDerivative } from "../../../../../governance/lineage.ts";
import { fractionSalesAbi, modelLineageAbi, raisesAbi } from "../../../generated.ts";
import { field, valueOf, type ActionSpec, type FieldSpec, type Values } from "../action.ts";
import { handle, read, type ProposeContext } from "../chain.ts";
import { bad, uint } from "../fields.ts";
import type { IFractionSales, IModelLineage, IRaises } from "../../../../../types/ethers-contracts/index.ts";

const STATUS = ["Pending", "Open", "Closed", "Succeeded", "Failed", "Cancelled"];
const RAISE: FieldSpec = { name: "raiseId", label: "Raise", help: "The raise's number (the Raises page lists them)." };

function raisesAddress(ctx: ProposeContext, f: FieldSpec): Address {
  if (ctx.deployment.raises === undefined) bad(f, "this deployment has no Raises contract");
  return ctx.deployment.raises as Address;
}

interface RaiseInfo {
  raiseId: bigint;
  status: string;
  terms: { modelId: bigint; token: Address; seatPrice: bigint; seats: bigint; tranches: readonly bigint[] };
  state: { tranchesReleased: bigint; milestoneFailed: boolean; accessOfferId: bigint };
}

/** The raise the `raiseId` field names, checked to exist and to sell this model's fractions. */
async function modelRaise(ctx: ProposeContext, fields: FieldSpec[], values: Values): Promise<RaiseInfo> {
  const f = field(fields, "raiseId");
  const address = raisesAddress(ctx, f);
  const raiseId = uint(f, valueOf(fields, values, "raiseId", "a raise number"));
  const count = await read<bigint>(ctx, address, raisesAbi, "raiseCount");
  if (raiseId === 0n || raiseId > count) {
    bad(
      f,
      count === 0n
        ? `no raise has been opened yet, got ${raiseId}`
        : `expected an existing raise (1..${count}), got ${raiseId}`,
    );
  }
  const [terms, state, status] = await Promise.all([
    read<RaiseInfo["terms"]>(ctx, address, raisesAbi, "raise", [raiseId]),
    read<RaiseInfo["state"]>(ctx, address, raisesAbi, "raiseState", [raiseId]),
    read<number>(ctx, address, raisesAbi, "status", [raiseId]),
  ]);
  if (terms.modelId !== ctx.modelId)
    bad(f, `raise #${raiseId} sells fractions of model #${terms.modelId}, not #${ctx.modelId}`);
  return { raiseId, terms, state, status: STATUS[Number(status)] };
}

/** Refused when the raise is settled as failed or cancelled, or no tranche is left; flagged when not successful. */
function trancheLeft(r: RaiseInfo, f: FieldSpec, what: string, warn: (m: string) => void): void {
  if (r.status === "Failed" || r.status === "Cancelled")
    bad(f, `raise #${r.raiseId} is ${r.status}: there is no tranche to ${what}`);
  if (r.status !== "Succeeded")
    warn(`raise #${r.raiseId} is ${r.status}; only a raise that succeeded can ${what} a tranche`);
  if (r.state.milestoneFailed) bad(f, `a milestone of raise #${r.raiseId} failed already: no tranche is left`);
  const tranches = Math.max(1, r.terms.tranches.length);
  if (Number(r.state.tranchesReleased) >= tranches)
    bad(f, `all ${tranches} tranches of raise #${r.raiseId} are released`);
}

export const FUNDING_ACTIONS: ActionSpec[] = [
  {
    id: "cancel-raise",
    label: "Cancel a raise",
    group: "Raises and sales",
    fields: [RAISE],
    async build(ctx, values, description) {
      const r = await modelRaise(ctx, this.fields, values);
      if (!["Pending", "Open", "Closed"].includes(r.status)) {
        bad(
          field(this.fields, "raiseId"),
          `raise #${r.raiseId} is ${r.status}; only a raise not yet finalised (Pending, Open or Closed) can be cancelled`,
        );
      }
      const raises = handle<IRaises>(raisesAbi, raisesAddress(ctx, RAISE));
      return cancelRaise({ raises, raiseId: r.raiseId, description });
    },
  },
  {
    id: "release-tranche",
    label: "Release a raise's next tranche",
    group: "Raises and sales",
    fields: [RAISE],
    async build(ctx, values, description, warn) {
      const r = await modelRaise(ctx, this.fields, values);
      trancheLeft(r, field(this.fields, "raiseId"), "release", warn);
      return releaseTranche({
        raises: handle<IRaises>(raisesAbi, raisesAddress(ctx, RAISE)),
        raiseId: r.raiseId,
        description,
      });
    },
  },
  {
    id: "fail-milestone",
    label: "Declare a raise's milestone failed",
    group: "Raises and sales",
    fields: [RAISE],
    async build(ctx, values, description, warn) {
      const r = await modelRaise(ctx, this.fields, values);
      trancheLeft(r, field(this.fields, "raiseId"), "fail", warn);
      return failMilestone({
        raises: handle<IRaises>(raisesAbi, raisesAddress(ctx, RAISE)),
        raiseId: r.raiseId,
        description,
      });
    },
  },
  {
    id: "set-access-offer",
    label: "Name a raise's access offer",
    group: "Raises and sales",
    fields: [RAISE, { name: "offerId", label: "Offer", kind: "offer" }],
    async build(ctx, values, description, warn) {
      const r = await modelRaise(ctx, this.fields, values);
      const f = field(this.fields, "raiseId");
      if (r.terms.seats === 0n) bad(f, `raise #${r.raiseId} sells no licence seats`);
      if (r.state.accessOfferId !== 0n)
        bad(f, `the seats of raise #${r.raiseId} are delivered from offer ${r.state.accessOfferId} already`);
      const o = field(this.fields, "offerId");
      const offerId = uint(o, valueOf(this.fields, values, "offerId", "an offer"));
      const offer = ctx.offers.find((x) => x.offerId === offerId);
      if (offer === undefined) return bad(o, `expected an existing offer of model #${ctx.modelId}, got ${offerId}`);
      if (offer.terms.paymentToken.toLowerCase() !== r.terms.token.toLowerCase()) {
        bad(
          o,
          `offer ${offerId} is priced in ${offer.terms.paymentToken}; the seats of raise #${r.raiseId} were paid in ${r.terms.token}`,
        );
      }
      if (offer.terms.price > r.terms.seatPrice) bad(o, `offer ${offerId} costs more than the seat price backers paid`);
      if (!offer.terms.onSale) warn(`offer ${offerId} is not on sale, so seats cannot be bought from it`);
      return setAccessOffer({
        raises: handle<IRaises>(raisesAbi, raisesAddress(ctx, RAISE)),
        raiseId: r.raiseId,
        offerId,
        description,
      });
    },
  },
  {
    id: "stop-sale",
    label: "Stop a sale of treasury fractions",
    group: "Raises and sales",
    fields: [{ name: "saleId", label: "Sale", help: "The sale's number." }],
    async build(ctx, values, description, warn) {
      const f = field(this.fields, "saleId");
      if (ctx.deployment.sales === undefined) bad(f, "this deployment has no FractionSales contract");
      const address = ctx.deployment.sales as Address;
      const saleId = uint(f, valueOf(this.fields, values, "saleId", "a sale number"));
      const count = await read<bigint>(ctx, address, fractionSalesAbi, "saleCount");
      if (saleId === 0n || saleId > count) {
        bad(
          f,
          count === 0n
            ? `no sale has been opened yet, got ${saleId}`
            : `expected an existing sale id (1..${count}), got ${saleId}`,
        );
      }
      const [terms, state] = await Promise.all([
        read<{ modelId: bigint; amount: bigint }>(ctx, address, fractionSalesAbi, "sale", [saleId]),
        read<{ sold: bigint; stopped: boolean }>(ctx, address, fractionSalesAbi, "saleState", [saleId]),
      ]);
      if (terms.modelId !== ctx.modelId)
        bad(f, `sale #${saleId} sells fractions of model #${terms.modelId}, not #${ctx.modelId}`);
      if (state.stopped) bad(f, `sale #${saleId} is stopped already`);
      if (state.sold >= terms.amount) warn(`sale #${saleId} is sold out already`);
      return stopSale({ sales: handle<IFractionSales>(fractionSalesAbi, address), saleId, description });
    },
  },
  {
    id: "register-derivative",
    label: "Register as a derivative",
    group: "Lineage",
    fields: [
      {
        name: "licences",
        label: "Parent licences",
        help: "The derivative licences the treasury holds, one per parent, comma-separated: 3,4.",
      },
    ],
    async build(ctx, values, description) {
      const f = field(this.fields, "licences");
      if (ctx.deployment.lineage === undefined) bad(f, "this deployment has no ModelLineage contract");
      const raw = (values.licences ?? "").trim();
      if (raw === "")
        bad(f, "expected the derivative licences the treasury holds, one per parent, comma-separated, e.g. 3,4");
      const ids = raw.split(",").map((part) => uint(f, part.trim()));
      if (ids.length > 4) bad(f, `expected at most 4 licences, one per parent; got ${ids.length}`);
      const twice = ids.find((id, i) => ids.indexOf(id) !== i);
      if (twice !== undefined) bad(f, `expected each licence once; #${twice} is named twice`);
      const lineage = handle<IModelLineage>(modelLineageAbi, ctx.deployment.lineage as Address);
      return registerDerivative({ lineage, modelId: ctx.modelId, licenceIds: ids, description });
    },
  },
];
