/**
 * Opening a raise (tasks/lib/actions/raises.ts `open-raise`): its terms checked as the task checks them, with the same
 * sentences naming the form's fields, then built by governance/funding.ts (the minting grant, then `open`).
 */
import { openRaise } from "../../../../../governance/funding.ts";
import type { IRaises, ModelShares } from "../../../../../types/ethers-contracts/index.ts";
import { modelSharesAbi, raisesAbi } from "../../../generated.ts";
import type { ActionSpec } from "../action.ts";
import { handle } from "../chain.ts";
import { documentHash } from "../documents.ts";
import { bad, timeText } from "../fields.ts";
import {
  allowlistRoot,
  clock,
  closes,
  contract,
  GROUP,
  OPENS,
  reader,
  TOKEN,
  tranches,
  U128,
  U32,
  U64,
  units,
} from "./open-terms.ts";

/** `open-raise`. */
export const OPEN_RAISE: ActionSpec = {
  id: "open-raise",
  label: "Open a raise",
  group: GROUP,
  available: (d) => d.raises !== undefined,
  fields: [
    { name: "price", label: "Price per fraction", help: "In the payment token's units, such as 0.01." },
    TOKEN,
    { name: "goal", label: "Goal (fractions)", help: "The fractions the raise must sell to succeed (soft cap)." },
    { name: "cap", label: "Cap (fractions)", help: "The most fractions the raise sells (hard cap)." },
    { name: "accountCap", label: "Most per backer", optional: true, help: "Fractions; empty or 0: no limit." },
    OPENS,
    closes("raise"),
    { name: "termsUri", label: "Terms URI", help: "The terms document backers accept." },
    { name: "termsHash", label: "Terms hash", kind: "file-hash", optional: true },
    {
      name: "tranches",
      label: "Tranches (percent)",
      optional: true,
      help: "Milestone tranches of the money raised, released one by one by vote: 30,30,40. Empty: all at once.",
    },
    { name: "seatPrice", label: "Seat price", optional: true, help: "Optional licence seats: the price of one." },
    { name: "seats", label: "Seats", optional: true, help: "How many licence seats the raise sells." },
    {
      name: "accessDeadline",
      label: "Access deadline",
      optional: true,
      help: "With seats: when the treasury must name the offer seats come from (after Closes), such as +60d.",
    },
    {
      name: "allowlist",
      label: "Allow-list",
      kind: "textarea",
      optional: true,
      help: "Who may back it: one address a line (# comments allowed) or a JSON array. Empty: anyone.",
    },
  ],
  async build(ctx, values, description) {
    const r = reader(ctx, this.fields, values);
    const raises = contract(ctx, r.f("price"), "raises", "Raises");
    const token = await r.token();
    const price = r.positive("price", token, "the price of one fraction");
    const goal = r.count("goal", U64, "the fractions the raise must sell to succeed (its soft cap)");
    if (goal === 0n) bad(r.f("goal"), "expected at least 1 fraction, got 0");
    const cap = r.count("cap", U64, "the most fractions the raise sells (its hard cap)");
    if (cap < goal) bad(r.f("cap"), `expected at least the goal (${goal} fractions), got ${cap}`);
    if (cap * price > U128) {
      bad(
        r.f("cap"),
        `${cap} fractions at ${units(price, token)} is more money than a raise holds (2^128 - 1 smallest units)`,
      );
    }
    const accountCap = r.count("accountCap", U64, "", "0");
    const { now, executable } = await clock(ctx);
    const opensAt = r.at("opens", now, "now");
    if (r.raw("closes") === "") bad(r.f("closes"), "expected when the raise closes, e.g. +14d or 2027-01-31");
    const closesAt = r.at("closes", now);
    if (closesAt <= opensAt) {
      bad(r.f("closes"), `expected after the opening (${timeText(opensAt)}), got ${timeText(closesAt)}`);
    }
    if (closesAt <= executable) {
      bad(
        r.f("closes"),
        `the raise would close at ${timeText(closesAt)}, before this proposal can be executed (${timeText(executable)} at the earliest: voting delay, voting period and timelock delay); expected a later time`,
      );
    }
    const trancheBps = tranches(r.f("tranches"), r.raw("tranches"));
    let [seatPrice, seats, accessDeadline] = [0n, 0n, 0n];
    if (r.raw("seatPrice") !== "" || r.raw("seats") !== "" || r.raw("accessDeadline") !== "") {
      seatPrice = r.positive("seatPrice", token, "the price of one licence seat");
      seats = r.count("seats", U32, "how many licence seats the raise sells");
      if (seats === 0n) bad(r.f("seats"), "expected at least 1 seat with a seat price, got 0");
      if (seats * seatPrice > U128)
        bad(r.f("seats"), `${seats} seats at ${units(seatPrice, token)} is more than a raise holds`);
      if (r.raw("accessDeadline") === "") {
        bad(
          r.f("accessDeadline"),
          "expected when the treasury must name the offer seats are delivered from (after Closes), e.g. +60d",
        );
      }
      accessDeadline = r.at("accessDeadline", now);
      if (accessDeadline <= closesAt) {
        bad(
          r.f("accessDeadline"),
          `expected after the raise closes (${timeText(closesAt)}), got ${timeText(accessDeadline)}`,
        );
      }
    }
    const root = allowlistRoot(r.f("allowlist"), values.allowlist ?? "");
    const termsURI = r.raw("termsUri");
    if (termsURI === "") bad(r.f("termsUri"), "expected the terms document backers accept");
    const termsHash = await documentHash(r.f("termsUri"), termsURI, r.f("termsHash"), values.termsHash ?? "");
    return openRaise({
      shares: handle<ModelShares>(modelSharesAbi, ctx.deployment.shares),
      raises: handle<IRaises>(raisesAbi, raises),
      terms: {
        modelId: ctx.modelId,
        token: token.address,
        price,
        goal,
        cap,
        accountCap,
        opensAt,
        closesAt,
        allowlistRoot: root,
        termsHash,
        termsURI,
        tranches: trancheBps,
        seatPrice,
        seats,
        accessDeadline,
      },
      description,
    });
  },
};
