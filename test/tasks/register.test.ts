/**
 * `ws register`'s consortium defaults (a proposal threshold of 1% of the fractions, at least 1, and a 20% quorum,
 * when the members file's `governance` omits them) with the README's examples/members.json, and its refusal of the
 * same account twice (one line, nothing mined) unless `--force`; the content hash of the metadata document, the
 * registry's refusals in plain words, and `--safe` (the Safe registers: a batch, nothing sent).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";
import { keccak256, ZeroHash } from "ethers";
import hre from "hardhat";

import { defaultGovernance } from "../../sdk/index.js";
import { consortiumGovernance } from "../../tasks/register.js";
import { root } from "./cli.js";
import { deployForTasks, expectRefused, runTask, writeMembers, type TaskRun } from "./helpers.js";

describe("tasks: ws register (consortium defaults, duplicate members)", function () {
  let deployment: string;
  let dir: string;
  let accounts: string[];
  const run = (name: string, args: Record<string, unknown>) =>
    runTask(hre, name, { deployment, json: true, signer: "", ...args });
  const ok = (r: TaskRun) => {
    expect(r.exitCode, r.stderr).to.equal(0);
    return JSON.parse(r.stdout);
  };
  async function governorOf(modelId: string) {
    const { ethers } = await hre.network.getOrCreate();
    const shown = ok(await run("model", { modelId }));
    return ethers.getContractAt("ModelGovernor", shown.governor);
  }

  before(async function () {
    ({ deployment, accounts } = await deployForTasks(hre));
    dir = path.dirname(deployment);
  });

  it("1% of the supply, rounded up, at least 1 (never above the supply, as the registry requires)", function () {
    const threshold = (supply: bigint) => consortiumGovernance(supply).proposalThreshold;
    expect([1n, 2n, 99n, 100n, 101n, 1000n, 10n ** 24n].map(threshold)).to.deep.equal([
      1n,
      1n,
      1n,
      1n,
      2n,
      10n,
      10n ** 22n,
    ]);
    for (const supply of [1n, 2n, 150n]) expect(threshold(supply) <= supply).to.equal(true);
    expect(consortiumGovernance(1000n).quorumNumerator).to.equal(20n);
  });

  it("examples/members.json registers three labs with a threshold of 10 and a 20% quorum; the rest as before", async function () {
    const reg = ok(await run("register", { members: path.join(root, "examples", "members.json") }));
    expect(reg).to.deep.include({ proposalThreshold: "10", quorumNumerator: "20" });
    const shown = ok(await run("model", { modelId: reg.modelId }));
    expect(shown.supply).to.equal("1000");
    expect(shown.holders.map((h: { account: string; balance: string }) => [h.account, h.balance])).to.deep.equal([
      [accounts[1], "500"],
      [accounts[2], "300"],
      [accounts[3], "200"],
    ]);
    const governor = await governorOf(reg.modelId);
    expect(await governor.proposalThreshold()).to.equal(10n);
    expect(await governor["quorumNumerator()"]()).to.equal(20n);
    const d = defaultGovernance();
    expect(await governor.votingDelay()).to.equal(d.votingDelay);
    expect(await governor.votingPeriod()).to.equal(d.votingPeriod);
    expect(await governor.lateQuorumVoteExtension()).to.equal(d.lateQuorumExtension);
  });

  it("an outsider with no fractions cannot propose; a member can", async function () {
    const { ethers, networkHelpers } = await hre.network.getOrCreate();
    const block = await ethers.provider.getBlockNumber();
    const outsider = await run("propose", { modelId: "1", action: "allow-eth", description: "x", signer: "5" });
    expect([outsider.exitCode, outsider.stderr]).to.deep.equal([
      1,
      `error: --signer: ${accounts[5]} has 0 votes; proposing needs 10`,
    ]);
    expect(await ethers.provider.getBlockNumber()).to.equal(block, "nothing sent");
    // Proposing counts votes one second before the block (a timestamp clock): at least a second after registration.
    await networkHelpers.time.increase(1);
    ok(await run("propose", { modelId: "1", action: "allow-eth", description: "Accept ETH", signer: "3" }));
  });

  it("a governance block in the members file still wins, zero threshold included", async function () {
    const reg = ok(
      await run("register", {
        members: writeMembers(
          dir,
          [accounts[1]],
          [1000],
          { name: "Explicit", governance: { proposalThreshold: 0, quorumNumerator: 4 } },
          "explicit.json",
        ),
      }),
    );
    expect(reg).to.deep.include({ proposalThreshold: "0", quorumNumerator: "4" });
    const governor = await governorOf(reg.modelId);
    expect(await governor.proposalThreshold()).to.equal(0n);
    expect(await governor["quorumNumerator()"]()).to.equal(4n);
  });

  it("a single fraction: threshold 1, which the registry accepts", async function () {
    const reg = ok(
      await run("register", {
        members: writeMembers(dir, [accounts[1]], [1], { name: "One" }, "one.json"),
      }),
    );
    expect(reg.proposalThreshold).to.equal("1");
    expect(await (await governorOf(reg.modelId)).proposalThreshold()).to.equal(1n);
  });

  it("hashes the metadata document (examples/vision-7b.json, given as metadataFile); zero with no metadataURI", async function () {
    const { ethers } = await hre.network.getOrCreate();
    const registry = await ethers.getContractAt("ModelRegistry", JSON.parse(readFileSync(deployment, "utf8")).registry);
    const document = readFileSync(path.join(root, "examples", "vision-7b.json"));
    expect((await registry.model(1n)).contentHash).to.equal(keccak256(document));
    const bare = ok(
      await run("register", {
        members: writeMembers(dir, [accounts[1]], [5], { name: "Bare" }, "bare.json"),
      }),
    );
    expect((await registry.model(BigInt(bare.modelId))).contentHash).to.equal(ZeroHash);
    const wrong = `0x${"ab".repeat(32)}`;
    const r = await run("register", {
      members: writeMembers(
        dir,
        [accounts[1]],
        [5],
        {
          name: "Wrong",
          metadataURI: "ipfs://vision",
          metadataFile: path.join(root, "examples", "vision-7b.json"),
          contentHash: wrong,
        },
        "wrong.json",
      ),
    });
    expect([r.exitCode, r.stderr]).to.deep.equal([
      1,
      `error: --members: contentHash: ${wrong} is not the keccak256 of the document read from ${path.join(root, "examples", "vision-7b.json")} (${keccak256(document)})`,
    ]);
  });

  it("a registry refusal is one line in plain words, nothing mined; --safe prints the registration as a batch", async function () {
    const { ethers } = await hre.network.getOrCreate();
    const block = await ethers.provider.getBlockNumber();
    const zero = writeMembers(dir, [accounts[1]], [0], { name: "Zero" }, "zero.json");
    const r = await run("register", { members: zero });
    expect([r.exitCode, r.stderr]).to.deep.equal([
      1,
      `error: --members: refused by the contract: members[0] (${accounts[1]}, amount 0) is not a valid member [ModelRegistryInvalidMember(0, ${accounts[1]}, 0)]`,
    ]);
    const registry = JSON.parse(readFileSync(deployment, "utf8")).registry as string;
    const vault = JSON.parse(readFileSync(deployment, "utf8")).vault as string; // any contract stands in for a Safe
    const one = writeMembers(dir, [accounts[1]], [5], { name: "Safe" }, "safe.json");
    const batch = ok(await run("register", { members: one, safe: vault }));
    expect(batch.transactions.map((t: { to: string }) => t.to)).to.deep.equal([registry]);
    expect(batch.meta.description).to.equal("registerModel");
    expect(await ethers.provider.getBlockNumber()).to.equal(block, "nothing sent");
  });

  it("a members file with a JSON syntax error: its line and column, one line, exit 1, nothing mined", async function () {
    const bad = path.join(dir, "bad.json");
    // The fourth line misses the comma between "account" and "amount" (the 24th character is where it is missing).
    writeFileSync(
      bad,
      `{\n  "name": "Bad",\n  "members": [\n    { "account": "${accounts[1]}" "amount": 5 }\n  ]\n}\n`,
    );
    const column = `    { "account": "${accounts[1]}" `.length + 1;
    await expectRefused(
      run,
      "register",
      { members: bad },
      `error: --members: expected valid JSON in "${bad}": line 4, column ${column}: Expected ',' or '}' after property value`,
    );
  });

  describe("the same account twice", function () {
    const twice = () =>
      writeMembers(
        dir,
        [accounts[1], accounts[2], accounts[1].toLowerCase()],
        [500, 300, 200],
        { name: "Twice" },
        "twice.json",
      );

    it("is refused in one line naming both entries, and nothing is mined", async function () {
      await expectRefused(
        run,
        "register",
        { members: twice() },
        `error: --members: members[2].account ${accounts[1]} appears twice (members[0]); merge them; pass --force to send it anyway`,
      );
    });

    it("--force registers it as written: the account holds both amounts", async function () {
      const reg = ok(await run("register", { members: twice(), force: true }));
      const shown = ok(await run("model", { modelId: reg.modelId }));
      const holders = new Map(
        shown.holders.map((h: { account: string; balance: string }) => [h.account, h.balance] as const),
      );
      expect(holders.get(accounts[1])).to.equal("700");
      expect(holders.get(accounts[2])).to.equal("300");
    });
  });
});
