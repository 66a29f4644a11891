/**
 * The metered-inference tests' world: the gateway world (test/gateway/server/fixture.ts) whose published model
 * carries a real ONNX file (a linear layer) and inference terms in its model card, served by a gateway with metered
 * inference on an SQLite ledger, the model's operator named on chain by its timelock, and a licensee holding a
 * metered licence (100 credits). Helpers sign receipts and call the Open Inference Protocol.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { Wallet, type HDNodeWallet, type Signer, type TypedDataDomain } from "ethers";

import { receiptDomain, USAGE_RECEIPT_TYPES } from "../../../client/receipts.js";
import type { Ledger } from "../../../gateway/ledger/ledger.js";
import { openSqliteLedger } from "../../../gateway/ledger/sqlite.js";
import type { InferenceOptions } from "../../../gateway/inference/register.js";
import type { GatewayOptions } from "../../../gateway/server/app.js";
import { linearModelBytes } from "../../helpers/onnx-model.js";
import { timelockSigner } from "../../helpers/fixtures.js";
import { gatewayWorld, signIn, type GatewayWorld } from "../server/fixture.js";

/** The model card of the inference world's model: ONNX runtime, `credits_per_call` credits per call. */
export function inferenceCard(terms = "runtime: onnx\n    file: onnx/model.onnx\n    credits_per_call: 2"): string {
  return `---\nlicense: other\nweightshare:\n  inference:\n    ${terms}\n---\n# Linear-3\n\nA linear layer.\n`;
}

/** The world, with the ledger, operator and receipt helpers. */
export interface InferenceWorld extends GatewayWorld {
  ledger: Ledger;
  operator: Wallet | HDNodeWallet;
  domain: TypedDataDomain;
  token: string;
  /** Signs a receipt for `licenceId` up to `cap` with `signer` (deadline: an hour after the chain's time). */
  receipt(signer: Signer, licenceId: bigint, cap: bigint, deadline?: number): Promise<Record<string, unknown>>;
  /** The licensee's licence id. */
  licenceId: bigint;
  /** POSTs an OIP infer call with the licensee's token (and a receipt header, when given). */
  infer(options?: { token?: string; receipt?: Record<string, unknown>; x?: number[][] }): Promise<Response>;
  /** POSTs a receipt on its own (capped mode). */
  authorise(receipt: Record<string, unknown>, token?: string): Promise<Response>;
}

/** Builds the world; `gateway` overrides gateway options, `card` the model card, `upstreams` adds OpenAI upstreams. */
export async function inferenceWorld(
  connection: Parameters<typeof gatewayWorld>[0],
  options: { gateway?: Partial<GatewayOptions>; card?: string; upstreams?: InferenceOptions["upstreams"] } = {},
): Promise<InferenceWorld> {
  const ledgerDir = await mkdtemp(path.join(tmpdir(), "ws-ledger-"));
  const ledger = await openSqliteLedger(path.join(ledgerDir, "ledger.sqlite"));
  await ledger.migrate();
  const operator = Wallet.createRandom().connect(connection.ethers.provider);
  const world = await gatewayWorld(connection, {
    extraFiles: new Map([
      ["README.md", Buffer.from(options.card ?? inferenceCard())],
      ["onnx/model.onnx", Buffer.from(linearModelBytes())],
    ]),
    gateway: { inference: { ledger, operator, upstreams: options.upstreams }, ...options.gateway },
  });
  const timelock = await timelockSigner(connection, world.protocol.model.timelock);
  await (await world.protocol.meter.connect(timelock).setOperator(world.modelId, operator.address)).wait();
  const domain = await receiptDomain(world.protocol.meter);
  const licenceId = await world.protocol.licenses.primaryLicence(world.modelId, world.licensee.address);
  const token = await signIn(world, world.licensee);
  const chainNow = async () => (await connection.ethers.provider.getBlock("latest"))!.timestamp;
  const receipt = async (signer: Signer, id: bigint, cap: bigint, deadline?: number) => {
    const d = deadline ?? (await chainNow()) + 3600;
    const signature = await signer.signTypedData(domain, USAGE_RECEIPT_TYPES, { licenceId: id, cap, deadline: d });
    return { licenceId: id.toString(), cap: cap.toString(), deadline: d, signature };
  };
  const x = [[1, 2, 3]];
  return {
    ...world,
    ledger,
    operator,
    domain,
    token,
    licenceId,
    receipt,
    infer: (o = {}) =>
      fetch(`${world.url}/v2/models/${world.modelId}/infer`, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Authorization: `Bearer ${o.token ?? token}`,
          ...(o.receipt ? { "X-Weightshare-Receipt": JSON.stringify(o.receipt) } : {}),
        },
        body: JSON.stringify({
          inputs: [{ name: "x", shape: [(o.x ?? x).length, 3], datatype: "FP32", data: (o.x ?? x).flat() }],
        }),
      }),
    authorise: (r, t) =>
      fetch(`${world.url}/usage/receipts`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${t ?? token}` },
        body: JSON.stringify(r),
      }),
    async close() {
      await world.close();
      await ledger.close();
      await rm(ledgerDir, { recursive: true, force: true });
    },
  };
}
