/**
 * The proposal decoder (governance/decode.ts) against every builder of governance/proposals.ts: each builder's
 * calls decode back to the action that made them, the arguments it was given, and a one-line summary; anything
 * no builder makes comes out as `call <target>.<function>(args)`.
 */
import { expect } from "chai";
import { getAddress, ZeroAddress } from "ethers";
import hre from "hardhat";

import {
  addOffer,
  changeSettings,
  combine,
  decodeCalls,
  issueFractions,
  recoverToken,
  setContributors,
  setGuardian,
  setOfferOnSale,
  setOperator,
  setPaymentToken,
  setRevenueSplit,
  setRoyalty,
  setUnlockWindow,
  spendErc20,
  spendEth,
  spendFractions,
  tokensUsed,
  updateMetadata,
  updateOffer,
  type OfferTerms,
  type Proposal,
  type ProtocolView,
} from "../../governance/index.js";

const at = (n: number) => getAddress(`0x${n.toString(16).padStart(40, "0")}`);
const [SHARES, REGISTRY, VAULT, LICENSES, METER, GOVERNOR, TIMELOCK, USDC, ALICE, BOB] = [
  0x5a, 0x7e, 0x7a, 0x11, 0x3e, 0x60, 0x71, 0xc0, 0xa1, 0xb0,
].map((n) => at(0x1000 + n));
const description = "test";

describe("governance/decode: every builder's calls, decoded as the builder that made them", function () {
  let c: Awaited<ReturnType<typeof contracts>>;
  let view: ProtocolView;

  async function contracts() {
    const { ethers } = await hre.network.getOrCreate();
    return {
      shares: await ethers.getContractAt("ModelShares", SHARES),
      registry: await ethers.getContractAt("ModelRegistry", REGISTRY),
      vault: await ethers.getContractAt("RevenueVault", VAULT),
      licenses: await ethers.getContractAt("LicenseManager", LICENSES),
      meter: await ethers.getContractAt("UsageMeter", METER),
      governor: await ethers.getContractAt("ModelGovernor", GOVERNOR),
      timelock: await ethers.getContractAt("ModelTimelock", TIMELOCK),
      usdc: await ethers.getContractAt("TestToken", USDC),
    };
  }

  before(async function () {
    c = await contracts();
    const { usdc, ...protocol } = c;
    void usdc;
    view = {
      addresses: {
        shares: SHARES,
        registry: REGISTRY,
        vault: VAULT,
        licenses: LICENSES,
        meter: METER,
        governor: GOVERNOR,
        timelock: TIMELOCK,
      },
      interfaces: Object.fromEntries(
        Object.entries(protocol).map(([name, contract]) => [name, contract.interface]),
      ) as ProtocolView["interfaces"],
      tokens: new Map([[USDC.toLowerCase(), { symbol: "USDC", decimals: 6 }]]),
    };
  });

  const decode = (p: Proposal) => decodeCalls(p, view);
  const one = (p: Proposal) => {
    const calls = decode(p);
    expect(calls).to.have.length(1);
    return calls[0];
  };

  const terms: OfferTerms = {
    price: 12_500_000n,
    paymentToken: USDC,
    duration: 30n * 86_400n,
    credits: 1000n,
    cap: 50n,
    transferable: true,
    commercialUse: false,
    derivativesAllowed: true,
    onSale: true,
    termsURI: "ipfs://terms",
    termsHash: `0x${"ab".repeat(32)}`,
  };
  const termsText =
    "12.5 USDC, 30 days (2592000 s), 1000 credits, cap 50, transferable, no commercial use, derivatives allowed, " +
    `on sale, terms ipfs://terms (keccak256 0x${"ab".repeat(32)})`;

  it("issueFractions, spendEth, spendErc20, spendFractions", async function () {
    expect(
      one(await issueFractions({ shares: c.shares, modelId: 3n, to: ALICE, amount: 40n, description })),
    ).to.deep.equal({
      action: "issue-fractions",
      summary: `issue 40 fractions of model #3 to ${ALICE}`,
      args: { modelId: 3n, to: ALICE, amount: 40n },
    });
    expect(one(spendEth({ to: BOB, amount: 1_500_000_000_000_000_000n, description }))).to.deep.equal({
      action: "spend-eth",
      summary: `send 1.5 ETH to ${BOB}`,
      args: { to: BOB, amount: 1_500_000_000_000_000_000n },
    });
    expect(one(await spendErc20({ token: c.usdc, to: BOB, amount: 2_000_000n, description }))).to.deep.equal({
      action: "spend-erc20",
      summary: `send 2 USDC to ${BOB}`,
      args: { token: USDC, to: BOB, amount: 2_000_000n },
    });
    const spent = await spendFractions({
      shares: c.shares,
      timelock: c.timelock,
      modelId: 3n,
      to: ALICE,
      amount: 7n,
      description,
    });
    expect(one(spent)).to.deep.equal({
      action: "spend-fractions",
      summary: `send 7 treasury fractions of model #3 to ${ALICE}`,
      args: { modelId: 3n, to: ALICE, amount: 7n },
    });
  });

  it("updateMetadata (two calls), setRoyalty, setGuardian, setOperator", async function () {
    const hash = `0x${"cd".repeat(32)}`;
    const metadata = await updateMetadata({
      shares: c.shares,
      registry: c.registry,
      modelId: 3n,
      uri: "ipfs://v2",
      contentHash: hash,
      description,
    });
    expect(decode(metadata)).to.deep.equal([
      {
        action: "update-metadata",
        summary: "metadata URI of model #3 -> ipfs://v2",
        args: { modelId: 3n, uri: "ipfs://v2" },
      },
      {
        action: "update-metadata",
        summary: `content hash of model #3 -> ${hash}`,
        args: { modelId: 3n, contentHash: hash },
      },
    ]);
    expect(
      one(await setRoyalty({ shares: c.shares, modelId: 3n, receiver: BOB, feeBps: 250n, description })),
    ).to.deep.equal({
      action: "set-royalty",
      summary: `ERC-2981 royalty of model #3: 250 bps (2.5%) to ${BOB}`,
      args: { modelId: 3n, receiver: BOB, feeBps: 250n },
    });
    expect(
      one(await setRoyalty({ shares: c.shares, modelId: 3n, receiver: ZeroAddress, feeBps: 0n, description })).summary,
    ).to.equal("remove the ERC-2981 royalty of model #3");
    expect(one(await setGuardian({ governor: c.governor, guardian: ALICE, description }))).to.deep.equal({
      action: "set-guardian",
      summary: `guardian -> ${ALICE}`,
      args: { guardian: ALICE },
    });
    expect(one(await setGuardian({ governor: c.governor, guardian: ZeroAddress, description })).summary).to.equal(
      "remove the guardian",
    );
    expect(one(await setOperator({ meter: c.meter, modelId: 3n, operator: BOB, description }))).to.deep.equal({
      action: "set-operator",
      summary: `operator of model #3 -> ${BOB}`,
      args: { modelId: 3n, operator: BOB },
    });
  });

  it("changeSettings: every setting, durations in days and hours", async function () {
    const p = await changeSettings({
      governor: c.governor,
      timelock: c.timelock,
      change: {
        votingDelay: 3600,
        votingPeriod: 2 * 86400,
        proposalThreshold: 10,
        quorumNumerator: 5,
        lateQuorumExtension: 90,
        timelockDelay: 86400 + 5400,
      },
      description,
    });
    expect(decode(p).map((d) => [d.action, d.summary, d.args])).to.deep.equal([
      ["change-setting", "votingDelay -> 1 hour (3600 s)", { setting: "votingDelay", value: 3600n }],
      ["change-setting", "votingPeriod -> 2 days (172800 s)", { setting: "votingPeriod", value: 172800n }],
      ["change-setting", "proposalThreshold -> 10 votes", { setting: "proposalThreshold", value: 10n }],
      ["change-setting", "quorumNumerator -> 5%", { setting: "quorumNumerator", value: 5n }],
      ["change-setting", "lateQuorumExtension -> 1 minute 30 s (90 s)", { setting: "lateQuorumExtension", value: 90n }],
      ["change-setting", "timelockDelay -> 1 day 1 hour (91800 s)", { setting: "timelockDelay", value: 91800n }],
    ]);
  });

  it("setRevenueSplit, setContributors, setPaymentToken (allow ETH, allow and remove a token), setUnlockWindow, recoverToken", async function () {
    expect(
      one(
        await setRevenueSplit({ vault: c.vault, modelId: 3n, contributorsBps: 2000n, holdersBps: 5000n, description }),
      ),
    ).to.deep.equal({
      action: "set-split",
      summary: "contributors 2000 bps, holders 5000 bps, treasury 3000 bps",
      args: { modelId: 3n, contributorsBps: 2000n, holdersBps: 5000n },
    });
    const contributors = [
      { account: ALICE, shares: 3n },
      { account: BOB, shares: 1n },
    ];
    expect(one(await setContributors({ vault: c.vault, modelId: 3n, contributors, description }))).to.deep.equal({
      action: "set-contributors",
      summary: `contributors of model #3: ${ALICE} 3 shares, ${BOB} 1 share`,
      args: { modelId: 3n, contributors },
    });
    const token = (t: string, allowed: boolean) =>
      setPaymentToken({ vault: c.vault, modelId: 3n, token: t, allowed, description });
    expect(one(await token(ZeroAddress, true))).to.deep.equal({
      action: "allow-eth",
      summary: "accept ETH as revenue of model #3",
      args: { modelId: 3n, token: ZeroAddress, allowed: true },
    });
    expect(one(await token(USDC, true)).summary).to.equal(`accept USDC (${USDC}) as revenue of model #3`);
    expect(one(await token(USDC, true)).action).to.equal("allow-token");
    expect(one(await token(USDC, false))).to.deep.equal({
      action: "remove-token",
      summary: `stop accepting USDC (${USDC}) as revenue of model #3`,
      args: { modelId: 3n, token: USDC, allowed: false },
    });
    expect(one(await setUnlockWindow({ vault: c.vault, modelId: 3n, seconds: 43200n, description }))).to.deep.equal({
      action: "set-unlock-window",
      summary: "holders' unlock window of model #3 -> 12 hours (43200 s)",
      args: { modelId: 3n, seconds: 43200n },
    });
    expect(one(await recoverToken({ vault: c.vault, modelId: 3n, token: ALICE, description }))).to.deep.equal({
      action: "recover-token",
      summary: `recover the token (${ALICE}) from the royalty receiver of model #3 to the treasury`,
      args: { modelId: 3n, token: ALICE },
    });
  });

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
        "offer 2 of model #3 -> 0.1 ETH, perpetual, unmetered, no cap, transferable, no commercial use, derivatives allowed, " +
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
