/**
 * The gateway runs as a plain Node 22 process (`node gateway/server/main.ts`), with no Hardhat and no TypeScript
 * loader: every entry point of gateway/ is imported by a fresh `node` that only strips types, and none of them
 * pulls in Hardhat or tsx.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";

import { HARDHAT, modulesLoadedBy, ROOT, TSX } from "../helpers/plain-node.js";

const ENTRY_POINTS = [
  "gateway/server/main.ts",
  "gateway/client/index.ts",
  "gateway/publish/publish.ts",
  "gateway/storage/open.ts",
  "gateway/catalogue.ts",
];

describe("gateway: runs in plain Node", function () {
  this.timeout(60_000);

  for (const entry of ENTRY_POINTS) {
    it(`loads ${entry} without Hardhat or tsx`, function () {
      const modules = modulesLoadedBy(pathToFileURL(path.join(ROOT, entry)).href);
      expect(modules).to.include(pathToFileURL(path.join(ROOT, entry)).href);
      expect(modules.filter((m) => HARDHAT.test(m) || TSX.test(m))).to.deep.equal([]);
    });
  }
});
