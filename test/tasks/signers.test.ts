/**
 * Several signers per real network (tasks/lib/signers.ts): `<PREFIX>_SIGNERS=LAB_A,LAB_B` adds
 * `<PREFIX>_PRIVATE_KEY_LAB_A`, ... as accounts 1, 2, ...; `--signer` takes an index, an address among the accounts
 * or a name. The address form and a bad value are then run through a task on the simulated chain.
 */
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import {
  networkPrefix,
  parseSignerNames,
  signerIndex,
  signerKeyVariables,
  signerNamesOf,
} from "../../tasks/lib/signers.js";
import { cli, run } from "./cli.js";
import { deployForTasks, runTask, writeMembers } from "./helpers.js";

const accounts = [
  "0x1000000000000000000000000000000000000000",
  "0x2000000000000000000000000000000000000000",
  "0x3000000000000000000000000000000000000000",
];

describe("tasks: several signers per network (tasks/lib/signers.ts)", function () {
  it("names each network's variables by its prefix", function () {
    expect(["sepolia", "baseSepolia", "optimismSepolia", "arbitrum"].map(networkPrefix)).to.deep.equal([
      "SEPOLIA",
      "BASE_SEPOLIA",
      "OPTIMISM_SEPOLIA",
      "ARBITRUM",
    ]);
    expect(signerKeyVariables("SEPOLIA", ["LAB_A", "LAB_B"])).to.deep.equal([
      "SEPOLIA_PRIVATE_KEY",
      "SEPOLIA_PRIVATE_KEY_LAB_A",
      "SEPOLIA_PRIVATE_KEY_LAB_B",
    ]);
    expect(signerKeyVariables("SEPOLIA", [])).to.deep.equal(["SEPOLIA_PRIVATE_KEY"]);
  });

  it("reads names from <PREFIX>_SIGNERS and refuses what is not a name, or a name twice", function () {
    expect(parseSignerNames("SEPOLIA", undefined)).to.deep.equal({ names: [] });
    expect(parseSignerNames("SEPOLIA", " LAB_A, LAB_B ,")).to.deep.equal({ names: ["LAB_A", "LAB_B"] });
    expect(parseSignerNames("SEPOLIA", "LAB_A,lab-b")).to.deep.equal({
      error: 'error: SEPOLIA_SIGNERS: "lab-b" is not a signer name (a letter, then letters, digits or _)',
    });
    expect(parseSignerNames("SEPOLIA", "1")).to.have.property("error");
    expect(parseSignerNames("BASE", "LAB_A,LAB_A")).to.deep.equal({
      error: 'error: BASE_SIGNERS: "LAB_A" appears twice',
    });
    expect(signerNamesOf("baseSepolia", { BASE_SEPOLIA_SIGNERS: "LAB_A,LAB_B" })).to.deep.equal(["LAB_A", "LAB_B"]);
    expect(signerNamesOf("sepolia", { BASE_SEPOLIA_SIGNERS: "LAB_A" })).to.deep.equal([]);
  });

  it("maps --signer to an account: index, address (any case), or name i → account i + 1", function () {
    const names = ["LAB_A", "LAB_B"];
    expect(signerIndex("", accounts, names)).to.equal(0);
    expect(signerIndex("2", accounts, names)).to.equal(2);
    expect(signerIndex("LAB_A", accounts, names)).to.equal(1);
    expect(signerIndex("LAB_B", accounts, names)).to.equal(2);
    expect(signerIndex(accounts[2], accounts, names)).to.equal(2);
    expect(signerIndex(accounts[1].toUpperCase().replace("0X", "0x"), accounts, names)).to.equal(1);
  });

  it("says what it accepts otherwise", function () {
    const names = ["LAB_A", "LAB_B"];
    expect(signerIndex("x", accounts, names)).to.equal(
      'expected an account index 0..2, one of its addresses or a signer name (LAB_A, LAB_B), got "x"',
    );
    expect(signerIndex("lab_a", accounts, names)).to.match(/got "lab_a"$/);
    expect(signerIndex("0x4000000000000000000000000000000000000000", accounts)).to.equal(
      'expected an account index 0..2 or one of its addresses, got "0x4000000000000000000000000000000000000000"',
    );
    expect(signerIndex("3", accounts, names)).to.equal("expected at most 2, got 3");
    // A name whose key is not among the accounts (fewer accounts than names) is not an account.
    expect(signerIndex("LAB_B", accounts.slice(0, 2), names)).to.match(/^expected an account index 0\.\.1, /);
  });

  it("the config adds one key variable per name, and refuses a bad name in one line", async function () {
    this.timeout(120_000);
    // A fresh load of the configuration with SEPOLIA_SIGNERS set: its sepolia accounts are configuration variables.
    process.env.SEPOLIA_SIGNERS = "LAB_A,LAB_B";
    try {
      const fresh = (await import(`../../hardhat.config.js?signers=${Date.now()}`)) as {
        default: { networks: Record<string, { accounts: { name: string }[] }> };
      };
      expect(fresh.default.networks.sepolia.accounts.map((a) => a.name)).to.deep.equal([
        "SEPOLIA_PRIVATE_KEY",
        "SEPOLIA_PRIVATE_KEY_LAB_A",
        "SEPOLIA_PRIVATE_KEY_LAB_B",
      ]);
      expect(fresh.default.networks.mainnet.accounts.map((a) => a.name)).to.deep.equal(["MAINNET_PRIVATE_KEY"]);
    } finally {
      delete process.env.SEPOLIA_SIGNERS;
    }
    const bad = run([cli, "ws", "advance", "--seconds", "1"], { SEPOLIA_SIGNERS: "LAB A" });
    expect([bad.status, bad.stdout, bad.stderr]).to.deep.equal([
      1,
      "",
      'error: SEPOLIA_SIGNERS: "LAB A" is not a signer name (a letter, then letters, digits or _)\n',
    ]);
  });

  describe("through a task on the simulated chain", function () {
    let deployment: string;
    let signers: string[];
    before(async function () {
      ({ deployment, accounts: signers } = await deployForTasks(hre));
      const members = writeMembers(path.dirname(deployment), signers.slice(1, 3), [600, 400], {
        name: "Signers",
        symbol: "SIG",
      });
      const r = await runTask(hre, "register", { members, deployment, signer: "", json: true });
      expect(r.exitCode, r.stderr).to.equal(0);
    });
    const revenue = (signer: string) =>
      runTask(hre, "revenue", { modelId: "1", account: "", deployment, signer, json: true });

    it("--signer ADDRESS sends as that account", async function () {
      const r = await revenue(signers[3].toLowerCase());
      expect(r.exitCode, r.stderr).to.equal(0);
      expect(JSON.parse(r.stdout).account).to.equal(signers[3]);
    });

    it("a name or an address not configured is one line, exit 1", async function () {
      const last = signers.length - 1;
      const name = await revenue("LAB_A");
      expect([name.exitCode, name.stderr]).to.deep.equal([
        1,
        `error: --signer: expected an account index 0..${last} or one of its addresses, got "LAB_A"`,
      ]);
      const stranger = "0x000000000000000000000000000000000000dEaD";
      const other = await revenue(stranger);
      expect(other.stderr).to.equal(
        `error: --signer: expected an account index 0..${last} or one of its addresses, got "${stranger}"`,
      );
    });
  });
});
