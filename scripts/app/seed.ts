/**
 * `npm run app`, step 2: run by scripts/app/stack.ts as `hardhat run --no-compile scripts/app/seed.ts --network
 * localhost` against the `hardhat node` it started (WEIGHTSHARE_LOCALHOST_URL). Deploys the protocol and plays the
 * story (story.ts), publishing the models' files into `$WEIGHTSHARE_APP_SEED_DIR/gateway` under the KEK in
 * WEIGHTSHARE_GATEWAY_KEK; writes `deployment.json` (client/deployment.ts) as soon as the protocol is deployed, and
 * `seed.json` (SeedResult, scripts/app/roles.ts) when the story is done.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";

import { seedStory } from "./story.js";

const dir = process.env.WEIGHTSHARE_APP_SEED_DIR ?? "";
const kekHex = process.env.WEIGHTSHARE_GATEWAY_KEK ?? "";
if (dir === "" || !/^[0-9a-f]{64}$/i.test(kekHex)) {
  throw new Error("seed.ts is run by scripts/app/stack.ts (WEIGHTSHARE_APP_SEED_DIR, WEIGHTSHARE_GATEWAY_KEK as hex)");
}
const dataDir = path.join(dir, "gateway");
const workDir = path.join(dir, "models");
await mkdir(dataDir, { recursive: true });
await mkdir(workDir, { recursive: true });

const connection = await network.create();
/** Writes `file` under `dir` whole or not at all (the stack starts the indexer as soon as deployment.json appears). */
async function writeAtomically(file: string, value: unknown): Promise<void> {
  await writeFile(path.join(dir, `${file}.tmp`), `${JSON.stringify(value, null, 2)}\n`);
  await rename(path.join(dir, `${file}.tmp`), path.join(dir, file));
}
const result = await seedStory(connection, {
  dataDir,
  workDir,
  kek: Buffer.from(kekHex, "hex"),
  onDeployed: (deployment) => writeAtomically("deployment.json", deployment),
});
await writeAtomically("seed.json", result);
await connection.close();
