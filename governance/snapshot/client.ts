/**
 * Creating Snapshot proposals and votes: snapshot.js's `Client712` does the EIP-712 signing and the POST, exactly
 * as snapshot.org's UI does; an ethers 6 signer takes part through a one-method adapter (`Client712` calls the
 * ethers 5 `_signTypedData`, which ethers 6 names `signTypedData`).
 */
import type { Signer, TypedDataDomain, TypedDataField } from "ethers";

import { snapshot } from "./snapshotjs.js";

/** What `Client712.sign` needs from a "web3" argument: an ethers 5 style signer. */
export interface Client712Signer {
  _signTypedData(
    domain: TypedDataDomain,
    types: Record<string, TypedDataField[]>,
    message: Record<string, unknown>,
  ): Promise<string>;
}

/** Adapts an ethers 6 signer (a wallet, a Hardhat account) to what `Client712` calls. */
export function client712Signer(signer: Signer): Client712Signer {
  return { _signTypedData: (domain, types, message) => signer.signTypedData(domain, types, message) };
}

/** A Snapshot hub or sequencer refused a message; `reason` is its own wording ("wrong timestamp", ...). */
export class SnapshotHubError extends Error {
  constructor(readonly reason: string) {
    super(`Snapshot endpoint refused the message: ${reason}`);
    this.name = "SnapshotHubError";
  }
}

export type SnapshotProposalType = "single-choice" | "approval" | "ranked-choice" | "weighted" | "quadratic" | "basic";

export interface ProposalInput {
  space: string;
  title: string;
  body?: string;
  discussion?: string;
  type?: SnapshotProposalType;
  choices: string[];
  /** Unix seconds. */
  start: number;
  end: number;
  /** Block number at which voting power is read. */
  snapshot: number;
  /** Unix seconds; Client712 stamps the wall clock when omitted. */
  timestamp?: number;
}

export interface VoteInput {
  space: string;
  /** Proposal id: the EIP-712 hash of its message, as returned by `createProposal`. */
  proposal: string;
  type?: SnapshotProposalType;
  /** 1-based choice index (single-choice, basic); arrays or maps for the other types. */
  choice: number | number[] | Record<string, number>;
  reason?: string;
  timestamp?: number;
}

/** Where messages go: a Snapshot sequencer URL (`https://seq.snapshot.org`) or any compatible endpoint. */
export class SnapshotClient {
  private readonly client: InstanceType<typeof snapshot.Client712>;

  constructor(readonly url: string) {
    this.client = new snapshot.Client712(url);
  }

  /** Signs and sends a proposal; resolves to its id (the EIP-712 hash of the signed message). */
  async createProposal(signer: Signer, input: ProposalInput): Promise<string> {
    const address = await signer.getAddress();
    const message = {
      space: input.space,
      type: input.type ?? "single-choice",
      title: input.title,
      body: input.body ?? "",
      discussion: input.discussion ?? "",
      choices: input.choices,
      labels: [],
      start: input.start,
      end: input.end,
      snapshot: input.snapshot,
      plugins: "{}",
      app: "weightshare",
      ...(input.timestamp === undefined ? {} : { timestamp: input.timestamp }),
    };
    return this.send(() => this.client.proposal(web3(signer), address, message));
  }

  /** Signs and sends a vote; resolves to the vote's id. */
  async vote(signer: Signer, input: VoteInput): Promise<string> {
    const address = await signer.getAddress();
    const message = {
      space: input.space,
      proposal: input.proposal,
      type: input.type ?? "single-choice",
      choice: input.choice,
      reason: input.reason ?? "",
      app: "weightshare",
      ...(input.timestamp === undefined ? {} : { timestamp: input.timestamp }),
    };
    return this.send(() => this.client.vote(web3(signer), address, message));
  }

  private async send(post: () => Promise<unknown>): Promise<string> {
    let answer: unknown;
    try {
      answer = await post();
    } catch (e) {
      const body = e as { error_description?: unknown; message?: unknown; status?: unknown };
      if (typeof body?.error_description === "string") throw new SnapshotHubError(body.error_description);
      if (typeof body?.status === "number") throw new SnapshotHubError(`HTTP ${body.status}`);
      throw new SnapshotHubError(typeof body?.message === "string" ? body.message : String(e));
    }
    const id = (answer as { id?: unknown })?.id;
    if (typeof id !== "string") throw new SnapshotHubError(`answer without an id: ${JSON.stringify(answer)}`);
    return id;
  }
}

/** Client712 is typed for ethers 5 providers and wallets; the adapter is what it actually calls. */
function web3(signer: Signer): Parameters<InstanceType<typeof snapshot.Client712>["vote"]>[0] {
  return client712Signer(signer) as unknown as Parameters<InstanceType<typeof snapshot.Client712>["vote"]>[0];
}

/** A proposal and its counted votes, as a `ws snapshot-hub` endpoint serves them (`GET /api/proposals/<id>`). */
export interface CapturedResult {
  proposal: {
    id: string;
    space: string;
    type: string;
    title: string;
    choices: string[];
    snapshot: number;
    start: number;
    end: number;
  };
  votes: { voter: string; choice: number | number[] | Record<string, number>; reason: string; timestamp: number }[];
}

/** Reads a proposal and its votes back from a local endpoint started by `ws snapshot-hub` (or `startCaptureServer`). */
export async function readCapturedProposal(hubUrl: string, proposal: string): Promise<CapturedResult> {
  const url = new URL(`api/proposals/${proposal}`, hubUrl.endsWith("/") ? hubUrl : `${hubUrl}/`);
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new SnapshotHubError(`unreachable at ${url}: ${(e as Error).message}`);
  }
  const body = (await response.json()) as CapturedResult & { error_description?: string };
  if (!response.ok) throw new SnapshotHubError(body.error_description ?? `HTTP ${response.status}`);
  return body;
}
