/**
 * Every refusal of Raises and FractionSales (and of the minting grants raises mint from) comes out of a task as a
 * plain sentence with the custom error and its values kept in brackets (tasks/lib/errors.ts, funding-errors.ts).
 */
import { expect } from "chai";
import { ErrorFragment, Interface } from "ethers";
import hre from "hardhat";

import { explain, phrased, protocolErrors } from "../../tasks/lib/errors.js";

/** An error as a provider reports it: the revert data of `name(args)`. */
function reverted(iface: Interface, name: string, args: unknown[]) {
  return { data: iface.encodeErrorResult(name, args) };
}

describe("tasks/lib/errors: refusals of raises and sales in plain words", function () {
  it("phrases every custom error of Raises and FractionSales, and ModelShares' grant errors", async function () {
    const names: string[] = [];
    for (const contract of ["Raises", "FractionSales"]) {
      const { abi } = await hre.artifacts.readArtifact(contract);
      for (const fragment of new Interface(abi).fragments) {
        if (fragment instanceof ErrorFragment && /^(Raises|FractionSales)/.test(fragment.name))
          names.push(fragment.name);
      }
    }
    expect(names).to.include.members(["RaisesNotOpen", "RaisesGrantTooSmall", "FractionSalesPriceAboveMax"]);
    expect(names.filter((name) => !phrased(name))).to.deep.equal([]);
    expect(["ModelSharesMintingExceedsGrant", "ModelSharesInvalidGrant"].filter((n) => !phrased(n))).to.deep.equal([]);
  });

  it("keeps the values a user acts on: statuses by name, times as dates, amounts", async function () {
    const errors = await protocolErrors(hre);
    expect(explain(errors, reverted(errors, "RaisesNotOpen", [3n, 2n]))).to.equal(
      "raise #3 is Closed, not open for commitments [RaisesNotOpen(3, 2)]",
    );
    expect(explain(errors, reverted(errors, "RaisesAccessDeadlinePassed", [1n, 1_798_761_600n]))).to.equal(
      "the offer of raise #1 had to be named by 2027-01-01T00:00:00Z (1798761600) [RaisesAccessDeadlinePassed(1, 1798761600)]",
    );
    expect(explain(errors, reverted(errors, "FractionSalesNotActive", [2n, 10n, 20n, true]))).to.equal(
      "sale #2 was stopped [FractionSalesNotActive(2, 10, 20, true)]",
    );
    expect(explain(errors, reverted(errors, "FractionSalesTreasuryShort", [2n, 30n, 12n]))).to.equal(
      "the treasury holds 12 fractions, fewer than the 30 asked for from sale #2 [FractionSalesTreasuryShort(2, 30, 12)]",
    );
  });
});
