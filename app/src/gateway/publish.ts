/**
 * Publishing a version through the gateway from the browser: the files the user picked (one by one, or a folder,
 * whose top folder is dropped so that `my-model/README.md` publishes as `README.md`), read as base64 and posted as
 * `{files: [{path, base64}]}` to `POST /api/models/weightshare/<id>/versions` with the session's bearer token. The
 * gateway answers the new version, its metadata URI and content hash (what the DAO must adopt on chain). Dotfiles
 * (`.DS_Store`, `.git/…`) are left out, as `ws publish` leaves them out.
 */
import { GatewayProblem, repoPath, type GatewaySession } from "./api.ts";

/** A picked file and the path it publishes as. */
export interface PickedFile {
  path: string;
  file: File;
}

/** What the gateway published. */
export interface PublishedVersion {
  version: number;
  metadataURI: string;
  contentHash: `0x${string}`;
  commit: string;
  manifestCid: string;
  files: { path: string; size: number; sha256: string }[];
}

/** The publishable files among `files` (paths relative to a picked folder) and the dotfiles left out. */
export function pickFiles(files: readonly File[]): { picked: PickedFile[]; skipped: string[] } {
  const withPaths = files.map((file) => ({ file, path: file.webkitRelativePath || file.name }));
  // A folder pick names every file "<folder>/…": publish the folder's content, not the folder.
  const tops = new Set(withPaths.map((f) => (f.path.includes("/") ? f.path.split("/")[0] : "")));
  const strip = tops.size === 1 && !tops.has("") ? [...tops][0].length + 1 : 0;
  const picked: PickedFile[] = [];
  const skipped: string[] = [];
  for (const f of withPaths) {
    const path = f.path.slice(strip);
    if (path.split("/").some((segment) => segment.startsWith("."))) skipped.push(path);
    else if (!picked.some((p) => p.path === path)) picked.push({ path, file: f.file });
  }
  picked.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { picked, skipped };
}

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.onerror = () => reject(new Error(`cannot read ${file.name}: ${reader.error?.message ?? "unknown error"}`));
    reader.readAsDataURL(file);
  });
}

/** Uploads `files` as the next version of `modelId`; a refusal throws a GatewayProblem with the gateway's words. */
export async function publishVersion(
  gatewayUrl: string,
  session: GatewaySession,
  modelId: bigint,
  files: readonly PickedFile[],
): Promise<PublishedVersion> {
  const body = JSON.stringify({
    files: await Promise.all(files.map(async (f) => ({ path: f.path, base64: await base64Of(f.file) }))),
  });
  let response: Response;
  try {
    response = await fetch(`${gatewayUrl}/api/models/${repoPath(modelId)}/versions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${session.token}`, "Content-Type": "application/json" },
      body,
    });
  } catch {
    throw new GatewayProblem(0, "Gateway unreachable", `the gateway at ${new URL(gatewayUrl).origin} did not answer`);
  }
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const type = typeof answer.type === "string" ? answer.type : "";
    throw new GatewayProblem(
      response.status,
      typeof answer.title === "string" ? answer.title : `HTTP ${response.status}`,
      typeof answer.detail === "string" ? answer.detail : `the gateway answered HTTP ${response.status}`,
      type.split("/").pop() ?? "",
    );
  }
  const published = answer as unknown as PublishedVersion;
  if (
    typeof published.version !== "number" ||
    typeof published.metadataURI !== "string" ||
    !/^0x[0-9a-f]{64}$/.test(String(published.contentHash))
  ) {
    throw new GatewayProblem(response.status, "Bad answer", "the gateway's answer names no version and content hash");
  }
  return published;
}
