/**
 * Metering end to end through a real gateway, with the built-in ONNX runner answering Open Inference Protocol calls
 * on Hardhat's simulated chain and an SQLite ledger: exact receipts per call, a cap signed ahead, credits and
 * authorisation exhausted (402 with the figures, nothing charged), lapsed and missing licences (403), receipts for
 * another chain, licence or gateway, replayed or below what was used, and the gateway's signed record of each call.
 */
import { expect } from "chai";
import { Signature } from "ethers";
import hre from "hardhat";

import { verifyUsageRecord } from "../../../gateway/metering/signed-usage.js";
import type { UsageRecord } from "../../../gateway/ledger/ledger.js";
import { problemOf, signIn } from "../server/fixture.js";
import { inferenceCard, inferenceWorld, type InferenceWorld } from "../inference/world.js";

const connection = await hre.network.create();

async function json(response: Response, status = 200): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text.slice(0, 400)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The problem's kind: the last part of its `type` URI. */
function kindOf(problem: Record<string, unknown>): string {
  return String(problem.type).split("/").pop() ?? "";
}

async function ledgerFigures(world: InferenceWorld) {
  const state = await world.ledger.licence(world.licenceId);
  return { served: state?.served ?? 0n, reserved: state?.reserved ?? 0n, cap: state?.cap ?? 0n };
}

describe("metering: licensed, metered inference (ONNX runner, SQLite ledger)", function () {
  this.timeout(120_000);
  let world: InferenceWorld;

  afterEach(async () => {
    await world?.close();
  });

  it("exact mode: a receipt per call authorises that call; the answer is the model's, charged at the published rate", async () => {
    world = await inferenceWorld(connection);
    const response = await world.infer({ receipt: await world.receipt(world.licensee, world.licenceId, 2n) });
    const body = await json(response);
    const outputs = body.outputs as Array<{ name: string; data: number[] }>;
    expect(outputs[0].data).to.have.length(2);
    expect(response.headers.get("x-weightshare-licence")).to.equal(world.licenceId.toString());
    expect(await ledgerFigures(world)).to.deep.equal({ served: 2n, reserved: 0n, cap: 2n });
    // The next call needs a receipt for the next running total.
    const refused = await problemOf(await world.infer(), 402);
    expect(kindOf(refused)).to.equal("authorisation-exhausted");
    expect(refused).to.include({ authorised: "2", used: "2", cost: "2" });
    await json(await world.infer({ receipt: await world.receipt(world.licensee, world.licenceId, 4n) }));
    expect((await ledgerFigures(world)).served).to.equal(4n);
    const metrics = await (await fetch(`${world.url}/metrics`)).text();
    expect(metrics).to.contain('weightshare_gateway_credits_charged_total{route="oip:infer"} 4');
    expect(metrics).to.contain('weightshare_gateway_inference_calls_total{route="oip:infer",outcome="served"} 2');
    expect(metrics).to.contain('weightshare_gateway_inference_calls_total{route="oip:infer",outcome="402"} 1');
  });

  it("capped mode: a cap signed ahead serves calls until it is used up, and never beyond", async () => {
    world = await inferenceWorld(connection);
    const accepted = await json(await world.authorise(await world.receipt(world.licensee, world.licenceId, 7n)));
    expect((accepted.licence as Record<string, unknown>).authorised).to.equal("7");
    for (let i = 0; i < 3; i++) await json(await world.infer());
    const refused = await problemOf(await world.infer(), 402);
    expect(kindOf(refused)).to.equal("authorisation-exhausted");
    expect(refused).to.include({ authorised: "7", used: "6", cost: "2" });
    expect(await ledgerFigures(world)).to.deep.equal({ served: 6n, reserved: 0n, cap: 7n });
  });

  it("credits exhausted: 402 with the credits left, the call's cost and how to renew; nothing charged", async () => {
    world = await inferenceWorld(connection, {
      card: inferenceCard("runtime: onnx\n    file: onnx/model.onnx\n    credits_per_call: 400"),
    });
    await json(await world.authorise(await world.receipt(world.licensee, world.licenceId, 5000n)));
    await json(await world.infer());
    await json(await world.infer());
    const refused = await problemOf(await world.infer(), 402);
    expect(kindOf(refused)).to.equal("credits-exhausted");
    expect(refused).to.include({ creditsLeft: "200", cost: "400" });
    expect(String(refused.detail)).to.include(`ws renew --licence-id ${world.licenceId}`);
    expect((await ledgerFigures(world)).served).to.equal(800n);
  });

  it("GET /usage lists each charged call with the gateway operator's signature over it", async () => {
    world = await inferenceWorld(connection);
    await json(await world.authorise(await world.receipt(world.licensee, world.licenceId, 10n)));
    await json(await world.infer());
    await json(await world.infer());
    const usage = await json(
      await fetch(`${world.url}/usage`, { headers: { Authorization: `Bearer ${world.token}` } }),
    );
    expect(usage.operator).to.equal(world.operator.address.toLowerCase());
    const calls = usage.calls as Array<Record<string, string | number | undefined>>;
    expect(calls.map((c) => c.total)).to.deep.equal(["4", "2"]);
    for (const call of calls) {
      const record: UsageRecord = {
        callId: String(call.callId),
        licenceId: BigInt(String(call.licenceId)),
        account: String(call.account),
        route: String(call.route),
        model: String(call.model),
        status: "served",
        reservedCost: 0n,
        cost: BigInt(String(call.cost)),
        total: BigInt(String(call.total)),
        startedAt: Number(call.startedAt),
        finishedAt: call.finishedAt === undefined ? undefined : Number(call.finishedAt),
      };
      const scope = { chainId: world.chainId, gateway: "gateway.test" };
      expect(verifyUsageRecord(record, String(call.signature), world.operator.address, scope)).to.equal(true);
      expect(
        verifyUsageRecord({ ...record, cost: 1n }, String(call.signature), world.operator.address, scope),
      ).to.equal(false);
    }
  });

  it("refuses without a licence (403), without a token (401), and after the licence lapsed (403)", async () => {
    // Read the chain's head on every check, so the lapse shows on the very next call.
    world = await inferenceWorld(connection, { gateway: { blockPollMs: 0 } });
    const outsiderToken = await signIn(world, world.outsider);
    expect(kindOf(await problemOf(await world.infer({ token: outsiderToken }), 403))).to.equal("licence-required");
    const anonymous = await fetch(`${world.url}/v2/models/${world.modelId}/infer`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ inputs: [{ name: "x", shape: [1, 3], datatype: "FP32", data: [1, 2, 3] }] }),
    });
    await problemOf(anonymous, 401);
    await json(await world.authorise(await world.receipt(world.licensee, world.licenceId, 10n)));
    await world.networkHelpers.time.increase(86_401);
    expect(kindOf(await problemOf(await world.infer(), 403))).to.equal("licence-expired");
    expect((await ledgerFigures(world)).served).to.equal(0n);
  });

  it("refuses receipts for another chain, another licence, another signer, replayed or below what was used", async () => {
    world = await inferenceWorld(connection);
    const { licensee, licenceId } = world;
    const otherChain = { ...world.domain, chainId: 1n };
    const deadline = (await world.ethers.provider.getBlock("latest"))!.timestamp + 3600;
    const { USAGE_RECEIPT_TYPES } = await import("../../../client/receipts.js");
    const foreign = await licensee.signTypedData(otherChain, USAGE_RECEIPT_TYPES, { licenceId, cap: 5n, deadline });
    const wrongChain = { licenceId: licenceId.toString(), cap: "5", deadline, signature: foreign };
    expect(kindOf(await problemOf(await world.authorise(wrongChain), 401))).to.equal("receipt-signature");
    expect(kindOf(await problemOf(await world.infer({ receipt: wrongChain }), 401))).to.equal("receipt-signature");
    const bySomeoneElse = await world.receipt(world.outsider, licenceId, 5n);
    expect(kindOf(await problemOf(await world.authorise(bySomeoneElse), 401))).to.equal("receipt-signature");
    // Forms ethers accepts but the meter's ECDSA.tryRecoverCalldata refuses: served, they would never settle.
    const good = await world.receipt(licensee, licenceId, 5n);
    const parsed = Signature.from(String(good.signature));
    const compact = { ...good, signature: parsed.compactSerialized };
    const vZeroOne = { ...good, signature: `${parsed.r}${parsed.s.slice(2)}0${parsed.v - 27}` };
    for (const unsettleable of [compact, vZeroOne]) {
      expect(kindOf(await problemOf(await world.authorise(unsettleable), 401))).to.equal("receipt-signature");
    }
    const otherLicence = await world.receipt(licensee, licenceId + 1000n, 5n);
    expect(kindOf(await problemOf(await world.infer({ receipt: otherLicence }), 400))).to.equal("bad-receipt");

    const first = await world.receipt(licensee, licenceId, 4n);
    await json(await world.authorise(first));
    expect(kindOf(await problemOf(await world.authorise(first), 409))).to.equal("receipt-stale");
    await json(await world.infer());
    await json(await world.infer());
    // A higher cap than the one in force is new, but a receipt under what was already used is refused.
    const below = await world.receipt(licensee, licenceId, 3n);
    expect(kindOf(await problemOf(await world.authorise(below), 409))).to.equal("receipt-stale");
    const farDeadline = await world.receipt(licensee, licenceId, 50n, deadline + 2 * 86_400);
    expect(kindOf(await problemOf(await world.authorise(farDeadline), 400))).to.equal("bad-receipt");
    expect(await ledgerFigures(world)).to.deep.equal({ served: 4n, reserved: 0n, cap: 4n });
  });

  it("a model whose operator on chain is another key (another gateway) is refused with 403, nothing charged", async () => {
    world = await inferenceWorld(connection);
    const { timelockSigner } = await import("../../helpers/fixtures.js");
    const timelock = await timelockSigner(connection, world.protocol.model.timelock);
    await (await world.protocol.meter.connect(timelock).setOperator(world.modelId, world.outsider.address)).wait();
    const refused = await problemOf(
      await world.infer({ receipt: await world.receipt(world.licensee, world.licenceId, 2n) }),
      403,
    );
    expect(kindOf(refused)).to.equal("not-operator");
    expect(await ledgerFigures(world)).to.deep.equal({ served: 0n, reserved: 0n, cap: 0n });
  });
});
