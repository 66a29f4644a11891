/**
 * The gateway's record of what it has published: for each model, every version with its manifest and metadata
 * CIDs and its content key wrapped under the gateway's key-encryption key (never in clear, never on IPFS).
 * `ws publish` writes it; the gateway reads it to map a Hugging Face revision to a version and to unwrap the key.
 * Kept as one JSON file per model under `<dataDir>/catalogue/<chainId>/<modelId>.json`, replaced atomically.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

/** One published version of one model. */
export interface PublishedVersion {
  /** Decimal strings. */
  chainId: string;
  modelId: string;
  /** 1, 2, ... in publication order. */
  version: number;
  /** CID of the manifest (canonical JSON) and of the ERC-1155 metadata JSON. */
  manifestCid: string;
  metadataCid: string;
  /** `ipfs://<metadataCid>`: what the DAO sets as the token URI with `update-metadata`. */
  metadataURI: string;
  /** 0x-prefixed keccak256 of the manifest bytes: what the DAO sets as the content hash. */
  contentHash: string;
  /** SHA-1 of the manifest bytes, 40 lowercase hex: the version's Hugging Face revision ("commit"). */
  commit: string;
  /** The content key wrapped by `wrapKey(kek, key, keyContext(chainId, modelId, version))`. */
  wrappedKey: string;
  /** ISO 8601 time of publication. */
  publishedAt: string;
}

/** A model's catalogue file: every published version, ascending. */
interface CatalogueFile {
  format: typeof CATALOGUE_FORMAT;
  chainId: string;
  modelId: string;
  versions: PublishedVersion[];
}

/** Format label of a catalogue file. */
export const CATALOGUE_FORMAT = "weightshare/catalogue/v1";

/** Reads and writes the published versions of every model under `<dataDir>/catalogue/`. */
export interface Catalogue {
  /** The data directory's catalogue folder, for messages. */
  readonly dir: string;
  /** Records a new version; refuses a version number the model already has, or one that is not last + 1. */
  record(version: PublishedVersion): Promise<void>;
  /** Every published version of the model, ascending (empty when none). */
  versions(chainId: bigint | number | string, modelId: bigint | number | string): Promise<PublishedVersion[]>;
  /** One version, or undefined. */
  version(
    chainId: bigint | number | string,
    modelId: bigint | number | string,
    version: number,
  ): Promise<PublishedVersion | undefined>;
  /** The version whose Hugging Face revision ("commit", 40 hex) is `commit`, or undefined. */
  byCommit(
    chainId: bigint | number | string,
    modelId: bigint | number | string,
    commit: string,
  ): Promise<PublishedVersion | undefined>;
  /** The version whose metadata URI (`ipfs://<cid>`) is `metadataURI`, or undefined. */
  byMetadataURI(
    chainId: bigint | number | string,
    modelId: bigint | number | string,
    metadataURI: string,
  ): Promise<PublishedVersion | undefined>;
  /** The latest version, or undefined when the model has none. */
  latest(chainId: bigint | number | string, modelId: bigint | number | string): Promise<PublishedVersion | undefined>;
}

/** A version number the model already has (or that skips one). */
export class DuplicateVersionError extends Error {
  /** @param chainId @param modelId @param version the refused version; @param expected the next free one. */
  readonly chainId: string;
  readonly modelId: string;
  readonly version: number;
  readonly expected: number;

  constructor(chainId: string, modelId: string, version: number, expected: number) {
    super(`model ${modelId} on chain ${chainId} cannot record version ${version}: the next version is ${expected}`);
    this.name = "DuplicateVersionError";
    this.chainId = chainId;
    this.modelId = modelId;
    this.version = version;
    this.expected = expected;
  }
}

/**
 * Opens the catalogue kept under `<dataDir>/catalogue/` (created on the first write). Writes are atomic (temporary
 * file + rename) and serialised within this process.
 */
export function openCatalogue(dataDir: string): Catalogue {
  const dir = path.join(dataDir, "catalogue");
  let queue: Promise<unknown> = Promise.resolve();

  function fileFor(chainId: string, modelId: string): string {
    return path.join(dir, chainId, `${modelId}.json`);
  }

  async function read(chainId: string, modelId: string): Promise<PublishedVersion[]> {
    const file = fileFor(chainId, modelId);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
    let parsed: CatalogueFile;
    try {
      parsed = JSON.parse(text) as CatalogueFile;
    } catch (error) {
      throw new Error(`catalogue file ${file} is not valid JSON: ${(error as Error).message}`);
    }
    if (parsed.format !== CATALOGUE_FORMAT || !Array.isArray(parsed.versions)) {
      throw new Error(`catalogue file ${file} is not a ${CATALOGUE_FORMAT} file`);
    }
    return [...parsed.versions].sort((a, b) => a.version - b.version);
  }

  async function find(
    chainId: bigint | number | string,
    modelId: bigint | number | string,
    match: (v: PublishedVersion) => boolean,
  ): Promise<PublishedVersion | undefined> {
    return (await read(idText("chainId", chainId), idText("modelId", modelId))).find(match);
  }

  return {
    dir,
    record(entry) {
      const run = queue.then(async () => {
        const chainId = idText("chainId", entry.chainId);
        const modelId = idText("modelId", entry.modelId);
        if (!Number.isSafeInteger(entry.version) || entry.version < 1) {
          throw new Error(`version must be a positive integer, got ${entry.version}`);
        }
        const file = fileFor(chainId, modelId);
        // The lock file makes read-check-write one step across catalogue instances and processes.
        await withLock(`${file}.lock`, async () => {
          const versions = await read(chainId, modelId);
          const expected = (versions.at(-1)?.version ?? 0) + 1;
          if (entry.version !== expected) throw new DuplicateVersionError(chainId, modelId, entry.version, expected);
          const body: CatalogueFile = {
            format: CATALOGUE_FORMAT,
            chainId,
            modelId,
            versions: [...versions, { ...entry, chainId, modelId }],
          };
          await writeAtomically(file, JSON.stringify(body, null, 2) + "\n");
        });
      });
      queue = run.catch(() => undefined);
      return run;
    },
    versions: (chainId, modelId) => read(idText("chainId", chainId), idText("modelId", modelId)),
    version: (chainId, modelId, version) => find(chainId, modelId, (v) => v.version === version),
    byCommit: (chainId, modelId, commit) => find(chainId, modelId, (v) => v.commit === commit.toLowerCase()),
    byMetadataURI: (chainId, modelId, uri) => find(chainId, modelId, (v) => v.metadataURI === uri),
    latest: async (chainId, modelId) => (await read(idText("chainId", chainId), idText("modelId", modelId))).at(-1),
  };
}

/** A chain or model id as a canonical decimal string; refuses anything else (it becomes a file name). */
function idText(name: string, value: bigint | number | string): string {
  const text = String(value);
  if (!/^(0|[1-9][0-9]*)$/.test(text)) throw new Error(`${name} must be a decimal integer, got "${text}"`);
  return text;
}

/** How long `record` waits for another writer's lock, and the age after which a lock is taken as abandoned. */
const LOCK_WAIT_MS = 10_000;
const LOCK_STALE_MS = 60_000;

/** Runs `run` holding the lock file `lock` (created exclusively; removed after; taken over when stale). */
async function withLock<T>(lock: string, run: () => Promise<T>): Promise<T> {
  await mkdir(path.dirname(lock), { recursive: true });
  const until = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      await writeFile(lock, `${process.pid}\n`, { flag: "wx" });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const age = await stat(lock).then(
        (s) => Date.now() - s.mtimeMs,
        () => 0,
      );
      if (age > LOCK_STALE_MS) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > until) {
        throw new Error(`catalogue file is locked by another writer (${lock}); remove it if no publication is running`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  try {
    return await run();
  } finally {
    await rm(lock, { force: true });
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  try {
    await writeFile(temp, text, { flag: "wx" });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
