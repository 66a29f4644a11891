/**
 * Per-client download limits (gateway/server/stream.ts): a client that opens downloads and never reads them is
 * refused (429 problem) past MAX_STREAMS_PER_CLIENT in flight, and gets its budget back as its downloads close.
 */
import { Readable } from "node:stream";

import { expect } from "chai";

import { createMetrics } from "../../../gateway/server/metrics.js";
import { HttpProblem } from "../../../gateway/server/problem.js";
import { accountClient, MAX_STREAMS_PER_CLIENT, StreamTracker } from "../../../gateway/server/stream.js";

describe("gateway/server/stream: per-client limits", function () {
  it("refuses the download past the limit with 429, per client, and frees a slot when one closes", async function () {
    const tracker = new StreamTracker(createMetrics(false));
    const alice = accountClient("0xAbC0000000000000000000000000000000000001");
    const open: Readable[] = [];
    for (let i = 0; i < MAX_STREAMS_PER_CLIENT; i++) {
      tracker.admit(alice);
      open.push(tracker.track(new Readable({ read() {} }), alice));
    }
    let refused: unknown;
    try {
      tracker.admit(alice);
    } catch (error) {
      refused = error;
    }
    expect(refused).to.be.instanceOf(HttpProblem);
    expect((refused as HttpProblem).status).to.equal(429);
    tracker.admit(accountClient("0x0000000000000000000000000000000000000002")); // another client is not affected
    open[0].destroy();
    await new Promise((resolve) => setImmediate(resolve));
    tracker.admit(alice);
    for (const stream of open) stream.destroy();
  });
});
