/**
 * Tally indexes ERC-20/ERC-721-shaped EIP-5805 tokens. These tests hold the compiled ModelVotes ABI to every
 * event and function Tally reads, with topic hashes and selectors equal to OpenZeppelin's ERC20Votes compiled in
 * the same build, so a change that would break indexing fails here.
 */
import { expect } from "chai";
import { Interface } from "ethers";
import hre from "hardhat";

/** What Tally reads from a governance token (TOOLCHAIN.md, Integrations; Tally's "add a DAO" requirements). */
export const TALLY_TOKEN_EVENTS = ["DelegateChanged", "DelegateVotesChanged", "Transfer"] as const;
export const TALLY_TOKEN_FUNCTIONS = [
  "delegate",
  "delegateBySig",
  "delegates",
  "getVotes",
  "getPastVotes",
  "getPastTotalSupply",
  "name",
  "symbol",
  "decimals",
  "totalSupply",
  "balanceOf",
  "nonces",
  "clock",
  "CLOCK_MODE",
] as const;

describe("ModelVotes ABI conformance (Tally, OZ ERC20Votes)", function () {
  let ours: Interface;
  let oz: Interface;

  before(async function () {
    ours = new Interface((await hre.artifacts.readArtifact("ModelVotes")).abi);
    oz = new Interface((await hre.artifacts.readArtifact("BaselineERC20Votes")).abi);
  });

  for (const name of TALLY_TOKEN_EVENTS) {
    it(`emits ${name} with ERC20Votes' exact signature and indexed fields`, function () {
      const mine = ours.getEvent(name);
      const theirs = oz.getEvent(name);
      expect(mine, `${name} missing`).to.not.equal(null);
      expect(mine!.topicHash).to.equal(theirs!.topicHash);
      expect(mine!.inputs.map((i) => [i.type, i.indexed])).to.deep.equal(
        theirs!.inputs.map((i) => [i.type, i.indexed]),
      );
    });
  }

  for (const name of TALLY_TOKEN_FUNCTIONS) {
    it(`has ${name} with ERC20Votes' selector and return types`, function () {
      const mine = ours.getFunction(name);
      const theirs = oz.getFunction(name);
      expect(mine, `${name} missing`).to.not.equal(null);
      expect(mine!.selector).to.equal(theirs!.selector);
      expect(mine!.outputs.map((o) => o.type)).to.deep.equal(theirs!.outputs.map((o) => o.type));
    });
  }

  it("uses OZ's errors for expired signatures, used nonces and future lookups", function () {
    for (const error of ["VotesExpiredSignature", "InvalidAccountNonce", "ERC5805FutureLookup"]) {
      expect(ours.getError(error)!.selector).to.equal(oz.getError(error)!.selector);
    }
  });

  it("has the EIP-712 Delegation typehash and ERC-5267 eip712Domain of OZ Votes", async function () {
    const { ethers } = await hre.network.create();
    const baseline = await ethers.deployContract("BaselineERC20Votes");
    const votesImpl = await ethers.deployContract("ModelVotes");
    expect(await votesImpl.DELEGATION_TYPEHASH()).to.equal(
      ethers.id("Delegation(address delegatee,uint256 nonce,uint256 expiry)"),
    );
    expect(ours.getFunction("eip712Domain")!.selector).to.equal(
      baseline.interface.getFunction("eip712Domain").selector,
    );
  });
});
