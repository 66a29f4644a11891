/**
 * One line before the first build, so a newcomer's first `npm run demo` or `npm test` does not compile in silence
 * (about a minute and a half on 2 cores); silent once the contracts are built, since later runs reuse the build.
 */
import { existsSync } from "node:fs";

if (!existsSync(new URL("../artifacts/build-info", import.meta.url))) {
  console.log("Compiling the contracts for the first time (about 90 s on 2 cores; later runs reuse the build)...");
}
