/**
 * Calls served per second with two gateway replicas vs one, for the metered-inference rows of `npm run
 * bench:gateway`: two gateway processes (each its own copy of the published data directory) on one PostgreSQL
 * ledger, Open Inference Protocol calls through the built-in ONNX runner, metered in capped mode (one receipt signed
 * ahead, taken by one replica, spent through both). The load generator sends each call to the next replica in turn,
 * as a round-robin balancer would; the one-replica figure is the same load sent to one of them. Every process
 * shares this machine's two cores with the load generator and PostgreSQL.
 */
import { cpSync } from "node:fs";
import path from "node:path";

import { authoriseCap } from "../../gateway/client/infer.ts";
import { signIn } from "../../gateway/client/sign-in.ts";
import { oipCall, interleavedThroughput, type LoadBounds } from "./calls.ts";
import type { InferenceChain } from "./inference-chain.ts";
import { startInferenceGateway } from "./inference-servers.ts";
import { compared, type InferenceRow } from "./rows.ts";
import type { Running } from "./servers.ts";

/** What the replicas are started with. */
export interface ReplicaOptions {
  chain: InferenceChain;
  rpcUrl: string;
  kek: Buffer;
  /** An empty PostgreSQL database both replicas use. */
  databaseUrl: string;
  /** Where the replicas' data directories are copied. */
  workDir: string;
  bounds: LoadBounds;
  rounds: number;
}

/** Measures the row (see the module comment). */
export async function replicaRows(options: ReplicaOptions): Promise<InferenceRow[]> {
  const { chain } = options;
  const replicas: Running[] = [];
  try {
    for (const id of ["replica-a", "replica-b"]) {
      const dataDir = path.join(options.workDir, id);
      // The published blocks and catalogue only: each replica keeps its own token secret, the ledger is shared.
      cpSync(chain.dataDir, dataDir, {
        recursive: true,
        filter: (from) => !/(ledger\.sqlite|gateway-token-secret)/.test(path.basename(from)),
      });
      replicas.push(
        await startInferenceGateway({
          rpcUrl: options.rpcUrl,
          deploymentFile: chain.deploymentFile,
          dataDir,
          kek: options.kek,
          operatorKey: chain.operator.privateKey,
          databaseUrl: options.databaseUrl,
          replicaId: id,
        }),
      );
    }
    const tokens: string[] = [];
    for (const replica of replicas)
      tokens.push((await signIn(replica.url, chain.licensee, { chainId: chain.chainId })).token);
    const session = { gateway: replicas[0].url, token: tokens[0], signer: chain.licensee, domain: chain.domain };
    await authoriseCap(session, chain.modelId, 5_000_000n);
    const [a, b] = replicas.map((r, i) => oipCall(r.url, tokens[i], chain.modelId));
    const [one, two] = await interleavedThroughput([[a], [a, b]], options.rounds, options.bounds);
    return [
      compared(
        `OIP calls/s (ONNX runner), 2 gateway replicas vs 1, one PostgreSQL ledger, ${options.bounds.concurrency} clients`,
        two,
        one,
        "1 replica",
        "reported",
        "rate",
        "separate gateway processes on this 2-core machine beside the load generator and PostgreSQL; calls round-robin",
      ),
    ];
  } finally {
    for (const replica of replicas) await replica.stop();
  }
}
