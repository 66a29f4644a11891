/**
 * The body of `POST /api/models/:org/:name/versions`: one JSON object `{ files: [{ path, base64 }] }`, checked before
 * anything touches a disk: every path relative POSIX (no `..`, `.` or empty segment, no leading `/`, no backslash,
 * NUL or control character, no drive letter, at most 1024 bytes), no dotfile or dot-folder (publishing skips them, so
 * they would vanish silently), no duplicate, no path that is both a file and a folder; every `base64` strict
 * base64; at most `MAX_UPLOAD_FILES` files and `maxBytes` decoded bytes in all. Each refusal is a 400 (413 for size)
 * problem naming the path. `writeUpload` then writes the files under a fresh temporary directory.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { checkManifestPath, ManifestError } from "../publish/manifest.ts";
import { HttpProblem } from "./problem.ts";

/** Most files one upload may carry. */
export const MAX_UPLOAD_FILES = 1000;

/** One decoded file of an upload. */
export interface UploadFile {
  path: string;
  bytes: Buffer;
}

/** The JSON body limit that lets `maxBytes` of files through as base64, with room for paths and punctuation. */
export function uploadBodyLimit(maxBytes: number): number {
  return Math.ceil(maxBytes / 3) * 4 + MAX_UPLOAD_FILES * 1200 + 1024;
}

function badUpload(detail: string, extensions: Record<string, unknown> = {}): HttpProblem {
  return new HttpProblem({ status: 400, title: "Bad upload", kind: "bad-upload", detail, extensions });
}

/** The 413 problem of an upload past `maxBytes`. */
export function uploadTooLarge(maxBytes: number, got?: number): HttpProblem {
  const size = got === undefined ? "" : ` (this one has ${got} bytes of files)`;
  return new HttpProblem({
    status: 413,
    title: "Upload too large",
    kind: "upload-too-large",
    detail:
      `a version published through the gateway may hold at most ${maxBytes} bytes of files${size}; ` +
      `publish larger models with ws publish on the gateway's host`,
    extensions: { maxBytes },
  });
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Checks one path; returns it or throws a 400 problem naming it. */
function uploadPath(value: unknown, index: number): string {
  if (typeof value !== "string") throw badUpload(`files[${index}].path: expected a string, the file's relative path`);
  const shown = JSON.stringify(value.slice(0, 200));
  try {
    checkManifestPath(value, `files[${index}].path`);
  } catch (error) {
    if (error instanceof ManifestError) {
      throw badUpload(error.message.replace(/^manifest /, ""), { path: value });
    }
    throw error;
  }
  if (value.split("/").some((segment) => segment.startsWith("."))) {
    throw badUpload(`file path ${shown} names a dotfile or dot-folder; those are never published: leave it out`, {
      path: value,
    });
  }
  return value;
}

/** The files of an upload body, decoded and checked (see the module comment). */
export function parseUpload(body: unknown, maxBytes: number): UploadFile[] {
  const files = (body as { files?: unknown } | null)?.files;
  if (body === null || typeof body !== "object" || !Array.isArray(files)) {
    throw badUpload('expected a JSON object {"files": [{"path": "README.md", "base64": "…"}, …]}');
  }
  if (files.length === 0) throw badUpload('"files" is empty: a version needs at least one file');
  if (files.length > MAX_UPLOAD_FILES) {
    throw badUpload(`"files" has ${files.length} entries; at most ${MAX_UPLOAD_FILES} per version`);
  }
  const seen = new Set<string>();
  const decoded: UploadFile[] = [];
  let total = 0;
  files.forEach((entry: unknown, index) => {
    if (entry === null || typeof entry !== "object") throw badUpload(`files[${index}]: expected {path, base64}`);
    const { path: rawPath, base64 } = entry as { path?: unknown; base64?: unknown };
    const file = uploadPath(rawPath, index);
    if (seen.has(file)) throw badUpload(`file path ${JSON.stringify(file)} appears twice`, { path: file });
    seen.add(file);
    if (typeof base64 !== "string" || base64.length % 4 !== 0 || !BASE64.test(base64)) {
      throw badUpload(`${JSON.stringify(file)}: "base64" must be the file's bytes in standard padded base64`, {
        path: file,
      });
    }
    const bytes = Buffer.from(base64, "base64");
    total += bytes.length;
    if (total > maxBytes) throw uploadTooLarge(maxBytes);
    decoded.push({ path: file, bytes });
  });
  for (const file of seen) {
    const parts = file.split("/");
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join("/");
      if (seen.has(folder)) {
        throw badUpload(`file path ${JSON.stringify(folder)} is also a folder (of ${JSON.stringify(file)})`, {
          path: folder,
        });
      }
    }
  }
  return decoded;
}

/** Writes `files` under a new temporary directory and returns it (the caller removes it). */
export async function writeUpload(files: UploadFile[]): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "ws-upload-"));
  try {
    for (const file of files) {
      const target = path.resolve(dir, ...file.path.split("/"));
      // Belt and braces: parseUpload already refused every path that could leave the directory.
      if (!target.startsWith(dir + path.sep)) {
        throw badUpload(`file path ${JSON.stringify(file.path)} leaves the model`);
      }
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.bytes, { flag: "wx" });
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return dir;
}
