/**
 * Root-level mocha hook: stops the stack the browser tests share (scripts/app/stack.ts `sharedStack`) once the whole
 * run is over, if any test started it. Starts nothing at import.
 */
import { stopSharedStack } from "../../scripts/app/stack.js";

after(async function () {
  this.timeout(60_000);
  await stopSharedStack();
});
