/**
 * The proposal decoder on raises and sales of treasury fractions (governance/funding.ts, decoded by
 * governance/decode-funding.ts): each builder's calls come back as the `ws propose --action` that made them, in plain
 * words, with their arguments; the grant and the approval are recognised only when they name this deployment's
 * Raises and FractionSales contracts, and a view of a deployment without them shows the calls as they are.
 */
import { expect } from "chai";
import { ZeroAddress, ZeroHash } from "ethers";

import type { RaiseTerms } from "../../client/raises.js";
import type { SaleTerms } from "../../client/sales.js";
import {
  cancelRaise,
  decodeCalls,
  failMilestone,
  openRaise,
  openSale,
  releaseTranche,
  setAccessOffer,
  stopSale,
  tokensUsed,
  type ProtocolView,
} from "../../governance/index.js";
import {
  ALICE,
  type Contracts,
  description,
  one as oneCall,
  RAISES,
  SALES,
  setup,
  SHARES,
  USDC,
} from "./decode-setup.js";

/** 2027-01-01T00:00:00Z and days after it. */
const T0 = 1_798_761_600n;
const day = (n: bigint) => T0 + n * 86_400n;

const raiseTerms: RaiseTerms = {
  modelId: 4n,
  token: USDC,
  price: 2_500_000n,
  goal: 400n,
  cap: 1_000n,
  accountCap: 50n,
  opensAt: T0,
  closesAt: day(14n),
  allowlistRoot: `0x${"cd".repeat(32)}`,
  termsHash: `0x${"ab".repeat(32)}`,
  termsURI: "ipfs://raise-terms",
  tranches: [3_000n, 3_000n, 4_000n],
  seatPrice: 10_000_000n,
  seats: 25n,
  accessDeadline: day(60n),
};

describe("governance/decode: raises and sales of treasury fractions", function () {
  let c: Contracts;
  let view: ProtocolView;

  before(async function () {
    ({ c, view } = await setup());
  });

  const one = (p: Parameters<typeof oneCall>[0]) => oneCall(p, view);

  it("open-raise: the minting grant of the cap to the Raises contract, then the raise's every term", async function () {
    const p = await openRaise({ shares: c.shares, raises: c.raises, terms: raiseTerms, description });
    expect(p.targets).to.deep.equal([SHARES, RAISES]);
    const [grant, open] = decodeCalls(p, view);
    expect(grant).to.deep.equal({
      action: "open-raise",
      summary:
        "let the Raises contract mint up to 1000 more fractions of model #4 (what a raise may sell; a grant cannot be taken back)",
      args: { modelId: 4n, minter: RAISES, amount: 1_000n },
    });
    expect(open.action).to.equal("open-raise");
    expect(open.args).to.deep.equal({ modelId: 4n, token: USDC, terms: raiseTerms });
    expect(open.summary).to.equal(
      "open a raise: up to 1000 fractions of model #4 at 2.5 USDC each, goal 400 (1000 USDC), cap 1000 (2500 USDC), " +
        "at most 50 per account, open from 2027-01-01T00:00:00Z to 2027-01-15T00:00:00Z, " +
        `allow-list root 0x${"cd".repeat(32)}, terms ipfs://raise-terms (keccak256 0x${"ab".repeat(32)}), ` +
        "money released in tranches of 30% (3000 bps), 30% (3000 bps), 40% (4000 bps), " +
        "access presale: 25 licence seats at 10 USDC each, offer named by 2027-03-02T00:00:00Z",
    );
    expect(tokensUsed(p, view)).to.deep.equal([USDC]);
  });

  it("open-raise in ETH, open to anyone, one tranche, no seats", async function () {
    const terms: RaiseTerms = {
      ...raiseTerms,
      token: ZeroAddress,
      price: 10n ** 16n,
      accountCap: 0n,
      allowlistRoot: ZeroHash,
      tranches: [],
      seatPrice: 0n,
      seats: 0n,
      accessDeadline: 0n,
    };
    const [, open] = decodeCalls(await openRaise({ shares: c.shares, raises: c.raises, terms, description }), view);
    expect(open.summary).to.equal(
      "open a raise: up to 1000 fractions of model #4 at 0.01 ETH each, goal 400 (4 ETH), cap 1000 (10 ETH), " +
        "no limit per account, open from 2027-01-01T00:00:00Z to 2027-01-15T00:00:00Z, anyone may back, " +
        `terms ipfs://raise-terms (keccak256 0x${"ab".repeat(32)}), money released in one tranche`,
    );
  });

  it("cancel-raise, release-tranche, fail-milestone, set-access-offer", async function () {
    const raises = c.raises;
    expect(one(await cancelRaise({ raises, raiseId: 3n, description }))).to.deep.equal({
      action: "cancel-raise",
      summary: "cancel raise #3: everything committed becomes refundable",
      args: { raiseId: 3n },
    });
    expect(one(await releaseTranche({ raises, raiseId: 3n, description }))).to.deep.equal({
      action: "release-tranche",
      summary: "release the next tranche of raise #3 to the treasury",
      args: { raiseId: 3n },
    });
    expect(one(await failMilestone({ raises, raiseId: 3n, description }))).to.deep.equal({
      action: "fail-milestone",
      summary:
        "declare the current milestone of raise #3 failed: what is not released becomes refundable to its backers",
      args: { raiseId: 3n },
    });
    expect(one(await setAccessOffer({ raises, raiseId: 3n, offerId: 2n, description }))).to.deep.equal({
      action: "set-access-offer",
      summary: "deliver the licence seats of raise #3 from offer 2",
      args: { raiseId: 3n, offerId: 2n },
    });
  });

  it("open-sale: the approval of the FractionSales contract, then the sale at a fixed or falling price; stop-sale", async function () {
    const fixed: SaleTerms = {
      modelId: 4n,
      token: ZeroAddress,
      startPrice: 10n ** 16n,
      endPrice: 10n ** 16n,
      amount: 100n,
      startsAt: T0,
      endsAt: day(7n),
    };
    const p = await openSale({ shares: c.shares, sales: c.sales, terms: fixed, description });
    expect(p.targets).to.deep.equal([SHARES, SALES]);
    const [approval, open] = decodeCalls(p, view);
    expect(approval).to.deep.equal({
      action: "open-sale",
      summary: "let the FractionSales contract move the treasury's fractions (only what a sale it opens offers)",
      args: { operator: SALES, approved: true },
    });
    expect(open).to.deep.equal({
      action: "open-sale",
      summary:
        "sell 100 treasury fractions of model #4 at 0.01 ETH each, from 2027-01-01T00:00:00Z to 2027-01-08T00:00:00Z",
      args: { modelId: 4n, token: ZeroAddress, terms: fixed },
    });
    const falling = { ...fixed, token: USDC, startPrice: 20_000_000n, endPrice: 12_500_000n };
    const [, dutch] = decodeCalls(
      await openSale({ shares: c.shares, sales: c.sales, terms: falling, description }),
      view,
    );
    expect(dutch.summary).to.equal(
      "sell 100 treasury fractions of model #4 at a price falling from 20 USDC to 12.5 USDC each, " +
        "from 2027-01-01T00:00:00Z to 2027-01-08T00:00:00Z",
    );
    expect(one(await stopSale({ sales: c.sales, saleId: 5n, description }))).to.deep.equal({
      action: "stop-sale",
      summary: "stop sale #5: its unsold fractions stay in the treasury",
      args: { saleId: 5n },
    });
  });

  it("a grant or an approval to another address is shown as the call it is", async function () {
    const grant = {
      targets: [SHARES],
      values: [0n],
      calldatas: [c.shares.interface.encodeFunctionData("grantMinting", [4n, ALICE, 10n])],
    };
    expect(decodeCalls(grant, view)[0]).to.deep.include({
      action: "call",
      summary: `call ModelShares.grantMinting(4, ${ALICE}, 10)`,
    });
    const approval = {
      targets: [SHARES],
      values: [0n],
      calldatas: [c.shares.interface.encodeFunctionData("setApprovalForAll", [SALES, false])],
    };
    expect(decodeCalls(approval, view)[0].summary).to.equal(`call ModelShares.setApprovalForAll(${SALES}, false)`);
  });

  it("a view of a deployment without raises and sales shows their calls as they are", async function () {
    const { raises, sales, ...addresses } = view.addresses;
    const { raises: ri, sales: si, ...interfaces } = view.interfaces;
    void [raises, sales, ri, si];
    const old: ProtocolView = { ...view, addresses, interfaces };
    const calls = decodeCalls(await cancelRaise({ raises: c.raises, raiseId: 3n, description }), old);
    expect(calls[0].action).to.equal("call");
    expect(calls[0].summary).to.match(new RegExp(`^call ${RAISES}\\.0x[0-9a-f]{8}\\(32 bytes\\)$`));
    const [grant] = decodeCalls(
      await openRaise({ shares: c.shares, raises: c.raises, terms: raiseTerms, description }),
      old,
    );
    expect(grant.summary).to.equal(`call ModelShares.grantMinting(4, ${RAISES}, 1000)`);
  });
});
