/**
 * `ws publish --model-id N --dir D [--data-dir DIR] [--chunk-size 256KiB] [--propose [--description TEXT]] [--json]`:
 * publishes a model directory as the model's next version (gateway/publish/): every file encrypted in chunks under a
 * fresh content key, ciphertext, manifest and ERC-1155 metadata added to IPFS (the embedded blockstore under
 * `<data dir>/blocks`, or the node at `IPFS_API_URL`), the key wrapped under `WEIGHTSHARE_GATEWAY_KEK` (environment
 * or `npx hardhat keystore set WEIGHTSHARE_GATEWAY_KEK`) in the data directory's catalogue. The data directory is
 * --data-dir, else `WEIGHTSHARE_DATA_DIR`, else `gateway-data`.
 *
 * Prints the version, manifest CID, metadata URI, content hash and files. `--propose` then files the DAO's
 * `update-metadata` proposal with that URI and content hash through `ws propose`'s own code (`fileProposal`);
 * `--description` is that proposal's text for voters (default: generated).
 */
import { configVariable } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { DuplicateVersionError } from "../gateway/catalogue.js";
import { DEFAULT_CHUNK_SIZE, MAX_CHUNK_SIZE } from "../gateway/encryption/chunks.js";
import { KEK_VARIABLE, kekFromConfig } from "../gateway/encryption/keys.js";
import { publish, type PublishResult } from "../gateway/publish/publish.js";
import { listModelFiles, ModelDirError } from "../gateway/publish/walk.js";
import { dataDirFrom, openStore } from "../gateway/storage/open.js";
import type { ProposeArgs } from "./lib/actions/index.js";
import { action, output, TaskInputError, uint } from "./lib/cli.js";
import { context, model, type CommonArgs } from "./lib/context.js";
import { proposeArgs } from "./lib/filing.js";
import { sizeText } from "./lib/units.js";
import { fileProposal, proposalText, type FiledProposal } from "./propose.js";

interface Args extends CommonArgs {
  modelId: string;
  dir: string;
  dataDir: string;
  chunkSize: string;
  description: string;
  propose: boolean;
}

const SET_KEK = `set it in the environment or with \`npx hardhat keystore set ${KEK_VARIABLE}\``;
const MAKE_KEK = `make one with \`openssl rand -hex 32\` and ${SET_KEK}`;

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  uint("model-id", args.modelId);
  if (args.dir.trim() === "") throw new TaskInputError("--dir: expected the model's directory (e.g. --dir ./my-model)");
  if (args.description !== "" && !args.propose) {
    throw new TaskInputError("--description: it describes the proposal for voters; use it with --propose");
  }
  const chunkSize = parseChunkSize(args.chunkSize);
  try {
    await listModelFiles(args.dir);
  } catch (error) {
    if (error instanceof ModelDirError) throw new TaskInputError(`--dir: ${error.message}`);
    throw error;
  }
  const kek = await gatewayKek(hre);

  const ctx = await context(hre, args);
  const m = await model(ctx, args.modelId);
  const dataDir = dataDirFrom(args.dataDir);
  const store = await openStore({ dataDir });
  let result: PublishResult;
  try {
    result = await publish({ dir: args.dir, chainId: ctx.chainId, modelId: m.modelId, store, dataDir, kek, chunkSize });
  } catch (error) {
    if (error instanceof ModelDirError) throw new TaskInputError(`--dir: ${error.message}`);
    if (error instanceof DuplicateVersionError) {
      throw new TaskInputError(
        `--model-id: another publication recorded it first (${error.message}); run ws publish again`,
      );
    }
    throw error;
  } finally {
    await store.close();
  }
  const published = {
    chainId: ctx.chainId,
    modelId: m.modelId,
    version: result.version,
    manifestCid: result.manifestCid,
    metadataCid: result.metadataCid,
    metadataURI: result.metadataURI,
    contentHash: result.contentHash,
    commit: result.commit,
    previous: result.manifest.previous ?? null,
    store: store.description,
    dataDir,
    files: result.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256, cid: f.cid })),
  };
  const description =
    args.description.trim() ||
    `Publish version ${result.version} of model #${m.modelId}: ${result.files.length} files, manifest ${result.manifestCid}`;
  if (!args.propose) {
    output(args.json, published, () => [...publishedText(published), proposeHint(published, description)].join("\n"));
    return;
  }
  if (!args.json) console.log(publishedText(published).join("\n"));
  let proposal: FiledProposal;
  try {
    proposal = await fileProposal(updateMetadataArgs(args, published, description), hre);
  } catch (error) {
    if (error instanceof TaskInputError) {
      throw new TaskInputError(
        `version ${result.version} is published, but the proposal was not filed: ${error.message}; ` +
          `file it later with: ${proposeCommand(published, description)}`,
      );
    }
    throw error;
  }
  output(args.json, { ...published, proposal }, () => proposalText(proposal));
});

type Published = {
  chainId: bigint;
  modelId: bigint;
  version: number;
  manifestCid: string;
  metadataURI: string;
  contentHash: string;
  commit: string;
  previous: string | null;
  store: string;
  files: { path: string; size: number; sha256: string }[];
};

function publishedText(p: Published): string[] {
  const total = p.files.reduce((sum, f) => sum + f.size, 0);
  const width = Math.max(...p.files.map((f) => f.path.length));
  return [
    `published model #${p.modelId} version ${p.version} on chain ${p.chainId} to the ${p.store}`,
    `  manifest      ipfs://${p.manifestCid}${p.previous ? ` (previous ipfs://${p.previous})` : ""}`,
    `  metadata URI  ${p.metadataURI}`,
    `  content hash  ${p.contentHash}`,
    `  revision      ${p.commit}`,
    `  files         ${p.files.length}, ${sizeText(total)}, encrypted (AES-256-GCM)`,
    ...p.files.map((f) => `    ${f.path.padEnd(width)}  ${sizeText(f.size).padStart(10)}  sha256 ${f.sha256}`),
  ];
}

function proposeHint(p: Published, description: string): string {
  return `to make it the model's metadata, propose it (or rerun with --propose):\n  ${proposeCommand(p, description)}`;
}

function proposeCommand(p: Published, description: string): string {
  return (
    `npx hardhat ws propose --model-id ${p.modelId} --action update-metadata --uri ${p.metadataURI} ` +
    `--content-hash ${p.contentHash} --description ${JSON.stringify(description)}`
  );
}

/** `ws propose --action update-metadata` arguments for the published version, with this task's common options. */
function updateMetadataArgs(args: Args, p: Published, description: string): ProposeArgs {
  return proposeArgs({ ...args, modelId: String(p.modelId), description }, "update-metadata", {
    // The content hash commits to the manifest (which the metadata at the URI points to); ipfs:// cannot be read
    // here, so ws propose takes the hash as given.
    uri: p.metadataURI,
    contentHash: p.contentHash,
  });
}

/** `--chunk-size`: bytes, or with a unit (KiB, MiB; k/K and M accepted): 1 byte to 256 MiB. Default 1 MiB - 16 (a sealed chunk is one 1 MiB IPFS leaf). */
function parseChunkSize(value: string): number {
  if (value.trim() === "") return DEFAULT_CHUNK_SIZE;
  const match = /^(\d+)\s*(B|KiB|MiB|K|M|k)?$/.exec(value.trim());
  const scale: Record<string, number> = { B: 1, K: 1024, k: 1024, KiB: 1024, M: 1024 * 1024, MiB: 1024 * 1024 };
  const size = match ? Number(match[1]) * scale[match[2] ?? "B"] : NaN;
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_CHUNK_SIZE) {
    throw new TaskInputError(
      `--chunk-size: expected a size from 1 B to 256 MiB such as 1MiB or 262144, got "${value}"`,
    );
  }
  return size;
}

/** The gateway's KEK: the environment first, then the Hardhat keystore (as Hardhat resolves `configVariable`). */
async function gatewayKek(hre: HardhatRuntimeEnvironment): Promise<Buffer> {
  let value: string | undefined = process.env[KEK_VARIABLE];
  if (value === undefined) {
    try {
      value = await hre.hooks.runHandlerChain(
        "configurationVariables",
        "fetchValue",
        [configVariable(KEK_VARIABLE)],
        async () => "",
      );
    } catch (error) {
      // Not in the keystore (the development keystore under `hardhat test`) counts as not set.
      if (!/not found in the .*keystore/i.test(firstLine(error))) {
        throw new TaskInputError(
          `${KEK_VARIABLE}: cannot read it from the keystore (${firstLine(error)}); ${MAKE_KEK}`,
        );
      }
      value = "";
    }
  }
  try {
    return kekFromConfig(value);
  } catch (error) {
    // kekFromConfig's message already says how to make one (`openssl rand -hex 32`).
    throw new TaskInputError(`${firstLine(error)}; ${SET_KEK}`);
  }
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split("\n")[0];
}
