/**
 * The gateway process's inference settings (gateway/inference/process.ts): receipts served under must outlive the
 * settler's next pass, so the margin a receipt needs grows with `--settle-every`.
 */
import { expect } from "chai";

import { meterDeadlineMargin } from "../../../gateway/inference/process.js";
import { DEFAULT_DEADLINE_MARGIN } from "../../../gateway/metering/meter.js";

describe("gateway/inference/process: receipts outlive the settler's next pass", function () {
  it("asks for the settler's margin plus two intervals, never less than the default, at most 30 minutes", function () {
    expect(meterDeadlineMargin(600, 1000)).to.equal(DEFAULT_DEADLINE_MARGIN);
    expect(meterDeadlineMargin(600, 60_000)).to.equal(DEFAULT_DEADLINE_MARGIN);
    expect(meterDeadlineMargin(600, 300_000)).to.equal(1200);
    expect(meterDeadlineMargin(600, 600_000)).to.equal(1800);
  });
});
