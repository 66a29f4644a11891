/**
 * The indexer's committed ABIs (indexer/abis/) are exactly what `node indexer/abis.ts` generates from the Hardhat
 * build's artifacts: a contract change that is not regenerated fails here.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { ABI_DIR, INDEXED_CONTRACTS, renderAbis, staleAbis } from "../../indexer/abis.js";

describe("indexer ABIs", function () {
  it("are up to date with artifacts/ (run `npm run indexer:abis` after changing a contract)", function () {
    expect(staleAbis()).to.deep.equal([]);
  });

  it("name each stale, missing or left-over file", function () {
    const dir = mkdtempSync(path.join(tmpdir(), "ws-abis-"));
    try {
      cpSync(ABI_DIR, dir, { recursive: true });
      writeFileSync(path.join(dir, "ModelVotes.ts"), "export const ModelVotesAbi = [] as const;\n");
      rmSync(path.join(dir, "RevenueVault.ts"));
      writeFileSync(path.join(dir, "Old.ts"), "");
      // Against the committed files themselves, so a contract changed meanwhile does not show up here.
      const committed = new Map(readdirSync(ABI_DIR).map((f) => [f, readFileSync(path.join(ABI_DIR, f), "utf8")]));
      expect(staleAbis(dir, committed).sort()).to.deep.equal(["ModelVotes.ts", "Old.ts", "RevenueVault.ts"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("carry every event of each contract and only the functions handlers call, as const", function () {
    const files = renderAbis();
    expect([...files.keys()].sort()).to.deep.equal(
      [...Object.keys(INDEXED_CONTRACTS).map((n) => `${n}.ts`), "index.ts"].sort(),
    );
    expect(files.get("ModelRegistry.ts")).to.match(/"name": "ModelRegistered"/);
    expect(files.get("ModelRegistry.ts")).to.match(/\] as const;\n$/);
    expect(files.get("ModelRegistry.ts")).to.not.match(/"type": "(function|error|constructor)"/);
    expect(files.get("EAS.ts")?.match(/"type": "function"/g)).to.have.length(1); // getAttestation
  });
});
