/**
 * Typed proposal builders: every action a model's holders govern, as the exact (targets, values, calldatas,
 * description) a Governor proposal carries. Tests, tasks and the demo share these, so a proposal built in a test
 * is the same bytes a user's task sends.
 *
 * Every action runs as the model's timelock (its treasury), the only authority over the model's settings.
 */
import { ZeroAddress, id, type AddressLike, type BigNumberish, type Interface } from "ethers";

import type {
  LicenseManager,
  ModelGovernor,
  ModelRegistry,
  ModelShares,
  ModelTimelock,
  RevenueVault,
  UsageMeter,
} from "../types/ethers-contracts/index.js";

/** Any ERC-20 contract handle (ethers) whose ABI has `transfer(address,uint256)`. */
export interface Erc20Like {
  getAddress(): Promise<string>;
  interface: Interface;
}

export interface Proposal {
  targets: string[];
  values: bigint[];
  calldatas: string[];
  description: string;
}

interface Call {
  target: string;
  value?: bigint;
  data: string;
}

function proposal(description: string, calls: Call[]): Proposal {
  if (description.trim() === "") throw new Error("proposal description: expected a non-empty text");
  return {
    targets: calls.map((c) => c.target),
    values: calls.map((c) => c.value ?? 0n),
    calldatas: calls.map((c) => c.data),
    description,
  };
}

async function addressOf(contract: { getAddress(): Promise<string> }): Promise<string> {
  return contract.getAddress();
}

/** Appends OpenZeppelin's `#proposer=0x…` suffix: only that address may then submit the proposal. */
export function withProposer(p: Proposal, proposer: string): Proposal {
  return { ...p, description: `${p.description}#proposer=${proposer}` };
}

/** keccak256 of the description, as `queue`, `execute` and `cancel` take it. */
export function descriptionHash(p: Proposal): string {
  return id(p.description);
}

/** Issue `amount` new fractions of `modelId` to `to` (the treasury itself, or a new member). */
export async function issueFractions(args: {
  shares: ModelShares;
  modelId: bigint;
  to: string;
  amount: bigint;
  description: string;
}): Promise<Proposal> {
  return proposal(args.description, [
    {
      target: await addressOf(args.shares),
      data: args.shares.interface.encodeFunctionData("mint", [args.to, args.modelId, args.amount, "0x"]),
    },
  ]);
}

/** Update the model's metadata URI (ModelShares) and content hash (ModelRegistry) atomically. */
export async function updateMetadata(args: {
  shares: ModelShares;
  registry: ModelRegistry;
  modelId: bigint;
  uri: string;
  contentHash: string;
  description: string;
}): Promise<Proposal> {
  return proposal(args.description, [
    {
      target: await addressOf(args.shares),
      data: args.shares.interface.encodeFunctionData("setURI", [args.modelId, args.uri]),
    },
    {
      target: await addressOf(args.registry),
      data: args.registry.interface.encodeFunctionData("setContentHash", [args.modelId, args.contentHash]),
    },
  ]);
}

/** Set (or, with `receiver` = zero address, remove) the model's ERC-2981 royalty, in basis points. */
export async function setRoyalty(args: {
  shares: ModelShares;
  modelId: bigint;
  receiver: string;
  feeBps: bigint;
  description: string;
}): Promise<Proposal> {
  if (args.feeBps < 0n || args.feeBps > 10_000n) throw new Error(`feeBps: expected 0..10000, got ${args.feeBps}`);
  return proposal(args.description, [
    {
      target: await addressOf(args.shares),
      data: args.shares.interface.encodeFunctionData("setRoyalty", [args.modelId, args.receiver, args.feeBps]),
    },
  ]);
}

/** Pay `amount` wei of the treasury's ETH to `to`. */
export function spendEth(args: { to: string; amount: bigint; description: string }): Proposal {
  return proposal(args.description, [{ target: args.to, value: args.amount, data: "0x" }]);
}

/** Pay `amount` of an ERC-20 from the treasury to `to`. */
export async function spendErc20(args: {
  token: Erc20Like;
  to: string;
  amount: bigint;
  description: string;
}): Promise<Proposal> {
  return proposal(args.description, [
    {
      target: await addressOf(args.token),
      data: args.token.interface.encodeFunctionData("transfer", [args.to, args.amount]),
    },
  ]);
}

/** Transfer `amount` of the treasury's fractions of `modelId` to `to`. */
export async function spendFractions(args: {
  shares: ModelShares;
  timelock: ModelTimelock;
  modelId: bigint;
  to: string;
  amount: bigint;
  description: string;
}): Promise<Proposal> {
  return proposal(args.description, [
    {
      target: await addressOf(args.shares),
      data: args.shares.interface.encodeFunctionData("safeTransferFrom", [
        await addressOf(args.timelock),
        args.to,
        args.modelId,
        args.amount,
        "0x",
      ]),
    },
  ]);
}

export interface SettingsChange {
  votingDelay?: BigNumberish;
  votingPeriod?: BigNumberish;
  proposalThreshold?: BigNumberish;
  quorumNumerator?: BigNumberish;
  lateQuorumExtension?: BigNumberish;
  timelockDelay?: BigNumberish;
}

/** Change any of the governance settings in one proposal (each stays within GovernanceBounds on-chain). */
export async function changeSettings(args: {
  governor: ModelGovernor;
  timelock: ModelTimelock;
  change: SettingsChange;
  description: string;
}): Promise<Proposal> {
  const g = await addressOf(args.governor);
  const gi = args.governor.interface;
  const c = args.change;
  const calls: Call[] = [];
  if (c.votingDelay !== undefined)
    calls.push({ target: g, data: gi.encodeFunctionData("setVotingDelay", [c.votingDelay]) });
  if (c.votingPeriod !== undefined)
    calls.push({ target: g, data: gi.encodeFunctionData("setVotingPeriod", [c.votingPeriod]) });
  if (c.proposalThreshold !== undefined)
    calls.push({ target: g, data: gi.encodeFunctionData("setProposalThreshold", [c.proposalThreshold]) });
  if (c.quorumNumerator !== undefined)
    calls.push({ target: g, data: gi.encodeFunctionData("updateQuorumNumerator", [c.quorumNumerator]) });
  if (c.lateQuorumExtension !== undefined)
    calls.push({ target: g, data: gi.encodeFunctionData("setLateQuorumVoteExtension", [c.lateQuorumExtension]) });
  if (c.timelockDelay !== undefined)
    calls.push({
      target: await addressOf(args.timelock),
      data: args.timelock.interface.encodeFunctionData("updateDelay", [c.timelockDelay]),
    });
  if (calls.length === 0) throw new Error("changeSettings: expected at least one setting to change");
  return proposal(args.description, calls);
}

/** Name a new guardian, or remove it with the zero address. */
export async function setGuardian(args: {
  governor: ModelGovernor;
  guardian: AddressLike;
  description: string;
}): Promise<Proposal> {
  return proposal(args.description, [
    {
      target: await addressOf(args.governor),
      data: args.governor.interface.encodeFunctionData("setProposalGuardian", [await resolve(args.guardian)]),
    },
  ]);
}

/** Split new revenue of the model: contributors and holders in basis points, the treasury takes the rest. */
export async function setRevenueSplit(args: {
  vault: RevenueVault;
  modelId: bigint;
  contributorsBps: bigint;
  holdersBps: bigint;
  description: string;
}): Promise<Proposal> {
  if (args.contributorsBps < 0n || args.holdersBps < 0n || args.contributorsBps + args.holdersBps > 10_000n) {
    throw new Error(
      `split: expected contributorsBps + holdersBps <= 10000, got ${args.contributorsBps} + ${args.holdersBps}`,
    );
  }
  return proposal(args.description, [
    {
      target: await addressOf(args.vault),
      data: args.vault.interface.encodeFunctionData("setSplit", [args.modelId, args.contributorsBps, args.holdersBps]),
    },
  ]);
}

/** Name the contributors and their shares (what earlier contributors earned stays releasable). */
export async function setContributors(args: {
  vault: RevenueVault;
  modelId: bigint;
  contributors: { account: string; shares: bigint }[];
  description: string;
}): Promise<Proposal> {
  return proposal(args.description, [
    {
      target: await addressOf(args.vault),
      data: args.vault.interface.encodeFunctionData("setContributors", [
        args.modelId,
        args.contributors.map((c) => c.account),
        args.contributors.map((c) => c.shares),
      ]),
    },
  ]);
}

/** Allow or stop deposits in a payment token (the zero address is ETH). */
export async function setPaymentToken(args: {
  vault: RevenueVault;
  modelId: bigint;
  token: string;
  allowed: boolean;
  description: string;
}): Promise<Proposal> {
  return proposal(args.description, [
    {
      target: await addressOf(args.vault),
      data: args.vault.interface.encodeFunctionData("setPaymentToken", [args.modelId, args.token, args.allowed]),
    },
  ]);
}

/** The terms of a licence offer, as `LicenseManager.addOffer` / `updateOffer` take them. */
export interface OfferTerms {
  price: bigint;
  paymentToken: string;
  duration: bigint;
  credits: bigint;
  cap: bigint;
  transferable: boolean;
  commercialUse: boolean;
  derivativesAllowed: boolean;
  onSale: boolean;
  termsURI: string;
  termsHash: string;
  /** Derivative licences only: the parent's share of a derivative's revenue (basis points, at most 5,000). */
  parentShareBps: bigint;
  /** Derivative licences only: the least a derivative must charge for its licences, in this offer's token. */
  minDerivativePrice: bigint;
}

/** Publish a new licence offer for the model. */
export async function addOffer(args: {
  licenses: LicenseManager;
  modelId: bigint;
  terms: OfferTerms;
  description: string;
}): Promise<Proposal> {
  return proposal(args.description, [
    {
      target: await addressOf(args.licenses),
      data: args.licenses.interface.encodeFunctionData("addOffer", [args.modelId, args.terms]),
    },
  ]);
}

/** Publish new terms (e.g. a new price) for an existing offer; existing licences keep the terms they bought. */
export async function updateOffer(args: {
  licenses: LicenseManager;
  modelId: bigint;
  offerId: bigint;
  terms: OfferTerms;
  description: string;
}): Promise<Proposal> {
  return proposal(args.description, [
    {
      target: await addressOf(args.licenses),
      data: args.licenses.interface.encodeFunctionData("updateOffer", [args.modelId, args.offerId, args.terms]),
    },
  ]);
}

/** Put an offer on sale, or withdraw it. */
export async function setOfferOnSale(args: {
  licenses: LicenseManager;
  modelId: bigint;
  offerId: bigint;
  onSale: boolean;
  description: string;
}): Promise<Proposal> {
  return proposal(args.description, [
    {
      target: await addressOf(args.licenses),
      data: args.licenses.interface.encodeFunctionData("setOnSale", [args.modelId, args.offerId, args.onSale]),
    },
  ]);
}

/** Name the model's operator (its gateway), the only address that settles usage receipts (`UsageMeter`). */
export async function setOperator(args: {
  meter: UsageMeter;
  modelId: bigint;
  operator: string;
  description: string;
}): Promise<Proposal> {
  return proposal(args.description, [
    {
      target: await addressOf(args.meter),
      data: args.meter.interface.encodeFunctionData("setOperator", [args.modelId, args.operator]),
    },
  ]);
}

/** Set how long the holders' cut of each payment takes to unlock (1 hour to 365 days; default 7 days). */
export async function setUnlockWindow(args: {
  vault: RevenueVault;
  modelId: bigint;
  seconds: bigint;
  description: string;
}): Promise<Proposal> {
  return proposal(args.description, [
    {
      target: await addressOf(args.vault),
      data: args.vault.interface.encodeFunctionData("setUnlockWindow", [args.modelId, args.seconds]),
    },
  ]);
}

/** Send to the treasury a token (not on the allow-list) stuck in the model's royalty receiver. */
export async function recoverToken(args: {
  vault: RevenueVault;
  modelId: bigint;
  token: string;
  description: string;
}): Promise<Proposal> {
  return proposal(args.description, [
    {
      target: await addressOf(args.vault),
      data: args.vault.interface.encodeFunctionData("recoverToken", [args.modelId, args.token]),
    },
  ]);
}

/** Several proposals' calls as one proposal (e.g. configure revenue in a single vote). */
export function combine(description: string, parts: Proposal[]): Proposal {
  return proposal(
    description,
    parts.flatMap((p) => p.targets.map((target, i) => ({ target, value: p.values[i], data: p.calldatas[i] }))),
  );
}

async function resolve(address: AddressLike): Promise<string> {
  if (typeof address === "string") return address;
  if ("getAddress" in address) return address.getAddress();
  return (await address) as string;
}

export const NO_GUARDIAN = ZeroAddress;
