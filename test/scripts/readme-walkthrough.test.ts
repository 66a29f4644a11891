/**
 * The README's local walkthrough, run as written: its bash block, with bash, against `hardhat node` on a free
 * loopback port, from registration to the treasury paying a contributor in an ERC-20. Then the balances it must
 * end with, read from the chain. A deployment record the developer had for chain 31337 is put back afterwards.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";
import { Contract, Interface, JsonRpcProvider } from "ethers";
import hre from "hardhat";

import { cleanEnv, cli, freePort, root, waitForRpc } from "../tasks/cli.js";

/** The second bash block of the section "A local node, driven by tasks" (the first starts the node). */
function walkthrough(): string {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## A local node, driven by tasks"));
  const blocks = [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks[0]).to.match(/^npm run node/);
  return blocks[1];
}

const ERC20 = new Interface(["function balanceOf(address) view returns (uint256)"]);

describe("README: the local walkthrough, run as written", function () {
  // About 45 CLI runs of a few seconds each. Outcomes are asserted, never time.
  this.timeout(900_000);
  const records = path.join(root, "deploy", "deployments", "chain-31337");
  const saved = `${records}.saved-by-readme-test-${process.pid}`;
  let node: ChildProcess | undefined;
  let url = "";

  before(async function () {
    if (existsSync(records)) renameSync(records, saved);
    url = `http://127.0.0.1:${await freePort()}`;
    node = spawn(process.execPath, [cli, "node", "--hostname", "127.0.0.1", "--port", url.split(":")[2]], {
      cwd: root,
      stdio: "ignore",
    });
    await waitForRpc(url, 60_000);
  });

  after(function () {
    if (node?.pid !== undefined) process.kill(node.pid); // stopped by its own pid
    rmSync(records, { recursive: true, force: true });
    if (existsSync(saved)) renameSync(saved, records);
  });

  it("registers, allows USDC, sells a licence in it, splits the revenue and pays a contributor from the treasury", async function () {
    const script = `set -eo pipefail\n${walkthrough()}\necho "USDC=$USDC"\n`;
    const r = spawnSync("bash", ["-c", script], {
      cwd: root,
      env: { ...cleanEnv(), WEIGHTSHARE_LOCALHOST_URL: url, FORCE_COLOR: "0" },
      encoding: "utf8",
      input: "",
    });
    expect(r.status, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`).to.equal(0);
    expect(r.stderr).to.not.match(/HHE\d+|Error:|please report/);
    const usdc = /USDC=(0x[0-9a-fA-F]{40})/.exec(r.stdout)?.[1];
    expect(usdc, r.stdout.slice(-2000)).to.not.equal(undefined);

    const provider = new JsonRpcProvider(url);
    const token = new Contract(usdc!, ERC20, provider);
    const addresses = JSON.parse(readFileSync(path.join(records, "deployed_addresses.json"), "utf8"));
    const { abi } = await hre.artifacts.readArtifact("ModelRegistry");
    const registry = new Contract(addresses["Weightshare#ModelRegistry"], abi, provider);
    const treasury = (await registry.model(1n)).timelock as string;
    const usd = (n: number) => BigInt(n) * 10n ** 6n;
    // The licence: 120 USDC. Contributors 20% (24: the data lab 3/4, the evaluator 1/4), holders 50%, treasury 30%.
    expect(await token.balanceOf("0x976EA74026E726554dB657fA54763abd0C3a0aa9")).to.equal(usd(5000 - 120));
    expect(await token.balanceOf("0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65")).to.equal(usd(18));
    // The treasury released its 36 USDC and paid the evaluator 30 of it by vote.
    expect(await token.balanceOf("0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc")).to.equal(usd(30));
    expect(await token.balanceOf(treasury)).to.equal(usd(6));
    // Lab 1 claimed its 500/1000 of the holders' 60 once they had unlocked.
    expect(await token.balanceOf("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")).to.equal(usd(30));
    provider.destroy();
  });
});
