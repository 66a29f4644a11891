/**
 * The proposal decoder on a treasury's attestations (governance/attestations.ts, decoded by
 * governance/decode-attestations.ts): attesting provenance, revoking it and naming or dropping evaluators come back as
 * the `ws propose --action` that made them, in plain words, with their arguments. An attestation under another schema
 * than this deployment's provenance schema, or a view of a deployment without EAS, shows the call as it is.
 */
import { expect } from "chai";
import { AbiCoder, solidityPackedKeccak256, ZeroAddress, ZeroHash } from "ethers";
import hre from "hardhat";

import { PROVENANCE_SCHEMA } from "../../client/attestations.js";
import {
  attestProvenance,
  decodeCalls,
  revokeProvenance,
  setEvaluator,
  type ProtocolView,
} from "../../governance/index.js";
import type { EAS, ProvenanceResolver } from "../../types/ethers-contracts/index.js";
import { ALICE, at, description, setup } from "./decode-setup.js";

const EAS_ADDRESS = at(0x1ea5);
const PROVENANCE = at(0x1e70);
const MANIFEST = `0x${"5e".repeat(32)}`;
const UID = `0x${"9d".repeat(32)}`;
/** The UID of the provenance schema its resolver registered: keccak256(schema, resolver, revocable). */
const SCHEMA = solidityPackedKeccak256(["string", "address", "bool"], [PROVENANCE_SCHEMA, PROVENANCE, true]);

describe("governance/decode: a treasury's attestations on EAS", function () {
  let eas: EAS;
  let provenance: ProvenanceResolver;
  let view: ProtocolView;
  let before15: ProtocolView;

  before(async function () {
    const { ethers } = await hre.network.getOrCreate();
    eas = (await ethers.getContractAt(
      "@ethereum-attestation-service/eas-contracts/contracts/EAS.sol:EAS",
      EAS_ADDRESS,
    )) as unknown as EAS;
    provenance = await ethers.getContractAt("ProvenanceResolver", PROVENANCE);
    ({ view: before15 } = await setup());
    view = {
      ...before15,
      addresses: { ...before15.addresses, eas: EAS_ADDRESS, provenance: PROVENANCE },
      interfaces: { ...before15.interfaces, eas: eas.interface, provenance: provenance.interface },
    };
  });

  const one = (p: Parameters<typeof decodeCalls>[0], v: ProtocolView = view) => {
    const calls = decodeCalls(p, v);
    expect(calls).to.have.length(1);
    return calls[0];
  };

  it("attest-provenance: the treasury attests, on EAS, to what a version's manifest hash stands for", async function () {
    for (const [kind, words] of [
      ["training-data", "the training data sources"],
      ["evaluation", "the evaluation results"],
      ["model-card", "the signed model card"],
    ]) {
      const attestation = { modelId: 4n, manifestHash: MANIFEST, kind, uri: "ipfs://bafyevidence" };
      const p = await attestProvenance({ eas, provenanceSchema: SCHEMA, attestation, description });
      expect(p.targets).to.deep.equal([EAS_ADDRESS]);
      expect(one(p)).to.deep.equal({
        action: "attest-provenance",
        summary: `attest on EAS, as the treasury, to ${words} of model #4's version ${MANIFEST} at ipfs://bafyevidence (revocable by vote)`,
        args: { modelId: 4n, manifestHash: MANIFEST, kind, uri: "ipfs://bafyevidence", revocable: true },
      });
    }
  });

  it("revoke-provenance and set-evaluator (naming and dropping)", async function () {
    expect(one(await revokeProvenance({ eas, provenanceSchema: SCHEMA, uid: UID, description }))).to.deep.equal({
      action: "revoke-provenance",
      summary: `revoke the treasury's provenance attestation ${UID} on EAS`,
      args: { uid: UID },
    });
    const named = await setEvaluator({ provenance, modelId: 4n, evaluator: ALICE, allowed: true, description });
    expect(named.targets).to.deep.equal([PROVENANCE]);
    expect(one(named)).to.deep.equal({
      action: "set-evaluator",
      summary: `name ${ALICE} an evaluator of model #4: it may attest provenance and evaluations of the model's versions without a vote`,
      args: { modelId: 4n, evaluator: ALICE, allowed: true },
    });
    const dropped = await setEvaluator({ provenance, modelId: 4n, evaluator: ALICE, allowed: false, description });
    expect(one(dropped).summary).to.equal(
      `drop ${ALICE} as an evaluator of model #4 (what it attested stays until it revokes it)`,
    );
  });

  it("shows an attestation under another schema, or on a view without EAS, as the call it is", async function () {
    const other = `0x${"07".repeat(32)}`;
    const attestation = { modelId: 4n, manifestHash: MANIFEST, kind: "evaluation", uri: "ipfs://x" };
    const foreign = one(await attestProvenance({ eas, provenanceSchema: other, attestation, description }));
    expect(foreign.action).to.equal("call");
    expect(foreign.summary).to.match(/^call EAS\.attest\(/);
    const p = await attestProvenance({ eas, provenanceSchema: SCHEMA, attestation, description });
    const unknown = one(p, before15);
    expect(unknown.action).to.equal("call");
    expect(unknown.summary).to.match(new RegExp(`^call ${EAS_ADDRESS}\\.0x[0-9a-f]{8}\\(\\d+ bytes\\)$`));
    // Data the provenance schema cannot hold is not dressed up as provenance either.
    const garbage = eas.interface.encodeFunctionData("attest", [
      {
        schema: SCHEMA,
        data: {
          recipient: ZeroAddress,
          expirationTime: 0n,
          revocable: true,
          refUID: ZeroHash,
          data: AbiCoder.defaultAbiCoder().encode(["uint256"], [4n]),
          value: 0n,
        },
      },
    ]);
    expect(one({ targets: [EAS_ADDRESS], values: [0n], calldatas: [garbage] }).action).to.equal("call");
  });
});
