/**
 * The proposal decoder on a treasury registering its model as a derivative (governance/lineage.ts): the call comes
 * back as `register-derivative`, in plain words, with its arguments; a view of a deployment without a lineage
 * registry shows it as the call it is.
 */
import { expect } from "chai";
import { ZeroHash } from "ethers";
import hre from "hardhat";

import { decodeCalls, registerDerivative, type ProtocolView } from "../../governance/index.js";
import type { ModelLineage } from "../../types/ethers-contracts/index.js";
import { ALICE, at, description, setup } from "./decode-setup.js";

const LINEAGE = at(0x11e4);

describe("governance/decode: registering a derivative by vote", function () {
  let lineage: ModelLineage;
  let view: ProtocolView;
  let before15: ProtocolView;

  before(async function () {
    const { ethers } = await hre.network.getOrCreate();
    lineage = await ethers.getContractAt("ModelLineage", LINEAGE);
    ({ view: before15 } = await setup());
    view = {
      ...before15,
      addresses: { ...before15.addresses, lineage: LINEAGE },
      interfaces: { ...before15.interfaces, lineage: lineage.interface },
    };
  });

  const one = (p: Parameters<typeof decodeCalls>[0], v: ProtocolView = view) => {
    const calls = decodeCalls(p, v);
    expect(calls).to.have.length(1);
    return calls[0];
  };

  it("register-derivative: the model, and the licences its treasury registers it through", async function () {
    const p = await registerDerivative({ lineage, modelId: 7n, licenceIds: [3n, 4n], description });
    expect(p).to.deep.equal({
      targets: [LINEAGE],
      values: [0n],
      calldatas: [lineage.interface.encodeFunctionData("registerDerivative", [7n, [3n, 4n]])],
      description,
    });
    expect(one(p)).to.deep.equal({
      action: "register-derivative",
      summary: "register model #7 as a derivative through licences 3, 4",
      args: { modelId: 7n, licenceIds: [3n, 4n] },
    });
    const single = await registerDerivative({ lineage, modelId: 7n, licenceIds: [5n], description });
    expect(one(single).summary).to.equal("register model #7 as a derivative through licence 5");
  });

  it("other calls to the registry, and a view without it, show the call as it is", async function () {
    const p = await registerDerivative({ lineage, modelId: 7n, licenceIds: [3n], description });
    const unknown = one(p, before15);
    expect(unknown.action).to.equal("call");
    expect(unknown.summary).to.match(new RegExp(`^call ${LINEAGE}\\.0x[0-9a-f]{8}\\(\\d+ bytes\\)$`));
    const grant = lineage.interface.encodeFunctionData("grantRole", [ZeroHash, ALICE]);
    expect(one({ targets: [LINEAGE], values: [0n], calldatas: [grant] })).to.deep.include({
      action: "call",
      summary: `call ModelLineage.grantRole(${ZeroHash}, ${ALICE})`,
    });
  });

  it("refuses to build a registration through no licence", async function () {
    let error: unknown;
    try {
      await registerDerivative({ lineage, modelId: 7n, licenceIds: [], description });
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.equal("Error: registerDerivative: expected at least one licence");
  });
});
