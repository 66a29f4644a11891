/**
 * The gateway server tests' world: the protocol on Hardhat's simulated chain with a registered model, an offer
 * (1 day, metered), a licensee who bought it, a small multi-file model published through `publish()` into an
 * embedded store under a temporary data directory, its metadata URI and content hash set on chain by the model's
 * timelock, and a gateway built in-process over `new BrowserProvider(connection.provider)`, listening on 127.0.0.1.
 * Also: sign-in helpers that build, sign and post EIP-4361 messages.
 */
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import { BrowserProvider, type Eip1193Provider, type Signer } from "ethers";
import type { FastifyInstance } from "fastify";
import { SiweMessage } from "siwe";

import { openCatalogue } from "../../../gateway/catalogue.js";
import { publish, type PublishResult } from "../../../gateway/publish/publish.js";
import { DEFAULT_BLOCK_POLL_MS } from "../../../gateway/server/access.js";
import { buildGateway, closeGateway, type GatewayOptions } from "../../../gateway/server/app.js";
import { openEmbeddedStore } from "../../../gateway/storage/embedded.js";
import type { ContentStore } from "../../../gateway/storage/store.js";
import {
  LicenseManager__factory,
  ModelRegistry__factory,
  ModelShares__factory,
  UsageMeter__factory,
} from "../../../types/ethers-contracts/index.js";
import { offerTerms, protocolWithModel, timelockSigner } from "../../helpers/fixtures.js";

/** The SIWE domain of the test gateway. */
export const DOMAIN = "gateway.test";
/** Chunk size used when publishing: small, so that files span many chunks. */
export const CHUNK_SIZE = 16 * 1024;

/** The published model's files, by path. */
export function modelFiles(): Map<string, Buffer> {
  return new Map([
    ["README.md", Buffer.from("---\nlicense: other\ntags: [vision]\n---\n# Vision-7B\n\nA test model.\n")],
    ["config.json", Buffer.from(JSON.stringify({ model_type: "vit", hidden_size: 64 }))],
    ["model.safetensors", randomBytes(300 * 1024 + 123)],
    ["onnx/model.onnx", randomBytes(70 * 1024)],
    ["tokenizer/vocab.txt", Buffer.from("a\nb\nc\n")],
    ["tokenizer/added_tokens.json", Buffer.alloc(0)],
  ]);
}

/** Everything a gateway test needs. */
export interface GatewayWorld {
  ethers: HardhatEthers;
  networkHelpers: NetworkHelpers;
  eip1193: Eip1193Provider;
  protocol: Awaited<ReturnType<typeof protocolWithModel>>;
  modelId: bigint;
  chainId: bigint;
  licensee: Signer & { address: string };
  outsider: Signer & { address: string };
  files: Map<string, Buffer>;
  published: PublishResult;
  store: ContentStore;
  dataDir: string;
  kek: Buffer;
  tokenSecret: Buffer;
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Buys a licence of offer 1 for `buyer`. */
  buy(buyer: Signer & { address: string }): Promise<void>;
  /** Stops the gateway and removes the data directory. */
  close(): Promise<void>;
}

/** What a world is built with besides the defaults. */
export interface WorldOptions {
  /** Gateway options to override (rate limit, provider...). */
  gateway?: Partial<GatewayOptions>;
  /** More files to publish, by path. */
  extraFiles?: Map<string, Buffer>;
  /** Publishing chunk size (default CHUNK_SIZE). */
  chunkSize?: number;
}

/** Builds the world; see `WorldOptions`. */
export async function gatewayWorld(
  connection: { ethers: HardhatEthers; networkHelpers: NetworkHelpers; provider: unknown },
  worldOptions: WorldOptions = {},
): Promise<GatewayWorld> {
  const options = worldOptions.gateway ?? {};
  const { ethers, networkHelpers } = connection;
  const protocol = await protocolWithModel(ethers);
  const modelId = protocol.model.modelId;
  const licensee = protocol.signers[6];
  const outsider = protocol.outsider;
  const timelock = await timelockSigner({ ethers, networkHelpers }, protocol.model.timelock);
  await (await protocol.licenses.connect(timelock).addOffer(modelId, offerTerms({ duration: 86400n }))).wait();
  await (await protocol.vault.connect(timelock).setPaymentToken(modelId, ethers.ZeroAddress, true)).wait();
  const price = offerTerms().price;
  const buy = async (buyer: Signer & { address: string }) => {
    const tx = await protocol.licenses.connect(buyer).purchase(modelId, 1n, buyer.address, price, { value: price });
    await tx.wait();
  };
  await buy(licensee);

  const chainId = (await ethers.provider.getNetwork()).chainId;
  const dataDir = await mkdtemp(path.join(tmpdir(), "ws-gateway-server-"));
  const modelDir = path.join(dataDir, "model");
  const files = new Map([...modelFiles(), ...(worldOptions.extraFiles ?? [])]);
  for (const [file, bytes] of files) {
    await mkdir(path.dirname(path.join(modelDir, file)), { recursive: true });
    await writeFile(path.join(modelDir, file), bytes);
  }
  const store = await openEmbeddedStore(path.join(dataDir, "blocks"));
  const kek = randomBytes(32);
  const published = await publish({
    dir: modelDir,
    chainId,
    modelId,
    store,
    dataDir,
    kek,
    chunkSize: worldOptions.chunkSize ?? CHUNK_SIZE,
  });
  // What the DAO's update-metadata vote sets: the token URI and the content hash (of the manifest).
  await (await protocol.shares.connect(timelock).setURI(modelId, published.metadataURI)).wait();
  await (await protocol.registry.connect(timelock).setContentHash(modelId, published.contentHash)).wait();

  const eip1193 = connection.provider as Eip1193Provider;
  const provider = new BrowserProvider(eip1193);
  const tokenSecret = randomBytes(32);
  const app = await buildGateway({
    provider,
    contracts: {
      shares: ModelShares__factory.connect(await protocol.shares.getAddress(), provider),
      licenses: LicenseManager__factory.connect(await protocol.licenses.getAddress(), provider),
      meter: UsageMeter__factory.connect(await protocol.meter.getAddress(), provider),
      registry: ModelRegistry__factory.connect(await protocol.registry.getAddress(), provider),
    },
    store,
    catalogue: openCatalogue(dataDir),
    kek,
    tokenSecret,
    domain: DOMAIN,
    defaultMetrics: false,
    ...options,
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return {
    ethers,
    networkHelpers,
    eip1193,
    protocol,
    modelId,
    chainId,
    licensee,
    outsider,
    files,
    published,
    store,
    dataDir,
    kek,
    tokenSecret,
    app,
    url,
    buy,
    async close() {
      await closeGateway(app, 1000);
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** An EIP-4361 message for `address`, with the gateway's domain and chain unless overridden. */
export function siweMessage(
  world: GatewayWorld,
  address: string,
  nonce: string,
  overrides: Partial<ConstructorParameters<typeof SiweMessage>[0] & object> = {},
): string {
  return new SiweMessage({
    domain: DOMAIN,
    address,
    statement: "Sign in to the Weightshare gateway",
    uri: `http://${DOMAIN}/`, // the message names the gateway by its public domain, as behind a proxy
    version: "1",
    chainId: Number(world.chainId),
    nonce,
    issuedAt: new Date().toISOString(),
    ...overrides,
  }).prepareMessage();
}

/** A fresh nonce from the gateway. */
export async function nonce(world: GatewayWorld): Promise<string> {
  const response = await fetch(`${world.url}/auth/nonce`);
  return ((await response.json()) as { nonce: string }).nonce;
}

/** Posts a sign-in; returns the response. */
export function postSignIn(world: GatewayWorld, message: string, signature: string): Promise<Response> {
  return fetch(`${world.url}/auth/siwe`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ message, signature }),
  });
}

/** Signs in as `signer` (an EOA) and returns the bearer token. */
export async function signIn(world: GatewayWorld, signer: Signer & { address: string }): Promise<string> {
  const message = siweMessage(world, signer.address, await nonce(world));
  const response = await postSignIn(world, message, await signer.signMessage(message));
  const body = (await response.json()) as { token: string };
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

/** Asserts a problem+json answer of `status` and returns its body. */
export async function problemOf(response: Response, status: number): Promise<Record<string, unknown>> {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text.slice(0, 300)}`);
  if (response.headers.get("content-type") !== "application/problem+json") {
    throw new Error(
      `expected application/problem+json, got ${response.headers.get("content-type")}: ${text.slice(0, 200)}`,
    );
  }
  const body = JSON.parse(text) as Record<string, unknown>;
  for (const member of ["type", "title", "status", "detail", "instance"]) {
    if (!(member in body)) throw new Error(`problem body lacks "${member}": ${text}`);
  }
  if (body.status !== status) throw new Error(`problem status ${String(body.status)} != ${status}`);
  return body;
}

/**
 * Waits until the gateway's reuse of the latest block has run out (DEFAULT_BLOCK_POLL_MS), so that a change just
 * mined (a licence lapsed, a new URI) is what the next request sees.
 */
export function headPollPassed(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, DEFAULT_BLOCK_POLL_MS + 50));
}
