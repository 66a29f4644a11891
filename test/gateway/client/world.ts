/**
 * What the gateway client tests add to the server tests' world (test/gateway/server/fixture.ts): the gateway's SIWE
 * domain set to the host of the URL it listens on (the client signs for the host it talks to, and refuses a gateway
 * that announces another), and tampering with a block of the embedded IPFS store on disk.
 */
import path from "node:path";

import { FsBlockstore } from "blockstore-fs";
import { CID } from "multiformats/cid";

import { gatewayContext } from "../../../gateway/server/app.js";
import type { ContentStore } from "../../../gateway/storage/store.js";
import { gatewayWorld, type GatewayWorld } from "../server/fixture.js";

type Connection = Parameters<typeof gatewayWorld>[0];

/** The server tests' world, with the gateway's SIWE domain (and token audience) = its URL's host. */
export async function clientWorld(connection: Connection): Promise<GatewayWorld> {
  const world = await gatewayWorld(connection);
  // The fixture names the domain before it knows its port; a deployed gateway is configured with its public host.
  const ctx = gatewayContext(world.app);
  ctx.domain = new URL(world.url).host;
  ctx.tokenScope.domain = ctx.domain;
  return world;
}

/** All bytes of `cid` in `store`. */
export async function contentOf(store: ContentStore, cid: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of store.cat(cid)) parts.push(Buffer.from(part));
  return Buffer.concat(parts);
}

/**
 * Overwrites the block `cid` (a file small enough to be a single raw block) in the world's blockstore on disk with
 * `bytes`, behind the gateway's back; returns a function that puts the original back.
 */
export async function overwriteBlock(
  world: GatewayWorld,
  cid: string,
  bytes: Uint8Array,
): Promise<() => Promise<void>> {
  const parsed = CID.parse(cid);
  if (parsed.code !== 0x55) throw new Error(`${cid} is not a single raw block`);
  const original = await contentOf(world.store, cid);
  const blockstore = new FsBlockstore(path.join(world.dataDir, "blocks"));
  await blockstore.open();
  await blockstore.put(parsed, bytes);
  return async () => {
    await blockstore.put(parsed, original);
    await blockstore.close();
  };
}
