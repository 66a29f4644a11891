/**
 * A Snapshot-compatible ingest endpoint on 127.0.0.1 that accepts what snapshot.js's `Client712` posts, applies the
 * sequencer's checks (`sequencer.ts`) and the vote rules of Snapshot's vote writer (known space and proposal, voting
 * window on both clocks, choice valid under snapshot.js's voting class, optional voting-power check, a later vote
 * replaces an earlier one and an earlier one never replaces a later), and keeps what it accepted; `GET /api/proposals/<id>` reads a
 * proposal and its counted votes back. Tests, the demo and anyone rehearsing a signalling vote offline
 * (`ws snapshot-hub`) send real signed messages to it; nothing here is a stand-in for signing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

import { checkEnvelope, type Envelope } from "./sequencer.js";
import { snapshot } from "./snapshotjs.js";

/** What snapshot.js's voting classes expose to check a choice against a proposal's choices. */
interface VotingRules {
  isValidChoice(choice: unknown, choices: string[]): boolean;
}

export interface CapturedProposal {
  id: string;
  author: string;
  space: string;
  type: string;
  title: string;
  body: string;
  choices: string[];
  start: number;
  end: number;
  snapshot: number;
  envelope: Envelope;
}

export interface CapturedVote {
  id: string;
  voter: string;
  space: string;
  proposal: string;
  choice: number | number[] | Record<string, number>;
  reason: string;
  timestamp: number;
  envelope: Envelope;
}

export interface CaptureServer {
  url: string;
  /** Every body posted, accepted or not, with the answer given. */
  readonly log: { body: unknown; answer: { id: string } | { error: string; error_description: string } }[];
  readonly proposals: Map<string, CapturedProposal>;
  /** The counted vote of each voter per proposal (a later vote replaces an earlier one, as on Snapshot). */
  votes(proposal: string): CapturedVote[];
  close(): Promise<void>;
}

export interface CaptureOptions {
  /** Spaces served, each with its Snapshot network id. */
  spaces: Record<string, { network: string }>;
  /** Sequencer clock in seconds; defaults to the wall clock. */
  now?: () => number;
  port?: number;
  /**
   * A voter's power for a proposal (e.g. `computeScores` at its snapshot block); when given, votes with none are
   * refused ("no voting power"), as Snapshot does.
   */
  votingPower?: (voter: string, proposal: CapturedProposal) => Promise<number>;
  /** Called with every answer given, e.g. to print it. */
  onAnswer?: (entry: CaptureServer["log"][number]) => void;
}

/** Starts the endpoint on 127.0.0.1 (a free port unless `port` is given). */
export async function startCaptureServer(options: CaptureOptions): Promise<CaptureServer> {
  const now = options.now ?? (() => Date.now() / 1000);
  const log: CaptureServer["log"] = [];
  const proposals = new Map<string, CapturedProposal>();
  const votes = new Map<string, Map<string, CapturedVote>>();
  const seen = new Set<string>();

  async function ingest(body: unknown): Promise<{ id: string } | string> {
    const space = (body as Envelope | undefined)?.data?.message?.space;
    const served = typeof space === "string" ? options.spaces[space] : undefined;
    const result = await checkEnvelope(body, { now: now(), network: served?.network ?? "1", seen });
    if (!result.ok) return result.error;
    if (served === undefined) return "unknown space";
    const message = result.envelope.data.message as Record<string, unknown>;
    if (result.kind === "proposal") {
      proposals.set(result.id, {
        id: result.id,
        author: result.envelope.address,
        space: String(message.space),
        type: String(message.type),
        title: String(message.title),
        body: String(message.body),
        choices: message.choices as string[],
        start: Number(message.start),
        end: Number(message.end),
        snapshot: Number(message.snapshot),
        envelope: result.envelope,
      });
    } else if (result.kind.startsWith("vote")) {
      const proposal = proposals.get(String(message.proposal));
      if (proposal === undefined || proposal.space !== space) return "unknown proposal";
      // Snapshot's vote writer: both the message's time and the sequencer's clock inside [start, end].
      const at = Math.floor(now());
      const stamped = Number(message.timestamp);
      if (stamped > proposal.end || proposal.start > stamped || at > proposal.end || proposal.start > at) {
        return "not in voting window";
      }
      const choice = result.kind === "vote-string" ? JSON.parse(String(message.choice)) : message.choice;
      const Voting = (snapshot.utils.voting as Record<string, VotingRules | undefined>)[proposal.type];
      if (Voting === undefined || !Voting.isValidChoice(choice, proposal.choices)) return "invalid choice";
      if (options.votingPower !== undefined && (await options.votingPower(result.envelope.address, proposal)) === 0) {
        return "no voting power";
      }
      const forProposal = votes.get(proposal.id) ?? new Map<string, CapturedVote>();
      const previous = forProposal.get(result.envelope.address);
      if (previous !== undefined) {
        if (previous.timestamp > stamped) return "already voted at later time";
        if (previous.timestamp === stamped && result.id.localeCompare(previous.id) <= 0) {
          return "already voted same time with lower index";
        }
      }
      forProposal.set(result.envelope.address, {
        id: result.id,
        voter: result.envelope.address,
        space: String(space),
        proposal: proposal.id,
        choice,
        reason: String(message.reason ?? ""),
        timestamp: Number(message.timestamp),
        envelope: result.envelope,
      });
      votes.set(proposal.id, forProposal);
    } else {
      return `unsupported message kind ${result.kind}`;
    }
    seen.add(result.id);
    return { id: result.id };
  }

  /** `GET /api/proposals/<id>`: a captured proposal and its counted votes, without the signed envelopes. */
  function read(url: string, res: ServerResponse): void {
    const match = /^\/api\/proposals\/(0x[0-9a-fA-F]{64})$/.exec(url);
    const proposal = match ? proposals.get(match[1]) : undefined;
    res.writeHead(proposal ? 200 : 404, { "content-type": "application/json" });
    if (proposal === undefined) {
      res.end(JSON.stringify({ error: "not_found", error_description: "unknown proposal" }));
      return;
    }
    const counted = [...(votes.get(proposal.id)?.values() ?? [])];
    res.end(JSON.stringify({ proposal: withoutEnvelope(proposal), votes: counted.map(withoutEnvelope) }));
  }

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          body = undefined;
        }
        if (req.method === "GET") return read(req.url ?? "/", res);
        const outcome = req.method === "POST" ? await ingest(body) : "wrong method";
        const answer = typeof outcome === "string" ? { error: "client_error", error_description: outcome } : outcome;
        log.push({ body, answer });
        options.onAnswer?.({ body, answer });
        res.writeHead(typeof outcome === "string" ? 400 : 200, { "content-type": "application/json" });
        res.end(JSON.stringify(answer));
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    log,
    proposals,
    votes: (proposal) => [...(votes.get(proposal)?.values() ?? [])],
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}

function withoutEnvelope<T extends { envelope: Envelope }>(record: T): Omit<T, "envelope"> {
  const copy: Partial<T> = { ...record };
  delete copy.envelope;
  return copy as Omit<T, "envelope">;
}
