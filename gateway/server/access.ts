/**
 * On-chain access checks: `LicenseManager.hasAccess(modelId, account)` evaluated at the chain's latest block and
 * cached for that block only (keyed by block hash, so a reorganised block is never mistaken for the one it replaced).
 * The latest block itself is read at most once per `blockPollMs` (default 200 ms), shared by every request in flight:
 * downloads call `check` for every chunk they send, and one JSON-RPC round trip per MiB would cap them far below
 * disk speed. So a licence that expires or is transferred away stops a stream within one block, or within
 * `blockPollMs` on chains whose blocks come faster. A chain that cannot be read is a 503, never a silent "yes".
 */
import type { Provider } from "ethers";

import { hasAccess } from "../../client/reads.ts";
import type { LicenseManager } from "../../types/ethers-contracts/index.ts";
import type { GatewayMetrics } from "./metrics.ts";
import { HttpProblem } from "./problem.ts";

/** A provider that may also take raw JSON-RPC calls (JsonRpcProvider, BrowserProvider). */
export type ChainProvider = Provider & { send?: (method: string, params: unknown[]) => Promise<unknown> };

/** The on-chain answer for one account and model at one block. */
export interface AccessResult {
  granted: boolean;
  /** The block the answer was read at. */
  block: number;
}

/** The 503 for a chain the gateway cannot read. */
export function chainUnavailable(): HttpProblem {
  return new HttpProblem({
    status: 503,
    title: "Chain unreachable",
    kind: "chain-unreachable",
    detail: "the gateway cannot read the chain to check licences right now; retry shortly",
    headers: { "Retry-After": "5" },
  });
}

/** The 403 for an account without access, saying how to get a licence. */
export function licenceRequired(modelId: bigint, account: string): HttpProblem {
  return new HttpProblem({
    status: 403,
    title: "Licence required",
    kind: "licence-required",
    detail:
      `${account} holds no live licence (and no fractions) of model #${modelId}: buy one with ` +
      `\`ws buy --model-id ${modelId} --offer-id <offer>\` (offers: \`ws model --model-id ${modelId}\`), or renew a ` +
      `lapsed one with \`ws renew --licence-id <id>\` (yours: \`ws licences --account ${account}\`), then retry`,
    headers: { "X-Error-Code": "GatedRepo" },
    extensions: { modelId: modelId.toString(), account },
  });
}

/** Default `blockPollMs`: well under any chain's block time but Arbitrum's (250 ms). */
export const DEFAULT_BLOCK_POLL_MS = 200;

/** Per-block cached `hasAccess` reads. */
export class AccessChecker {
  private readonly cache = new Map<string, { hash: string; result: Promise<boolean> }>();
  private latest?: { at: number; head: Promise<{ number: number; hash: string }> };
  private readonly reads = new Map<string, { hash: string; value: Promise<unknown> }>();
  private readonly provider: ChainProvider;
  private readonly licenses: LicenseManager;
  private readonly metrics: GatewayMetrics;
  private readonly blockPollMs: number;

  /**
   * @param provider the chain (its current block number is read on every check)
   * @param licenses the LicenseManager, connected to `provider`
   * @param metrics counters for checks and cache hits
   * @param blockPollMs how long the latest block is reused (0: read on every check)
   */
  constructor(
    provider: ChainProvider,
    licenses: LicenseManager,
    metrics: GatewayMetrics,
    blockPollMs: number = DEFAULT_BLOCK_POLL_MS,
  ) {
    this.provider = provider;
    this.licenses = licenses;
    this.metrics = metrics;
    this.blockPollMs = blockPollMs;
  }

  /** The chain's current block number, read fresh (not from ethers' short-lived cache); 503 when unreachable. */
  async currentBlock(): Promise<number> {
    return (await this.head()).number;
  }

  /** Number and hash of the chain's latest block, at most `blockPollMs` old (or read now); 503 when unreachable. */
  async head(fresh = false): Promise<{ number: number; hash: string }> {
    const now = Date.now();
    if (!fresh && this.latest !== undefined && now - this.latest.at < this.blockPollMs) return this.latest.head;
    const head = this.readHead();
    const entry = { at: now, head };
    this.latest = entry;
    head.catch(() => {
      if (this.latest === entry) this.latest = undefined;
    });
    return head;
  }

  /** Number and hash of the chain's latest block, read fresh (not from ethers' short-lived cache). */
  private async readHead(): Promise<{ number: number; hash: string }> {
    try {
      if (typeof this.provider.send === "function") {
        const block = (await this.provider.send("eth_getBlockByNumber", ["latest", false])) as {
          number: string;
          hash: string;
        };
        return { number: Number(BigInt(block.number)), hash: block.hash };
      }
      const block = await this.provider.getBlock("latest");
      if (block === null || block.hash === null) throw new Error("no latest block");
      return { number: block.number, hash: block.hash };
    } catch {
      throw chainUnavailable();
    }
  }

  /**
   * Whether `account` may use `modelId` at the latest block (cached for that block). A refusal is never based on a
   * reused head: it is confirmed at a freshly read block, so a licence bought a moment ago works at once.
   */
  async check(modelId: bigint, account: string): Promise<AccessResult> {
    try {
      let result = await this.checkAt(await this.head(), modelId, account);
      if (!result.granted && this.blockPollMs > 0) {
        const fresh = await this.head(true);
        if (fresh.hash !== result.hash) result = await this.checkAt(fresh, modelId, account);
      }
      this.metrics.accessChecks.inc({ result: result.granted ? "granted" : "denied" });
      return { granted: result.granted, block: result.block };
    } catch (error) {
      this.metrics.accessChecks.inc({ result: "error" });
      throw error instanceof HttpProblem ? error : chainUnavailable();
    }
  }

  private async checkAt(
    head: { number: number; hash: string },
    modelId: bigint,
    account: string,
  ): Promise<AccessResult & { hash: string }> {
    const key = `${modelId}:${account.toLowerCase()}`;
    const cached = this.cache.get(key);
    let result: Promise<boolean>;
    if (cached !== undefined && cached.hash === head.hash) {
      this.metrics.accessCache.inc({ result: "hit" });
      result = cached.result;
    } else {
      this.metrics.accessCache.inc({ result: "miss" });
      result = hasAccess(this.licenses, modelId, account, head.number);
      this.cache.set(key, { hash: head.hash, result });
      if (this.cache.size > 10_000) this.prune(head.hash);
      result.catch(() => this.cache.delete(key));
    }
    return { granted: await result, block: head.number, hash: head.hash };
  }

  /**
   * Another read of chain state, made at the latest block and cached for that block like access answers (e.g. a
   * model's `uri`, read for every `main` request); 503 when the chain cannot be read (a problem the read itself
   * throws is passed on).
   */
  async atHead<T>(key: string, read: (block: number) => Promise<T>): Promise<T> {
    const head = await this.head();
    const cached = this.reads.get(key);
    if (cached !== undefined && cached.hash === head.hash) return cached.value as Promise<T>;
    const value = read(head.number);
    this.reads.set(key, { hash: head.hash, value });
    if (this.reads.size > 10_000) this.reads.clear();
    value.catch(() => this.reads.delete(key));
    try {
      return await value;
    } catch (error) {
      throw error instanceof HttpProblem ? error : chainUnavailable();
    }
  }

  /** `check`, throwing the 403 problem when access is refused. */
  async require(modelId: bigint, account: string): Promise<number> {
    const { granted, block } = await this.check(modelId, account);
    if (!granted) throw licenceRequired(modelId, account);
    return block;
  }

  private prune(hash: string): void {
    for (const [key, entry] of this.cache) if (entry.hash !== hash) this.cache.delete(key);
  }
}
