/**
 * `ws gateway [--host 127.0.0.1] [--port 8484] [--data-dir DIR] [--domain HOST[:PORT]] [--token-ttl 1h]
 * [--rate-limit 600] [--block-poll-ms 200] [--ipfs-api-url URL] [--deployment FILE] [--database-url URL]
 * [--upstream ID=URL] [--settle-every 60s] [--settle-credits 1000] [--replica-id ID]`: runs the licence-gated gateway (gateway/server/)
 * against this network's provider and its recorded deployment until Ctrl-C (SIGINT/SIGTERM: graceful shutdown).
 * The KEK comes from `WEIGHTSHARE_GATEWAY_KEK` in the environment or the Hardhat keystore, as for `ws publish`; the
 * data directory is --data-dir, else `WEIGHTSHARE_DATA_DIR`, else `gateway-data` (where `ws publish` writes).
 * With `WEIGHTSHARE_OPERATOR_KEY` (environment or keystore: the key the DAO named with set-operator) it also serves
 * metered inference and settles usage on chain. `npm run gateway` runs it against the local `npm run node` chain.
 */
import { BrowserProvider, type Eip1193Provider } from "ethers";
import { configVariable } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { KEK_VARIABLE } from "../gateway/encryption/keys.js";
import { ConfigError, loadConfig, OPERATOR_KEY_VARIABLE } from "../gateway/server/config.js";
import { runUntilSignal, startGateway } from "../gateway/server/main.js";
import { dataDirFrom } from "../gateway/storage/open.js";
import { action, deployment, TaskInputError } from "./lib/cli.js";

interface Args {
  host: string;
  port: string;
  dataDir: string;
  domain: string;
  tokenTtl: string;
  rateLimit: string;
  blockPollMs: string;
  trustProxy: string;
  maxDownloads: string;
  ipfsApiUrl: string;
  deployment: string;
  databaseUrl: string;
  upstream: string;
  settleEvery: string;
  settleCredits: string;
  replicaId: string;
  json: boolean;
}

/** A secret's text from the environment, else the Hardhat keystore ("" when in neither). */
async function secretText(hre: HardhatRuntimeEnvironment, variable: string): Promise<string> {
  const fromEnv = process.env[variable];
  if (fromEnv !== undefined) return fromEnv;
  try {
    return await hre.hooks.runHandlerChain(
      "configurationVariables",
      "fetchValue",
      [configVariable(variable)],
      async () => "",
    );
  } catch {
    return "";
  }
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const flags: [string, string][] = [
    ["host", args.host],
    ["port", args.port],
    ["data-dir", dataDirFrom(args.dataDir)],
    ["domain", args.domain],
    ["token-ttl", args.tokenTtl],
    ["rate-limit", args.rateLimit],
    ["block-poll-ms", args.blockPollMs],
    ["trust-proxy", args.trustProxy],
    ["max-downloads", args.maxDownloads],
    ["ipfs-api-url", args.ipfsApiUrl],
    ["database-url", args.databaseUrl],
    ["upstream", args.upstream],
    ["settle-every", args.settleEvery],
    ["settle-credits", args.settleCredits],
    ["replica-id", args.replicaId],
  ];
  const argv = flags.filter(([, value]) => value.trim() !== "").flatMap(([name, value]) => [`--${name}`, value]);
  let config;
  try {
    const operatorKey = await secretText(hre, OPERATOR_KEY_VARIABLE);
    config = loadConfig(argv, {
      ...process.env,
      [KEK_VARIABLE]: await secretText(hre, KEK_VARIABLE),
      ...(operatorKey !== "" ? { [OPERATOR_KEY_VARIABLE]: operatorKey } : {}),
    });
  } catch (error) {
    if (error instanceof ConfigError) {
      const hint = error.message.startsWith(KEK_VARIABLE)
        ? ` (environment or \`npx hardhat keystore set ${KEK_VARIABLE}\`; the one ws publish used)`
        : "";
      throw new TaskInputError(`${error.message}${hint}`);
    }
    throw error;
  }
  const connection = await hre.network.getOrCreate();
  const record = await deployment(connection, args.deployment);
  const provider = new BrowserProvider(connection.provider as unknown as Eip1193Provider);
  let gateway;
  try {
    gateway = await startGateway(config, { provider, deployment: record });
  } catch (error) {
    if (error instanceof ConfigError || (error as NodeJS.ErrnoException).code === "EADDRINUSE") {
      throw new TaskInputError((error as Error).message);
    }
    throw error;
  }
  // The URL for clients goes to stderr as one line (JSON with --json); the JSON logs go to stdout.
  const started = { url: gateway.url, chainId: gateway.chainId.toString(), domain: gateway.domain };
  if (args.json) console.error(JSON.stringify(started));
  else
    console.error(
      `gateway: ${gateway.url} (HF_ENDPOINT), chain ${gateway.chainId}, SIWE domain ${gateway.domain}; Ctrl-C stops it`,
    );
  await runUntilSignal(gateway);
});
