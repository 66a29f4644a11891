/**
 * Run as its own process by sqlite.test.ts (`node --import tsx sqlite-process-probe.ts FILE SEED CALLS`), so that
 * two processes spend on one SQLite file at once: opens the ledger at FILE, prints "ready", waits for a line on
 * stdin, runs the workload's CALLS calls (workload.ts, 25 clients, seeded by SEED) and prints its result as JSON
 * (bigints as strings). Importing it does nothing.
 */
import { once } from "node:events";
import { pathToFileURL } from "node:url";

import { openSqliteLedger } from "../../../gateway/ledger/sqlite.js";
import { runWorkload } from "./workload.js";

async function main(file: string, seed: number, calls: number): Promise<void> {
  const ledger = await openSqliteLedger(file);
  try {
    process.stdout.write("ready\n");
    await once(process.stdin, "data");
    const result = await runWorkload([ledger], { clients: 25, calls, seed });
    process.stdout.write(JSON.stringify(result, (_, v) => (typeof v === "bigint" ? v.toString() : v)) + "\n");
  } finally {
    await ledger.close();
    process.stdin.destroy();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [file, seed, calls] = process.argv.slice(2);
  await main(file, Number(seed), Number(calls));
}
