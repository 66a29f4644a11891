/**
 * The app's typed bindings (app/src/generated.ts, written by `npm run app:bindings` with @wagmi/cli) hold exactly the
 * ABIs of the current build: a contract change that was not regenerated fails here.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";

import * as generated from "../../app/src/generated.js";
import { BINDINGS } from "../../app/wagmi.config.js";
import { root } from "../tasks/cli.js";

describe("app bindings (app/src/generated.ts)", function () {
  for (const [name, source, contract] of BINDINGS) {
    it(`${name} equals the ABI of ${source}:${contract} in the current build`, function () {
      const artifact = JSON.parse(readFileSync(path.join(root, "artifacts", source, `${contract}.json`), "utf8")) as {
        abi: unknown;
      };
      const exported = (generated as Record<string, unknown>)[`${name[0].toLowerCase()}${name.slice(1)}Abi`];
      expect(exported, `${name}: missing from app/src/generated.ts; run npm run app:bindings`).to.not.equal(undefined);
      expect(exported, `${name}: stale; run npm run app:bindings`).to.deep.equal(artifact.abi);
    });
  }
});
