/**
 * What every task shares: reading and checking its arguments (one clear line naming the bad argument and what was
 * expected, before any transaction is sent), finding the deployed protocol, and printing text or `--json`.
 */
import { existsSync, readFileSync } from "node:fs";

import { getAddress, isAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import {
  badDeploymentKey,
  deploymentFromRecord,
  fromIgnition,
  recordedDeploymentPath,
  type Deployment as ClientDeployment,
} from "../../client/deployment.js";
import { isUnreachable, unreachable } from "./unreachable.js";

/** A bad argument: printed as one line, the task exits non-zero, and nothing was sent. */
export class TaskInputError extends Error {}

/**
 * Transactions prepared for a Safe (`--safe ADDRESS`) instead of sent: simulated as the Safe, then printed as a
 * Safe Transaction Builder batch (Safe{Wallet} > Transaction Builder > drag and drop) for its owners to sign.
 */
export class SafeBatch extends Error {
  constructor(readonly batch: object) {
    super("prepared for a Safe");
  }
}

/**
 * Wraps a task action: a `TaskInputError` becomes `error: <message>` on stderr and exit code 1; a `SafeBatch` is
 * printed as JSON on stdout and the task exits 0. A network nothing answers on (no node at --network localhost) is
 * one `error: --network: ...` line too, not Hardhat's HHE703.
 */
export function action<A>(run: (args: A, hre: HardhatRuntimeEnvironment) => Promise<void>) {
  return async (args: A, hre: HardhatRuntimeEnvironment): Promise<void> => {
    try {
      await run(args, hre);
    } catch (error) {
      if (error instanceof SafeBatch) {
        console.log(JSON.stringify(error.batch, null, 2));
        return;
      }
      if (error instanceof TaskInputError) {
        console.error(`error: ${error.message}`);
        process.exitCode = 1;
        return;
      }
      if (isUnreachable(error)) {
        console.error(`error: ${await unreachable(hre, error)}`);
        process.exitCode = 1;
        return;
      }
      throw error;
    }
  };
}

/**
 * Refuses an action that costs gas and does nothing, or something the user likely did not mean, unless `--force`:
 * `error: --<name>: <message>; pass --force to send it anyway`.
 */
export function confirm(args: { force?: boolean }, name: string, message: string): void {
  if (args.force !== true) throw new TaskInputError(`--${name}: ${message}; pass --force to send it anyway`);
}

export function address(name: string, value: string): string {
  if (!isAddress(value)) {
    if (/^0x[0-9a-fA-F]{40}$/.test(value)) {
      throw new TaskInputError(
        `--${name}: bad checksum in "${value}" (a typo? the checksummed form of these characters is ${getAddress(String(value).toLowerCase())})`,
      );
    }
    throw new TaskInputError(`--${name}: expected a 0x-prefixed 20-byte address, got "${value}"`);
  }
  return getAddress(value);
}

export function uint(name: string, value: string, max: bigint = 2n ** 256n - 1n): bigint {
  if (/^0x[0-9a-fA-F]+$/.test(value)) value = BigInt(value).toString();
  if (!/^\d+$/.test(value)) throw new TaskInputError(`--${name}: expected a whole number, got "${value}"`);
  const n = BigInt(value);
  if (n > max) throw new TaskInputError(`--${name}: expected at most ${max}, got ${value}`);
  return n;
}

export function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new TaskInputError(`--${name}: expected one of ${allowed.join(", ")}, got "${value}"`);
  }
  return value as T;
}

export function jsonFile(name: string, file: string): unknown {
  if (!existsSync(file)) throw new TaskInputError(`--${name}: expected a JSON file, but "${file}" does not exist`);
  const text = readFileSync(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TaskInputError(`--${name}: expected valid JSON in "${file}": ${jsonErrorAt(text, error as Error)}`);
  }
}

/** A JSON syntax error as "line L, column C: <what>", from the position V8 reports. */
export function jsonErrorAt(text: string, error: Error): string {
  const what = error.message.replace(/ in JSON at position \d+.*$/, "");
  const match = /at position (\d+)/.exec(error.message);
  const position = match === null ? text.length : Number(match[1]);
  const before = text.slice(0, position).split("\n");
  return `line ${before.length}, column ${before[before.length - 1].length + 1}: ${what}`;
}

/** The protocol's addresses as tasks see them: the client's `Deployment`, with the admin timelock Ignition records. */
export type Deployment = ClientDeployment & { adminTimelock: string };

/** The addresses a task's deployment record must hold by default. */
const ADDRESSES = ["shares", "registry", "vault", "licenses", "meter", "adminTimelock"] as const;
/**
 * Addresses a record may hold: the Multicall, Raises and FractionSales (issue #14; older records have neither,
 * and only the tasks of raises and sales need them: tasks/lib/raises.ts), and EAS, its SchemaRegistry and the two
 * resolvers (issue #15; only the attestation tasks need them: tasks/lib/attestations.ts), and the lineage registry
 * of derivative models (issue #15; only `ws derive` needs it: tasks/lib/lineage.ts).
 */
const OPTIONAL_ADDRESSES = [
  "multicall",
  "raises",
  "sales",
  "lineage",
  "eas",
  "schemaRegistry",
  "reviewResolver",
  "provenanceResolver",
] as const;

/**
 * The protocol's addresses on the connected chain: `--deployment FILE` (a JSON object with shares, registry, vault,
 * licenses, meter, adminTimelock and optionally multicall, raises and sales, or an Ignition
 * `deployed_addresses.json`), or what Ignition recorded in deploy/deployments/chain-<id>/deployed_addresses.json.
 * `required` names the addresses the caller uses (default: all); any other present must still be an address. A
 * record written before V2 has no `meter` (the UsageMeter): tasks that only need the admin timelock (`ws upgrade`)
 * still read it; one written before raises and sales has no `raises` or `sales`, which only their tasks need. Parsing
 * is the client's (client/deployment.ts); the messages name `--deployment`.
 */
export async function deployment(
  connection: NetworkConnection,
  file: string,
  required: readonly (typeof ADDRESSES)[number][] = ADDRESSES,
): Promise<Deployment> {
  const chainId = (await connection.ethers.provider.getNetwork()).chainId;
  if (file !== "") {
    const d = deploymentFromRecord(jsonFile("deployment", file) as Record<string, unknown>);
    checkAddresses(d, file, required);
    const optional = badDeploymentKey(d, [], OPTIONAL_ADDRESSES);
    if (optional !== undefined) {
      throw new TaskInputError(`--deployment: expected "${optional}" to be an address in ${file}, when given`);
    }
    return d as Deployment;
  }
  const recorded = recordedDeploymentPath(chainId, "");
  if (!existsSync(recorded)) {
    throw new TaskInputError(
      `--deployment: no Weightshare deployment recorded for chain ${chainId} (${recorded}); deploy first with ` +
        "npx hardhat ignition deploy deploy/modules/Weightshare.ts --network <name> --parameters deploy/parameters/<name>.json " +
        "(deploy/modules/WeightshareLocal.ts on a local chain)",
    );
  }
  const d = fromIgnition(JSON.parse(readFileSync(recorded, "utf8")) as Record<string, string>);
  checkAddresses(d, recorded, required);
  return d as Deployment;
}

function checkAddresses(d: Partial<Deployment>, file: string, required: readonly (typeof ADDRESSES)[number][]): void {
  const key = badDeploymentKey(d, required, ADDRESSES);
  if (key !== undefined) {
    throw new TaskInputError(
      `--deployment: expected "${key}" to be an address in ${file}` +
        (key === "meter" ? " (the UsageMeter, deployed since V2)" : ""),
    );
  }
}

/** Prints `data` as JSON (`--json`) or as `text`. */
export function output(json: boolean, data: unknown, text: () => string): void {
  console.log(json ? JSON.stringify(data, (_, v) => (typeof v === "bigint" ? v.toString() : v), 2) : text());
}
