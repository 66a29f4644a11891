/**
 * Multicall: the read batcher Snapshot's strategies call. It must return each call's data in order with the block
 * number, revert the whole batch naming the failing call, and hold nothing (no ETH can be sent to it).
 */
import { expect } from "chai";
import hre from "hardhat";

import { protocolWithModel } from "../../helpers/fixtures.js";

describe("Multicall", function () {
  async function setup() {
    const { ethers } = await hre.network.create();
    const fx = await protocolWithModel(ethers);
    const multicall = await ethers.deployContract("Multicall");
    return { ...fx, ethers, multicall };
  }

  it("returns every call's data in order, with the block number", async function () {
    const { multicall, model, shares, labA, labB } = await setup();
    const calls = [
      {
        target: await model.votes.getAddress(),
        callData: model.votes.interface.encodeFunctionData("getVotes", [labA.address]),
      },
      {
        target: await shares.getAddress(),
        callData: shares.interface.encodeFunctionData("balanceOf", [labB.address, model.modelId]),
      },
    ];
    const [blockNumber, data] = await multicall.aggregate.staticCall(calls);
    expect(blockNumber).to.be.greaterThan(0n);
    expect(BigInt(data[0])).to.equal(500n);
    expect(BigInt(data[1])).to.equal(300n);
  });

  it("reverts the whole batch naming the call that failed", async function () {
    const { multicall, model, labA } = await setup();
    const votes = await model.votes.getAddress();
    const calls = [
      { target: votes, callData: model.votes.interface.encodeFunctionData("getVotes", [labA.address]) },
      // ModelVotes is non-transferable: approve always reverts.
      { target: votes, callData: model.votes.interface.encodeFunctionData("approve", [labA.address, 1n]) },
    ];
    await expect(multicall.aggregate.staticCall(calls))
      .to.be.revertedWithCustomError(multicall, "MulticallFailed")
      .withArgs(1n, votes);
  });

  it("cannot receive ETH, so nothing can be stranded in it", async function () {
    const { multicall, labA, ethers } = await setup();
    await expect(labA.sendTransaction({ to: await multicall.getAddress(), value: 1n })).to.be.revert(ethers);
  });
});
