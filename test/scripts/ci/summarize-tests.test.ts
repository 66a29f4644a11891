import { expect } from "chai";

import { formatTotals, summarize } from "../../../scripts/ci/summarize-tests.ts";

describe("scripts/ci/summarize-tests", function () {
  it("reads Hardhat's aggregate totals", function () {
    const log = "  27 passing (2s)\n\n76 passing (49 solidity, 27 mocha)\n";
    expect(formatTotals(summarize(log))).to.equal("76 passed, 0 failed");
  });

  it("reports failures and does not count pending tests as passed", function () {
    const log = [
      "    - skipped",
      "  27 passing (1s)",
      "  1 pending",
      "  1 failing",
      "77 passing (49 solidity, 28 mocha)",
      "2 failing (1 solidity, 1 mocha)",
    ].join("\n");
    expect(formatTotals(summarize(log))).to.equal("76 passed, 2 failed, 1 skipped");
  });

  it("treats a run that never printed totals as failed, not as zero tests", function () {
    const totals = summarize("Error HHE910: Compilation failed\n");
    expect(totals.complete).to.equal(false);
    expect(formatTotals(totals)).to.equal("0 passed, 1 failed");
  });

  it("counts a failure Hardhat reports for one runner only", function () {
    const log = "210 passing (63 solidity, 147 mocha)\n1 failing (1 mocha)\n";
    expect(formatTotals(summarize(log))).to.equal("210 passed, 1 failed");
  });

  it("ignores colour escapes", function () {
    const esc = String.fromCharCode(27);
    const log = `${esc}[32m76 passing (49 solidity, 27 mocha)${esc}[0m\n${esc}[31m1 failing (1 solidity, 0 mocha)${esc}[0m\n`;
    expect(formatTotals(summarize(log))).to.equal("76 passed, 1 failed");
  });
});
