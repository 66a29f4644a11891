/**
 * The client never loads Hardhat (issue #12, client/README.md): a plain Node process imports client/index.ts with a
 * module hook recording every module resolved (test/helpers/module-probe.ts), and none of them is `hardhat` or
 * `@nomicfoundation/*`. A control run importing `hardhat/config` shows the hook does see Hardhat when it is loaded.
 */
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";

import { HARDHAT, modulesLoadedBy, ROOT } from "../helpers/plain-node.js";

describe("client: Hardhat-free", function () {
  this.timeout(60_000);

  it("loads client/index.ts in plain Node without any hardhat or @nomicfoundation module", function () {
    const modules = modulesLoadedBy(pathToFileURL(path.join(ROOT, "client", "index.ts")).href);
    const url = (file: string) => pathToFileURL(path.join(ROOT, file)).href;
    for (const file of [
      "client/index.ts",
      "client/deployment.ts",
      "client/contracts.ts",
      "client/reads.ts",
      "client/attestations.ts",
      "client/lineage.ts",
    ]) {
      expect(modules, file).to.include(url(file));
    }
    expect(
      modules.some((m) => m.includes("/node_modules/ethers/")),
      "ethers is loaded",
    ).to.equal(true);
    expect(modules.filter((m) => HARDHAT.test(m))).to.deep.equal([]);
  });

  it("control: the same hook sees Hardhat when a module does load it", function () {
    const modules = modulesLoadedBy("hardhat/config");
    expect(modules.filter((m) => HARDHAT.test(m))).to.not.deep.equal([]);
  });
});
