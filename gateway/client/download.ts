/**
 * Decrypting a manifest's files to a directory, verified: each file's ciphertext is streamed from a source, its
 * chunks authenticated and decrypted one at a time (gateway/encryption/chunks.ts), its ciphertext size checked and
 * its plaintext SHA-256 compared with the manifest, into a temporary file next to the target that is renamed into
 * place only once everything matched. On any mismatch the temporary file is deleted and nothing is left behind; the
 * error names the file (and the chunk, when a chunk failed). Paths are checked against traversal twice: by the
 * manifest's own rules, and by resolving the target (symbolic links included) inside the output directory.
 */
import { createHash, randomBytes } from "node:crypto";
import { lstat, mkdir, open, realpath, rename, rm } from "node:fs/promises";
import path from "node:path";

import { ChunkAuthenticationError, decryptFile } from "../encryption/chunks.ts";
import { checkManifestPath, type Manifest, type ManifestFile } from "../publish/manifest.ts";
import { SequentialReader } from "../encryption/sequential-reader.ts";
import type { CiphertextSource } from "./sources.ts";

/** A file fetched, decrypted and verified. */
export interface FetchedFile {
  /** Path in the model (POSIX, relative). */
  path: string;
  /** Where it was written. */
  target: string;
  size: number;
  sha256: string;
  cid: string;
  ciphertextSize: number;
}

/** A file could not be fetched or did not verify; nothing was written for it. */
export class FileVerificationError extends Error {
  /** The file's path in the model. */
  readonly file: string;
  /** The chunk that failed authentication, when that was the problem. */
  readonly chunk?: number;

  /**
   * @param file the file's path in the model
   * @param problem what was wrong
   * @param chunk the chunk that failed authentication, when that was the problem
   */
  constructor(file: string, problem: string, chunk?: number, options?: { cause?: unknown }) {
    super(`${file}: ${problem}; nothing was written for it`, options);
    this.name = "FileVerificationError";
    this.file = file;
    if (chunk !== undefined) this.chunk = chunk;
  }
}

/** What `downloadFiles` takes. */
export interface DownloadOptions {
  manifest: Manifest;
  /** The version's content key (32 bytes). */
  contentKey: Uint8Array;
  source: CiphertextSource;
  /** Output directory (created when missing). */
  outDir: string;
  /** Called after each file is verified and in place. */
  onFile?: (file: FetchedFile) => void;
}

/** Fetches, decrypts and verifies every file of `manifest` into `outDir`, one at a time; see the module comment. */
export async function downloadFiles(options: DownloadOptions): Promise<FetchedFile[]> {
  await mkdir(options.outDir, { recursive: true });
  const root = await realpath(options.outDir);
  const fetched: FetchedFile[] = [];
  for (const file of options.manifest.files) {
    const result = await downloadFile(options, root, file);
    fetched.push(result);
    options.onFile?.(result);
  }
  return fetched;
}

/** The absolute target of `relative` inside `root`, refusing anything that would land outside it. */
export async function targetInside(root: string, relative: string): Promise<string> {
  try {
    checkManifestPath(relative);
  } catch (error) {
    throw new FileVerificationError(relative.slice(0, 200), (error as Error).message.replace(/^manifest path: /, ""));
  }
  const target = path.resolve(root, ...relative.split("/"));
  const inside = (p: string) => {
    const r = path.relative(root, p);
    return r !== "" && !r.startsWith("..") && !path.isAbsolute(r);
  };
  if (!inside(target)) throw new FileVerificationError(relative, `resolves outside the output directory ${root}`);
  // A directory on the way that is a symbolic link out of the output directory is refused, before anything is
  // created through it: the deepest directory that exists is resolved first.
  const escapes = (dir: string) => dir !== root && !inside(dir);
  let existing = path.dirname(target);
  while (existing !== root && !(await exists(existing))) existing = path.dirname(existing);
  const resolved = await realpath(existing);
  if (escapes(resolved)) {
    throw new FileVerificationError(relative, `its directory resolves outside the output directory (${resolved})`);
  }
  await mkdir(path.dirname(target), { recursive: true });
  const parent = await realpath(path.dirname(target));
  if (escapes(parent)) {
    throw new FileVerificationError(relative, `its directory resolves outside the output directory (${parent})`);
  }
  return path.join(parent, path.basename(target));
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

async function downloadFile(options: DownloadOptions, root: string, file: ManifestFile): Promise<FetchedFile> {
  const target = await targetInside(root, file.path);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString("hex")}.partial`);
  let opened;
  try {
    opened = await options.source.open(file.cid);
  } catch (error) {
    throw new FileVerificationError(
      file.path,
      `cannot read ciphertext ${file.cid} from ${options.source.description}: ${(error as Error).message}`,
      undefined,
      { cause: error },
    );
  }
  const reader = new SequentialReader(opened.body, `${file.path} (${file.cid})`);
  const handle = await open(temp, "wx", 0o644);
  let closed = false;
  try {
    if (opened.size !== undefined && opened.size !== file.ciphertextSize) {
      throw new FileVerificationError(
        file.path,
        `its ciphertext ${file.cid} is ${opened.size} bytes, the manifest says ${file.ciphertextSize}`,
      );
    }
    const sha256 = createHash("sha256");
    let written = 0;
    const header = { fileId: Buffer.from(file.fileId, "hex"), size: file.size, chunkSize: options.manifest.chunkSize };
    for await (const piece of decryptFile(options.contentKey, header, reader.read)) {
      sha256.update(piece);
      await handle.write(piece);
      written += piece.length;
    }
    await reader.end();
    if (reader.consumed !== file.ciphertextSize) {
      throw new FileVerificationError(
        file.path,
        `read ${reader.consumed} ciphertext bytes, the manifest says ${file.ciphertextSize}`,
      );
    }
    const digest = sha256.digest("hex");
    if (written !== file.size || digest !== file.sha256) {
      throw new FileVerificationError(
        file.path,
        `plaintext SHA-256 ${digest} (${written} bytes) does not match the manifest's ${file.sha256} (${file.size} bytes)`,
      );
    }
    await handle.sync();
    await handle.close();
    closed = true;
    await rename(temp, target);
    return {
      path: file.path,
      target,
      size: file.size,
      sha256: digest,
      cid: file.cid,
      ciphertextSize: file.ciphertextSize,
    };
  } catch (error) {
    if (!closed) await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw asVerificationError(file, error);
  } finally {
    await reader.close();
  }
}

function asVerificationError(file: ManifestFile, error: unknown): Error {
  if (error instanceof FileVerificationError) return error;
  if (error instanceof ChunkAuthenticationError) {
    return new FileVerificationError(file.path, error.message, error.chunkIndex, { cause: error });
  }
  return new FileVerificationError(file.path, (error as Error).message, undefined, { cause: error });
}
