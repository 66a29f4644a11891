/**
 * The exported standard-JSON inputs rebuild the deployed contracts: compiled again here with the same pinned solc
 * (solc-js from the `solc` package), the input yields the artifact's exact bytecode, metadata hash included, which
 * is what an explorer's verification and Remix's "Compile from JSON" rely on.
 */
import { mkdtemp, readFile, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre from "hardhat";

import { DEPLOYABLE_CONTRACTS, exportStandardJson, standardJsonFor } from "../../sdk/standard-json.js";

const solc = createRequire(import.meta.url)("solc") as { compile(input: string): string; version(): string };

describe("Standard-JSON export (Remix, explorer verification)", function () {
  this.timeout(300_000);

  it("writes one input per deployable contract, each naming its compiler and settings", async function () {
    const dir = await mkdtemp(path.join(tmpdir(), "ws-standard-json-"));
    try {
      const written = await exportStandardJson(hre.artifacts, dir);
      expect((await readdir(dir)).sort()).to.deep.equal(
        DEPLOYABLE_CONTRACTS.map((fqn) => `${fqn.split(":")[1]}.json`).sort(),
      );
      for (const { file, export: e } of written) {
        const input = JSON.parse(await readFile(file, "utf8"));
        expect(input.language).to.equal("Solidity");
        expect(input.sources[e.compiledSourceName], e.contract).to.have.property("content");
        expect(input.settings.optimizer.enabled).to.equal(true);
        expect(input.settings.evmVersion).to.equal("cancun");
        expect(e.compilerVersion).to.equal(`v${solc.version().replace(".Emscripten.clang", "")}`);
      }
      const governor = written.find((w) => w.export.contractName === "ModelGovernor")!;
      expect((governor.export.input.settings.optimizer as { runs: number }).runs).to.equal(200);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  for (const fqn of ["contracts/token/ModelVotes.sol:ModelVotes", "contracts/periphery/Multicall.sol:Multicall"]) {
    it(`recompiles ${fqn.split(":")[1]} to the artifact's exact bytecode`, async function () {
      const e = await standardJsonFor(hre.artifacts, fqn);
      const output = JSON.parse(solc.compile(JSON.stringify(e.input))) as {
        errors?: { severity: string; formattedMessage: string }[];
        contracts: Record<string, Record<string, { evm: { bytecode: { object: string } } }>>;
      };
      const errors = (output.errors ?? []).filter((x) => x.severity === "error");
      expect(errors.map((x) => x.formattedMessage)).to.deep.equal([]);
      const artifact = await hre.artifacts.readArtifact(fqn);
      const rebuilt = output.contracts[e.compiledSourceName][e.contractName].evm.bytecode.object;
      expect(`0x${rebuilt}`).to.equal(artifact.bytecode);
    });
  }
});
