/**
 * Small helpers the handlers share: addresses as stored (lower-case hex), and which model a clone belongs to.
 */
import type { Context } from "ponder:registry";
import { clone } from "ponder:schema";

export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** An address as the tables store it: lower-case hex. */
export function addr(address: string): `0x${string}` {
  return address.toLowerCase() as `0x${string}`;
}

/** The model whose votes, governor or timelock clone is at `address`; throws when the indexer never saw it made. */
export async function modelOfClone(context: Context, address: string): Promise<bigint> {
  const row = await context.db.find(clone, { address: addr(address) });
  if (row === null) throw new Error(`indexer: no model known for clone ${address}`);
  return row.modelId;
}

/** The model of a clone, or null for one not registered yet (a clone's own initialisation, before `ModelCreated`). */
export async function modelOfCloneIfKnown(context: Context, address: string): Promise<bigint | null> {
  const row = await context.db.find(clone, { address: addr(address) });
  return row?.modelId ?? null;
}
