/**
 * `ws infer --model-id N --gateway URL (--input JSON | --prompt TEXT [--max-tokens N] | --authorise CREDITS)
 * [--signer S] [--deployment FILE] [--json]`: a licensed, metered inference call from the command line.
 * The signer signs in to the gateway with Ethereum and, for each call, signs a usage receipt for its licence's running
 * total plus this call's worst case (exact mode: it never pays for a call it did not sign), under the UsageMeter's
 * EIP-712 domain read from this network's deployment.
 * - `--input`: an Open Inference Protocol call (the built-in ONNX runner): a full request `{"inputs":[...]}` or, for
 *   a model with one input, just its data as a nested array (`[[1,2,3]]`): name, datatype and shape are taken from
 *   the model's metadata and the array.
 * - `--prompt`: an OpenAI-compatible chat completion (a model the gateway fronts with an upstream).
 * - `--authorise N`: capped mode: signs a running total N credits ahead, so unmodified OpenAI or Hugging Face clients
 *   can call with just the token; no call is made.
 * Prints the answer, what it cost and what the licence has left.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { connectProtocol } from "../client/contracts.js";
import { receiptDomain } from "../client/receipts.js";
import {
  authoriseCap,
  GatewayError,
  inferTensors,
  openaiCall,
  quoteUsage,
  signIn,
  type MeteredSession,
} from "../gateway/client/index.js";
import { action, deployment, output, TaskInputError, uint } from "./lib/cli.js";
import { gatewayUrlArg, signingAccount } from "./lib/gateway.js";
import { oipRequestFromInput } from "./lib/infer-input.js";

interface Args {
  modelId: string;
  gateway: string;
  input: string;
  prompt: string;
  maxTokens: string;
  authorise: string;
  deployment: string;
  signer: string;
  json: boolean;
}

export default action(async (args: Args, hre: HardhatRuntimeEnvironment) => {
  const modelId = uint("model-id", args.modelId);
  const gateway = gatewayUrlArg("gateway", args.gateway, "the gateway's URL, e.g. --gateway http://127.0.0.1:8484");
  const modes = [args.input, args.prompt, args.authorise].filter((value) => value.trim() !== "").length;
  if (modes !== 1) {
    throw new TaskInputError(
      "--input: expected exactly one of --input JSON (tensor model), --prompt TEXT (chat model) or --authorise CREDITS",
    );
  }
  const maxTokens = args.maxTokens === "" ? undefined : Number(uint("max-tokens", args.maxTokens));
  const credits = args.authorise === "" ? undefined : uint("authorise", args.authorise);
  if (credits === 0n) throw new TaskInputError("--authorise: expected a number of credits above 0");
  const input = args.input === "" ? undefined : parseJson(args.input);

  const connection = await hre.network.getOrCreate();
  const record = await deployment(connection, args.deployment, ["meter"]);
  if ((await connection.ethers.provider.getCode(record.meter)) === "0x")
    throw new TaskInputError(`--deployment: no Weightshare usage meter at ${record.meter} on this network`);
  const signer = await signingAccount(hre, args.signer);
  const domain = await receiptDomain(connectProtocol(record, connection.ethers.provider).meter);
  const refused = (error: unknown): never => {
    if (error instanceof GatewayError) {
      throw new TaskInputError(`--gateway: ${error.status === 0 ? error.detail : `${error.title}: ${error.detail}`}`);
    }
    throw error;
  };
  const { token } = await signIn(gateway, signer).catch(refused);
  const session: MeteredSession = { gateway, token, signer, domain };

  if (credits !== undefined) {
    const licence = await authoriseCap(session, modelId, credits).catch(refused);
    output(args.json, { gateway, account: signer.address, licence }, () =>
      [
        `licence #${licence.licenceId} of model #${modelId}: running total authorised up to ${licence.authorised} ` +
          `credits (${licence.authorisedLeft} left to use; ${licence.creditsLeft ?? "unmetered"} credits left)`,
        `export OPENAI_BASE_URL=${gateway.replace(/\/$/, "")}/v1 OPENAI_API_KEY=${token}`,
      ].join("\n"),
    );
    return;
  }

  let answer;
  if (input !== undefined) {
    const request = await oipRequestFromInput(gateway, token, modelId, input).catch(refused);
    answer = await inferTensors(session, modelId, request).catch(refused);
  } else {
    const body: Record<string, unknown> = { messages: [{ role: "user", content: args.prompt }] };
    if (maxTokens !== undefined) body.max_tokens = maxTokens;
    answer = await openaiCall(session, modelId, "chat/completions", body).catch(refused);
  }
  const quote = await quoteUsage(session, modelId).catch(refused);
  const summary = {
    charged: answer.charged?.toString() ?? null,
    total: quote.licence.used,
    creditsLeft: quote.licence.creditsLeft,
    licenceId: quote.licence.licenceId,
    callId: answer.callId ?? null,
  };
  output(args.json, { answer: answer.body, ...summary }, () => {
    const body = answer.body as { outputs?: Array<{ name: string; shape: number[]; data: unknown[] }> } & {
      choices?: Array<{ message?: { content?: string } }>;
    };
    const lines = body.outputs?.map((o) => `${o.name} [${o.shape.join("x")}]: ${JSON.stringify(o.data)}`) ??
      body.choices?.map((c) => c.message?.content ?? "") ?? [JSON.stringify(body)];
    return [
      ...lines,
      `charged ${summary.charged ?? "?"} credits to licence #${summary.licenceId}; used ${summary.total} in all, ` +
        `${summary.creditsLeft ?? "unmetered"} credits left (after usage not yet settled)`,
    ].join("\n");
  });
});

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new TaskInputError(
      `--input: expected JSON, e.g. '[[1,2,3]]' or '{"inputs":[...]}', got "${text.slice(0, 60)}"`,
    );
  }
}
