/**
 * `ws sign-in --gateway URL [--signer S] [--json]`: signs in to a model gateway with Ethereum (EIP-4361) and prints
 * the bearer token with the two environment variables that make unmodified Hugging Face clients download through
 * it (`HF_ENDPOINT`, `HF_TOKEN`); the same token is an OpenAI client's `apiKey`. The token is bound to the account,
 * the chain and the gateway, and expires (the gateway's `--token-ttl`, 1 hour by default).
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { GatewayError, signIn } from "../gateway/client/index.js";
import { action, output, TaskInputError } from "./lib/cli.js";
import { gatewayUrlArg, signingAccount } from "./lib/gateway.js";

interface Args {
  gateway: string;
  signer: string;
  json: boolean;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const gateway = gatewayUrlArg("gateway", args.gateway, "the gateway's URL, e.g. --gateway http://127.0.0.1:8484");
  const signer = await signingAccount(hre, args.signer);
  const session = await signIn(gateway, signer).catch((error: unknown) => {
    if (error instanceof GatewayError) {
      throw new TaskInputError(`--gateway: ${error.status === 0 ? error.detail : `${error.title}: ${error.detail}`}`);
    }
    throw error;
  });
  const endpoint = gateway.replace(/\/$/, "");
  output(
    args.json,
    { gateway: endpoint, address: session.address, token: session.token, expiresAt: session.expiresAt.toISOString() },
    () =>
      [
        `signed in to ${endpoint} as ${session.address}; the token is valid until ${session.expiresAt.toISOString()}`,
        `export HF_ENDPOINT=${endpoint}`,
        `export HF_TOKEN=${session.token}`,
        "then, e.g.: hf download weightshare/<model id>   (Hugging Face clients; OpenAI clients take it as apiKey)",
      ].join("\n"),
  );
});
