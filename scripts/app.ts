/**
 * `npm run app`: the web app on a seeded local chain, in one command. Starts a `hardhat node`, deploys the protocol,
 * seeds the demo's story, starts the indexer and the gateway, builds the app if it is stale and serves it
 * (scripts/app/stack.ts); prints the app's URL and the seeded accounts with their keys; stops everything on Ctrl-C or
 * SIGTERM. Everything listens on 127.0.0.1. Run with plain `node` (Node 22 strips the types).
 */
import { startStack, type Stack } from "./app/stack.ts";

const argv = process.argv.slice(2);
const known = new Set(["--rebuild", "--no-build"]);
for (const arg of argv) {
  if (!known.has(arg)) {
    console.error(`error: unknown argument ${arg}: expected --rebuild (always build the app) or --no-build`);
    process.exit(1);
  }
}
if (argv.includes("--rebuild") && argv.includes("--no-build")) {
  console.error("error: --rebuild and --no-build: pass one of them, not both");
  process.exit(1);
}

console.log("Starting a local chain, seeding it, and starting the indexer, the gateway and the app...");
let stack: Stack | undefined;
let stopping = false;
const shutdown = async (code: number) => {
  if (stopping) return;
  stopping = true;
  console.log("\nStopping the app, the gateway, the indexer and the chain...");
  await stack?.stop();
  process.exit(code);
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0));

try {
  stack = await startStack({
    compile: true,
    build: argv.includes("--rebuild") ? "always" : argv.includes("--no-build") ? "never" : "auto",
    log: (line) => console.log(`  ${line}`),
  });
} catch (error) {
  console.error(`error: ${(error as Error).message}`);
  process.exit(1);
}
if (stopping) await new Promise(() => undefined); // a signal arrived while starting: shutdown exits

const s = stack;
console.log(`
Weightshare is running:
  App       ${s.appUrl}
  Chain     ${s.rpcUrl} (chain id ${s.chainId})
  Indexer   ${s.indexerUrl}/graphql
  Gateway   ${s.gatewayUrl}

Seeded accounts (Hardhat's public test keys; never use them on a real network):`);
for (const [role, account] of Object.entries(s.accounts)) {
  console.log(`  ${role.padEnd(13)} ${account.address}  ${account.privateKey}`);
  console.log(`  ${"".padEnd(13)} ${account.holds}`);
}
console.log(`
To act as one, import its private key into your wallet (e.g. MetaMask) and add the network ${s.rpcUrl}, chain id
${s.chainId}. Press Ctrl-C to stop everything.`);
