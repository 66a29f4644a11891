/**
 * The checks Snapshot's sequencer makes on every signed message before it accepts it, run offline: envelope shape,
 * size, timestamp window, EIP-712 domain, the types' hash listed in snapshot.js's `hashedTypes.json`, sender equal
 * to signer, signature verified with `snapshot.utils.verify`, message id equal to the EIP-712 hash
 * (`snapshot.utils.getHash`), duplicates; then the payload against snapshot.js's proposal / vote schemas.
 * Rejections use the sequencer's own wording, so a test reading one knows what Snapshot would answer.
 *
 * The hub and sequencer are not published on npm (TOOLCHAIN.md, Integrations): this is our reading of their
 * published behaviour, driven entirely by snapshot.js's code and data, never by copies of them.
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";

import { isAddress } from "ethers";

import { snapshot } from "./snapshotjs.js";

/** `sha256(JSON.stringify(types))` → message kind, shipped in snapshot.js's tarball and read from it at run time. */
const hashedTypes: Record<string, string> = createRequire(import.meta.url)(
  "@snapshot-labs/snapshot.js/src/sign/hashedTypes.json",
);

/** The EIP-712 domain every Snapshot message is signed under (no chainId, no verifying contract). */
export const SNAPSHOT_DOMAIN = { name: "snapshot", version: "0.1.4" } as const;
/** Messages may be stamped at most this far ahead of the sequencer's clock, seconds. */
export const TIMESTAMP_AHEAD = 300;
/** ... and at most this far behind it, seconds (3 days). */
export const TIMESTAMP_BEHIND = 3 * 86_400;
/** Largest accepted envelope, characters of JSON. */
export const MAX_ENVELOPE = 100_000;

export interface TypedField {
  name: string;
  type: string;
}

/** What Client712 posts: the signer's address, the signature and the signed typed data. */
export interface Envelope {
  address: string;
  sig: string;
  data: {
    domain: { name: string; version: string; chainId?: number };
    types: Record<string, TypedField[]>;
    message: Record<string, unknown> & { from: string; timestamp: number; space?: string };
    primaryType?: string;
  };
}

export type Accepted = { ok: true; id: string; kind: string; envelope: Envelope };
export type Rejected = { ok: false; error: string };

export interface CheckOptions {
  /** Sequencer clock, seconds; defaults to the wall clock. */
  now?: number;
  /** The space's network (Snapshot network id), used by `verify` for contract signatures. */
  network: string;
  /** Ids already accepted. */
  seen?: ReadonlySet<string>;
}

/** The hex sha256 of the JSON of `types` without `EIP712Domain`: the key into `hashedTypes.json`. */
export function typesHash(types: Record<string, TypedField[]>): string {
  return createHash("sha256")
    .update(JSON.stringify(withoutDomainType(types)))
    .digest("hex");
}

/** The message kind Snapshot files a types object under (`vote`, `proposal`, ...), or undefined if unknown. */
export function messageKind(types: Record<string, TypedField[]>): string | undefined {
  return hashedTypes[typesHash(types)];
}

function envelopeShape(body: unknown): body is Envelope {
  if (typeof body !== "object" || body === null) return false;
  const e = body as Record<string, unknown>;
  if (Object.keys(e).some((k) => !["address", "data", "sig"].includes(k))) return false;
  if (typeof e.address !== "string" || !isAddress(e.address) || typeof e.sig !== "string") return false;
  const data = e.data as Record<string, unknown> | undefined;
  if (typeof data !== "object" || data === null) return false;
  if (Object.keys(data).some((k) => !["domain", "message", "types", "primaryType"].includes(k))) return false;
  const domain = data.domain as Record<string, unknown> | undefined;
  const message = data.message as Record<string, unknown> | undefined;
  if (typeof domain !== "object" || domain === null || typeof domain.name !== "string") return false;
  if (typeof domain.version !== "string") return false;
  if (typeof data.types !== "object" || data.types === null) return false;
  if (typeof message !== "object" || message === null) return false;
  return typeof message.from === "string" && isAddress(message.from) && typeof message.timestamp === "number";
}

/** Runs the sequencer's checks on one posted body, in the sequencer's order. */
export async function checkEnvelope(body: unknown, options: CheckOptions): Promise<Accepted | Rejected> {
  if (!envelopeShape(body)) return { ok: false, error: "wrong envelope format" };
  if (JSON.stringify(body).length > MAX_ENVELOPE) return { ok: false, error: "too large message" };
  const now = options.now ?? Date.now() / 1000;
  const { domain, message, types } = body.data;
  if (message.timestamp > now + TIMESTAMP_AHEAD || message.timestamp < now - TIMESTAMP_BEHIND) {
    return { ok: false, error: "wrong timestamp" };
  }
  if (domain.name !== SNAPSHOT_DOMAIN.name || domain.version !== SNAPSHOT_DOMAIN.version) {
    return { ok: false, error: "wrong domain" };
  }
  const kind = messageKind(types);
  if (kind === undefined) return { ok: false, error: "wrong types" };
  if (body.address !== message.from) return { ok: false, error: "wrong from" };
  const signed = { domain, types: withoutDomainType(types), message };
  try {
    if (!(await snapshot.utils.verify(body.address, body.sig, signed, options.network))) {
      return { ok: false, error: "signature validation failed" };
    }
  } catch {
    return { ok: false, error: "signature validation failed" };
  }
  const id = snapshot.utils.getHash(signed);
  if (options.seen?.has(id)) return { ok: false, error: "duplicate message" };
  const payloadProblem = checkPayload(kind, message);
  if (payloadProblem !== undefined) return { ok: false, error: payloadProblem };
  return { ok: true, id, kind, envelope: body };
}

function withoutDomainType(types: Record<string, TypedField[]>): Record<string, TypedField[]> {
  const rest = { ...types };
  delete rest.EIP712Domain;
  return rest;
}

/** The sequencer's writers validate proposal and vote payloads with snapshot.js's schemas. */
function checkPayload(kind: string, message: Record<string, unknown>): string | undefined {
  if (kind === "proposal") {
    let plugins: unknown;
    try {
      plugins = JSON.parse(String(message.plugins));
    } catch {
      return "wrong proposal format";
    }
    const payload = {
      name: message.title,
      body: message.body,
      discussion: message.discussion ?? "",
      choices: message.choices,
      start: message.start,
      end: message.end,
      snapshot: message.snapshot,
      metadata: { plugins },
      type: message.type,
      app: message.app ?? "",
    };
    if (snapshot.utils.validateSchema(snapshot.schemas.proposal, payload) !== true) return "wrong proposal format";
    if (Number(message.end) <= Number(message.start)) return "wrong proposal period";
  }
  if (kind === "vote" || kind === "vote-array" || kind === "vote-string") {
    let metadata: unknown = {};
    try {
      metadata = JSON.parse(String(message.metadata ?? "{}"));
    } catch {
      return "wrong vote format";
    }
    const choice = kind === "vote-string" ? safeJson(String(message.choice)) : message.choice;
    const payload = {
      proposal: message.proposal,
      choice,
      reason: message.reason ?? "",
      app: message.app ?? "",
      metadata,
    };
    if (snapshot.utils.validateSchema(snapshot.schemas.vote, payload) !== true) return "wrong vote format";
  }
  return undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
