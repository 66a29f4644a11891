/**
 * The README's local walkthrough, run as written: its two bash blocks, with bash, against `hardhat node` on a free
 * loopback port, from registration to the treasury paying a contributor in an ERC-20, then publishing the model's
 * files, the gateway, and a licensee downloading them (and an outsider refused). Then the balances it must end
 * with, read from the chain, and the downloaded files. A deployment record the developer had for chain 31337 is put
 * back afterwards; the gateway's data directory is a temporary one.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { Contract, Interface, JsonRpcProvider } from "ethers";
import hre from "hardhat";

import { cleanEnv, cli, freePort, root, waitForRpc } from "../tasks/cli.js";

/** The second and third bash blocks of the section "A local node, driven by tasks" (the first starts the node). */
function walkthrough(): string {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## A local node, driven by tasks"));
  const blocks = [...section.matchAll(/```bash\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks[0]).to.match(/^npm run node/);
  expect(blocks[2]).to.match(/^export WEIGHTSHARE_GATEWAY_KEK/);
  return `${blocks[1]}\n${blocks[2]}`;
}

/** Whether `url` stops answering within `tries` seconds (a graceful shutdown lets downloads finish first). */
async function stopsAnswering(url: string, tries: number): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    const answered = await fetch(url).then(
      () => true,
      () => false,
    );
    if (!answered) return true;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return false;
}

/** What the walkthrough leaves in the working tree (both git-ignored), removed after the test. */
const LEFT_BEHIND = ["vision-7b", "gateway.log"];

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

  it("registers, allows USDC, sells a licence in it, splits the revenue, pays a contributor, serves the files to the licensee only", async function () {
    const script = `set -eo pipefail\n${walkthrough()}\necho "USDC=$USDC"\n`;
    const dataDir = mkdtempSync(path.join(tmpdir(), "ws-readme-gateway-"));
    const r = spawnSync("bash", ["-c", script], {
      cwd: root,
      env: { ...cleanEnv(), WEIGHTSHARE_LOCALHOST_URL: url, FORCE_COLOR: "0", WEIGHTSHARE_DATA_DIR: dataDir },
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

    // The model's files: the licensee's copy is byte-identical; account 7 was refused, in one line naming the option.
    try {
      for (const file of [
        "README.md",
        "config.json",
        "model.safetensors",
        "onnx/classifier.onnx",
        "preprocessor_config.json",
      ]) {
        const original = readFileSync(path.join(root, "examples", "vision-7b-model", file));
        expect(readFileSync(path.join(root, "vision-7b", file)).equals(original), file).to.equal(true);
      }
      expect(r.stdout).to.match(/^5$/m); // the repo's five files, listed by the Hub API
      expect(r.stdout).to.contain("account 7: refused");
      // ws infer: the classifier's answer, 1 credit charged; the settler's batch then shows on chain.
      expect(r.stdout).to.match(/^logits \[1x3\]: \[/m);
      expect(r.stdout).to.match(/^charged 1 credits to licence #1; used 1 in all, 999 credits left/m);
      expect(r.stdout).to.match(
        /licence #1: live, .* 999 credits left, 1 credits settled, receipts authorise up to 1 credits/,
      );
      expect(r.stderr).to.match(/error: --model-id: 0x[0-9a-fA-F]{40} has no live licence .* of model #1/);
      // `kill $gateway` stopped it (npm run gateway execs the task, so the signal reaches it): the port closes.
      expect(await stopsAnswering("http://127.0.0.1:8484/healthz", 30)).to.equal(true);
    } finally {
      for (const left of LEFT_BEHIND) rmSync(path.join(root, left), { recursive: true, force: true });
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
