/**
 * Honest content hashes: a licence's `termsHash` and a model's `contentHash` commit to a document, so they are
 * keccak256 of the document's exact bytes, never of its URI. The bytes come from a local file given with the
 * document option (`--terms-file`, `--file`), or else from the URI itself when it can be read here: `file://`, a
 * local path, or `http(s)://` (fetched, with a timeout). With a local copy the URI is still read when it can be, and
 * a copy that differs from the published document is refused (both hashes named): the hash must commit to what
 * holders will read. A hash given as well must match what was read; when the document cannot be read (`ipfs://`
 * with no gateway, a server that does not answer) a given hash is used as is.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

import { keccak256 } from "ethers";

import { TaskInputError } from "./cli.js";

/** How long a document fetched over http(s) may take. */
const FETCH_TIMEOUT_MS = 10_000;

export interface DocumentOptions {
  /** The option naming the URI (`terms-uri`, `uri`) and its value. */
  uriOption: string;
  uri: string;
  /** The option naming a local copy of the document (`terms-file`, `file`) and its value ("" when not given). */
  fileOption: string;
  file: string;
  /** The option giving the hash (`terms-hash`, `content-hash`) and its value ("" when not given). */
  hashOption: string;
  hash: string;
  /**
   * When the three are fields of a JSON file rather than options (`ws register --members FILE`): that file's option,
   * so messages read `--members: metadataURI: …` and name the fields in quotes.
   */
  within?: string;
}

export interface DocumentHash {
  hash: string;
  /** Where the bytes hashed came from, or "given" when the hash was taken as is. */
  source: string;
}

/** keccak256 of the document's bytes, checked against `--<hash-option>` when both are known. */
export async function documentHash(o: DocumentOptions): Promise<DocumentHash> {
  // `--terms-uri:` as an option; `--members: metadataURI:` as a field of a JSON file.
  const head = (name: string) => (o.within === undefined ? `--${name}` : `--${o.within}: ${name}`);
  const named = (name: string) => (o.within === undefined ? `--${name}` : `"${name}"`);
  if (o.uri === "") throw new TaskInputError(`${head(o.uriOption)}: expected the document's URI`);
  if (o.hash !== "" && !/^0x[0-9a-fA-F]{64}$/.test(o.hash)) {
    throw new TaskInputError(`${head(o.hashOption)}: expected 32 bytes as 0x-prefixed hex, got "${o.hash}"`);
  }
  const published = await fromUri(o.uri);
  let read = published;
  if (o.file !== "") {
    if (!existsSync(o.file) || !statSync(o.file).isFile()) {
      throw new TaskInputError(`${head(o.fileOption)}: expected a file, but "${o.file}" does not exist`);
    }
    const bytes = readFileSync(o.file);
    // The URI is what holders read: a local copy that differs from it would commit to the wrong document.
    if (!("unreadable" in published) && keccak256(published.bytes) !== keccak256(bytes)) {
      throw new TaskInputError(
        `${head(o.fileOption)}: ${o.file} (keccak256 ${keccak256(bytes)}) differs from the document at ${o.uri} ` +
          `(keccak256 ${keccak256(published.bytes)}); give the published document`,
      );
    }
    read = { bytes, source: o.file };
  }
  if ("unreadable" in read) {
    if (o.hash !== "") return { hash: o.hash.toLowerCase(), source: "given" };
    throw new TaskInputError(
      `${head(o.uriOption)}: cannot read ${o.uri} (${read.unreadable}) to hash it; give the document with ` +
        `${named(o.fileOption)} PATH, or its keccak256 with ${named(o.hashOption)} 0x…`,
    );
  }
  const hash = keccak256(read.bytes);
  if (o.hash !== "" && o.hash.toLowerCase() !== hash) {
    throw new TaskInputError(
      `${head(o.hashOption)}: ${o.hash} is not the keccak256 of the document read from ${read.source} (${hash})`,
    );
  }
  return { hash, source: read.source };
}

type Read = { bytes: Uint8Array; source: string } | { unreadable: string };

async function fromUri(uri: string): Promise<Read> {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
  if (scheme === "file") {
    const file = fileURLToPath(uri);
    return existsSync(file) ? { bytes: readFileSync(file), source: uri } : { unreadable: "no such file" };
  }
  if (scheme === "http" || scheme === "https") return fetchDocument(uri);
  if (scheme !== undefined && scheme.length > 1) return { unreadable: `no ${scheme}:// gateway here` };
  return existsSync(uri) && statSync(uri).isFile()
    ? { bytes: readFileSync(uri), source: uri }
    : { unreadable: "not a local file, and not a file:// or http(s):// URI" };
}

async function fetchDocument(uri: string): Promise<Read> {
  try {
    const response = await fetch(uri, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    if (!response.ok) return { unreadable: `the server answered ${response.status}` };
    return { bytes: new Uint8Array(await response.arrayBuffer()), source: uri };
  } catch (error) {
    const reason =
      (error as Error).name === "TimeoutError" ? `no answer in ${FETCH_TIMEOUT_MS / 1000} s` : "fetch failed";
    return { unreadable: reason };
  }
}
