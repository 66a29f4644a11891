/**
 * Metered inference on a gateway: the metering service over the ledger and the chain, the licensee's usage routes,
 * the OpenAI-compatible proxy (for models whose operator runs an OpenAI-compatible server) and the Open Inference
 * Protocol with the built-in ONNX runner (for models that publish an ONNX file). `buildGateway` calls it when it is
 * given `inference` options.
 */
import type { Signer } from "ethers";
import type { FastifyInstance } from "fastify";

import { receiptDomain } from "../../client/receipts.ts";
import type { UsageMeter } from "../../types/ethers-contracts/index.ts";
import type { Ledger } from "../ledger/ledger.ts";
import { MeteringChain } from "../metering/chain.ts";
import { Meter } from "../metering/meter.ts";
import { chainRecorder } from "../metering/record-receipt.ts";
import { usageRoutes } from "../metering/routes.ts";
import type { GatewayContext } from "../server/context.ts";
import { oipRoutes } from "./oip/routes.ts";
import { OnnxRunner, type OnnxRunnerOptions } from "./onnx/runner.ts";
import { openaiRoutes } from "./openai/routes.ts";
import { staticUpstreams, type Upstream } from "./openai/upstreams.ts";
import { publishedOnnxSource } from "./published-onnx.ts";

/** What metered inference is built from. */
export interface InferenceOptions {
  /** The usage ledger (`openLedger`). */
  ledger: Ledger;
  /** The operator key: the models' operator on chain; signs usage records (and the settler's batches). */
  operator: Signer;
  /** OpenAI-compatible servers the gateway fronts, by model. */
  upstreams?: Upstream[];
  /** Upstream timeout in ms (default: the proxy's). */
  upstreamTimeoutMs?: number;
  /** Seconds a receipt must still run to authorise a call (default 900: `Meter`'s `DEFAULT_DEADLINE_MARGIN`). */
  deadlineMargin?: number;
  /** Limits of the built-in ONNX runner. */
  onnx?: OnnxRunnerOptions;
}

/** What `registerInference` returns: the meter (its ledger and operator), for the settler and tests. */
export interface InferenceService {
  meter: Meter;
  runner: OnnxRunner;
}

/** Registers metered inference on `app`; see the module comment. */
export async function registerInference(
  app: FastifyInstance,
  ctx: GatewayContext,
  usageMeter: UsageMeter,
  options: InferenceOptions,
): Promise<InferenceService> {
  const chain = new MeteringChain(ctx.access, ctx.provider, ctx.licenses, usageMeter);
  const meter = new Meter({
    ctx,
    ledger: options.ledger,
    chain,
    operator: options.operator,
    domain: await receiptDomain(usageMeter),
    deadlineMargin: options.deadlineMargin,
    recorder: chainRecorder(usageMeter.connect(options.operator)),
  });
  const runner = new OnnxRunner(options.onnx);
  usageRoutes(app, ctx, meter);
  openaiRoutes(app, {
    metering: meter,
    upstreams: staticUpstreams(options.upstreams ?? []),
    streams: ctx.streams,
    ...(options.upstreamTimeoutMs !== undefined ? { timeoutMs: options.upstreamTimeoutMs } : {}),
  });
  oipRoutes(app, { metering: meter, runner, source: publishedOnnxSource(ctx) });
  return { meter, runner };
}
