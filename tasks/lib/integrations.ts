/**
 * What the Snapshot and Tally tasks share: their arguments, each checked into one clear line naming the option; a
 * hub's refusal as such a line; and reading a model's Snapshot power through a Multicall.
 */
import type { ExternalProvider } from "@ethersproject/providers";

import {
  SnapshotHubError,
  buildSpaceSettings,
  computeScores,
  isSnapshotNetwork,
  multicallProvider,
  readSpaceInput,
  type Scores,
  type SnapshotStrategy,
  type StrategyKind,
} from "../../governance/snapshot/index.js";
import type { Model } from "../../sdk/index.js";
import { TaskInputError } from "./cli.js";
import type { Context } from "./context.js";

/** `--hub`: where signed Snapshot messages go (Snapshot's sequencer, or a compatible endpoint). */
export function hubUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TaskInputError(`--hub: expected an http(s) URL of a Snapshot sequencer, got "${value}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TaskInputError(`--hub: expected an http(s) URL of a Snapshot sequencer, got "${value}"`);
  }
  return url.toString();
}

/** `--space`: a Snapshot space id, e.g. `vision-7b.eth`. */
export function spaceId(value: string): string {
  if (!/^[a-z0-9][a-z0-9.-]{0,63}$/.test(value)) {
    throw new TaskInputError(`--space: expected a Snapshot space id such as vision-7b.eth, got "${value}"`);
  }
  return value;
}

/** `--strategies`: `votes`, `holdings` or both, comma-separated (default both). */
export function strategyKinds(value: string): StrategyKind[] {
  if (value === "") return ["votes", "holdings"];
  const kinds = value.split(",").map((k) => k.trim());
  if (kinds.some((k) => k !== "votes" && k !== "holdings") || new Set(kinds).size !== kinds.length) {
    throw new TaskInputError(`--strategies: expected votes, holdings or votes,holdings, got "${value}"`);
  }
  return kinds as StrategyKind[];
}

/** `--network-id`: the Snapshot network the space reads (default: the connected chain), checked against Snapshot. */
export function snapshotNetwork(value: string, chainId: bigint): string {
  const network = value === "" ? chainId.toString() : value;
  if (!isSnapshotNetwork(network)) {
    throw new TaskInputError(
      value === ""
        ? `--network-id: chain ${chainId} is not a network Snapshot serves; pass the Snapshot network id the model is deployed on (e.g. 1, 11155111, 8453)`
        : `--network-id: expected a network id Snapshot serves (e.g. 1, 11155111, 8453), got "${value}"`,
    );
  }
  return network;
}

/** `--proposal`: a Snapshot proposal id, the EIP-712 hash of its message. */
export function snapshotProposalId(value: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) {
    throw new TaskInputError(`--proposal: expected a Snapshot proposal id (0x + 64 hex digits), got "${value}"`);
  }
  return value;
}

/** Runs a call to a Snapshot endpoint; its refusal becomes one line naming `--hub`. */
export async function viaHub<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof SnapshotHubError) throw new TaskInputError(`--hub: ${e.message}`);
    throw e;
  }
}

/** The model's space strategies on this chain, and a reader of voters' power under them at a block. */
export async function snapshotPower(
  ctx: Context,
  m: Model,
  kinds: StrategyKind[],
  multicall: string,
): Promise<{ strategies: SnapshotStrategy[]; at(addresses: string[], snapshot: number): Promise<Scores> }> {
  const network = ctx.chainId.toString();
  const { strategies } = buildSpaceSettings(await readSpaceInput(m, ctx.shares, { network, strategies: kinds }));
  const provider = multicallProvider(ctx.connection.provider as unknown as ExternalProvider);
  return {
    strategies,
    at: (addresses, snapshot) => computeScores({ provider, network, strategies, addresses, snapshot, multicall }),
  };
}
