/**
 * Claims and releases cost the same whoever else holds the model: 1,000 holders among 100 models against 10
 * holders of one model, within 1% (measured in gas, which is deterministic; never in time).
 */
import { expect } from "chai";
import hre from "hardhat";

import { holderScale } from "../../../scripts/bench/revenue.js";

describe("RevenueVault at scale", function () {
  it("claim and release cost the same (within 1%) with 1,000 holders and 100 models as with 10 holders", async function () {
    const small = await holderScale(await hre.network.create(), 10, 1);
    const large = await holderScale(await hre.network.create(), 1000, 100);
    const within = (a: bigint, b: bigint) => (a > b ? a - b : b - a) * 100n <= b;
    expect(within(large.claim, small.claim), `claim ${large.claim} vs ${small.claim}`).to.equal(true);
    expect(within(large.release, small.release), `release ${large.release} vs ${small.release}`).to.equal(true);
  });
});
