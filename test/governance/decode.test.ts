/**
 * The proposal decoder (governance/decode.ts) against the builders of governance/proposals.ts that move fractions
 * and money, change the metadata, the roles and the settings: each builder's calls decode back to the action that
 * made them, the arguments it was given, and a one-line summary. Offers, unknown tokens and calls no builder makes
 * are in decode-offers.test.ts.
 */
import { expect } from "chai";
import { ZeroAddress } from "ethers";

import {
  changeSettings,
  decodeCalls,
  issueFractions,
  recoverToken,
  setContributors,
  setGuardian,
  setOperator,
  setPaymentToken,
  setRevenueSplit,
  setRoyalty,
  setUnlockWindow,
  spendErc20,
  spendEth,
  spendFractions,
  updateMetadata,
  type Proposal,
  type ProtocolView,
} from "../../governance/index.js";
import { ALICE, BOB, type Contracts, description, one as oneCall, setup, USDC } from "./decode-setup.js";

describe("governance/decode: every builder's calls, decoded as the builder that made them", function () {
  let c: Contracts;
  let view: ProtocolView;

  before(async function () {
    ({ c, view } = await setup());
  });

  const decode = (p: Proposal) => decodeCalls(p, view);
  const one = (p: Proposal) => oneCall(p, view);

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
      summary: "contributors 20% (2000 bps), holders 50% (5000 bps), treasury 30% (3000 bps)",
      args: { modelId: 3n, contributorsBps: 2000n, holdersBps: 5000n },
    });
    // Percentages first, with up to 2 decimals.
    expect(
      one(
        await setRevenueSplit({ vault: c.vault, modelId: 3n, contributorsBps: 1250n, holdersBps: 3333n, description }),
      ).summary,
    ).to.equal("contributors 12.5% (1250 bps), holders 33.33% (3333 bps), treasury 54.17% (5417 bps)");
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
});
