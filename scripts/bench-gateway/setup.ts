/**
 * `npm run bench:gateway`, step 1 (run by scripts/bench-gateway.ts as `hardhat run ... --network localhost`, against
 * the `hardhat node` it started): deploys the protocol, registers a model, opens a 30-day offer, buys a licence for
 * signer #6 (the benchmark's licensee), writes model files of the sizes in BENCH_SIZES_MIB into BENCH_DIR/model,
 * publishes them into the embedded IPFS store under BENCH_DIR/data (timed: publish throughput), sets the model's
 * metadata URI to the published version as its timelock, and writes BENCH_DIR/setup.json for the next steps.
 */
import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { finished } from "node:stream/promises";

import { network } from "hardhat";

import { openEmbeddedStore } from "../../gateway/storage/embedded.js";
import { publish } from "../../gateway/publish/publish.js";
import { deploymentOf, offerTerms, protocolWithModel, timelockSigner } from "../../test/helpers/fixtures.js";

const dir = process.env.BENCH_DIR ?? "";
const sizes = (process.env.BENCH_SIZES_MIB ?? "").split(",").map(Number);
const kek = Buffer.from(process.env.WEIGHTSHARE_GATEWAY_KEK ?? "", "hex");
if (dir === "" || sizes.some((s) => !Number.isSafeInteger(s) || s <= 0) || kek.length !== 32) {
  throw new Error("setup.ts is run by scripts/bench-gateway.ts (BENCH_DIR, BENCH_SIZES_MIB, WEIGHTSHARE_GATEWAY_KEK)");
}

/** Writes `mib` MiB of random-looking bytes (a fresh random MiB each time) and returns its SHA-256. */
async function writeFileOf(file: string, mib: number): Promise<string> {
  const hash = createHash("sha256");
  const out = createWriteStream(file);
  for (let i = 0; i < mib; i++) {
    const block = randomBytes(1024 * 1024);
    hash.update(block);
    if (!out.write(block)) await once(out, "drain");
  }
  out.end();
  await finished(out);
  return hash.digest("hex");
}

const connection = await network.connect();
const { ethers, networkHelpers } = connection;
const protocol = await protocolWithModel(ethers);
const modelId = protocol.model.modelId;
const licensee = protocol.signers[6];
const timelock = await timelockSigner({ ethers, networkHelpers }, protocol.model.timelock);
await (await protocol.licenses.connect(timelock).addOffer(modelId, offerTerms({ duration: 30n * 86400n }))).wait();
await (await protocol.vault.connect(timelock).setPaymentToken(modelId, ethers.ZeroAddress, true)).wait();
const price = offerTerms().price;
await (
  await protocol.licenses.connect(licensee).purchase(modelId, 1n, licensee.address, price, { value: price })
).wait();

const modelDir = path.join(dir, "model");
await mkdir(modelDir, { recursive: true });
await writeFile(path.join(modelDir, "README.md"), "---\nlicense: other\n---\n# Bench model\n\nBenchmark files.\n");
const files: { path: string; size: number; sha256: string }[] = [];
for (const mib of sizes) {
  const name = `weights-${mib}MiB.bin`;
  files.push({ path: name, size: mib * 1024 * 1024, sha256: await writeFileOf(path.join(modelDir, name), mib) });
}

const chainId = (await ethers.provider.getNetwork()).chainId;
const dataDir = path.join(dir, "data");
const store = await openEmbeddedStore(path.join(dataDir, "blocks"));
const started = process.hrtime.bigint();
const published = await publish({ dir: modelDir, chainId, modelId, store, dataDir, kek });
const publishMs = Number(process.hrtime.bigint() - started) / 1e6;
await store.close();
await (await protocol.shares.connect(timelock).setURI(modelId, published.metadataURI)).wait();

await writeFile(path.join(dir, "deployment.json"), JSON.stringify(await deploymentOf(protocol)));
const publishedBytes = files.reduce((sum, f) => sum + f.size, 0);
await writeFile(
  path.join(dir, "setup.json"),
  JSON.stringify({
    chainId: String(chainId),
    modelId: String(modelId),
    licensee: licensee.address,
    files,
    publishMs,
    publishedBytes,
  }),
);
console.log(`published ${publishedBytes} bytes in ${publishMs.toFixed(0)} ms`);
