/**
 * The money invariants of metered inference, checked after every step of the invariant run against the ledger and
 * the chain (see meter.invariant.test.ts for what each one means). Returns what is violated; importing this file
 * does nothing.
 */
import type { MeteringHandler } from "./handler.js";
import { SETTLER_MARGIN, widestCap } from "./model.js";
import { type InvariantWorld, RATE } from "./world.js";

/** Every invariant violated now, one line each (empty when all hold). */
export async function violations(world: InvariantWorld, handler: MeteringHandler): Promise<string[]> {
  const out: string[] = [];
  const now = await handler.now();
  for (const ghost of handler.ghosts.values()) {
    const id = ghost.id;
    const state = await world.ledger.licence(id);
    const served = state?.served ?? 0n;
    const reserved = state?.reserved ?? 0n;
    const chain = await handler.chainOf(id);
    const say = (what: string) => out.push(`licence ${id}: ${what}`);

    if (served > widestCap(ghost)) say(`served ${served} > widest cap accepted ${widestCap(ghost)}`);
    if (served + reserved - chain.settled > chain.credits)
      say(`served ${served} + reserved ${reserved} - settled ${chain.settled} > credits left ${chain.credits}`);
    if (chain.settled > served) say(`settled on chain ${chain.settled} > served ${served}`);
    if (ghost.bought - chain.credits !== chain.settled)
      say(`bought ${ghost.bought} - left ${chain.credits} != settled on chain ${chain.settled}`);
    if (reserved !== 0n) say(`reserved ${reserved} with no call in flight`);
    if (served !== RATE * BigInt(ghost.answered.length))
      say(`served ${served} != ${RATE} x ${ghost.answered.length} calls answered 200`);
    if ((state?.settled ?? 0n) > chain.settled)
      say(`ledger settled ${state?.settled} > chain settled ${chain.settled}`);

    // Every 200 is exactly one served record of cost 2, and the running totals rise by 2 from 2.
    const records = [];
    for (const account of world.accounts) {
      records.push(...(await world.ledger.usage(account.address, { licenceId: id, limit: 10_000 })));
    }
    const ids = records.map((r) => r.callId).sort();
    const answered = [...ghost.answered].sort();
    if (ids.join() !== answered.join())
      say(`served records ${ids.length} are not the ${answered.length} calls answered 200`);
    const totals = records.map((r) => r.total).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    totals.forEach((total, i) => {
      if (total !== RATE * BigInt(i + 1)) say(`running totals ${totals.join(",")} do not rise by ${RATE} from ${RATE}`);
    });
    if (records.some((r) => r.cost !== RATE)) say(`a served record does not cost ${RATE}`);

    // Nothing lost: what was served is settled, or a receipt the settler will still batch covers it.
    const settleable = ghost.accepted.some((r) => r.cap >= served && r.deadline >= now + SETTLER_MARGIN);
    if (served > chain.settled && !settleable)
      say(
        `served ${served}, settled ${chain.settled}, and no accepted receipt covers ${served} for the settler any more`,
      );
  }
  return [...new Set(out)];
}
