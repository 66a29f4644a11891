/**
 * Every refusal of derivative models comes out of a task as a plain sentence with the custom error and its values
 * kept in brackets (tasks/lib/errors.ts, lineage-errors.ts): each error of ModelLineage, the licence manager's floor
 * on a derivative's offers, and the vault's check of the parents it is given.
 */
import { expect } from "chai";
import { ErrorFragment, Interface, ZeroAddress } from "ethers";
import hre from "hardhat";

import { explain, phrased, protocolErrors } from "../../tasks/lib/errors.js";

const USDC = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

/** An error as a provider reports it: the revert data of `name(args)`. */
function reverted(iface: Interface, name: string, args: unknown[]) {
  return { data: iface.encodeErrorResult(name, args) };
}

describe("tasks/lib/errors: refusals of derivative models in plain words", function () {
  it("phrases every custom error of ModelLineage, the derivative floor and the vault's parents", async function () {
    const { abi } = await hre.artifacts.readArtifact("ModelLineage");
    const names = new Interface(abi).fragments
      .filter((f): f is ErrorFragment => f instanceof ErrorFragment && f.name.startsWith("ModelLineage"))
      .map((f) => f.name);
    expect(names).to.include.members(["ModelLineageNotNew", "ModelLineageShareAboveCap", "ModelLineageCycle"]);
    expect(
      [...names, "LicenseManagerBelowDerivativeFloor", "RevenueVaultInvalidParents"].filter((n) => !phrased(n)),
    ).to.deep.equal([]);
  });

  it("keeps the values a user acts on: shares as percentages, ETH amounts in ETH, tokens by address", async function () {
    const errors = await protocolErrors(hre);
    const says = (name: string, args: unknown[]) => explain(errors, reverted(errors, name, args));
    expect(says("ModelLineageShareAboveCap", [6500n, 5000n])).to.equal(
      "the parents would take 65% of the derivative's revenue together; at most 50% [ModelLineageShareAboveCap(6500, 5000)]",
    );
    expect(says("ModelLineageNotNew", [3n, 2n, false])).to.equal(
      "model #3 is not new (it has 2 licence offers); only a model that has published no offer and taken no payment becomes a derivative, so its parents miss nothing it earned [ModelLineageNotNew(3, 2, false)]",
    );
    expect(says("ModelLineageNotNew", [3n, 0n, true])).to.match(
      /^model #3 is not new \(it has allowed a payment token\)/,
    );
    expect(says("ModelLineageTooManyRoutes", [9n, 8n])).to.equal(
      "a payment into the derivative would credit 9 ancestors (one per path up its lineage); at most 8 [ModelLineageTooManyRoutes(9, 8)]",
    );
    expect(says("ModelLineageTooDeep", [5n, 4n])).to.equal(
      "the derivative would have 5 generations of ancestors above it; at most 4 [ModelLineageTooDeep(5, 4)]",
    );
    expect(
      says("LicenseManagerBelowDerivativeFloor", [3n, ZeroAddress, 4n * 10n ** 16n, ZeroAddress, 5n * 10n ** 16n]),
    ).to.equal(
      `model #3 is a derivative whose licences cost at least 0.05 ETH; this offer asks 0.04 ETH [LicenseManagerBelowDerivativeFloor(3, ${ZeroAddress}, 40000000000000000, ${ZeroAddress}, 50000000000000000)]`,
    );
    expect(says("LicenseManagerBelowDerivativeFloor", [3n, USDC, 20_000_000n, ZeroAddress, 5n * 10n ** 16n])).to.equal(
      `model #3 is a derivative whose licences are priced in ETH, at least 0.05 ETH; this offer is priced in ${USDC} [LicenseManagerBelowDerivativeFloor(3, ${USDC}, 20000000, ${ZeroAddress}, 50000000000000000)]`,
    );
    expect(says("ModelLineageConflictingMinPrice", [ZeroAddress, USDC])).to.equal(
      `the parents set price floors in different tokens (ETH and ${USDC}); no offer could meet both [ModelLineageConflictingMinPrice(${ZeroAddress}, ${USDC})]`,
    );
  });
});
