/**
 * Lists the files of a model directory for publication: regular files only, sorted by POSIX path, skipping `.git`
 * and every other name starting with a dot. A symbolic link is followed only when it resolves to a regular file
 * inside the directory, or, when the directory is a Hugging Face cache snapshot (`…/snapshots/<revision>`), inside
 * that repository's `blobs/` (where every file of a snapshot links to). Any other link (pointing elsewhere, so that a
 * stray link cannot publish a key or a home directory file; or at a directory) is refused, naming it.
 */
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import path from "node:path";

import { checkManifestPath, ManifestError } from "./manifest.ts";

/** One file to publish. */
export interface ModelFile {
  /** Relative POSIX path inside the directory. */
  path: string;
  /** Where to read it (the link's target for a symbolic link). */
  absolute: string;
  size: number;
}

/** A model directory that cannot be published as it is; the message names the path and the problem. */
export class ModelDirError extends Error {
  /** @param message one line naming the directory or file. */
  constructor(message: string) {
    super(message);
    this.name = "ModelDirError";
  }
}

/** The files of `dir`, sorted by path; refuses a missing, non-directory or empty `dir` and escaping links. */
export async function listModelFiles(dir: string): Promise<ModelFile[]> {
  let root: string;
  try {
    root = await realpath(dir);
  } catch {
    throw new ModelDirError(`${dir} does not exist`);
  }
  if (!(await stat(root)).isDirectory()) throw new ModelDirError(`${dir} is not a directory`);
  const files: ModelFile[] = [];
  const allowed = [root];
  if (path.basename(path.dirname(root)) === "snapshots") allowed.push(path.resolve(root, "..", "..", "blobs"));
  await walk(root, root, files, allowed);
  if (files.length === 0) throw new ModelDirError(`${dir} has no files to publish (dotfiles and .git are skipped)`);
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return files;
}

/** Whether `target` lies inside one of `roots`. */
function insideAny(roots: string[], target: string): boolean {
  return roots.some((root) => {
    const inside = path.relative(root, target);
    return !(inside === "" || inside === ".." || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside));
  });
}

async function walk(root: string, dir: string, files: ModelFile[], allowed: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    const absolute = path.join(dir, entry.name);
    const relative = path.relative(root, absolute).split(path.sep).join("/");
    try {
      checkManifestPath(relative, "path");
    } catch (error) {
      throw new ModelDirError(
        `cannot publish ${absolute}: ${(error as ManifestError).message.replace(/^manifest path: /, "")}`,
      );
    }
    const info = await lstat(absolute);
    if (info.isDirectory()) {
      await walk(root, absolute, files, allowed);
    } else if (info.isFile()) {
      files.push({ path: relative, absolute, size: info.size });
    } else if (info.isSymbolicLink()) {
      let target: string;
      try {
        target = await realpath(absolute);
      } catch {
        throw new ModelDirError(`${relative} is a symbolic link to nothing`);
      }
      if (!insideAny(allowed, target)) {
        throw new ModelDirError(`${relative} is a symbolic link pointing outside the model directory (${target})`);
      }
      const targetInfo = await stat(target);
      if (!targetInfo.isFile()) {
        throw new ModelDirError(`${relative} is a symbolic link to a directory; only links to files are followed`);
      }
      files.push({ path: relative, absolute: target, size: targetInfo.size });
    }
    // Sockets, FIFOs and devices are not model files: skipped.
  }
}
