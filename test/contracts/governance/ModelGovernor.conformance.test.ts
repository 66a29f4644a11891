/**
 * Tally indexes OpenZeppelin Governors. These tests hold the compiled ABIs of ModelGovernor and ModelVotes to
 * every event and function Tally reads (governance/tally/abi.ts, which the indexer decodes with), equal to
 * OpenZeppelin's Governor and ERC20Votes compiled in the same build; and CLOCK_MODE, COUNTING_MODE and the
 * ProposalState enum (read from the compiler's AST of OZ's IGovernor) to the values Tally and our indexer assume.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { expect } from "chai";
import { Interface } from "ethers";
import hre from "hardhat";

import {
  CLOCK_MODE,
  COUNTING_MODE,
  GOVERNOR_EVENTS,
  GOVERNOR_FUNCTIONS,
  PROPOSAL_STATES,
  QUORUM_DENOMINATOR,
  TOKEN_EVENTS,
  TOKEN_FUNCTIONS,
} from "../../../governance/tally/index.js";
import { protocolWithModel } from "../../helpers/fixtures.js";

const tallyGovernor = new Interface([...GOVERNOR_EVENTS, ...GOVERNOR_FUNCTIONS]);
const tallyToken = new Interface([...TOKEN_EVENTS, ...TOKEN_FUNCTIONS]);

async function abi(name: string) {
  return new Interface((await hre.artifacts.readArtifact(name)).abi);
}

describe("ModelGovernor / ModelVotes conformance with what Tally indexes", function () {
  const pairs = [
    { what: "governor", tally: tallyGovernor, ours: "ModelGovernor", oz: "BaselineGovernor" },
    { what: "token", tally: tallyToken, ours: "ModelVotes", oz: "BaselineERC20Votes" },
  ];

  for (const { what, tally, ours, oz } of pairs) {
    it(`${what}: every event Tally decodes has the same topic hash and indexed fields in ${ours} and OZ`, async function () {
      const [mine, theirs] = [await abi(ours), await abi(oz)];
      tally.forEachEvent((event) => {
        for (const compiled of [mine, theirs]) {
          const e = compiled.getEvent(event.name);
          expect(e, `${event.name} missing`).to.not.equal(null);
          expect(e!.topicHash, event.name).to.equal(event.topicHash);
          expect(
            e!.inputs.map((i) => [i.type, i.indexed === true]),
            event.name,
          ).to.deep.equal(event.inputs.map((i) => [i.type, i.indexed === true]));
        }
      });
    });

    it(`${what}: every function Tally calls has the same selector and outputs in ${ours} and OZ`, async function () {
      const [mine, theirs] = [await abi(ours), await abi(oz)];
      tally.forEachFunction((fn) => {
        for (const compiled of [mine, theirs]) {
          const f = compiled.getFunction(fn.selector);
          expect(f, `${fn.format()} missing`).to.not.equal(null);
          expect(
            f!.outputs.map((o) => o.type),
            fn.name,
          ).to.deep.equal(fn.outputs.map((o) => o.type));
        }
      });
    });
  }

  it("state() returns OZ's IGovernor.ProposalState, whose members are the ones the indexer names", async function () {
    const artifact = await hre.artifacts.readArtifact("ModelGovernor");
    const state = artifact.abi.find((x: { name?: string }) => x.name === "state") as {
      outputs: { internalType: string }[];
    };
    expect(state.outputs[0].internalType).to.equal("enum IGovernor.ProposalState");
    expect(proposalStateFromAst()).to.deep.equal([...PROPOSAL_STATES]);
  });

  it("CLOCK_MODE, COUNTING_MODE and the quorum denominator are OZ's, on deployed clones", async function () {
    const { ethers } = await hre.network.create();
    const { model } = await protocolWithModel(ethers);
    expect(await model.governor.CLOCK_MODE()).to.equal(CLOCK_MODE);
    expect(await model.votes.CLOCK_MODE()).to.equal(CLOCK_MODE);
    expect(await model.governor.COUNTING_MODE()).to.equal(COUNTING_MODE);
    expect(await model.governor.quorumDenominator()).to.equal(QUORUM_DENOMINATOR);
  });
});

/** The enum as the compiler saw it in OpenZeppelin's IGovernor.sol (the AST of ModelGovernor's build). */
function proposalStateFromAst(): string[] {
  const artifact = JSON.parse(
    readFileSync(path.join("artifacts", "contracts", "governance", "ModelGovernor.sol", "ModelGovernor.json"), "utf8"),
  ) as { buildInfoId: string };
  const output = JSON.parse(
    readFileSync(path.join("artifacts", "build-info", `${artifact.buildInfoId}.output.json`), "utf8"),
  ) as { output: { sources: Record<string, { ast: unknown }> } };
  const source = Object.entries(output.output.sources).find(([name]) => name.endsWith("governance/IGovernor.sol"));
  expect(source, "IGovernor.sol in the build").to.not.equal(undefined);
  let members: string[] | undefined;
  const walk = (node: unknown) => {
    if (typeof node !== "object" || node === null || members) return;
    const n = node as { nodeType?: string; name?: string; members?: { name: string }[] };
    if (n.nodeType === "EnumDefinition" && n.name === "ProposalState") members = n.members!.map((m) => m.name);
    for (const value of Object.values(node)) walk(value);
  };
  walk(source![1].ast);
  return members ?? [];
}
