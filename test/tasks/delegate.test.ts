/**
 * `ws delegate`: sent through the simulating send path, and refused (one line, exit 1, nothing mined) unless
 * `--force` when it costs gas for nothing or likely unmeant: no fractions, the zero address, the same delegate.
 */
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import hre from "hardhat";

import { deployForTasks, expectRefused, runTask, type TaskRun } from "./helpers.js";
import { registerWithTask } from "./models-setup.js";

describe("tasks: ws delegate (warnings and --force)", function () {
  let deployment: string;
  let accounts: string[];
  let addresses: Record<string, string>;
  const run = (args: Record<string, unknown>, name = "delegate") =>
    runTask(hre, name, { deployment, json: true, signer: "", force: false, ...args });
  const ok = (r: TaskRun) => {
    expect(r.exitCode, r.stderr).to.equal(0);
    return JSON.parse(r.stdout);
  };
  const refused = (args: Record<string, unknown>) => expectRefused((name, a) => run(a, name), "delegate", args);
  async function forced(args: Record<string, unknown>): Promise<string> {
    const { ethers } = await hre.network.getOrCreate();
    const block = await ethers.provider.getBlockNumber();
    const r = await run({ ...args, force: true, json: false });
    expect([r.exitCode, r.stderr]).to.deep.equal([0, ""]);
    expect(await ethers.provider.getBlockNumber()).to.equal(block + 1, "sent");
    return r.stdout;
  }
  const votes = async () => {
    const { ethers } = await hre.network.getOrCreate();
    const registry = await ethers.getContractAt("ModelRegistry", addresses.registry);
    return ethers.getContractAt("ModelVotes", (await registry.model(1n)).votes);
  };

  before(async function () {
    ({ deployment, accounts, addresses } = await deployForTasks(hre));
    await registerWithTask(hre, deployment, {
      name: "Vision-7B",
      symbol: "wsVIS",
      members: [
        { account: accounts[1], amount: 500 },
        { account: accounts[2], amount: 300 },
      ],
    });
  });

  it("delegates a holder's votes, saying how many fractions they carry", async function () {
    const out = ok(await run({ modelId: "1", to: accounts[2], signer: "1" }));
    expect(out).to.deep.equal({
      modelId: "1",
      delegator: accounts[1],
      delegate: accounts[2],
      previousDelegate: accounts[1], // self-delegated from its first fractions
      fractions: "500",
      fractionsText: "500 wsVIS",
      votes: "800",
    });
    const text = await run({ modelId: "1", to: accounts[1], signer: "1", json: false });
    expect(text.stdout).to.equal(
      `${accounts[1]} now delegates its 500 wsVIS of model #1 to ${accounts[1]} (500 votes in all)`,
    );
  });

  it("refuses the zero address (an opt-out) unless --force", async function () {
    expect(await refused({ modelId: "1", to: ZeroAddress, signer: "2" })).to.equal(
      "error: --to: delegating to the zero address removes your votes (an opt-out); pass --force to send it anyway",
    );
    expect(await forced({ modelId: "1", to: ZeroAddress, signer: "2" })).to.equal(
      `${accounts[2]} opted out of voting in model #1: its 300 wsVIS count for nobody until it delegates again`,
    );
    const v = await votes();
    expect([await v.delegates(accounts[2]), await v.getVotes(accounts[2])]).to.deep.equal([ZeroAddress, 0n]);
  });

  it("refuses delegating with no fractions unless --force; the choice then applies to fractions received", async function () {
    expect(await refused({ modelId: "1", to: accounts[1], signer: "5" })).to.equal(
      `error: --model-id: ${accounts[5]} holds no fractions of model #1; delegating does nothing until you hold fractions; pass --force to send it anyway`,
    );
    expect(await forced({ modelId: "1", to: accounts[1], signer: "5" })).to.equal(
      `${accounts[5]} now delegates its 0 wsVIS of model #1 to ${accounts[1]} (500 votes in all)`,
    );
    const sent = ok(await run({ modelId: "1", to: accounts[5], amount: "50", signer: "1" }, "transfer"));
    expect(sent.transfers[0].toDelegate).to.equal(accounts[1]);
    expect(await (await votes()).getVotes(accounts[1])).to.equal(500n);
  });

  it("refuses delegating to the current delegate again unless --force", async function () {
    expect(await refused({ modelId: "1", to: accounts[1], signer: "1" })).to.equal(
      `error: --to: ${accounts[1]} already delegates its model #1 votes to ${accounts[1]}; this changes nothing; pass --force to send it anyway`,
    );
  });

  const bad: [Record<string, unknown>, string][] = [
    [{ modelId: "1", to: "" }, "error: --to: expected the delegate's address (your own to vote yourself)"],
    [{ modelId: "1", to: "0xnope" }, 'error: --to: expected a 0x-prefixed 20-byte address, got "0xnope"'],
    [
      { modelId: "2", to: "0x0000000000000000000000000000000000000001" },
      "error: --model-id: expected an existing model id (1..1), got 2",
    ],
  ];
  for (const [args, message] of bad) {
    it(`refuses ${JSON.stringify(args)}`, async function () {
      expect(await refused({ signer: "1", ...args })).to.equal(message);
    });
  }
});
