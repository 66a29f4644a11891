/**
 * `ws back --raise-id N --fractions F [--seats S] [--allowlist FILE] [--signature 0x…]`: commits to F fractions
 * (and S licence seats) of an open raise and pays exactly what they cost: ETH with the call, or the raise's ERC-20,
 * approved for exactly the cost when the allowance is short. On the first commitment the signer signs the raise's
 * terms (EIP-712 `AcceptTerms(raiseId, termsHash, backer)` in the domain "Weightshare Raises", version 1); a Safe
 * or another ERC-1271 wallet signs elsewhere and passes `--signature`. A raise with an allow-list takes the proof
 * from the list's file. Everything is checked, and the commitment simulated, before anything is sent.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { acceptTermsTypedData, raiseCost, signRaiseTerms } from "../client/raises.js";
import { action, output, TaskInputError, uint } from "./lib/cli.js";
import { actor, context, type CommonArgs } from "./lib/context.js";
import { approvalText, pay } from "./lib/payment.js";
import { allowlistArg, backerLine, raiseIdArg, raisesOf, raiseView } from "./lib/raises.js";
import { money } from "./lib/tokens.js";
import { formatAmount, timeText } from "./lib/units.js";

interface Args extends CommonArgs {
  raiseId: string;
  fractions: string;
  seats: string;
  allowlist: string;
  signature: string;
}

const ZERO_HASH = `0x${"0".repeat(64)}`;

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const fractions = uint("fractions", args.fractions === "" ? "0" : args.fractions, 2n ** 64n - 1n);
  const seats = uint("seats", args.seats === "" ? "0" : args.seats, 2n ** 32n - 1n);
  if (fractions === 0n && seats === 0n) {
    throw new TaskInputError("--fractions: expected how many fractions to commit to (at least 1, or --seats)");
  }
  if (args.signature !== "" && !/^0x([0-9a-fA-F]{2})+$/.test(args.signature)) {
    throw new TaskInputError(`--signature: expected the signature as 0x-prefixed hex, got "${args.signature}"`);
  }
  const ctx = await context(hre, args);
  const raises = await raisesOf(ctx);
  const raiseId = await raiseIdArg(raises, args.raiseId);
  const { account: backer, option } = actor(ctx);
  const v = await raiseView(ctx, raises, raiseId, backer);
  const t = v.terms;
  if (v.status !== "Open") {
    const when =
      v.status === "Pending"
        ? `; it opens at ${timeText(t.opensAt)}`
        : v.status === "Closed"
          ? `; it closed at ${timeText(t.closesAt)}`
          : "";
    throw new TaskInputError(`--raise-id: raise #${raiseId} is ${v.status}, not open for commitments${when}`);
  }
  const held = v.backer!.fractions;
  if (t.accountCap !== 0n && held + fractions > t.accountCap) {
    throw new TaskInputError(
      `--fractions: one account may commit at most ${t.accountCap} fractions to raise #${raiseId}; ${backer} has ${held} and asks for ${fractions} more`,
    );
  }
  if (seats !== 0n) {
    if (t.seats === 0n) throw new TaskInputError(`--seats: raise #${raiseId} sells no licence seats`);
    const left = t.seats - v.state.seatsSold;
    if (seats > left) {
      throw new TaskInputError(
        `--seats: raise #${raiseId} has ${left} of its ${t.seats} seats left, asked for ${seats}`,
      );
    }
  }
  let proof: string[] = [];
  if (t.allowlistRoot !== ZERO_HASH) {
    if (args.allowlist === "") {
      throw new TaskInputError(
        `--allowlist: raise #${raiseId} is open to an allow-list only (root ${t.allowlistRoot}); expected its file of addresses`,
      );
    }
    const list = allowlistArg(args.allowlist);
    if (list.root !== t.allowlistRoot) {
      throw new TaskInputError(
        `--allowlist: ${args.allowlist} makes the root ${list.root}, not raise #${raiseId}'s ${t.allowlistRoot}; expected the raise's list`,
      );
    }
    const found = list.proof(backer);
    if (found === undefined) {
      throw new TaskInputError(`--${option}: ${backer} is not on the allow-list of raise #${raiseId}`);
    }
    proof = found;
  }
  const first = !v.backer!.acceptedTerms;
  let signature = "0x";
  if (first) {
    if (args.signature !== "") signature = args.signature;
    else if (ctx.safe !== undefined) {
      const { digest } = await acceptTermsTypedData(raises, raiseId, backer);
      throw new TaskInputError(
        `--signature: ${backer} accepts the terms of raise #${raiseId} with its own (ERC-1271) signature of the EIP-712 digest ${digest} (AcceptTerms in "Weightshare Raises" v1); expected it with --signature`,
      );
    } else signature = await signRaiseTerms(raises, ctx.signer, raiseId);
  }
  const cost = raiseCost(t, fractions, seats);
  const { receipt, approved } = await pay(ctx, v.tokenInfo, cost, {
    contract: raises,
    method: "commit",
    args: [raiseId, fractions, seats, proof, signature],
    argument: "fractions",
    funds: option,
  });
  const address = await raises.getAddress();
  const committed = receipt?.logs
    .filter((log) => log.address === address)
    .map((log) => raises.interface.parseLog(log))
    .find((e) => e?.name === "Committed");
  if (committed == null) throw new TaskInputError("--raise-id: the commitment was mined but recorded nothing");
  const after = await raiseView(ctx, raises, raiseId, backer);
  const paid = money(committed.args.paid as bigint, v.tokenInfo);
  const surplus = money(committed.args.surplus as bigint, v.tokenInfo);
  output(
    args.json,
    {
      raiseId,
      modelId: t.modelId,
      backer,
      fractions: committed.args.fractions as bigint,
      seats: committed.args.seats as bigint,
      paid,
      surplus,
      signedTerms: first,
      termsHash: t.termsHash,
      position: after.backer,
      committed: after.state.committed,
      ...(approved === undefined ? {} : { approved }),
    },
    () =>
      approvalText(approved, "the raises contract", "amount") +
      (first ? `signed the terms of raise #${raiseId} (${t.termsURI}, keccak256 ${t.termsHash})\n` : "") +
      `committed ${committed.args.fractions} fractions` +
      (seats === 0n ? "" : ` and ${committed.args.seats} seats`) +
      ` to raise #${raiseId} of model #${t.modelId}, paying ${paid.formatted}` +
      (surplus.amount === 0n ? "" : ` (${surplus.formatted} beyond whole fractions, refundable)`) +
      `\nthe raise has ${after.state.committed} of its ${t.cap} fractions committed (goal ${t.goal}); ` +
      `${backerLine(after, after.backer!)}` +
      (after.state.committed > t.cap
        ? ` (oversubscribed: fractions are allocated pro rata, the rest of ${formatAmount(cost, v.tokenInfo)} refundable after closing)`
        : ""),
  );
});
