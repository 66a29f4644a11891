/**
 * Retries with exponential backoff for the settler's chain calls. A JSON-RPC endpoint that times out, drops the
 * connection or answers 5xx is retried (`baseMs`, doubling, at most `maxMs` apart, `maxAttempts` tries in all); a
 * contract revert or a lack of funds is not (retrying within seconds cannot change them) and is thrown at once.
 */
import { isError } from "ethers";

/** How a failed chain call is retried. */
export interface RetryPolicy {
  /** First delay, in milliseconds (default 1,000). */
  baseMs: number;
  /** Longest delay, in milliseconds (default 60,000). */
  maxMs: number;
  /** Tries in all, the first included (default 5). */
  maxAttempts: number;
}

/** The default policy: 1 s, 2 s, 4 s, 8 s, then give up until the next settlement pass. */
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 1_000, maxMs: 60_000, maxAttempts: 5 };

/** Thrown by `sleep` and `withRetry` when the settler is being stopped. */
export class SettlerStopped extends Error {
  constructor() {
    super("the settler is stopping");
    this.name = "SettlerStopped";
  }
}

/**
 * Whether `error` is a call the chain refused (a revert, with its revert data): retrying the same call gives the
 * same. ethers also reports an `eth_call` or `eth_estimateGas` the endpoint failed to answer as CALL_EXCEPTION, but
 * with no revert data: that one is a network error, and retried.
 */
export function isRevert(error: unknown): boolean {
  return isError(error, "CALL_EXCEPTION") && (typeof error.data === "string" || error.receipt != null);
}

/**
 * Whether retrying may help: anything but a revert, a lack of funds (the operator must be topped up first) or a
 * stop. Network errors, timeouts, server errors, nonce races and unrecognised errors are retried.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof SettlerStopped || isRevert(error) || isError(error, "INSUFFICIENT_FUNDS")) return false;
  // Nodes word it differently (Hardhat: "Sender doesn't have enough funds"), and ethers maps only geth's wording.
  return !/insufficient funds|have enough funds/i.test(describeError(error));
}

/** The delay before try `attempt + 1` (attempt counts from 1): `baseMs * 2^(attempt-1)`, at most `maxMs`, jittered down by up to half. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const full = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(full / 2 + (full / 2) * random());
}

/** Resolves after `ms`, or rejects with `SettlerStopped` as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new SettlerStopped());
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new SettlerStopped());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs `call`, retrying it per `policy` while its error is retryable (`isRetryable`); `onRetry` hears each failure
 * that will be retried. Throws the last error, or `SettlerStopped` when `signal` aborts between tries.
 */
export async function withRetry<T>(
  what: string,
  call: () => Promise<T>,
  policy: RetryPolicy,
  options: {
    signal?: AbortSignal;
    onRetry?: (what: string, error: unknown, attempt: number, delayMs: number) => void;
  } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw new SettlerStopped();
    try {
      return await call();
    } catch (error) {
      if (!isRetryable(error) || attempt >= policy.maxAttempts) throw error;
      const delayMs = backoffDelay(policy, attempt);
      options.onRetry?.(what, error, attempt, delayMs);
      await sleep(delayMs, options.signal);
    }
  }
}

/**
 * A one-line description of an error for logs and the ledger: ethers' `shortMessage`, with the JSON-RPC error it
 * wraps when that says more ("could not coalesce error: connection reset ..."), at most 300 characters.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 300);
  const {
    shortMessage,
    error: rpc,
    info,
  } = error as {
    shortMessage?: string;
    error?: { message?: unknown };
    info?: { error?: { message?: unknown } };
  };
  let text = shortMessage ?? error.message;
  const inner = rpc?.message ?? info?.error?.message;
  if (typeof inner === "string" && inner !== "" && !text.includes(inner)) text = `${text}: ${inner}`;
  return text.split("\n")[0].slice(0, 300);
}
