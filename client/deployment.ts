/**
 * Where the protocol lives on a chain: the addresses of a Weightshare deployment, read from a plain JSON record or
 * from what Hardhat Ignition recorded (`deployed_addresses.json`). Hardhat-free: the gateway, the indexer and the
 * app read deployments through here, and so do the Hardhat tasks (tasks/lib/cli.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { getAddress, isAddress } from "ethers";

import { PROVENANCE_SCHEMA, REVIEW_SCHEMA, schemaUID } from "./attestations.ts";

/** The protocol's addresses on one chain. */
export interface Deployment {
  shares: string;
  registry: string;
  vault: string;
  licenses: string;
  /** The UsageMeter (V2): each model's operator, and usage settled with cumulative receipts. */
  meter: string;
  /** The protocol admin timelock (every Ignition deployment has one; the gateway does not need it). */
  adminTimelock?: string;
  /** The Multicall Snapshot scores are read through, when the deployment has one. */
  multicall?: string;
  /** Presales (crowdfunds) of models' fractions and licence seats; deployments before issue #14 have none. */
  raises?: string;
  /** Primary sales of treasuries' fractions; deployments before issue #14 have none. */
  sales?: string;
  /** Derivative models and the parents they pay (`ModelLineage`); deployments before issue #15 have none. */
  lineage?: string;
  /** The Ethereum Attestation Service the resolvers answer to, and its SchemaRegistry (issue #15). */
  eas?: string;
  schemaRegistry?: string;
  /** The resolver of the review schema (reviews only licensees write) and of the provenance schema. */
  reviewResolver?: string;
  provenanceResolver?: string;
  /**
   * The schemas' UIDs (bytes32). Each resolver registers its own schema when deployed, so the UID follows from its
   * address: `readDeployment` fills them in when a record has the resolver, and refuses a UID that does not match.
   */
  reviewSchema?: string;
  provenanceSchema?: string;
}

/** Every key a deployment record may hold, in the order they are checked. */
export const DEPLOYMENT_KEYS = [
  "shares",
  "registry",
  "vault",
  "licenses",
  "meter",
  "adminTimelock",
  "multicall",
  "raises",
  "sales",
  "lineage",
  "eas",
  "schemaRegistry",
  "reviewResolver",
  "provenanceResolver",
] as const satisfies readonly (keyof Deployment)[];

/** The schema UIDs a deployment record may hold (bytes32, not addresses), each with its resolver and schema. */
export const SCHEMA_KEYS = {
  reviewSchema: { resolver: "reviewResolver", schema: REVIEW_SCHEMA },
  provenanceSchema: { resolver: "provenanceResolver", schema: PROVENANCE_SCHEMA },
} as const satisfies Record<string, { resolver: DeploymentKey; schema: string }>;

export type DeploymentKey = (typeof DEPLOYMENT_KEYS)[number];

/** The keys a deployment must hold for the client to talk to the protocol. */
export const REQUIRED_DEPLOYMENT_KEYS = [
  "shares",
  "registry",
  "vault",
  "licenses",
  "meter",
] as const satisfies readonly DeploymentKey[];

/** Ignition's future id for each deployment key (module `Weightshare`, deploy/modules/Weightshare.ts). */
const IGNITION_IDS: Record<DeploymentKey, string> = {
  shares: "Weightshare#ModelShares",
  registry: "Weightshare#ModelRegistry",
  vault: "Weightshare#RevenueVault",
  licenses: "Weightshare#LicenseManager",
  meter: "Weightshare#UsageMeter",
  adminTimelock: "Weightshare#AdminTimelock",
  multicall: "Weightshare#Multicall",
  raises: "Weightshare#Raises",
  sales: "Weightshare#FractionSales",
  lineage: "Weightshare#ModelLineage",
  eas: "Weightshare#EAS",
  schemaRegistry: "Weightshare#SchemaRegistry",
  reviewResolver: "Weightshare#LicenseeReviewResolver",
  provenanceResolver: "Weightshare#ProvenanceResolver",
};

/**
 * A deployment from Ignition's `deployed_addresses.json` (keys like `"Weightshare#ModelShares"`). Keys the record
 * lacks are left out (a record written before V2 has no UsageMeter, one written before issue #14 no Raises or
 * FractionSales, one written before issue #15 no EAS or resolvers); nothing is validated here. Schema UIDs are not
 * in Ignition's record: `readDeployment` derives them from the resolvers.
 */
export function fromIgnition(record: Record<string, string>): Deployment {
  const d: Record<string, string> = {};
  for (const key of DEPLOYMENT_KEYS) {
    const value = record[IGNITION_IDS[key]];
    if (value !== undefined) d[key] = value;
  }
  return d as unknown as Deployment;
}

/** Whether a parsed JSON record is Ignition's `deployed_addresses.json` rather than a plain deployment object. */
export function isIgnitionRecord(record: Record<string, unknown>): boolean {
  return record[IGNITION_IDS.shares] !== undefined;
}

/** A parsed JSON record of either shape as a (not yet validated) deployment. */
export function deploymentFromRecord(record: Record<string, unknown>): Partial<Deployment> {
  return isIgnitionRecord(record) ? fromIgnition(record as Record<string, string>) : (record as Partial<Deployment>);
}

/**
 * The first key of `keys` whose value is not an address, or undefined when all are: keys in `required` must be
 * present, the others are checked only when present.
 */
export function badDeploymentKey(
  d: Partial<Record<DeploymentKey, unknown>>,
  required: readonly DeploymentKey[] = REQUIRED_DEPLOYMENT_KEYS,
  keys: readonly DeploymentKey[] = DEPLOYMENT_KEYS,
): DeploymentKey | undefined {
  for (const key of keys) {
    const value = d[key];
    if (value === undefined && !required.includes(key)) continue;
    if (typeof value !== "string" || !isAddress(value)) return key;
  }
  return undefined;
}

/**
 * Reads a deployment from a JSON file holding either a plain object (shares, registry, vault, licenses, meter, and
 * optionally adminTimelock, multicall, raises, sales, lineage, eas, schemaRegistry, reviewResolver, provenanceResolver and
 * the schema UIDs reviewSchema and provenanceSchema) or Ignition's `deployed_addresses.json`. Addresses come back
 * checksummed, and the schema UIDs of the resolvers present are filled in.
 * Throws an Error naming the file and what is wrong (missing file, bad JSON, the key that is not an address).
 */
export function readDeployment(file: string): Deployment {
  if (!existsSync(file)) throw new Error(`deployment ${file}: no such file`);
  let record: unknown;
  try {
    record = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`deployment ${file}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof record !== "object" || record === null || Array.isArray(record)) {
    throw new Error(`deployment ${file}: expected a JSON object of addresses`);
  }
  const d = deploymentFromRecord(record as Record<string, unknown>);
  const bad = badDeploymentKey(d);
  if (bad !== undefined) {
    const ignition = isIgnitionRecord(record as Record<string, unknown>) ? ` (Ignition id ${IGNITION_IDS[bad]})` : "";
    throw new Error(
      `deployment ${file}: expected "${bad}"${ignition} to be an address, got ${JSON.stringify(d[bad]) ?? "nothing"}`,
    );
  }
  const checked: Record<string, string> = {};
  for (const key of DEPLOYMENT_KEYS) if (d[key] !== undefined) checked[key] = getAddress(d[key]);
  const schemaError = schemaUIDProblem(d, checked);
  if (schemaError !== undefined) throw new Error(`deployment ${file}: ${schemaError}`);
  for (const [key, { resolver, schema }] of Object.entries(SCHEMA_KEYS)) {
    if (checked[resolver] !== undefined) checked[key] = schemaUID(schema, checked[resolver]);
  }
  return checked as unknown as Deployment;
}

/**
 * Why the record's schema UIDs cannot be trusted, or undefined: a UID that is not bytes32, one without its
 * resolver, or one that is not the UID of the schema its resolver registered.
 */
function schemaUIDProblem(d: Partial<Deployment>, addresses: Record<string, string>): string | undefined {
  for (const [key, { resolver, schema }] of Object.entries(SCHEMA_KEYS) as [
    keyof typeof SCHEMA_KEYS,
    (typeof SCHEMA_KEYS)[keyof typeof SCHEMA_KEYS],
  ][]) {
    const value = d[key];
    if (value === undefined) continue;
    if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) {
      return `expected "${key}" to be a schema UID (32 bytes, 0x…), got ${JSON.stringify(value)}`;
    }
    if (addresses[resolver] === undefined) return `"${key}" needs its resolver's address, "${resolver}"`;
    const expected = schemaUID(schema, addresses[resolver]);
    if (value.toLowerCase() !== expected) {
      return `"${key}" ${value} is not the UID of the schema ${resolver} ${addresses[resolver]} registered (${expected})`;
    }
  }
  return undefined;
}

/**
 * Where Ignition records the Weightshare deployment for a chain: `<root>/deploy/deployments/chain-<id>/
 * deployed_addresses.json` (root defaults to the working directory; pass "" for a relative path).
 */
export function recordedDeploymentPath(chainId: bigint, root: string = process.cwd()): string {
  return path.join(root, "deploy", "deployments", `chain-${chainId}`, "deployed_addresses.json");
}
