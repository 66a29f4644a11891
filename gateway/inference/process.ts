/**
 * Metered inference in the gateway process (main.ts): from the configuration to the ledger (SQLite under the data
 * directory, or the PostgreSQL replicas share), the operator key, the upstreams, and the settler that runs beside
 * the server with the gateway's metrics registry. `stop` lets the settler finish a send in progress, then closes the
 * ledger.
 */
import { Wallet } from "ethers";
import type { FastifyInstance } from "fastify";

import { connectProtocol } from "../../client/contracts.ts";
import type { Deployment } from "../../client/deployment.ts";
import { openLedger } from "../ledger/open.ts";
import type { Ledger } from "../ledger/ledger.ts";
import type { ChainProvider } from "../server/access.ts";
import type { InferenceConfig } from "../server/config.ts";
import { Settler } from "../settler/settler.ts";
import { upstreamName } from "./openai/upstreams.ts";
import { DEFAULT_DEADLINE_MARGIN } from "../metering/meter.ts";
import type { InferenceOptions } from "./register.ts";

/** Inference set up for one gateway process. */
export interface InferenceProcess {
  options: InferenceOptions;
  ledger: Ledger;
  /** Starts the settler once the gateway is built (its metrics go to the gateway's registry). */
  startSettler(app: FastifyInstance, registry: import("prom-client").Registry): Settler;
  stop(): Promise<void>;
}

/** Opens the ledger and prepares the operator and upstreams; see the module comment. */
export async function prepareInference(
  config: InferenceConfig,
  dataDir: string,
  provider: ChainProvider,
  deployment: Deployment,
): Promise<InferenceProcess> {
  const ledger = await openLedger({ dataDir, databaseUrl: config.databaseUrl });
  const operator = new Wallet(config.operatorKey, provider);
  let settler: Settler | undefined;
  const settlerMargin = 600;
  return {
    ledger,
    options: {
      ledger,
      operator,
      deadlineMargin: meterDeadlineMargin(settlerMargin, config.settleEveryMs),
      upstreams: config.upstreams.map(({ modelId, url }) => ({
        modelId,
        name: upstreamName(modelId),
        url,
        ...(config.upstreamApiKey !== undefined ? { apiKey: config.upstreamApiKey } : {}),
      })),
    },
    startSettler(app, registry) {
      settler = new Settler({
        ledger,
        meter: connectProtocol(deployment, operator).meter,
        holder: config.replicaId,
        deadlineMargin: settlerMargin,
        intervalMs: config.settleEveryMs,
        maxCredits: config.settleCredits,
        leaseMs: config.settleLeaseMs,
        registry,
        log: (line) => app.log.info({ settler: true }, line),
      }).start();
      return settler;
    },
    async stop() {
      await settler?.stop();
      await ledger.close();
    },
  };
}

/**
 * How long a receipt must still run for the gateway to serve under it: the settler's own margin plus two of its
 * intervals (at least `DEFAULT_DEADLINE_MARGIN`), so a receipt the gateway served under is still batchable when the
 * settler next runs, even after a missed pass. With `--settle-every` at most 10 minutes (config.ts), that is at
 * most 30 minutes: receipts signed for an hour (the client's default) always qualify.
 */
export function meterDeadlineMargin(settlerMarginSeconds: number, settleEveryMs: number): number {
  return Math.max(DEFAULT_DEADLINE_MARGIN, settlerMarginSeconds + 2 * Math.ceil(settleEveryMs / 1000));
}
