/**
 * The upstream the inference rows of `npm run bench:gateway` call, in a process of its own: the loopback STAND-IN
 * for an OpenAI-compatible server (test/helpers/openai-standin.ts; no LLM server or weights can be installed here).
 * Prints `listening <base URL of its honest behaviour>` on stdout and stops on SIGTERM.
 */
import { startOpenAIStandIn } from "../../test/helpers/openai-standin.ts";

const standIn = await startOpenAIStandIn();
// The stand-in records every request for tests to inspect; the bench never reads them, so they are dropped.
setInterval(() => void standIn.seen.splice(0), 1000).unref();
console.log(`listening ${standIn.url("honest")}`);
process.once("SIGTERM", () => {
  standIn.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
