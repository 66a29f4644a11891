/**
 * The replicas test's world: the gateway world (test/gateway/server/fixture.ts) whose published model carries a real
 * ONNX file and `credits_per_call: 2`, its operator named on chain (a fixed test key), offers of 10, 40 and 100
 * credits, and 50 licensees with mixed credits and caps; a throwaway PostgreSQL cluster (test/helpers/postgres.ts)
 * holding one ledger database; the test's chain behind a loopback JSON-RPC stand-in; and two gateway replicas started
 * as real processes on that chain and that ledger (replica-process.ts), sharing the data directory, the KEK, the token
 * secret, the SIWE domain and the operator key. Each licensee signs in on one replica and sends a capped receipt
 * through the other.
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { id, Wallet, type Eip1193Provider } from "ethers";

import { receiptDomain, USAGE_RECEIPT_TYPES } from "../../../client/receipts.js";
import type { Ledger } from "../../../gateway/ledger/ledger.js";
import { openPostgresLedger } from "../../../gateway/ledger/postgres.js";
import { deploymentOf, offerTerms, timelockSigner } from "../../helpers/fixtures.js";
import { linearModelBytes } from "../../helpers/onnx-model.js";
import { startPostgres, type RunningPostgres } from "../../helpers/postgres.js";
import { rpcStandIn, type RpcStandIn } from "../../helpers/rpc-standin.js";
import { DOMAIN, gatewayWorld, siweMessage, type GatewayWorld } from "../server/fixture.js";
import { startReplica, type ReplicaProcess } from "./replica-process.js";
import { inferenceCard } from "./world.js";

/** Credits per call, as the model card publishes it. */
export const RATE = 2n;
/** Credits of the three offers the licensees buy from, in turn. */
export const OFFER_CREDITS = [10n, 40n, 100n] as const;
/** Licensees (one client each). */
export const LICENSEES = 50;
/** The operator's key: the model's operator on chain, and every replica's WEIGHTSHARE_OPERATOR_KEY. */
export const OPERATOR_KEY = id("weightshare replicas test: operator key");

/** One licensee and what it may spend. */
export interface Licensee {
  index: number;
  wallet: Wallet;
  licenceId: bigint;
  /** Credits its licence was bought with. */
  credits: bigint;
  /** The running total its receipt authorises. */
  cap: bigint;
  /** Bearer token (from a sign-in on one replica; valid on both). */
  token: string;
}

/** The world; see the module comment. */
export interface ReplicasWorld {
  world: GatewayWorld;
  postgres: RunningPostgres;
  /** The test's own handle on the replicas' ledger. */
  ledger: Ledger;
  rpc: RpcStandIn;
  replicas: ReplicaProcess[];
  licensees: Licensee[];
  /** POSTs one Open Inference Protocol call for `licensee` to `replica`. */
  infer(replica: ReplicaProcess, licensee: Licensee): Promise<Response>;
  /** The licence's running total settled by the meter and its credits left, on chain. */
  onChain(licensee: Licensee): Promise<{ settled: bigint; credits: bigint }>;
  /** Credits charged per licence over every `UsageSettled` event the meter emitted. */
  chargedByEvents(): Promise<Map<bigint, bigint>>;
  /** A raw JSON-RPC call on the test's chain (evm_setAutomine, evm_mine, ...). */
  chain(method: string, params?: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

/** Licensee `index`'s offer credits and receipt cap: every fifth signs a cap just over half its credits. */
export function termsOf(index: number): { credits: bigint; cap: bigint } {
  const credits = OFFER_CREDITS[index % OFFER_CREDITS.length];
  return { credits, cap: index % 5 === 4 ? credits / 2n + 1n : 1000n };
}

/** Builds the world (see the module comment); closes what it started if building fails. */
export async function replicasWorld(
  connection: Parameters<typeof gatewayWorld>[0] & { provider: unknown },
): Promise<ReplicasWorld> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const closer of closers.reverse()) await closer().catch(() => undefined);
  };
  try {
    const world = await gatewayWorld(connection, {
      extraFiles: new Map([
        [
          "README.md",
          Buffer.from(inferenceCard(`runtime: onnx\n    file: onnx/model.onnx\n    credits_per_call: ${RATE}`)),
        ],
        ["onnx/model.onnx", Buffer.from(linearModelBytes())],
      ]),
    });
    closers.push(() => world.close());
    const { protocol, modelId } = world;
    const operator = new Wallet(OPERATOR_KEY);
    await connection.networkHelpers.setBalance(operator.address, 10n ** 19n);
    const timelock = await timelockSigner(connection, protocol.model.timelock);
    await (await protocol.meter.connect(timelock).setOperator(modelId, operator.address)).wait();
    const offerIds: bigint[] = [];
    for (const credits of OFFER_CREDITS) {
      const terms = offerTerms({ credits, duration: 86_400n });
      offerIds.push(await protocol.licenses.connect(timelock).addOffer.staticCall(modelId, terms));
      await (await protocol.licenses.connect(timelock).addOffer(modelId, terms)).wait();
    }

    // One buyer pays for every licence; each licensee receives its own (its primary licence of the model).
    const buyer = protocol.signers[7];
    const price = offerTerms().price;
    const wallets = Array.from({ length: LICENSEES }, (_, i) => new Wallet(id(`weightshare replicas test: ${i}`)));
    const licenceIds: bigint[] = [];
    for (const [i, wallet] of wallets.entries()) {
      const offer = offerIds[i % offerIds.length];
      const licenses = protocol.licenses.connect(buyer);
      licenceIds.push(await licenses.purchase.staticCall(modelId, offer, wallet.address, price, { value: price }));
      await (await licenses.purchase(modelId, offer, wallet.address, price, { value: price })).wait();
    }

    const postgres = await startPostgres();
    closers.push(() => postgres.stop());
    const databaseUrl = await postgres.createDatabase("replicas");
    const rpc = await rpcStandIn(connection.provider as Eip1193Provider);
    closers.push(() => rpc.close());
    const deployment = path.join(world.dataDir, "deployment.json");
    await writeFile(deployment, JSON.stringify(await deploymentOf(protocol)));
    const env = {
      WEIGHTSHARE_GATEWAY_KEK: world.kek.toString("hex"),
      WEIGHTSHARE_GATEWAY_TOKEN_SECRET: randomBytes(32).toString("hex"),
      WEIGHTSHARE_OPERATOR_KEY: OPERATOR_KEY,
    };
    const replicas: ReplicaProcess[] = [];
    closers.push(() => Promise.all(replicas.map((r) => r.kill())));
    const common = { rpcUrl: rpc.url, dataDir: world.dataDir, deployment, databaseUrl, domain: DOMAIN, env };
    for (const started of await Promise.allSettled(
      ["replica-a", "replica-b"].map((name) => startReplica({ ...common, id: name })),
    )) {
      if (started.status === "rejected") throw started.reason;
      replicas.push(started.value);
    }
    const ledger = await openPostgresLedger(databaseUrl, { poolSize: 2 });
    closers.push(() => ledger.close());

    const domain = await receiptDomain(protocol.meter);
    const chainNow = (await connection.ethers.provider.getBlock("latest"))!.timestamp;
    const licensees: Licensee[] = [];
    for (const [index, wallet] of wallets.entries()) {
      const { credits, cap } = termsOf(index);
      const token = await signIn(world, replicas[index % 2], wallet);
      const licensee = { index, wallet, licenceId: licenceIds[index], credits, cap, token };
      // A receipt up to the cap, through the other replica: the ledger and the token are shared.
      const deadline = chainNow + 3600;
      const message = { licenceId: licensee.licenceId, cap, deadline };
      const signature = await wallet.signTypedData(domain, USAGE_RECEIPT_TYPES, message);
      const response = await fetch(`${replicas[(index + 1) % 2].url}/usage/receipts`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ licenceId: licensee.licenceId.toString(), cap: cap.toString(), deadline, signature }),
      });
      expect(response.status, `receipt of licensee ${index}: ${await response.clone().text()}`).to.equal(200);
      licensees.push(licensee);
    }

    const input = JSON.stringify({ inputs: [{ name: "x", shape: [1, 3], datatype: "FP32", data: [1, 2, 3] }] });
    return {
      world,
      postgres,
      ledger,
      rpc,
      replicas,
      licensees,
      infer: (replica, licensee) =>
        fetch(`${replica.url}/v2/models/${modelId}/infer`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${licensee.token}` },
          body: input,
        }),
      async onChain(licensee) {
        const usage = await protocol.meter.usageOf(licensee.licenceId);
        return { settled: usage.settled, credits: (await protocol.licenses.licence(licensee.licenceId)).credits };
      },
      async chargedByEvents() {
        const charged = new Map<bigint, bigint>();
        for (const event of await protocol.meter.queryFilter(protocol.meter.filters.UsageSettled(), 0)) {
          const { licenceId, charged: credits } = event.args;
          charged.set(licenceId, (charged.get(licenceId) ?? 0n) + credits);
        }
        return charged;
      },
      chain: (method, params = []) => (connection.provider as Eip1193Provider).request({ method, params }),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Signs `wallet` in on `replica` (SIWE for the shared domain); returns the bearer token. */
async function signIn(world: GatewayWorld, replica: ReplicaProcess, wallet: Wallet): Promise<string> {
  const { nonce } = (await (await fetch(`${replica.url}/auth/nonce`)).json()) as { nonce: string };
  const message = siweMessage(world, wallet.address, nonce);
  const response = await fetch(`${replica.url}/auth/siwe`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ message, signature: await wallet.signMessage(message) }),
  });
  const body = (await response.json()) as { token?: string };
  expect(response.status, `sign-in of ${wallet.address}: ${JSON.stringify(body)}`).to.equal(200);
  return body.token!;
}
