/**
 * The demo's funding part: the labs register Speech-1B before it is trained and their DAO opens two raises by one
 * vote: the training run in ETH (a goal of 400 fractions, a cap of 1,000, two milestone tranches, and five licence
 * seats pre-sold), and a larger run in a 6-decimal USD token whose goal is not met. Two backers oversubscribe the ETH
 * raise and are filled pro rata with exact refunds of the rest; the first tranche reaches the treasury on
 * finalisation; backers claim fractions that vote; the DAO releases the second tranche and publishes the offer the
 * seats are delivered from; the USD raise fails and its backer gets back exactly what it paid.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionReceipt, ContractTransactionResponse } from "ethers";
import { formatEther, formatUnits, id, ZeroAddress } from "ethers";
import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";

import { backerPosition, backRaise, type RaiseTerms } from "../../client/raises.js";
import {
  addOffer,
  combine,
  openRaise,
  releaseTranche,
  setAccessOffer,
  setPaymentToken,
} from "../../governance/index.js";
import { defaultGovernance, passProposal, registerModel, table, type Cell, type Protocol } from "../../sdk/index.js";

export interface FundingDemo {
  ethers: HardhatEthers;
  networkHelpers: NetworkHelpers;
  protocol: Protocol;
  labs: readonly HardhatEthersSigner[];
  backers: readonly [HardhatEthersSigner, HardhatEthersSigner];
  check(what: string, actual: unknown, expected: unknown): void;
  say(text: string): void;
  step(
    what: string,
    sent: Promise<ContractTransactionResponse | ContractTransactionReceipt>,
  ): Promise<ContractTransactionReceipt>;
}

const DAY = 86_400n;
// Where refunds are sent, so each arrives in full at an address that pays no gas.
const REFUND_TO = ["0x00000000000000000000000000000000000fd001", "0x00000000000000000000000000000000000fd002"];

export async function fundingDemo(demo: FundingDemo): Promise<void> {
  const { ethers, networkHelpers, protocol, labs, check, say, step } = demo;
  const { shares, registry, raises, vault, licenses } = protocol;
  const [investor, sponsor] = demo.backers;
  const [labA, labB, labC] = labs;
  const fmt = (wei: bigint) => `${formatEther(wei)} ETH`;

  const speech = await registerModel(
    ethers,
    registry,
    {
      name: "Speech-1B",
      symbol: "wsSPE",
      contentHash: id("speech-1b training plan v1"),
      metadataURI: "ipfs://bafy-speech-1b-plan",
      members: [
        { account: labA.address, amount: 500n },
        { account: labB.address, amount: 300n },
        { account: labC.address, amount: 200n },
      ],
      governance: defaultGovernance(),
    },
    labA,
  );
  const modelId = speech.modelId;
  const treasury = await speech.timelock.getAddress();
  const usd = await ethers.deployContract("TestToken", ["USD Coin (test)", "USDC", 6]);
  const usdAddress = await usd.getAddress();
  const now = BigInt(await networkHelpers.time.latest());
  const opensAt = now + 6n * DAY; // after the vote that opens the raises has executed
  const closesAt = opensAt + 14n * DAY;
  const price = ethers.parseEther("0.001");
  const seatPrice = ethers.parseEther("0.05");
  const training: RaiseTerms = {
    modelId,
    token: ZeroAddress,
    price,
    goal: 400n,
    cap: 1000n,
    accountCap: 0n,
    opensAt,
    closesAt,
    allowlistRoot: ethers.ZeroHash,
    termsHash: id("Speech-1B backers' terms v1"),
    termsURI: "ipfs://bafy-speech-1b-backers-terms",
    tranches: [5000n, 5000n],
    seatPrice,
    seats: 5n,
    accessDeadline: closesAt + 30n * DAY,
  };
  const extended: RaiseTerms = {
    ...training,
    token: usdAddress,
    price: 2_000_000n, // 2 USDC a fraction
    goal: 2000n,
    cap: 5000n,
    tranches: [],
    seatPrice: 0n,
    seats: 0n,
    accessDeadline: 0n,
  };
  await passProposal(
    speech.governor,
    combine("Fund Speech-1B: the training run in ETH, a larger run in USDC", [
      await openRaise({ shares, raises, terms: training, description: "training run" }),
      await openRaise({ shares, raises, terms: extended, description: "larger run" }),
    ]),
    labA,
    [labA, labB],
    networkHelpers,
  );
  const [trainingId, extendedId] = [(await raises.raiseCount()) - 1n, await raises.raiseCount()];
  check(
    "the treasury granted minting of both caps",
    await shares.mintingGrant(modelId, await raises.getAddress()),
    6000n,
  );
  say(
    `Labs A, B and C registered model #${modelId} "Speech-1B" before training it, and their DAO voted two raises:` +
      ` #${trainingId}, the training run (0.001 ETH a fraction, goal 400, cap 1,000, two milestone tranches, 5 licence` +
      ` seats at 0.05 ETH), and #${extendedId}, a larger run in USDC (goal 2,000 fractions at 2 USDC).`,
  );

  // Backers commit: 800 + 400 fractions against a cap of 1,000, and two seats.
  await networkHelpers.time.increaseTo(opensAt);
  await step(
    "back a raise: 800 fractions + 2 seats, ETH (signs the terms)",
    backRaise(raises, investor, trainingId, { fractions: 800n, seats: 2n }),
  );
  await step(
    "back a raise: 400 fractions, ETH (signs the terms)",
    backRaise(raises, sponsor, trainingId, { fractions: 400n }),
  );
  await usd.mint(sponsor.address, 1_000_000_000n);
  await step(
    "back a raise: 300 fractions, USDC (approves, signs the terms)",
    backRaise(raises, sponsor, extendedId, { fractions: 300n }),
  );

  await networkHelpers.time.increaseTo(closesAt);
  await step("finalize a successful raise (first tranche to the treasury)", raises.finalize(trainingId));
  await step("finalize a failed raise", raises.finalize(extendedId));
  const [, , released] = await raises.accounts(trainingId);
  check("the first tranche is half of exactly cap x price", released, ethers.parseEther("0.5"));
  check("the treasury received it", await ethers.provider.getBalance(treasury), ethers.parseEther("0.5"));

  const investorPosition = await backerPosition(raises, trainingId, investor.address);
  const sponsorPosition = await backerPosition(raises, trainingId, sponsor.address);
  check("investor's pro-rata fractions: floor(800 x 1,000 / 1,200)", investorPosition.allocation, 666n);
  check("sponsor's pro-rata fractions: floor(400 x 1,000 / 1,200)", sponsorPosition.allocation, 333n);
  check(
    "investor's surplus: floor(0.8 ETH x 200 / 1,200)",
    investorPosition.refundable,
    (ethers.parseEther("0.8") * 200n) / 1200n,
  );
  await step(
    "claim fractions (minted to the backer)",
    raises.connect(investor).claimFractions(trainingId, investor.address, investor.address),
  );
  await step("claim fractions for another backer", raises.claimFractions(trainingId, sponsor.address, sponsor.address));
  check("investor votes with its fractions", await speech.votes.getVotes(investor.address), 666n);
  say(
    "The investor committed 800 fractions and two seats, the sponsor 400 fractions, against a cap of 1,000: the raise" +
      " succeeded and was filled pro rata (666 and 333 fractions, minted when claimed, voting at once), and each" +
      ` can reclaim the rest of its money (the investor ${fmt(investorPosition.refundable)}). Finalising it sent the` +
      " first tranche, half of exactly 1,000 x 0.001 ETH, to the treasury.",
  );
  check(
    "fractions minted to backers: 666 + 333 (the fraction lost to rounding is never minted)",
    (await shares["totalSupply(uint256)"](modelId)) - 1000n,
    999n,
  );

  // The DAO releases the second tranche and publishes the licence the seats become.
  const offer = {
    price: ethers.parseEther("0.04"),
    paymentToken: ZeroAddress,
    duration: 365n * DAY,
    credits: 0n,
    cap: 0n,
    transferable: false,
    commercialUse: true,
    derivativesAllowed: false,
    onSale: true,
    termsURI: "ipfs://bafy-speech-1b-licence-v1",
    termsHash: id("Speech-1B licence v1"),
    parentShareBps: 0n,
    minDerivativePrice: 0n,
  };
  await passProposal(
    speech.governor,
    combine("Speech-1B trained: second tranche, and the licence for the seats", [
      await releaseTranche({ raises, raiseId: trainingId, description: "second tranche" }),
      await setPaymentToken({ vault, modelId, token: ZeroAddress, allowed: true, description: "ETH" }),
      await addOffer({ licenses, modelId, terms: offer, description: "licence" }),
      await setAccessOffer({ raises, raiseId: trainingId, offerId: 1n, description: "seats" }),
    ]),
    labA,
    [labA, labB, investor],
    networkHelpers,
  );
  check("the treasury has exactly cap x price", await ethers.provider.getBalance(treasury), ethers.parseEther("1"));
  await step("deliver 2 pre-sold seats as licences", raises.deliverSeats(trainingId, investor.address));
  check("investor holds the licence", await licenses.hasAccess(modelId, investor.address), true);

  // Refunds: the pro-rata surplus (and the seats' 0.01 ETH discount each), and the failed raise in full.
  const investorRefund = (await backerPosition(raises, trainingId, investor.address)).refundable;
  check(
    "investor's refund: surplus + 2 x (0.05 - 0.04) ETH",
    investorRefund,
    (ethers.parseEther("0.8") * 200n) / 1200n + ethers.parseEther("0.02"),
  );
  await step("refund a pro-rata surplus (ETH)", raises.connect(investor).refund(trainingId, REFUND_TO[0]));
  check("it arrived in full", await ethers.provider.getBalance(REFUND_TO[0]), investorRefund);
  await step("refund a failed raise (USDC)", raises.connect(sponsor).refund(extendedId, REFUND_TO[1]));
  check("the failed raise's backer got back exactly 600 USDC", await usd.balanceOf(REFUND_TO[1]), 600_000_000n);
  check("no fractions came from the failed raise", await shares.balanceOf(sponsor.address, modelId), 333n);

  say(
    "Speech-1B was trained: the DAO (the investor voting too) released the second tranche and published the licence" +
      " the seats become, at 0.04 ETH; the investor's two seats were delivered as licences, paid into the model's" +
      " revenue, and it reclaimed its surplus plus 0.01 ETH a seat. The larger run missed its goal; the sponsor got" +
      " back exactly its 600 USDC, and no fraction came from that raise.",
  );
  const rows: Cell[][] = [];
  for (const [name, raiseId, format] of [
    ["training run (ETH)", trainingId, fmt],
    ["larger run (USDC)", extendedId, (v: bigint) => `${formatUnits(v, 6)} USDC`],
  ] as const) {
    const [inflow, refunded, out, seats] = await raises.accounts(raiseId);
    rows.push([
      name,
      format(inflow),
      format(out),
      format(seats),
      format(refunded),
      format(inflow - refunded - out - seats),
    ]);
  }
  say(
    "Where the backers' money went (still held: the sponsor's surplus, not reclaimed yet, and rounding dust under 1 wei a backer):",
  );
  console.log(table(["raise", "committed", "to the treasury", "paid for seats", "refunded", "still held"], rows));
}
