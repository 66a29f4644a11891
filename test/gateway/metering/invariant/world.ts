/**
 * The metering invariant run's world: the gateway world (test/gateway/server/fixture.ts) serving metered inference
 * over an SQLite ledger at 2 credits per call, its operator named on chain, offers of different credits (some
 * transferable), four licensees who bought one each and two accounts without a licence, all signed in. The
 * published ONNX model is "fussy": `y = x · W + B` with `B` of shape [3, 2], so a batch of 3 rows runs and a batch
 * of 2 passes the gateway's checks (the batch is dynamic) but fails inside onnxruntime, after metering reserved the
 * call: the failure path that must release it. Importing this file builds nothing.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { type HDNodeWallet, type Signer, type TypedDataDomain, Wallet } from "ethers";
import onnxProto from "onnx-proto";

import { receiptDomain } from "../../../../client/receipts.js";
import type { Ledger } from "../../../../gateway/ledger/ledger.js";
import { openSqliteLedger } from "../../../../gateway/ledger/sqlite.js";
import { offerTerms, timelockSigner } from "../../../helpers/fixtures.js";
import { inferenceCard } from "../../inference/world.js";
import { gatewayWorld, signIn, type GatewayWorld } from "../../server/fixture.js";

const { onnx } = onnxProto;

/** Credits per call in the world's model card. */
export const RATE = 2n;

/** Offers the DAO adds besides offer 1 (1,000 credits, 1 day, not transferable): id, credits, days, transferable. */
export const EXTRA_OFFERS = [
  { offerId: 2n, credits: 10n, days: 1n, transferable: true },
  { offerId: 3n, credits: 30n, days: 2n, transferable: true },
  { offerId: 4n, credits: 6n, days: 1n, transferable: false },
] as const;

/** An account of the run: its signer and its gateway token. */
export interface Account {
  name: string;
  signer: Signer & { address: string };
  address: string;
  token: string;
}

/** The world of the invariant run. */
export interface InvariantWorld extends GatewayWorld {
  ledger: Ledger;
  operator: Wallet | HDNodeWallet;
  domain: TypedDataDomain;
  timelock: Signer;
  accounts: Account[];
  /** Licence ids bought so far, in order. */
  licences: bigint[];
}

/** The fussy model (see the module comment): x FP32 [batch, 3] -> y FP32 [rows, 2]. */
export function fussyModelBytes(): Uint8Array {
  const tensor = (name: string, dims: number[], values: number[]) => ({
    name,
    dims,
    dataType: 1,
    rawData: new Uint8Array(Float32Array.from(values).buffer),
  });
  const info = (name: string, dims: (number | string)[]) => ({
    name,
    type: {
      tensorType: {
        elemType: 1,
        shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: "weightshare-tests",
    opsetImport: [{ domain: "", version: 13 }],
    graph: {
      name: "fussy",
      node: [
        { opType: "MatMul", input: ["x", "W"], output: ["xW"], name: "matmul" },
        { opType: "Add", input: ["xW", "B"], output: ["y"], name: "add" },
      ],
      initializer: [tensor("W", [3, 2], [1, 2, 3, 4, 5, 6]), tensor("B", [3, 2], [0, 0, 1, 1, 2, 2])],
      input: [info("x", ["batch", 3])],
      output: [info("y", ["rows", 2])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Builds the world on `connection` (a fresh `network.create()`); `close()` it. */
export async function invariantWorld(connection: Parameters<typeof gatewayWorld>[0]): Promise<InvariantWorld> {
  const ledgerDir = await mkdtemp(path.join(tmpdir(), "ws-invariant-ledger-"));
  const ledger = await openSqliteLedger(path.join(ledgerDir, "ledger.sqlite"));
  await ledger.migrate();
  const operator = Wallet.createRandom().connect(connection.ethers.provider);
  const world = await gatewayWorld(connection, {
    extraFiles: new Map([
      ["README.md", Buffer.from(inferenceCard())],
      ["onnx/model.onnx", Buffer.from(fussyModelBytes())],
    ]),
    // Every request reads the chain's head: time advanced or a licence renewed shows on the very next call.
    gateway: { inference: { ledger, operator }, blockPollMs: 0 },
  });
  const { protocol, modelId } = world;
  const timelock = await timelockSigner(connection, protocol.model.timelock);
  await (await protocol.meter.connect(timelock).setOperator(modelId, operator.address)).wait();
  await connection.networkHelpers.setBalance(operator.address, 10n ** 19n); // gas for the settler's batches
  for (const offer of EXTRA_OFFERS) {
    const terms = offerTerms({
      credits: offer.credits,
      duration: offer.days * 86400n,
      transferable: offer.transferable,
    });
    await (await protocol.licenses.connect(timelock).addOffer(modelId, terms)).wait();
  }
  const licences = [await protocol.licenses.primaryLicence(modelId, world.licensee.address)];
  const signers = [world.licensee, ...protocol.signers.slice(7, 12)];
  const price = offerTerms().price;
  for (const [i, offer] of EXTRA_OFFERS.entries()) {
    const buyer = signers[i + 1];
    await (
      await protocol.licenses.connect(buyer).purchase(modelId, offer.offerId, buyer.address, price, { value: price })
    ).wait();
    licences.push(await protocol.licenses.primaryLicence(modelId, buyer.address));
  }
  const accounts: Account[] = [];
  for (const [i, signer] of signers.entries()) {
    accounts.push({ name: `a${i}`, signer, address: signer.address.toLowerCase(), token: await signIn(world, signer) });
  }
  return {
    ...world,
    ledger,
    operator,
    domain: await receiptDomain(protocol.meter),
    timelock,
    accounts,
    licences,
    async close() {
      await world.close();
      await ledger.close();
      await rm(ledgerDir, { recursive: true, force: true });
    },
  };
}
