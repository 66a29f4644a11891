/**
 * Handler-driven invariant run over the real gateway, ledger and chain (issue #13): a seeded pseudo-random sequence
 * of actions (invariant/handler.ts) by four licensees with licences of different credits (1,000, 10, 30 and 6) and
 * two accounts without one: capped receipts (POST /usage/receipts), calls with an exact receipt, without one, with a
 * stale or replayed or someone else's receipt, calls the model fails after metering reserved them, bad input,
 * settler passes, renewals, transfers of transferable licences, purchases, an offer turned transferable, and chain
 * time moving (a few seconds, hours, past the licences' expiry). Every answer is checked against the model's
 * prediction (invariant/model.ts), and after every step, for every licence (invariant/invariants.ts):
 * - never beyond the signature: served <= the widest cap the gateway accepted from a holder's signed receipt;
 * - never beyond the credits: served + reserved - settled on chain <= credits left on chain;
 * - nothing claimable twice: settled on chain <= served, and credits bought - credits left = settled on chain;
 * - every 200 is exactly one served ledger record of cost 2, running totals rising by 2 (no record without a 200);
 * - a refused call or receipt (400/401/402/403/409) changes nothing in the ledger but, for a receipt it accepted
 *   before refusing the call, the cap;
 * - nothing lost: what was served is settled on chain or covered by an accepted receipt the settler will still batch
 *   (the run passes the settler at least every 60 s of chain time, as the gateway's own settler does);
 * - after a last settler pass: settled on chain = ledger settled = served for every licence.
 * Dust: none. The rate is a whole number of credits per call (2), the ledger, the receipts and the chain count whole
 * credits, and nothing is divided: every credit served is settled exactly, and the invariants above are equalities.
 *
 * WS_INVARIANT_SEED and WS_INVARIANT_STEPS repeat or lengthen a run; a failure names its seed and last actions.
 */
import { expect } from "chai";
import hre from "hardhat";

import { MeteringHandler } from "./invariant/handler.js";
import { violations } from "./invariant/invariants.js";
import { Random, SETTLER_MARGIN } from "./invariant/model.js";
import { invariantWorld, type InvariantWorld } from "./invariant/world.js";

const connection = await hre.network.create();
const SEED = Number(process.env.WS_INVARIANT_SEED ?? 0x13_5eed);
const STEPS = Number(process.env.WS_INVARIANT_STEPS ?? 150);

describe("metering invariants: a handler-driven run over the gateway, the ledger and the chain", function () {
  this.timeout(300_000);
  let world: InvariantWorld;

  before(async function () {
    world = await invariantWorld(connection);
  });
  after(async function () {
    await world?.close();
  });

  it(`holds every money invariant over ${STEPS} random steps (seed ${SEED})`, async function () {
    const handler = new MeteringHandler(world, new Random(SEED));
    const context = (step: number, what: string) =>
      `seed ${SEED}, step ${step}: ${what}\nlast actions:\n  ${handler.trail.slice(-12).join("\n  ")}`;
    await handler.init();
    for (let step = 1; step <= STEPS; step++) {
      try {
        await handler.step();
      } catch (error) {
        throw new Error(context(step, (error as Error).message), { cause: error });
      }
      const broken = await violations(world, handler);
      if (broken.length > 0) throw new Error(context(step, broken.join("; ")));
    }

    // A last pass settles everything still covered by a receipt the settler can batch.
    const now = await handler.now();
    const covered = new Set(
      [...handler.ghosts.values()]
        .filter((g) => g.accepted.some((r) => r.deadline >= now + SETTLER_MARGIN))
        .map((g) => g.id),
    );
    await handler.settle("final");
    const broken = await violations(world, handler);
    if (broken.length > 0) throw new Error(context(STEPS + 1, broken.join("; ")));
    for (const ghost of handler.ghosts.values()) {
      const state = await world.ledger.licence(ghost.id);
      const chain = await handler.chainOf(ghost.id);
      const served = state?.served ?? 0n;
      expect(chain.settled, `licence ${ghost.id}: settled on chain = served`).to.equal(served);
      expect(state?.settled ?? 0n, `licence ${ghost.id}: ledger settled = served`).to.equal(served);
    }
    const calls = [...handler.ghosts.values()].reduce((n, g) => n + g.answered.length, 0);
    expect(calls, "the run served calls").to.be.greaterThan(0);
    // Nobody is served under a cap it did not sign: a licence's new holder signs its own.
    expect(handler.servedUnderEarlierHolder, "200s under a cap only an earlier holder signed").to.deep.equal([]);
    console.log(
      `      seed ${SEED}, ${STEPS} steps: ${calls} calls served on ${handler.ghosts.size} licences ` +
        `(${covered.size} with a receipt still batchable at the end); ${JSON.stringify(handler.counts)}`,
    );
  });
});
