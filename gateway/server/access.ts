/**
 * On-chain access checks: `LicenseManager.hasAccess(modelId, account)` evaluated at the chain's current block and
 * cached for that block only (keyed by block hash, so a reorganised block is never mistaken for the one it replaced), so no answer is ever older than the newest block the gateway has seen. Downloads call
 * `check` again for every chunk they send: a licence that expires or is transferred away stops a stream within one
 * block. A chain that cannot be read is a 503, never a silent "yes".
 */
import type { Provider } from "ethers";

import { hasAccess } from "../../client/reads.js";
import type { LicenseManager } from "../../types/ethers-contracts/index.js";
import type { GatewayMetrics } from "./metrics.js";
import { HttpProblem } from "./problem.js";

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

/** Per-block cached `hasAccess` reads. */
export class AccessChecker {
  private readonly cache = new Map<string, { hash: string; result: Promise<boolean> }>();

  /**
   * @param provider the chain (its current block number is read on every check)
   * @param licenses the LicenseManager, connected to `provider`
   * @param metrics counters for checks and cache hits
   */
  constructor(
    private readonly provider: ChainProvider,
    private readonly licenses: LicenseManager,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** The chain's current block number, read fresh (not from ethers' short-lived cache); 503 when unreachable. */
  async currentBlock(): Promise<number> {
    return (await this.head()).number;
  }

  /** Number and hash of the chain's latest block, read fresh; 503 when unreachable. */
  async head(): Promise<{ number: number; hash: string }> {
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

  /** Whether `account` may use `modelId` at the current block (cached for that block). */
  async check(modelId: bigint, account: string): Promise<AccessResult> {
    const { number: block, hash } = await this.head();
    const key = `${modelId}:${account.toLowerCase()}`;
    const cached = this.cache.get(key);
    let result: Promise<boolean>;
    if (cached !== undefined && cached.hash === hash) {
      this.metrics.accessCache.inc({ result: "hit" });
      result = cached.result;
    } else {
      this.metrics.accessCache.inc({ result: "miss" });
      result = hasAccess(this.licenses, modelId, account, block);
      this.cache.set(key, { hash, result });
      if (this.cache.size > 10_000) this.prune(hash);
      result.catch(() => this.cache.delete(key));
    }
    try {
      const granted = await result;
      this.metrics.accessChecks.inc({ result: granted ? "granted" : "denied" });
      return { granted, block };
    } catch {
      this.metrics.accessChecks.inc({ result: "error" });
      throw chainUnavailable();
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
