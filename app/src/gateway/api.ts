/**
 * The gateway's HTTP API as the browser uses it (the gateway answers this app's origin with CORS): Sign-In with
 * Ethereum (`GET /auth/nonce`, then `POST /auth/siwe` with an EIP-4361 message built by viem for this page's own
 * origin, which the gateway accepts as it allows the origin, and signed by the wallet) for a bearer token; a model's published files (`GET /api/models/weightshare/<id>`, the Hugging Face model
 * info of revision `main`, the version adopted on chain); one file (`GET /weightshare/<id>/resolve/<commit>/<path>`)
 * as a Blob. Every refusal becomes a `GatewayProblem` carrying the gateway's problem+json title and detail.
 */
import { getAddress, type Address, type Hex } from "viem";
import { createSiweMessage } from "viem/siwe";

/** The organisation of every repository the gateway serves: `weightshare/<model id>`. */
export const REPO_ORG = "weightshare";
/** The statement the gateway's own clients sign. */
export const SIGN_IN_STATEMENT = "Sign in to the Weightshare gateway";

/** A refusal from the gateway (RFC 9457 problem+json), or a failure to reach it. */
export class GatewayProblem extends Error {
  /** HTTP status (0: the gateway could not be reached). */
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /** The last part of the problem's `type` (`licence-required`, `revision-not-found`...), or "". */
  readonly kind: string;

  /** @param status HTTP status; @param title, detail and kind from the problem body. */
  constructor(status: number, title: string, detail: string, kind = "") {
    super(`${title}: ${detail}`);
    this.name = "GatewayProblem";
    this.status = status;
    this.title = title;
    this.detail = detail;
    this.kind = kind;
  }
}

/** A signed-in session: the bearer token for `Authorization: Bearer`. */
export interface GatewaySession {
  token: string;
  address: Address;
  expiresAt: Date;
}

/** One published file. */
export interface GatewayFile {
  path: string;
  size: number;
}

/** The files of the version a revision names. */
export interface ModelFiles {
  /** The version number (1, 2...). */
  version: number;
  /** Its 40-hex commit (downloads name it, so every file comes from the same version). */
  commit: string;
  files: GatewayFile[];
}

/** A commit id as the gateway names versions: 40 lower-case hex digits. */
const COMMIT = /^[0-9a-f]{40}$/;

async function request(url: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new GatewayProblem(
      0,
      "Gateway unreachable",
      `the gateway at ${new URL(url).origin} did not answer (it may be down, or not allow this site)`,
    );
  }
  if (response.ok) return response;
  let body: { title?: unknown; detail?: unknown; type?: unknown } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // not problem+json: the status says it
  }
  const kind = typeof body.type === "string" ? (body.type.split("/").pop() ?? "") : "";
  throw new GatewayProblem(
    response.status,
    typeof body.title === "string" ? body.title : `HTTP ${response.status}`,
    typeof body.detail === "string" ? body.detail : `the gateway answered HTTP ${response.status}`,
    kind,
  );
}

function bearer(session: GatewaySession): HeadersInit {
  return { Authorization: `Bearer ${session.token}` };
}

/**
 * Signs in as `address` on `chainId`: a nonce from the gateway, an EIP-4361 message naming `page` (this page's
 * host and origin: the site the wallet sees asking, so it shows no phishing warning), signed by `sign` (the wallet),
 * exchanged for a token. Refuses, before anything is signed, a gateway that signs in users of another domain or
 * serves another chain.
 */
export async function signInToGateway(
  gatewayUrl: string,
  address: Address,
  chainId: number,
  sign: (message: string) => Promise<Hex>,
  page: Pick<Location, "host" | "origin"> = window.location,
): Promise<GatewaySession> {
  const base = new URL(gatewayUrl.endsWith("/") ? gatewayUrl : `${gatewayUrl}/`);
  const answer = (await (await request(new URL("auth/nonce", base).href, { cache: "no-store" })).json()) as {
    nonce?: unknown;
    domain?: unknown;
    chainId?: unknown;
    statement?: unknown;
  };
  if (typeof answer.nonce !== "string") {
    throw new GatewayProblem(200, "Bad answer", "the gateway gave no sign-in nonce");
  }
  if (typeof answer.domain === "string" && answer.domain !== base.host) {
    throw new GatewayProblem(
      200,
      "Domain mismatch",
      `the gateway signs in users of "${answer.domain}" but this app reaches it at "${base.host}": the app's ` +
        `configuration must name the gateway's public URL`,
    );
  }
  if (answer.chainId !== undefined && Number(answer.chainId) !== chainId) {
    throw new GatewayProblem(
      200,
      "Chain mismatch",
      `the gateway serves chain ${String(answer.chainId)}, but the wallet is on chain ${chainId}`,
    );
  }
  const message = createSiweMessage({
    domain: page.host,
    address: getAddress(address),
    statement: typeof answer.statement === "string" ? answer.statement : SIGN_IN_STATEMENT,
    uri: `${page.origin}/`,
    version: "1",
    chainId,
    nonce: answer.nonce,
    issuedAt: new Date(),
  });
  const signature = await sign(message);
  const session = (await (
    await request(new URL("auth/siwe", base).href, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ message, signature }),
    })
  ).json()) as { token?: unknown; address?: unknown; expiresAt?: unknown };
  if (typeof session.token !== "string" || typeof session.address !== "string") {
    throw new GatewayProblem(200, "Bad answer", "the gateway's sign-in answer has no token");
  }
  return {
    token: session.token,
    address: getAddress(session.address),
    expiresAt: new Date(typeof session.expiresAt === "string" ? session.expiresAt : 0),
  };
}

/** The repository path of `modelId` (`weightshare/7`). */
export function repoPath(modelId: bigint): string {
  return `${REPO_ORG}/${modelId}`;
}

/** The files of the version on chain (`main`) of `modelId`, as the signed-in account may see them. */
export async function listModelFiles(
  gatewayUrl: string,
  session: GatewaySession,
  modelId: bigint,
  revision = "main",
): Promise<ModelFiles> {
  const url = `${gatewayUrl}/api/models/${repoPath(modelId)}/revision/${encodeURIComponent(revision)}`;
  const info = (await (await request(url, { headers: bearer(session) })).json()) as {
    sha?: unknown;
    siblings?: { rfilename?: unknown; size?: unknown }[];
    weightshare?: { version?: unknown };
  };
  if (typeof info.sha !== "string" || !Array.isArray(info.siblings)) {
    throw new GatewayProblem(200, "Bad answer", `the gateway's model info of model #${modelId} has no file list`);
  }
  if (!COMMIT.test(info.sha)) {
    throw new GatewayProblem(
      200,
      "Bad answer",
      `the gateway's model info of model #${modelId} names commit "${info.sha.slice(0, 80)}", not 40 lower-case hex`,
    );
  }
  return {
    version: Number(info.weightshare?.version ?? 0),
    commit: info.sha,
    files: info.siblings
      .filter((s) => typeof s.rfilename === "string")
      .map((s) => ({ path: s.rfilename as string, size: Number(s.size ?? 0) })),
  };
}

/** Downloads `path` of version `commit` of `modelId` into memory. */
export async function downloadFile(
  gatewayUrl: string,
  session: GatewaySession,
  modelId: bigint,
  commit: string,
  path: string,
): Promise<Blob> {
  if (!COMMIT.test(commit)) {
    throw new GatewayProblem(200, "Bad answer", `"${commit.slice(0, 80)}" is not a commit id (40 lower-case hex)`);
  }
  const file = path.split("/").map(encodeURIComponent).join("/");
  const response = await request(`${gatewayUrl}/${repoPath(modelId)}/resolve/${commit}/${file}`, {
    headers: bearer(session),
  });
  return response.blob();
}

/** Saves `blob` as a file named after `path`'s last part, through a blob URL and a link's download attribute. */
export function saveBlob(blob: Blob, path: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = path.split("/").pop() || "download";
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has taken the URL once the click's navigation started; revoke it after that turn.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
