/**
 * `ws gateway [--host 127.0.0.1] [--port 8484] [--data-dir DIR] [--domain HOST[:PORT]] [--token-ttl 1h]
 * [--rate-limit 600] [--block-poll-ms 200] [--ipfs-api-url URL] [--deployment FILE]`: runs the licence-gated gateway (gateway/server/)
 * against this network's provider and its recorded deployment until Ctrl-C (SIGINT/SIGTERM: graceful shutdown).
 * The KEK comes from `WEIGHTSHARE_GATEWAY_KEK` in the environment or the Hardhat keystore, as for `ws publish`; the
 * data directory is --data-dir, else `WEIGHTSHARE_DATA_DIR`, else `gateway-data` (where `ws publish` writes).
 * `npm run gateway` runs it against the local `npm run node` chain.
 */
import { BrowserProvider, type Eip1193Provider } from "ethers";
import { configVariable } from "hardhat/config";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { KEK_VARIABLE } from "../gateway/encryption/keys.js";
import { ConfigError, loadConfig } from "../gateway/server/config.js";
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
  json: boolean;
}

/** The KEK's text from the environment, else the Hardhat keystore ("" when in neither). */
async function kekText(hre: HardhatRuntimeEnvironment): Promise<string> {
  const fromEnv = process.env[KEK_VARIABLE];
  if (fromEnv !== undefined) return fromEnv;
  try {
    return await hre.hooks.runHandlerChain(
      "configurationVariables",
      "fetchValue",
      [configVariable(KEK_VARIABLE)],
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
  ];
  const argv = flags.filter(([, value]) => value.trim() !== "").flatMap(([name, value]) => [`--${name}`, value]);
  let config;
  try {
    config = loadConfig(argv, { ...process.env, [KEK_VARIABLE]: await kekText(hre) });
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
