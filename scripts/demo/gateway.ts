/**
 * The demo's last part: the consortium publishes Vision-7B's files (examples/vision-7b-model: a model card, configs,
 * real safetensors weights and an ONNX classification head with its inference rate) encrypted to IPFS (the embedded
 * store, under a temporary data directory), the DAO votes the new metadata URI and content hash on chain, and a
 * licensee downloads the model through the gateway with the real Hugging Face client (`@huggingface/hub`, unmodified,
 * pointed at the gateway) while a non-licensee is refused with 403. Then the licensee calls the model through the
 * gateway (metered inference, demo/inference.ts). Everything stays on 127.0.0.1 and is removed at the end.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { downloadFile, HubApiError, snapshotDownload } from "@huggingface/hub";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { BrowserProvider, type Eip1193Provider } from "ethers";
import type { FastifyInstance } from "fastify";

import { openCatalogue } from "../../gateway/catalogue.js";
import { signIn } from "../../gateway/client/sign-in.js";
import { publish } from "../../gateway/publish/publish.js";
import { buildGateway, closeGateway } from "../../gateway/server/app.js";
import { freePort } from "../../gateway/server/main.js";
import { openEmbeddedStore } from "../../gateway/storage/embedded.js";
import { updateMetadata } from "../../governance/index.js";
import { passProposal } from "../../sdk/index.js";
import { openSqliteLedger } from "../../gateway/ledger/sqlite.js";
import type {
  LicenseManager,
  ModelGovernor,
  ModelRegistry,
  ModelShares,
  RevenueVault,
  UsageMeter,
} from "../../types/ethers-contracts/index.js";
import { inferenceDemo } from "./inference.js";

/** What the segment needs from the demo. */
export interface GatewayDemo {
  eip1193: Eip1193Provider;
  networkHelpers: NetworkHelpers;
  shares: ModelShares;
  registry: ModelRegistry;
  licenses: LicenseManager;
  meter: UsageMeter;
  vault: RevenueVault;
  governor: ModelGovernor;
  modelId: bigint;
  proposer: HardhatEthersSigner;
  voters: HardhatEthersSigner[];
  licensee: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
  /** The model's operator on chain (the DAO named it): the gateway's key. */
  operator: HardhatEthersSigner;
  /** A contributor and a holder whose revenue the demo shows. */
  contributor: HardhatEthersSigner;
  holder: HardhatEthersSigner;
  check(what: string, actual: unknown, expected: unknown): void;
  say(text: string): void;
}

/** Runs the segment; returns the files the licensee downloaded (path, bytes, sha256). */
export async function gatewayDemo(d: GatewayDemo): Promise<string[][]> {
  const work = await mkdtemp(path.join(tmpdir(), "ws-demo-gateway-"));
  const provider = new BrowserProvider(d.eip1193);
  const chainId = (await provider.getNetwork()).chainId;
  const dataDir = path.join(work, "data");
  const store = await openEmbeddedStore(path.join(dataDir, "blocks"));
  const ledger = await openSqliteLedger(path.join(work, "ledger.sqlite"));
  await ledger.migrate();
  let gateway: FastifyInstance | undefined;
  try {
    // 1. Publish: every file encrypted in authenticated chunks; ciphertext, manifest and metadata on IPFS.
    const kek = randomBytes(32);
    const modelDir = path.join(import.meta.dirname, "..", "..", "examples", "vision-7b-model");
    const published = await publish({ dir: modelDir, chainId, modelId: d.modelId, store, dataDir, kek });
    d.say(
      `The labs published Vision-7B v${published.version}: ${published.files.length} files encrypted in` +
        " AES-256-GCM chunks bound to their file and position, into IPFS with a manifest (sizes, SHA-256, CIDs) and" +
        ` ERC-1155 metadata at ${published.metadataURI.slice(0, 24)}…. The content key stays with the gateway,` +
        " wrapped under its key-encryption key.",
    );

    // 2. The DAO votes the new metadata URI and content hash (the `update-metadata` action).
    const proposal = await updateMetadata({
      shares: d.shares,
      registry: d.registry,
      modelId: d.modelId,
      uri: published.metadataURI,
      contentHash: published.contentHash,
      description: `Publish Vision-7B v${published.version}`,
    });
    await passProposal(d.governor, proposal, d.proposer, d.voters, d.networkHelpers);
    d.check("the token URI is the published metadata", await d.shares.uri(d.modelId), published.metadataURI);
    const record = await d.registry.model(d.modelId);
    d.check("the content hash commits to the manifest", record.contentHash, published.contentHash);

    // 3. The gateway: Hugging Face-compatible, every request checked against hasAccess on chain, on 127.0.0.1.
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    gateway = await buildGateway({
      provider,
      contracts: { shares: d.shares, licenses: d.licenses, meter: d.meter },
      store,
      catalogue: openCatalogue(dataDir),
      kek,
      tokenSecret: randomBytes(32),
      domain: `127.0.0.1:${port}`,
      inference: { ledger, operator: d.operator },
    });
    await gateway.listen({ host: "127.0.0.1", port });

    // 4. The licensee signs in with Ethereum (EIP-4361) and downloads with the Hugging Face client.
    const session = await signIn(url, d.licensee);
    const repo = `weightshare/${d.modelId}`;
    const snapshot = await snapshotDownload({ repo, hubUrl: url, accessToken: session.token, cacheDir: work });
    const rows: string[][] = [];
    for (const file of published.files) {
      const bytes = await readFile(path.join(snapshot, file.path));
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      d.check(`${file.path} downloaded byte-identical`, sha256, file.sha256);
      rows.push([file.path, String(bytes.length), `${sha256.slice(0, 16)}…`]);
    }

    // 5. A non-licensee signs in too, and is refused.
    const outsider = await signIn(url, d.outsider);
    let refused = 0;
    try {
      await downloadFile({ repo, path: "model.safetensors", hubUrl: url, accessToken: outsider.token });
    } catch (error) {
      refused = error instanceof HubApiError ? error.statusCode : -1;
    }
    d.check("a non-licensee is refused with 403", refused, 403);
    d.say(
      `The licensee signed in with Ethereum and downloaded ${repo} with the unmodified Hugging Face client` +
        ` (HF_ENDPOINT=${url}); every file matches the manifest's SHA-256. A non-licensee got 403.`,
    );
    await inferenceDemo({ ...d, gateway, url, ledger });
    return rows;
  } finally {
    if (gateway !== undefined) await closeGateway(gateway, 1000);
    await ledger.close();
    await store.close();
    await rm(work, { recursive: true, force: true });
  }
}
