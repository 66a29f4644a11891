/**
 * The protocol as a task sees it: the connected chain, the deployed contracts (checked to exist there, so a wrong
 * network is caught before anything is sent), the sending account, and checked model / proposal / licence ids.
 */
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { getAddress, type Interface } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import { connectProtocol } from "../../client/contracts.js";
import type { OfferTerms } from "../../governance/index.js";
import { modelAt, type Model } from "../../sdk/index.js";
import type {
  IFractionSales,
  IRaises,
  LicenseManager,
  ModelRegistry,
  ModelShares,
  RevenueVault,
  UsageMeter,
} from "../../types/ethers-contracts/index.js";
import { address, deployment, TaskInputError, uint, type Deployment } from "./cli.js";
import { protocolErrors } from "./errors.js";
import { signerIndex, signerNamesOf } from "./signers.js";

export interface Context {
  connection: NetworkConnection;
  chainId: bigint;
  signer: HardhatEthersSigner;
  shares: ModelShares;
  registry: ModelRegistry;
  vault: RevenueVault;
  licenses: LicenseManager;
  /** Each model's operator, and usage settled with cumulative receipts. */
  meter: UsageMeter;
  /** Raises and fraction sales, when the deployment has them (tasks/lib/raises.ts `raisesOf`, `salesOf`). */
  raises?: IRaises;
  sales?: IFractionSales;
  deployment: Deployment;
  /** Every protocol error, to explain a refusal in plain words. */
  errors: Interface;
  /** `--safe`: transactions are simulated as this Safe and printed as a batch instead of sent. */
  safe?: string;
  /** The Safe batch being built. */
  batch: { to: string; value: string; data: string; method: string }[];
  /** `--force`: send what a warning would stop. */
  force: boolean;
}

/** Options every protocol task takes. */
export interface CommonArgs {
  deployment: string;
  signer: string;
  json: boolean;
  /** Send even what looks like a mistake (voting with no weight, delegating to the zero address...). */
  force?: boolean;
  /** A Safe holding the fractions: simulate as it and print a Safe Transaction Builder batch instead of sending. */
  safe?: string;
}

export async function context(hre: HardhatRuntimeEnvironment, args: CommonArgs): Promise<Context> {
  const connection = await hre.network.getOrCreate();
  const { ethers } = connection;
  const chainId = (await ethers.provider.getNetwork()).chainId;
  const d = await deployment(connection, args.deployment);
  if ((await ethers.provider.getCode(d.registry)) === "0x") {
    throw new TaskInputError(
      `--network: no Weightshare registry at ${d.registry} on chain ${chainId}; expected the network it was deployed to`,
    );
  }
  const signers = await ethers.getSigners();
  if (signers.length === 0) throw new TaskInputError("--signer: expected an account configured for this network");
  // An index, one of the accounts' addresses, or a name from <PREFIX>_SIGNERS (account 0 is <PREFIX>_PRIVATE_KEY).
  const accounts = signers.map((s) => s.address);
  const index = signerIndex(args.signer, accounts, signerNamesOf(connection.networkName));
  if (typeof index === "string") throw new TaskInputError(`--signer: ${index}`);
  const signer = signers[index];
  const contracts = connectProtocol(d, signer);
  const { licenses } = contracts;
  // Receipts are signed for the meter's EIP-712 domain: a stale address would make signatures the meter rejects.
  const wired = await licenses.usageMeter();
  if (wired !== getAddress(d.meter)) {
    throw new TaskInputError(
      `--deployment: meter ${d.meter} is not the usage meter of the licence manager at ${d.licenses} (${wired})`,
    );
  }
  return {
    connection,
    chainId,
    signer,
    ...contracts,
    deployment: d,
    errors: await protocolErrors(hre),
    ...(args.safe === undefined || args.safe === "" ? {} : { safe: await safeAt(connection, args.safe) }),
    batch: [],
    force: args.force === true,
  };
}

/** `--safe`: an address with code on this chain (a Safe, or another contract account). */
async function safeAt(connection: NetworkConnection, value: string): Promise<string> {
  const safe = address("safe", value);
  if ((await connection.ethers.provider.getCode(safe)) === "0x") {
    throw new TaskInputError(`--safe: expected a Safe (a contract) at ${safe}; it has no code on this chain`);
  }
  return safe;
}

/** Who acts: the Safe with `--safe`, else the signer; and the option a refusal about that account names. */
export function actor(ctx: Pick<Context, "safe" | "signer">): { account: string; option: "safe" | "signer" } {
  return ctx.safe === undefined
    ? { account: ctx.signer.address, option: "signer" }
    : { account: ctx.safe, option: "safe" };
}

/** Refuses, naming `--signer` or `--safe`, unless the acting account is `holder` of licence `id`. */
export function requireHolder(ctx: Pick<Context, "safe" | "signer">, id: bigint, holder: string): void {
  const { account, option } = actor(ctx);
  if (holder !== account)
    throw new TaskInputError(`--${option}: ${account} does not hold licence #${id} (${holder} does)`);
}

/** `--model-id`, checked against the registry. */
export async function model(ctx: Context, value: string): Promise<Model> {
  const modelId = uint("model-id", value);
  const count = await ctx.registry.modelCount();
  if (modelId === 0n || modelId > count) {
    throw new TaskInputError(`--model-id: expected an existing model id (1..${count}), got ${value}`);
  }
  const m = await modelAt(ctx.connection.ethers, ctx.registry, modelId);
  return {
    ...m,
    votes: m.votes.connect(ctx.signer),
    governor: m.governor.connect(ctx.signer),
    timelock: m.timelock.connect(ctx.signer),
  };
}

/** `--licence-id`, checked to exist. */
export async function licenceId(ctx: Context, value: string): Promise<bigint> {
  const id = uint("licence-id", value);
  try {
    await ctx.licenses.licence(id);
  } catch {
    throw new TaskInputError(`--licence-id: expected an existing licence id, got ${value}`);
  }
  return id;
}

/** `--offer-id`, checked to be an offer of `modelId`. */
export async function offerId(ctx: Context, modelId: bigint, value: string): Promise<bigint> {
  const id = uint("offer-id", value);
  if (id === 0n || id > (await ctx.licenses.offerCount(modelId))) {
    throw new TaskInputError(`--offer-id: expected an existing offer of model #${modelId}, got ${value}`);
  }
  return id;
}

/** An offer's terms as they stand, in the shape the proposal builders take (to change one term and keep the rest). */
export async function offerTerms(ctx: Context, modelId: bigint, offerId: bigint): Promise<OfferTerms> {
  const [termsId, cap, , onSale] = await ctx.licenses.offer(modelId, offerId);
  const t = await ctx.licenses.terms(termsId);
  return {
    price: t.price,
    paymentToken: t.paymentToken,
    duration: t.duration,
    credits: t.credits,
    cap,
    transferable: t.transferable,
    commercialUse: t.commercialUse,
    derivativesAllowed: t.derivativesAllowed,
    onSale,
    termsURI: t.termsURI,
    termsHash: t.termsHash,
    parentShareBps: t.parentShareBps,
    minDerivativePrice: t.minDerivativePrice,
  };
}

/** The chain's time now (the latest block's timestamp). */
export async function chainNow(ctx: Pick<Context, "connection">): Promise<bigint> {
  return BigInt((await ctx.connection.ethers.provider.getBlock("latest"))!.timestamp);
}
