/**
 * The ONNX runner's bounded run queue: never more than `maxInFlight` jobs at once, waiting jobs served first in
 * first out, a job beyond `maxQueued` refused at once, a failing job frees its slot, and `whenIdle` resolves once
 * nothing runs or waits. Jobs are promises the test settles by hand, so nothing depends on timing.
 */
import { expect } from "chai";

import { QueueFullError, RunQueue } from "../../../../gateway/inference/onnx/queue.js";

/** A job the test finishes by hand. */
function gate() {
  let open!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { done, open, fail };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("gateway/inference/onnx: run queue", function () {
  it("runs at most maxInFlight at once, serves waiters in order, and refuses beyond maxQueued", async function () {
    const queue = new RunQueue(2, 2);
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const runs = gates.map((g, i) =>
      queue.run(async () => {
        started.push(i);
        running++;
        most = Math.max(most, running);
        try {
          await g.done;
          return i;
        } finally {
          running--;
        }
      }),
    );
    const settled = Promise.allSettled(runs);
    await tick();
    expect(started).to.deep.equal([0, 1]);
    expect([queue.inFlight, queue.queued]).to.deep.equal([2, 2]);
    let refused: unknown;
    await queue.run(async () => 5).catch((e: unknown) => (refused = e));
    expect(refused).to.be.instanceOf(QueueFullError);

    gates[1].open();
    await tick();
    expect(started).to.deep.equal([0, 1, 2]);
    gates[0].fail(new Error("model failed"));
    await tick();
    expect(started).to.deep.equal([0, 1, 2, 3]);
    gates[2].open();
    gates[3].open();
    const results = await settled;
    expect(results.map((r) => r.status)).to.deep.equal(["rejected", "fulfilled", "fulfilled", "fulfilled"]);
    expect(most).to.equal(2);
    expect([queue.inFlight, queue.queued]).to.deep.equal([0, 0]);
  });

  it("resolves whenIdle once the last job ends", async function () {
    const queue = new RunQueue(1, 1);
    await queue.whenIdle();
    const g = gate();
    const run = queue.run(() => g.done);
    let idle = false;
    const waiting = queue.whenIdle().then(() => (idle = true));
    await tick();
    expect(idle).to.equal(false);
    g.open();
    await run;
    await waiting;
    expect(idle).to.equal(true);
  });

  it("refuses limits that cannot work", function () {
    expect(() => new RunQueue(0, 1)).to.throw(/maxInFlight 0/);
    expect(() => new RunQueue(1, -1)).to.throw(/maxQueued -1/);
  });
});
