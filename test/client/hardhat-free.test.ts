/**
 * The client never loads Hardhat (issue #12, client/README.md): a plain Node process imports client/index.ts with a
 * module hook recording every module resolved (hardhat-free-probe.ts), and none of them is `hardhat` or
 * `@nomicfoundation/*`. A control run importing `hardhat/config` shows the hook does see Hardhat when it is loaded.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";

const PROBE = path.join(import.meta.dirname, "hardhat-free-probe.ts");
const ROOT = path.resolve(import.meta.dirname, "..", "..");
const HARDHAT = /\/node_modules\/(hardhat|@nomicfoundation\/[^/]+)\//;

/** The modules a fresh Node process resolves while importing `specifier`. */
function modulesLoadedBy(specifier: string): string[] {
  const r = spawnSync(process.execPath, ["--disable-warning=ExperimentalWarning", PROBE, specifier], {
    encoding: "utf8",
    cwd: ROOT,
    // Plain Node: no loader or preloaded module inherited from the test runner's process.
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  expect(r.status, r.stderr).to.equal(0);
  return JSON.parse(r.stdout) as string[];
}

describe("client: Hardhat-free", function () {
  this.timeout(60_000);

  it("loads client/index.ts in plain Node without any hardhat or @nomicfoundation module", function () {
    const modules = modulesLoadedBy(pathToFileURL(path.join(ROOT, "client", "index.ts")).href);
    const url = (file: string) => pathToFileURL(path.join(ROOT, file)).href;
    for (const file of ["client/index.ts", "client/deployment.ts", "client/contracts.ts", "client/reads.ts"]) {
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
