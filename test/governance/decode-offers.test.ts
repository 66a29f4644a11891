/**
 * The proposal decoder (governance/decode.ts) on licence offers (every term, the price in the offer's token; an
 * update that only re-prices reads as set-price; on sale and withdrawn), tokens whose decimals are unknown, and
 * calls no builder makes, which come out as `call <target>.<function>(args)`.
 */
import { expect } from "chai";
import { ZeroAddress } from "ethers";
import hre from "hardhat";

import {
  addOffer,
  combine,
  decodeCalls,
  setOfferOnSale,
  spendErc20,
  spendEth,
  tokensUsed,
  updateOffer,
  type Proposal,
  type ProtocolView,
} from "../../governance/index.js";
import {
  ALICE,
  BOB,
  type Contracts,
  description,
  GOVERNOR,
  one as oneCall,
  setup,
  SHARES,
  terms,
  termsText,
  USDC,
} from "./decode-setup.js";

describe("governance/decode: offers, unknown tokens and calls no builder makes", function () {
  let c: Contracts;
  let view: ProtocolView;

  before(async function () {
    ({ c, view } = await setup());
  });

  const decode = (p: Proposal) => decodeCalls(p, view);
  const one = (p: Proposal) => oneCall(p, view);

  it("addOffer, updateOffer, setOfferOnSale: every term, the price in the offer's token", async function () {
    expect(one(await addOffer({ licenses: c.licenses, modelId: 3n, terms, description }))).to.deep.equal({
      action: "add-offer",
      summary: `new offer for model #3: ${termsText}`,
      args: { modelId: 3n, terms },
    });
    const eth = { ...terms, price: 10n ** 17n, paymentToken: ZeroAddress, duration: 0n, credits: 0n, cap: 0n };
    expect(
      one(await updateOffer({ licenses: c.licenses, modelId: 3n, offerId: 2n, terms: eth, description })),
    ).to.deep.equal({
      action: "update-offer",
      summary:
        "offer 2 of model #3 -> 0.1 ETH, perpetual, unmetered, no cap, transferable, no commercial use, derivatives allowed (parent takes 0% of a derivative's revenue), " +
        `on sale, terms ipfs://terms (keccak256 0x${"ab".repeat(32)})`,
      args: { modelId: 3n, offerId: 2n, terms: eth },
    });
    const sale = (onSale: boolean) =>
      setOfferOnSale({ licenses: c.licenses, modelId: 3n, offerId: 2n, onSale, description });
    expect(one(await sale(false))).to.deep.equal({
      action: "withdraw-offer",
      summary: "withdraw offer 2 of model #3 from sale",
      args: { modelId: 3n, offerId: 2n, onSale: false },
    });
    expect(one(await sale(true))).to.deep.equal({
      action: "put-on-sale",
      summary: "put offer 2 of model #3 on sale",
      args: { modelId: 3n, offerId: 2n, onSale: true },
    });
  });

  it("updateOffer that keeps every current term but the price decodes as set-price, a ws propose action", async function () {
    const current = { ...terms, onSale: false };
    const repriced = { ...current, price: 20_000_000n };
    const withOffers = { ...view, offers: new Map([["3:2", current]]) };
    const p = await updateOffer({ licenses: c.licenses, modelId: 3n, offerId: 2n, terms: repriced, description });
    expect(decodeCalls(p, withOffers)).to.deep.equal([
      {
        action: "set-price",
        summary: "price of offer 2 of model #3 -> 20 USDC",
        args: { modelId: 3n, offerId: 2n, terms: repriced },
      },
    ]);
    // Any other term changed, or the current terms unknown: an update-offer (the builder; no CLI action makes it).
    const capped = { ...repriced, cap: 10n };
    const q = await updateOffer({ licenses: c.licenses, modelId: 3n, offerId: 2n, terms: capped, description });
    expect(decodeCalls(q, withOffers)[0].action).to.equal("update-offer");
    expect(decodeCalls(p, view)[0].action).to.equal("update-offer");
  });

  it("amounts of a token whose decimals are unknown stay in its smallest unit; tokensUsed lists the tokens to look up", async function () {
    const p = combine(description, [
      await spendErc20({
        token: await (await hre.network.getOrCreate()).ethers.getContractAt("TestToken", ALICE),
        to: BOB,
        amount: 5n,
        description,
      }),
      await addOffer({ licenses: c.licenses, modelId: 3n, terms, description }),
      spendEth({ to: BOB, amount: 1n, description }),
    ]);
    expect(decode(p)[0].summary).to.equal(`send 5 smallest units of ${ALICE} to ${BOB}`);
    expect(tokensUsed(p, view)).to.deep.equal([ALICE, USDC]);
  });

  it("anything else: call <target>.<function>(args), with the ETH it sends, or the selector when unknown", async function () {
    const hook = c.shares.interface.encodeFunctionData("setRevenueHook", [ALICE]);
    const calls = {
      targets: [SHARES, BOB, SHARES, GOVERNOR],
      values: [0n, 2n * 10n ** 18n, 0n, 0n],
      calldatas: [
        hook,
        c.usdc.interface.encodeFunctionData("transfer", [ALICE, 1n]),
        c.shares.interface.encodeFunctionData("safeTransferFrom", [ALICE, BOB, 3n, 1n, "0x"]),
        "0xdeadbeef0000",
      ],
    };
    expect(decodeCalls(calls, view)).to.deep.equal([
      {
        action: "call",
        summary: `call ModelShares.setRevenueHook(${ALICE})`,
        args: { target: SHARES, value: 0n, data: hook, function: "setRevenueHook" },
      },
      {
        action: "call",
        summary: `call ${BOB}.transfer(${ALICE}, 1), sending 2 ETH`,
        args: { target: BOB, value: 2n * 10n ** 18n, data: calls.calldatas[1], function: "transfer" },
      },
      {
        action: "call",
        summary: `call ModelShares.safeTransferFrom(${ALICE}, ${BOB}, 3, 1, 0x)`,
        args: { target: SHARES, value: 0n, data: calls.calldatas[2], function: "safeTransferFrom" },
      },
      {
        action: "call",
        summary: "call ModelGovernor.0xdeadbeef(2 bytes)",
        args: { target: GOVERNOR, value: 0n, data: "0xdeadbeef0000" },
      },
    ]);
  });
});
