/**
 * Loopback HTTP load for the inference rows of `npm run bench:gateway`: JSON POSTs over keep-alive connections, as
 * an OpenAI or Open Inference Protocol client sends them, one caller at a time (latency) or many (calls per second).
 * Counts and time are bounded. Every answer must be 200: the first that is not stops the run, naming it.
 */
import { Agent, request } from "node:http";

/** Where one call goes and what it sends. */
export interface CallTarget {
  url: string;
  headers: Record<string, string>;
  /** The JSON body, already serialised. */
  body: string;
}

/** Milliseconds one POST of `target` took until its whole answer arrived; rejects unless it answered 200. */
export function postOnce(agent: Agent, target: CallTarget): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = request(
      target.url,
      {
        method: "POST",
        agent,
        headers: {
          ...target.headers,
          "content-type": "application/json",
          "content-length": Buffer.byteLength(target.body),
        },
      },
      (res) => {
        const parts: Buffer[] = [];
        res.on("data", (part: Buffer) => parts.push(part));
        res.on("end", () => {
          const ms = Number(process.hrtime.bigint() - start) / 1e6;
          if (res.statusCode === 200) return resolve(ms);
          const text = Buffer.concat(parts).toString("utf8").slice(0, 300);
          reject(new Error(`POST ${target.url}: expected 200, got ${res.statusCode}: ${text}`));
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(target.body);
  });
}

/** A keep-alive agent for `sockets` concurrent callers. */
function agentFor(sockets: number): Agent {
  return new Agent({ keepAlive: true, maxSockets: sockets });
}

/**
 * Latencies (ms) of each target, one call at a time: `warmUp` calls each first (not counted), then `rounds` rounds
 * of `perRound` calls per target in turn, so whatever else the machine does falls on every target alike.
 */
export async function interleavedLatencies(
  targets: CallTarget[],
  rounds: number,
  perRound: number,
  warmUp = 50,
): Promise<number[][]> {
  const agent = agentFor(1);
  try {
    const samples = targets.map((): number[] => []);
    for (const target of targets) for (let i = 0; i < warmUp; i++) await postOnce(agent, target);
    for (let round = 0; round < rounds; round++) {
      for (const [t, target] of targets.entries()) {
        for (let i = 0; i < perRound; i++) samples[t].push(await postOnce(agent, target));
      }
    }
    return samples;
  } finally {
    agent.destroy();
  }
}

/** Bounds of one throughput run. */
export interface LoadBounds {
  /** Callers in flight at once. */
  concurrency: number;
  /** At most this many calls... */
  count: number;
  /** ...and no longer than this (ms): the run stops starting calls then. */
  maxMs: number;
}

/**
 * Calls per second with `bounds.concurrency` callers, each call going to the next of `targets` in turn (one target,
 * or replicas behind a round-robin balancer), after a warm-up of `bounds.concurrency * 5` calls.
 */
export async function callsPerSecond(targets: CallTarget[], bounds: LoadBounds): Promise<number> {
  const agent = agentFor(bounds.concurrency);
  try {
    let next = 0;
    const one = () => postOnce(agent, targets[next++ % targets.length]);
    const warm = Array.from({ length: bounds.concurrency }, async () => {
      for (let i = 0; i < 5; i++) await one();
    });
    await Promise.all(warm);
    let started = 0;
    let done = 0;
    const begin = process.hrtime.bigint();
    const elapsedMs = () => Number(process.hrtime.bigint() - begin) / 1e6;
    const caller = async () => {
      while (started < bounds.count && elapsedMs() < bounds.maxMs) {
        started++;
        await one();
        done++;
      }
    };
    await Promise.all(Array.from({ length: bounds.concurrency }, caller));
    return done / (elapsedMs() / 1000);
  } finally {
    agent.destroy();
  }
}

/** Best calls per second of each set of targets over `rounds` interleaved rounds (see `callsPerSecond`). */
export async function interleavedThroughput(
  sets: CallTarget[][],
  rounds: number,
  bounds: LoadBounds,
): Promise<number[]> {
  const best = sets.map(() => 0);
  for (let round = 0; round < rounds; round++) {
    for (const [i, set] of sets.entries()) best[i] = Math.max(best[i], await callsPerSecond(set, bounds));
  }
  return best;
}

/** One small Open Inference Protocol call (a batch of one row of three FP32) to model `modelId` on `gateway`. */
export function oipCall(gateway: string, token: string, modelId: bigint): CallTarget {
  return {
    url: `${gateway}/v2/models/${modelId}/infer`,
    headers: { authorization: `Bearer ${token}` },
    body: JSON.stringify({ inputs: [{ name: "x", shape: [1, 3], datatype: "FP32", data: [1, 2, 3] }] }),
  };
}

/**
 * One small, non-streamed OpenAI chat completion of `model` against the OpenAI base URL `base` (ending in /v1),
 * with `token` as the API key when given.
 */
export function chatCall(base: string, model: string, token?: string): CallTarget {
  return {
    url: `${base}/chat/completions`,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    body: JSON.stringify({
      model,
      messages: [{ role: "user", content: "How many credits does one call cost here?" }],
      max_tokens: 16,
    }),
  };
}
