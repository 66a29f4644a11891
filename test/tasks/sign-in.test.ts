/**
 * `ws sign-in` (issue #12) against the in-process gateway: a licensee's Hardhat signer gets a token that the real
 * `@huggingface/hub` client then downloads with (as HF_TOKEN would be used), printed with the HF_ENDPOINT/HF_TOKEN
 * lines; `--json` gives the same token; a bad or silent gateway is one line naming --gateway.
 */
import { downloadFile } from "@huggingface/hub";
import { expect } from "chai";
import hre from "hardhat";

import { clientWorld } from "../gateway/client/world.js";
import type { GatewayWorld } from "../gateway/server/fixture.js";
import { freePort } from "./cli.js";
import { runTask } from "./helpers.js";

const connection = await hre.network.getOrCreate();

describe("ws sign-in", function () {
  this.timeout(120_000);
  let world: GatewayWorld;
  let licensee: string;

  before(async function () {
    world = await clientWorld(connection);
    licensee = String((await connection.ethers.getSigners()).findIndex((s) => s.address === world.licensee.address));
  });
  after(async function () {
    await world?.close();
  });

  it("prints HF_ENDPOINT and HF_TOKEN lines whose token the Hugging Face client downloads with", async function () {
    const r = await runTask(hre, "sign-in", { gateway: world.url, signer: licensee, json: false });
    expect(r.exitCode, r.stderr).to.equal(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).to.match(
      new RegExp(`^signed in to ${world.url} as ${world.licensee.address}; the token is valid`),
    );
    expect(lines[1]).to.equal(`export HF_ENDPOINT=${world.url}`);
    const token = lines[2].replace(/^export HF_TOKEN=/, "");
    expect(token).to.match(/^hf_/);
    const blob = await downloadFile({
      repo: `weightshare/${world.modelId}`,
      path: "config.json",
      hubUrl: world.url,
      accessToken: token,
    });
    expect(Buffer.from(await blob!.arrayBuffer()).equals(world.files.get("config.json")!)).to.equal(true);
  });

  it("gives the token, address and expiry as JSON with --json", async function () {
    const r = await runTask(hre, "sign-in", { gateway: world.url, signer: licensee, json: true });
    expect(r.exitCode, r.stderr).to.equal(0);
    const json = JSON.parse(r.stdout) as { address: string; token: string; expiresAt: string; gateway: string };
    expect(json).to.include({ address: world.licensee.address, gateway: world.url });
    expect(json.token).to.match(/^hf_/);
    expect(Date.parse(json.expiresAt)).to.be.greaterThan(Date.now());
  });

  it("refuses a missing, malformed or silent gateway in one line naming --gateway", async function () {
    for (const gateway of ["", "not a url", `http://127.0.0.1:${await freePort()}`]) {
      const r = await runTask(hre, "sign-in", { gateway, signer: licensee, json: false });
      expect([r.exitCode, r.stdout], r.stderr).to.deep.equal([1, ""]);
      expect(r.stderr).to.match(/^error: --gateway: /);
      expect(r.stderr.trim().split("\n")).to.have.length(1);
    }
  });
});
