/**
 * A model's Snapshot space settings: what a consortium pastes into (or signs as) its Snapshot space so that
 * gas-free signalling votes weigh exactly what the model's on-chain governance weighs.
 *
 * Two strategies, both core Snapshot strategies that read the chain through `snapshot.js`'s `utils.multicall`:
 * - `erc20-votes` on the model's `ModelVotes` (`getVotes(account)`): delegated voting power, as in the Governor;
 * - `erc1155-balance-of` on `ModelShares` for the model id (`balanceOf(account, id)`): raw holdings.
 * Snapshot adds a voter's strategy scores, so with both a fraction counts once for its holder and once for the
 * holder's delegate; every tally here also reports the score per strategy so either reading is available.
 * Pass `strategies: ["votes"]` for a space that mirrors the Governor exactly.
 *
 * Settings are validated with snapshot.js's own space schema (`snapshot.schemas.space`), the one Snapshot's hub
 * applies, so a change in Snapshot's format fails our tests instead of a consortium's space update.
 */
import { getAddress } from "ethers";

import type { Model } from "../../sdk/index.js";
import type { ModelShares } from "../../types/ethers-contracts/index.js";
import { snapshot } from "./snapshotjs.js";

/** The strategies a model's space can use. */
export type StrategyKind = "votes" | "holdings";

export interface SnapshotStrategy {
  name: "erc20-votes" | "erc1155-balance-of";
  network: string;
  params: { address: string; symbol: string; decimals: number; tokenId?: string };
}

export interface SpaceSettings {
  name: string;
  about: string;
  network: string;
  symbol: string;
  strategies: SnapshotStrategy[];
  admins: string[];
  moderators: string[];
  members: string[];
  filters: { minScore: number; onlyMembers: boolean };
  validation: { name: string; params: Record<string, unknown> };
  voteValidation: { name: string; params: Record<string, unknown> };
  voting: { delay: number; period: number; type: string; hideAbstain: boolean; quorum?: number };
  treasuries: { name: string; address: string; network: string }[];
  categories: string[];
}

/** Everything the settings are built from; the SDK reads it from the chain (`spaceInputFor`). */
export interface SpaceInput {
  /** Snapshot network id: the chain id, as a decimal string. */
  network: string;
  modelId: bigint;
  /** The model's name (ModelVotes `name()`); shortened to Snapshot's 32 characters if longer. */
  name: string;
  symbol: string;
  votes: string;
  shares: string;
  timelock: string;
  /** Governor voting delay and period, seconds. */
  votingDelay: bigint;
  votingPeriod: bigint;
  /** Fraction decimals (ModelVotes `decimals()`: 0). */
  decimals: number;
  admins?: string[];
  strategies?: StrategyKind[];
}

/** Snapshot's limits, from its space schema (checked against it in tests). */
const NAME_MAX = 32;
const SYMBOL_MAX = 16;
const DELAY_MAX = 30 * 86_400;
const PERIOD_MAX = 366 * 86_400;

export class SpaceSettingsError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "SpaceSettingsError";
  }
}

/** Builds the settings for a model's space; throws `SpaceSettingsError` naming the field Snapshot would refuse. */
export function buildSpaceSettings(input: SpaceInput): SpaceSettings {
  const kinds = input.strategies ?? ["votes", "holdings"];
  if (kinds.length === 0 || new Set(kinds).size !== kinds.length) {
    throw new SpaceSettingsError(
      "strategies",
      `strategies: expected "votes", "holdings" or both, got ${kinds.join(",")}`,
    );
  }
  const symbol = input.symbol.slice(0, SYMBOL_MAX);
  const strategies = kinds.map((kind): SnapshotStrategy => {
    if (kind === "votes") {
      return {
        name: "erc20-votes",
        network: input.network,
        params: { address: getAddress(input.votes), symbol, decimals: input.decimals },
      };
    }
    if (kind === "holdings") {
      return {
        name: "erc1155-balance-of",
        network: input.network,
        params: {
          address: getAddress(input.shares),
          symbol,
          tokenId: input.modelId.toString(),
          decimals: input.decimals,
        },
      };
    }
    throw new SpaceSettingsError("strategies", `strategies: expected "votes" or "holdings", got ${String(kind)}`);
  });
  if (input.votingDelay > BigInt(DELAY_MAX)) {
    throw new SpaceSettingsError(
      "voting.delay",
      `voting.delay: Snapshot allows at most ${DELAY_MAX} s, got ${input.votingDelay}`,
    );
  }
  if (input.votingPeriod > BigInt(PERIOD_MAX)) {
    throw new SpaceSettingsError(
      "voting.period",
      `voting.period: Snapshot allows at most ${PERIOD_MAX} s, got ${input.votingPeriod}`,
    );
  }
  const fullName = input.name.trim() === "" ? `Model ${input.modelId}` : input.name.trim();
  return {
    name: fullName.length > NAME_MAX ? `${fullName.slice(0, NAME_MAX - 1)}…` : fullName,
    about: `Signalling for Weightshare model ${input.modelId}. Binding decisions go through the model's Governor.`,
    network: input.network,
    symbol,
    strategies,
    admins: (input.admins ?? []).map((a) => getAddress(a)),
    moderators: [],
    members: [],
    filters: { minScore: 1, onlyMembers: false },
    // Proposing needs at least one whole fraction of power; voting is open to anyone (power 0 counts nothing).
    validation: { name: "basic", params: { minScore: 1 } },
    voteValidation: { name: "any", params: {} },
    voting: {
      delay: Number(input.votingDelay),
      period: Number(input.votingPeriod),
      type: "single-choice",
      hideAbstain: false,
    },
    treasuries: [{ name: "Model treasury (timelock)", address: getAddress(input.timelock), network: input.network }],
    categories: ["ai-agent"],
  };
}

/** One problem snapshot.js's schema found: where, and what it says. */
export interface SchemaProblem {
  path: string;
  message: string;
}

/**
 * Validates settings with snapshot.js's space schema, as Snapshot's hub does, and our strategies' params with the
 * rules of their published schemas (`validateStrategyParams`). `snapshotEnv: "mainnet"` restricts
 * networks to Snapshot's production list (no testnets), as snapshot.org does.
 */
export function validateSpaceSettings(
  settings: unknown,
  snapshotEnv: "default" | "mainnet" = "default",
): SchemaProblem[] {
  const result = snapshot.utils.validateSchema(snapshot.schemas.space, settings, { snapshotEnv, spaceType: "default" });
  const problems =
    result === true
      ? []
      : (result as { instancePath: string; message?: string }[]).map((e) => ({
          path: e.instancePath === "" ? "/" : e.instancePath,
          message: e.message ?? "invalid",
        }));
  const strategies = (settings as { strategies?: unknown }).strategies;
  return [...problems, ...validateStrategyParams(Array.isArray(strategies) ? (strategies as SnapshotStrategy[]) : [])];
}

/**
 * The parameter rules Snapshot's strategy registry publishes for our two strategies (snapshot-strategies'
 * `erc20-votes/schema.json` and `erc1155-balance-of/schema.json`): which fields exist, which are required, and
 * their limits. Snapshot validates a space's strategy params against them; so do we, before a consortium signs.
 */
export const STRATEGY_PARAM_RULES = {
  "erc20-votes": { required: ["address"], allowed: ["address", "symbol", "decimals"], maxDecimals: 18 },
  "erc1155-balance-of": {
    required: ["address", "tokenId", "decimals"],
    allowed: ["address", "symbol", "tokenId", "decimals"],
    maxDecimals: Infinity,
  },
} as const;

/** Problems Snapshot's strategy schemas would report for the settings' strategy params. */
export function validateStrategyParams(strategies: SnapshotStrategy[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  strategies.forEach((strategy, i) => {
    // Other strategies have other schemas; a space may list them, and Snapshot checks those itself.
    if (typeof strategy?.params !== "object" || !Object.hasOwn(STRATEGY_PARAM_RULES, strategy.name)) return;
    const rules = STRATEGY_PARAM_RULES[strategy.name];
    const at = (field: string) => `/strategies/${i}/params${field === "" ? "" : `/${field}`}`;
    const params = strategy.params as Record<string, unknown>;
    for (const field of rules.required) {
      if (params[field] === undefined) problems.push({ path: at(field), message: "is required" });
    }
    for (const field of Object.keys(params)) {
      if (!(rules.allowed as readonly string[]).includes(field)) {
        problems.push({ path: at(field), message: "is not a parameter of this strategy" });
      }
    }
    if (!/^0x[a-fA-F0-9]{40}$/.test(String(params.address)))
      problems.push({ path: at("address"), message: "must be a 0x address" });
    if (typeof params.symbol === "string" && params.symbol.length > 16) {
      problems.push({ path: at("symbol"), message: "must be at most 16 characters" });
    }
    const d = params.decimals;
    if (d !== undefined && (!Number.isInteger(d) || (d as number) < 0 || (d as number) > rules.maxDecimals)) {
      problems.push({ path: at("decimals"), message: `must be an integer from 0 to ${rules.maxDecimals}` });
    }
    if (params.tokenId !== undefined && (typeof params.tokenId !== "string" || params.tokenId.length > 100)) {
      problems.push({ path: at("tokenId"), message: "must be a string of at most 100 characters" });
    }
  });
  return problems;
}

/** True when Snapshot lists `network` (a chain id as a decimal string) among the networks it serves. */
export function isSnapshotNetwork(network: string): boolean {
  return validateSpaceSettings({ name: "probe", network, strategies: [{ name: "ticket" }] }).length === 0;
}

/** Reads a model's space input from the chain: its contracts, names and governor timing. */
export async function readSpaceInput(
  model: Model,
  shares: ModelShares,
  options: { network?: string; admins?: string[]; strategies?: StrategyKind[] } = {},
): Promise<SpaceInput> {
  const provider = model.votes.runner?.provider;
  const chainId = provider ? (await provider.getNetwork()).chainId : 0n;
  return {
    network: options.network ?? chainId.toString(),
    modelId: model.modelId,
    name: await model.votes.name(),
    symbol: await model.votes.symbol(),
    votes: await model.votes.getAddress(),
    shares: await shares.getAddress(),
    timelock: await model.timelock.getAddress(),
    votingDelay: await model.governor.votingDelay(),
    votingPeriod: await model.governor.votingPeriod(),
    decimals: Number(await model.votes.decimals()),
    ...(options.admins ? { admins: options.admins } : {}),
    ...(options.strategies ? { strategies: options.strategies } : {}),
  };
}
