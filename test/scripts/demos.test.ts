/**
 * Both demos run as a newcomer runs them (`npm run demo`, `npm run demo:integrations`) and must end with every
 * expected outcome held: each script checks its own outcomes and exits non-zero when one fails.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

import { expect } from "chai";

const cli = path.join("node_modules", "hardhat", "dist", "src", "cli.js");

function runScript(script: string) {
  return spawnSync(process.execPath, [cli, "run", script], { encoding: "utf8", timeout: 240_000 });
}

describe("demos", function () {
  this.timeout(300_000);

  it("npm run demo: the consortium story holds end to end", function () {
    const r = runScript("scripts/demo.ts");
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.include("Every expected outcome held.");
  });

  it("npm run demo:integrations: Snapshot signalling vote, binding vote, Tally view", function () {
    const r = runScript("scripts/demo-integrations.ts");
    expect(r.status, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/Snapshot proposal 0x[0-9a-f]{10}… \(power at block \d+\), 3 signed votes/);
    expect(r.stdout).to.match(/Academic licence tier +executed/);
    expect(r.stdout).to.include("Every expected outcome held.");
  });
});
