/**
 * The demo's lineage part: a lab's fine-tune pays its parent model. Vision-7B's DAO votes a derivative licence (10%
 * of a derivative's revenue to Vision-7B, derivatives priced at 0.05 ETH or more); a lab buys it, registers its
 * fine-tune Vision-7B-Radiology and names Vision-7B its parent with that licence. The fine-tune's DAO cannot publish
 * an offer below the floor; it publishes one above it. A hospital buys the fine-tune's licence: 10% of the payment is
 * set aside for Vision-7B in the same transaction and the fine-tune splits the rest; collected (by anyone), Vision-7B's
 * share enters its own split. Vision-7B's DAO then withdraws its derivative offer, and the fine-tune keeps paying its
 * parent on the hospital's renewal.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { NetworkHelpers } from "@nomicfoundation/hardhat-network-helpers/types";
import type { ContractTransactionReceipt, ContractTransactionResponse, LogDescription } from "ethers";
import { formatEther, id, parseEther, ZeroAddress } from "ethers";

import {
  addOffer,
  combine,
  setOfferOnSale,
  setPaymentToken,
  setRevenueSplit,
  type OfferTerms,
} from "../../governance/index.js";
import { defaultGovernance, passProposal, registerModel, table, type Protocol } from "../../sdk/index.js";
import type { ModelGovernor } from "../../types/ethers-contracts/index.js";

export interface LineageDemo {
  ethers: HardhatEthers;
  networkHelpers: NetworkHelpers;
  protocol: Protocol;
  /** The parent model (Vision-7B), its DAO, and who proposes and votes there. */
  parent: { modelId: bigint; governor: ModelGovernor; proposer: HardhatEthersSigner; voters: HardhatEthersSigner[] };
  /** The lab that fine-tunes the parent and holds every fraction of the fine-tune. */
  lab: HardhatEthersSigner;
  /** The fine-tune's licensee. */
  hospital: HardhatEthersSigner;
  check(what: string, actual: unknown, expected: unknown): void;
  say(text: string): void;
  step(
    what: string,
    sent: Promise<ContractTransactionResponse | ContractTransactionReceipt>,
  ): Promise<ContractTransactionReceipt>;
}

const DAY = 86_400n;
const ETH = ZeroAddress;
const fmt = (wei: bigint) => `${formatEther(wei)} ETH`;

export async function lineageDemo(demo: LineageDemo): Promise<void> {
  const { ethers, networkHelpers, protocol, parent, lab, hospital, check, say, step } = demo;
  const { registry, vault, licenses, lineage } = protocol;
  const vaultAddress = await vault.getAddress();
  /** The vault's events in `receipt`, parsed. */
  const vaultEvents = (receipt: ContractTransactionReceipt, name: string): LogDescription[] =>
    receipt.logs
      .filter((log) => log.address === vaultAddress)
      .map((log) => vault.interface.parseLog(log))
      .filter((parsed): parsed is LogDescription => parsed?.name === name);
  /** The licence a purchase minted. */
  const purchased = (receipt: ContractTransactionReceipt): bigint =>
    receipt.logs.map((log) => licenses.interface.parseLog(log)).find((parsed) => parsed?.name === "LicencePurchased")
      ?.args.licenceId as bigint;
  /** The licence manager's refusal of a call `from` would make, decoded (null if it would pass). */
  const refusal = async (from: string, data: string, value = 0n) =>
    ethers.provider.call({ from, to: await licenses.getAddress(), data, value }).then(
      () => null,
      (error: { data?: string }) => licenses.interface.parseError(error.data ?? "0x"),
    );

  // Vision-7B's DAO votes a derivative licence: 10% of the derivative's revenue, and a floor on its price.
  const derivativeTerms: OfferTerms = {
    price: parseEther("0.5"),
    paymentToken: ETH,
    duration: 365n * DAY,
    credits: 0n,
    cap: 0n,
    transferable: false,
    commercialUse: true,
    derivativesAllowed: true,
    onSale: true,
    termsURI: "ipfs://bafy-vision-7b-derivative-licence-v1",
    termsHash: id("Vision-7B derivative licence v1"),
    parentShareBps: 1000n,
    minDerivativePrice: parseEther("0.05"),
  };
  const derivativeOffer = (await licenses.offerCount(parent.modelId)) + 1n;
  await passProposal(
    parent.governor,
    await addOffer({
      licenses,
      modelId: parent.modelId,
      terms: derivativeTerms,
      description: "Vision-7B derivative licence: 10% of the derivative's revenue, priced at 0.05 ETH or more",
    }),
    parent.proposer,
    parent.voters,
    networkHelpers,
  );
  const bought = await step(
    "purchase a derivative licence (0.5 ETH)",
    licenses.connect(lab).purchase(parent.modelId, derivativeOffer, lab.address, derivativeTerms.price, {
      value: derivativeTerms.price,
    }),
  );
  const licenceId = purchased(bought);

  // The lab registers its fine-tune and names Vision-7B its parent, before the fine-tune sells or takes anything.
  const fineTune = await registerModel(
    ethers,
    registry,
    {
      name: "Vision-7B-Radiology",
      symbol: "wsVRAD",
      contentHash: id("vision-7b-radiology weights, release 1"),
      metadataURI: "ipfs://bafy-vision-7b-radiology",
      members: [{ account: lab.address, amount: 1000n }],
      governance: defaultGovernance(),
    },
    lab,
  );
  const modelId = fineTune.modelId;
  await step("registerDerivative (1 parent)", lineage.connect(lab).registerDerivative(modelId, [licenceId]));
  const [parentRecord] = await lineage.parentsOf(modelId);
  check("the fine-tune's parent is Vision-7B", parentRecord.modelId, parent.modelId);
  check("through the lab's licence, at 10%", `${parentRecord.licenceId}@${parentRecord.shareBps}`, `${licenceId}@1000`);
  check("Vision-7B's children", (await lineage.childrenOf(parent.modelId)).join(), String(modelId));
  check("one generation above the fine-tune", (await lineage.depthOf(modelId)).join(), "1,1");
  const [, floor] = await lineage.minPriceOf(modelId);
  check("the fine-tune's price floor", floor, derivativeTerms.minDerivativePrice);
  say(
    `Vision-7B's DAO voted a derivative licence (0.5 ETH: 10% of a derivative's revenue to Vision-7B, derivatives` +
      ` priced at ${fmt(floor)} or more). The fine-tuner bought licence #${licenceId}, registered model #${modelId}` +
      ` "Vision-7B-Radiology" and named Vision-7B its parent with that licence.`,
  );

  // The fine-tune's DAO opens for business: an offer below the floor is refused, one above it is published.
  const offer: OfferTerms = {
    ...derivativeTerms,
    price: parseEther("0.1"),
    derivativesAllowed: false,
    termsURI: "ipfs://bafy-vision-7b-radiology-licence-v1",
    termsHash: id("Vision-7B-Radiology clinical licence v1"),
    parentShareBps: 0n,
    minDerivativePrice: 0n,
  };
  const treasury = await fineTune.timelock.getAddress();
  const cheap = { ...offer, price: parseEther("0.02") };
  const belowFloor = await refusal(treasury, licenses.interface.encodeFunctionData("addOffer", [modelId, cheap]));
  check("an offer below the floor is refused", belowFloor?.name, "LicenseManagerBelowDerivativeFloor");
  const [refusedPrice, refusedFloor] = [belowFloor?.args.price as bigint, belowFloor?.args.floorPrice as bigint];
  check("the refusal names the offer's price", refusedPrice, cheap.price);
  check("and the floor its parent set", refusedFloor, floor);
  await passProposal(
    fineTune.governor,
    combine("Open Vision-7B-Radiology for business", [
      await setPaymentToken({ vault, modelId, token: ETH, allowed: true, description: "ETH" }),
      await setRevenueSplit({ vault, modelId, contributorsBps: 0n, holdersBps: 6000n, description: "split" }),
      await addOffer({ licenses, modelId, terms: offer, description: "clinical licence" }),
    ]),
    lab,
    [lab],
    networkHelpers,
  );
  say(
    `Simulated as the fine-tune's treasury before filing, a 0.02 ETH offer was refused: ${belowFloor?.name}` +
      `(model ${modelId}, price ${fmt(refusedPrice)}, floor ${fmt(refusedFloor)}).` +
      " Its DAO voted instead: ETH allowed, 60% to holders and 40% to the treasury, a clinical licence at" +
      ` ${fmt(offer.price)}.`,
  );

  // A hospital buys the fine-tune's licence: Vision-7B's 10% is set aside for it in the same transaction, and
  // enters Vision-7B's own split when anyone collects it.
  const parentBefore = await vault.totalDeposited(parent.modelId, ETH);
  const sale = await step(
    "purchase a derivative's licence (ETH, 10% set aside for its parent)",
    licenses.connect(hospital).purchase(modelId, 1n, hospital.address, offer.price, { value: offer.price }),
  );
  const [parentPaid] = vaultEvents(sale, "ParentPaid");
  const [ownSplit] = vaultEvents(sale, "Deposited");
  if (parentPaid === undefined || ownSplit === undefined) throw new Error("the fine-tune's sale credited nothing");
  check("ParentPaid names Vision-7B", parentPaid.args.parentId, parent.modelId);
  check("ParentPaid: exactly 10% of the payment", parentPaid.args.amount, offer.price / 10n);
  const [setAside, toCollect] = await vault.fromDerivatives(parent.modelId, ETH);
  check(
    "set aside for Vision-7B, waiting to be collected",
    `${setAside}/${toCollect}`,
    `${offer.price / 10n}/${offer.price / 10n}`,
  );
  check("the fine-tune split the other 90%", ownSplit.args.amount, (offer.price * 9n) / 10n);
  check("the fine-tune's holders: 60% of it", ownSplit.args.toHolders, parseEther("0.054"));
  check("the fine-tune's treasury: 40% of it", ownSplit.args.toTreasury, parseEther("0.036"));
  const collected = await step(
    "collect a parent's revenue from its derivatives (enters its split)",
    vault.connect(parent.proposer).collectFromDerivatives(parent.modelId, ETH),
  );
  const [parentSplit] = vaultEvents(collected, "Deposited");
  if (parentSplit === undefined) throw new Error("collecting Vision-7B's share split nothing");
  check(
    "Vision-7B's revenue rose by exactly 10%",
    (await vault.totalDeposited(parent.modelId, ETH)) - parentBefore,
    offer.price / 10n,
  );
  check("Vision-7B split its 10% by its own vote", parentSplit.args.toContributors, parseEther("0.002"));
  check("nothing left to collect", (await vault.fromDerivatives(parent.modelId, ETH))[1], 0n);
  const splitRow = (name: string, d: LogDescription) => [
    name,
    fmt(d.args.amount as bigint),
    fmt(d.args.toContributors as bigint),
    fmt(d.args.toHolders as bigint),
    fmt(d.args.toTreasury as bigint),
  ];
  say(
    `The hospital bought the fine-tune's licence for ${fmt(offer.price)}. The purchase set aside Vision-7B's 10%` +
      " and split the rest in the fine-tune; anyone may then collect Vision-7B's share into its own split:",
  );
  console.log(
    table(
      ["model", "split", "contributors", "holders (unlocking)", "treasury"],
      [splitRow("Vision-7B (parent, 10%)", parentSplit), splitRow("Vision-7B-Radiology", ownSplit)],
    ),
  );

  // Vision-7B's DAO withdraws the derivative offer: no new derivatives, but the fine-tune's share stands.
  await passProposal(
    parent.governor,
    await setOfferOnSale({
      licenses,
      modelId: parent.modelId,
      offerId: derivativeOffer,
      onSale: false,
      description: "Withdraw the Vision-7B derivative licence",
    }),
    parent.proposer,
    parent.voters,
    networkHelpers,
  );
  const offSale = await refusal(
    hospital.address,
    licenses.interface.encodeFunctionData("purchase", [
      parent.modelId,
      derivativeOffer,
      hospital.address,
      derivativeTerms.price,
    ]),
    derivativeTerms.price,
  );
  check("the derivative licence is off sale", offSale?.name, "LicenseManagerNotOnSale");
  const renewal = await step(
    "renew a derivative's licence (ETH, 10% set aside for its parent)",
    licenses.connect(hospital).renew(purchased(sale), offer.price, { value: offer.price }),
  );
  check("the renewal still pays Vision-7B 10%", vaultEvents(renewal, "ParentPaid")[0]?.args.amount, offer.price / 10n);
  await (await vault.collectFromDerivatives(parent.modelId, ETH)).wait();
  check(
    "Vision-7B has received 10% of each of the hospital's two payments",
    (await vault.totalDeposited(parent.modelId, ETH)) - parentBefore,
    (offer.price * 2n) / 10n,
  );
  say(
    "Vision-7B's DAO then withdrew its derivative licence: nobody can buy it now, but the shares of registered" +
      ` derivatives stand. The hospital renewed its licence, and Vision-7B received ${fmt(offer.price / 10n)} again.`,
  );
}
