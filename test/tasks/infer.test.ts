/**
 * `ws infer` (issue #13) against an in-process gateway with metered inference on the tasks' shared simulated chain:
 * a licensee's Hardhat signer calls the ONNX model with a nested array (exact mode: a receipt signed per call), sees
 * the model's answer, what it cost and what is left; `--authorise` signs a cap ahead for unmodified clients; refusals
 * are one line naming the option, and nothing is charged.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { gatewayContext } from "../../gateway/server/app.js";
import { linearExpected } from "../helpers/onnx-model.js";
import { deploymentOf } from "../helpers/fixtures.js";
import { inferenceWorld, type InferenceWorld } from "../gateway/inference/world.js";
import { runTask } from "./helpers.js";

const connection = await hre.network.getOrCreate();

describe("ws infer", function () {
  this.timeout(120_000);
  let world: InferenceWorld;
  let dir: string;
  let deploymentFile: string;
  let licensee: string;
  let outsider: string;

  before(async function () {
    world = await inferenceWorld(connection);
    // The client signs in for the host it talks to: the gateway's domain is its URL's host, as deployed.
    const ctx = gatewayContext(world.app);
    ctx.domain = new URL(world.url).host;
    ctx.tokenScope.domain = ctx.domain;
    dir = await mkdtemp(path.join(tmpdir(), "ws-infer-"));
    deploymentFile = path.join(dir, "deployment.json");
    await writeFile(deploymentFile, JSON.stringify(await deploymentOf(world.protocol)));
    const accounts = (await connection.ethers.getSigners()).map((s) => s.address);
    licensee = String(accounts.indexOf(world.licensee.address));
    outsider = String(accounts.indexOf(world.outsider.address));
  });
  after(async function () {
    await world?.close();
    await rm(dir, { recursive: true, force: true });
  });

  function args(overrides: Record<string, unknown> = {}) {
    return {
      modelId: String(world.modelId),
      gateway: world.url,
      input: "",
      prompt: "",
      maxTokens: "",
      authorise: "",
      deployment: deploymentFile,
      signer: licensee,
      json: false,
      ...overrides,
    };
  }

  async function served(): Promise<bigint> {
    return (await world.ledger.licence(world.licenceId))?.served ?? 0n;
  }

  it("calls the ONNX model with a nested array, signing a receipt for exactly this call", async function () {
    const before = await served();
    const r = await runTask(hre, "infer", args({ input: "[[1,2,3],[0,0,1]]" }));
    expect(r.exitCode, r.stderr).to.equal(0);
    const [output, cost] = r.stdout.split("\n");
    const expected = linearExpected([
      [1, 2, 3],
      [0, 0, 1],
    ]).flat();
    expect(output).to.equal(`y [2x2]: ${JSON.stringify(expected)}`);
    expect(cost).to.match(
      new RegExp(`^charged 2 credits to licence #${world.licenceId}; used ${before + 2n} in all, `),
    );
    expect(await served()).to.equal(before + 2n);
    const usage = await world.ledger.licence(world.licenceId);
    expect(usage?.cap).to.equal(before + 2n);
  });

  it("--json gives the answer and the figures", async function () {
    const r = await runTask(hre, "infer", args({ input: "[[1,1,1]]", json: true }));
    expect(r.exitCode, r.stderr).to.equal(0);
    const json = JSON.parse(r.stdout) as { answer: { outputs: unknown[] }; charged: string; creditsLeft: string };
    expect(json.charged).to.equal("2");
    expect(json.answer.outputs).to.have.length(1);
  });

  it("--authorise signs a cap ahead and prints the OpenAI client settings", async function () {
    const before = await served();
    const r = await runTask(hre, "infer", args({ authorise: "10" }));
    expect(r.exitCode, r.stderr).to.equal(0);
    expect(r.stdout).to.include(`running total authorised up to ${before + 10n} credits (10 left to use;`);
    expect(r.stdout).to.include(`OPENAI_BASE_URL=${world.url}/v1`);
  });

  it("refuses in one line, charging nothing: no mode, two modes, bad JSON, a non-licensee", async function () {
    const before = await served();
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{}, /^--input: expected exactly one of --input/],
      [{ input: "[[1,2,3]]", prompt: "hi" }, /^--input: expected exactly one of/],
      [{ input: "[[1,2" }, /^--input: expected JSON/],
      [{ input: "[[1,2],[3]]" }, /^--input: the nested arrays are not rectangular/],
      [{ authorise: "0" }, /^--authorise: expected a number of credits above 0/],
      [{ input: "[[1,2,3]]", signer: outsider }, /^--gateway: Licence required: .* holds no licence of model/],
      [{ input: "[[1,2,3,4]]" }, /^--gateway: .*x/],
    ];
    for (const [overrides, message] of cases) {
      const r = await runTask(hre, "infer", args(overrides));
      expect([r.exitCode, r.stdout], r.stderr).to.deep.equal([1, ""]);
      expect(r.stderr.trim().split("\n"), r.stderr).to.have.length(1);
      expect(r.stderr.trim().replace(/^error: /, "")).to.match(message);
    }
    expect(await served()).to.equal(before);
  });
});
