/**
 * `ws snapshot-hub` runs as a user runs it (its own Hardhat process): it listens on 127.0.0.1, accepts a proposal
 * and vote signed by snapshot.js's Client712, prints each answer, serves them back on `GET /api/proposals/<id>`, and
 * stops on SIGTERM sent to its pid. Bad input exits 1 with one line.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

import { expect } from "chai";
import { Wallet } from "ethers";
import hre from "hardhat";

import { SnapshotClient, readCapturedProposal } from "../../governance/snapshot/index.js";
import { runTask } from "./helpers.js";

const cli = path.join("node_modules", "hardhat", "dist", "src", "cli.js");

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe("tasks: ws snapshot-hub", function () {
  this.timeout(120_000);
  let child: ChildProcess | undefined;
  afterEach(async function () {
    if (child?.pid !== undefined && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child!.once("exit", resolve));
    }
  });

  it("accepts signed messages, prints each answer, serves them back, and stops on SIGTERM", async function () {
    const port = await freePort();
    child = spawn(process.execPath, [cli, "ws", "snapshot-hub", "--space", "vision.eth", "--port", String(port)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    for (let i = 0; i < 240 && !out.includes("Ctrl-C to stop"); i++) await new Promise((r) => setTimeout(r, 250));
    expect(out).to.include(`at http://127.0.0.1:${port}/`);

    const url = `http://127.0.0.1:${port}/`;
    const signer = Wallet.createRandom();
    const client = new SnapshotClient(url);
    const now = Math.floor(Date.now() / 1000);
    const id = await client.createProposal(signer, {
      space: "vision.eth",
      title: "t",
      choices: ["a", "b"],
      start: now - 1,
      end: now + 60,
      snapshot: 1,
    });
    await client.vote(signer, { space: "vision.eth", proposal: id, choice: 2 });
    const back = await readCapturedProposal(url, id);
    expect(back.proposal).to.deep.include({ id, space: "vision.eth", choices: ["a", "b"], snapshot: 1 });
    expect(back.votes.map((v) => [v.voter, v.choice])).to.deep.equal([[signer.address, 2]]);
    const refused = await client.vote(signer, { space: "other.eth", proposal: id, choice: 1 }).catch((e: Error) => e);
    expect(String(refused)).to.match(/unknown space/);
    await new Promise((r) => setTimeout(r, 200));
    expect(out).to.match(new RegExp(`accepted ${id} from ${signer.address}`));
    expect(out).to.include(`refused (unknown space) from ${signer.address}`);

    child.kill("SIGTERM");
    const code = await new Promise((resolve) => child!.once("exit", resolve));
    expect(code).to.equal(0);
  });

  it("refuses a bad --space or --port in one line", async function () {
    const bad = await runTask(hre, "snapshot-hub", {
      space: "Bad Space",
      port: "",
      modelId: "",
      deployment: "",
      signer: "",
      json: false,
    });
    expect([bad.exitCode, bad.stderr]).to.deep.equal([
      1,
      'error: --space: expected a Snapshot space id such as vision-7b.eth, got "Bad Space"',
    ]);
    const port = await runTask(hre, "snapshot-hub", {
      space: "ok.eth",
      port: "70000",
      modelId: "",
      deployment: "",
      signer: "",
      json: false,
    });
    expect([port.exitCode, port.stderr]).to.deep.equal([1, "error: --port: expected at most 65535, got 70000"]);
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    const taken = (busy.address() as { port: number }).port;
    try {
      const inUse = await runTask(hre, "snapshot-hub", {
        space: "ok.eth",
        port: String(taken),
        modelId: "",
        deployment: "",
        signer: "",
        json: false,
      });
      expect(inUse.exitCode).to.equal(1);
      expect(inUse.stderr).to.match(new RegExp(`^error: --port: could not listen on 127.0.0.1:${taken}: .*EADDRINUSE`));
    } finally {
      busy.close();
    }
  });
});
