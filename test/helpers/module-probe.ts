/**
 * Run as a plain Node process (`node module-probe.ts SPECIFIER`) by `modulesLoadedBy` (plain-node.ts): registers a
 * module hook that records every module resolved, then imports SPECIFIER (resolved from this file) and prints the
 * resolved URLs as a JSON array. Nothing of Hardhat's test runner is loaded in this process. Imported any other way
 * (the test runner loads every file under test/), it does nothing.
 */
import { registerHooks } from "node:module";
import { pathToFileURL } from "node:url";

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const resolved: string[] = [];
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const result = nextResolve(specifier, context);
      resolved.push(result.url);
      return result;
    },
  });
  await import(process.argv[2]);
  process.stdout.write(JSON.stringify(resolved));
}
