/**
 * ModelVotes' ERC-20 view is the one Tally rebuilds from `Transfer` events: the treasury's fractions carry no votes,
 * so the treasury appears as address(0) (its fractions as not minted), `balanceOf(treasury)` is 0 and `totalSupply()`
 * is the votable supply, the quorum base. Summing the events gives back `totalSupply()` and every `balanceOf`.
 */
import { expect } from "chai";
import hre from "hardhat";

import { protocolWithModel } from "../../helpers/fixtures.js";

const { ethers, networkHelpers } = await hre.network.create();
const ZERO = ethers.ZeroAddress;

async function fixture() {
  const f = await protocolWithModel(ethers);
  const treasury = await f.model.timelock.getAddress();
  await networkHelpers.impersonateAccount(treasury);
  await networkHelpers.setBalance(treasury, ethers.parseEther("1"));
  return { ...f, treasury, timelock: await ethers.getSigner(treasury) };
}

describe("ModelVotes supply and balances (the treasury outside the ERC-20 view)", function () {
  it("emits Transfer with the treasury as address(0), and none when both sides are treasury or zero", async function () {
    const { shares, model, labA, labB, labC, outsider, treasury, timelock } = await networkHelpers.loadFixture(fixture);
    const { votes, modelId } = model;
    const fromBlock = model.receipt.blockNumber;

    // Issued to the treasury: no votes, no Transfer.
    await expect(shares.connect(timelock).mint(treasury, modelId, 400n, "0x")).not.to.emit(votes, "Transfer");
    expect(await shares["totalSupply(uint256)"](modelId)).to.equal(1400n);
    expect(await votes.totalSupply()).to.equal(1000n);
    expect(await shares.balanceOf(treasury, modelId)).to.equal(400n);
    expect(await votes.balanceOf(treasury)).to.equal(0n);

    // Spent by the treasury: minted, in the ERC-20 view.
    await expect(shares.connect(timelock).safeTransferFrom(treasury, outsider.address, modelId, 60n, "0x"))
      .to.emit(votes, "Transfer")
      .withArgs(ZERO, outsider.address, 60n);
    // Sent to the treasury: burnt, in the ERC-20 view.
    await expect(shares.connect(labA).safeTransferFrom(labA.address, treasury, modelId, 100n, "0x"))
      .to.emit(votes, "Transfer")
      .withArgs(labA.address, ZERO, 100n);
    // A holder burns its own; the treasury burns its own (no event).
    await expect(shares.connect(labB).burn(labB.address, modelId, 50n))
      .to.emit(votes, "Transfer")
      .withArgs(labB.address, ZERO, 50n);
    await expect(shares.connect(timelock).burn(treasury, modelId, 10n)).not.to.emit(votes, "Transfer");
    await expect(shares.connect(labC).safeTransferFrom(labC.address, labA.address, modelId, 20n, "0x"))
      .to.emit(votes, "Transfer")
      .withArgs(labC.address, labA.address, 20n);

    // totalSupply is the votable supply (1000 + 60 - 100 - 50), the quorum base.
    expect(await votes.totalSupply()).to.equal(910n);
    expect(await votes.votableSupply()).to.equal(910n);
    expect(await shares["totalSupply(uint256)"](modelId)).to.equal(1340n);
    expect(await votes.balanceOf(treasury)).to.equal(0n);
    expect(await shares.balanceOf(treasury, modelId)).to.equal(430n);
    await networkHelpers.mine();
    const latest = BigInt(await networkHelpers.time.latest());
    expect(await votes.getPastTotalSupply(latest - 1n)).to.equal(910n);

    // What an indexer rebuilds from the events alone equals what the token answers.
    const logs = await votes.queryFilter(votes.filters.Transfer(), fromBlock);
    const balances = new Map<string, bigint>();
    let supply = 0n;
    for (const { args } of logs) {
      const [from, to, value] = [args.from, args.to, args.value];
      expect([from, to]).to.not.include(treasury, "the treasury never appears");
      if (from === ZERO) supply += value;
      else balances.set(from, (balances.get(from) ?? 0n) - value);
      if (to === ZERO) supply -= value;
      else balances.set(to, (balances.get(to) ?? 0n) + value);
    }
    expect(supply).to.equal(await votes.totalSupply());
    for (const account of [labA, labB, labC, outsider]) {
      expect(balances.get(account.address) ?? 0n).to.equal(await votes.balanceOf(account.address));
      expect(await votes.balanceOf(account.address)).to.equal(await shares.balanceOf(account.address, modelId));
    }
  });
});
