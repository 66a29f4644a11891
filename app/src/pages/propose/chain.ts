/**
 * What the proposal forms read from the chain and the contract handles the governance builders take: ethers-shaped
 * handles (`interface` and `getAddress()`) made from the generated ABIs, so the browser builds the exact bytes the
 * tasks build. Reads go through wagmi's `readContract` against the app's RPC.
 */
import { Interface } from "ethers";
import { erc20Abi, zeroAddress, type Abi, type Address } from "viem";
import type { Config } from "wagmi";
import { getBytecode, readContract } from "wagmi/actions";

import type { OfferTerms } from "../../../../governance/proposals.ts";
import type { ProtocolView } from "../../../../governance/decode.ts";
import type { AppDeployment } from "../../config.ts";
import {
  easAbi,
  fractionSalesAbi,
  licenseManagerAbi,
  modelGovernorAbi,
  modelLineageAbi,
  modelRegistryAbi,
  modelSharesAbi,
  modelTimelockAbi,
  provenanceResolverAbi,
  raisesAbi,
  revenueVaultAbi,
  usageMeterAbi,
} from "../../generated.ts";
import type { TokenUnits } from "./fields.ts";

/** A model's governance contracts, from `ModelRegistry.model`. */
export interface ModelRecord {
  name: string;
  creator: Address;
  votes: Address;
  governor: Address;
  timelock: Address;
}

/** An offer of the model as it stands, in the shape the builders take. */
export interface Offer {
  offerId: bigint;
  terms: OfferTerms;
}

/** Everything an action's builder needs: where the contracts are, how to read, the model. */
export interface ProposeContext {
  wagmi: Config;
  chainId: number;
  deployment: AppDeployment;
  modelId: bigint;
  model: ModelRecord;
  offers: Offer[];
}

/** An ethers-shaped handle on `address` (what the governance builders call: `interface` and `getAddress()`). */
export function handle<T>(abi: Abi, address: string): T {
  return { interface: new Interface(abi as never), getAddress: async () => address } as unknown as T;
}

/** Reads one view function. */
export async function read<T>(
  ctx: Pick<ProposeContext, "wagmi" | "chainId">,
  address: Address,
  abi: Abi,
  functionName: string,
  args: readonly unknown[] = [],
): Promise<T> {
  return (await readContract(ctx.wagmi, { address, abi, functionName, args, chainId: ctx.chainId } as never)) as T;
}

const ETH: TokenUnits = { address: zeroAddress, symbol: "ETH", decimals: 18 };
const known = new Map<string, TokenUnits>();

/**
 * A payment token's symbol and decimals (the zero address is ETH); an address with no code is refused naming
 * `field`, and a token without metadata reads as 0 decimals (amounts in its smallest unit).
 */
export async function tokenUnits(ctx: Pick<ProposeContext, "wagmi" | "chainId">, token: Address): Promise<TokenUnits> {
  if (token === zeroAddress) return ETH;
  const hit = known.get(token.toLowerCase());
  if (hit !== undefined) return hit;
  let info: TokenUnits = { address: token, symbol: token, decimals: 0 };
  try {
    const [symbol, decimals] = await Promise.all([
      read<string>(ctx, token, erc20Abi, "symbol"),
      read<number>(ctx, token, erc20Abi, "decimals"),
    ]);
    info = { address: token, symbol, decimals: Number(decimals) };
  } catch {
    // Not an ERC-20 with metadata: amounts stay in its smallest unit.
  }
  known.set(token.toLowerCase(), info);
  return info;
}

/** Whether `address` holds contract code (an ERC-20 the user names must). */
export async function hasCode(ctx: ProposeContext, address: Address): Promise<boolean> {
  const code = await getBytecode(ctx.wagmi, { address, chainId: ctx.chainId });
  return code !== undefined && code !== "0x";
}

/** The tokens the model takes as revenue, and which of them it still accepts. */
export async function paymentTokens(ctx: ProposeContext): Promise<{ token: Address; allowed: boolean }[]> {
  const [tokens, allowed] = await read<[Address[], boolean[]]>(
    ctx,
    ctx.deployment.vault,
    revenueVaultAbi,
    "paymentTokensOf",
    [ctx.modelId],
  );
  return tokens.map((token, i) => ({ token, allowed: allowed[i] }));
}

/** Whether the model accepts `token` as revenue now. */
export async function accepts(ctx: ProposeContext, token: Address): Promise<boolean> {
  return (await paymentTokens(ctx)).some((t) => t.allowed && t.token.toLowerCase() === token.toLowerCase());
}

/** The model's offers with their current terms (as `ws propose` reads them before changing one). */
export async function readOffers(
  ctx: Pick<ProposeContext, "wagmi" | "chainId" | "deployment">,
  modelId: bigint,
): Promise<Offer[]> {
  const licenses = ctx.deployment.licenses;
  const count = await read<bigint>(ctx, licenses, licenseManagerAbi, "offerCount", [modelId]);
  const offers: Offer[] = [];
  for (let offerId = 1n; offerId <= count; offerId++) {
    const [termsId, cap, , onSale] = await read<[bigint, bigint, bigint, boolean]>(
      ctx,
      licenses,
      licenseManagerAbi,
      "offer",
      [modelId, offerId],
    );
    const t = await read<Omit<OfferTerms, "cap" | "onSale">>(ctx, licenses, licenseManagerAbi, "terms", [termsId]);
    offers.push({
      offerId,
      terms: {
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
      },
    });
  }
  return offers;
}

/** The model's record in the registry (its name, governor, votes and timelock). */
export async function readModel(
  ctx: Pick<ProposeContext, "wagmi" | "chainId" | "deployment">,
  modelId: bigint,
): Promise<ModelRecord> {
  return read<ModelRecord>(ctx, ctx.deployment.registry, modelRegistryAbi, "model", [modelId]);
}

/** The protocol as the decoder sees it: addresses and interfaces of every contract a proposal may call. */
export function protocolView(
  ctx: Pick<ProposeContext, "deployment" | "modelId" | "offers"> & {
    model: Pick<ModelRecord, "governor" | "timelock">;
  },
  tokens: Map<string, TokenUnits>,
): ProtocolView {
  const d = ctx.deployment;
  const addresses: ProtocolView["addresses"] = {
    shares: d.shares,
    registry: d.registry,
    vault: d.vault,
    licenses: d.licenses,
    meter: d.meter,
    governor: ctx.model.governor,
    timelock: ctx.model.timelock,
  };
  const interfaces: ProtocolView["interfaces"] = {
    shares: new Interface(modelSharesAbi),
    registry: new Interface(modelRegistryAbi),
    vault: new Interface(revenueVaultAbi),
    licenses: new Interface(licenseManagerAbi),
    meter: new Interface(usageMeterAbi),
    governor: new Interface(modelGovernorAbi),
    timelock: new Interface(modelTimelockAbi),
  };
  if (d.raises !== undefined) [addresses.raises, interfaces.raises] = [d.raises, new Interface(raisesAbi)];
  if (d.sales !== undefined) [addresses.sales, interfaces.sales] = [d.sales, new Interface(fractionSalesAbi)];
  if (d.lineage !== undefined) [addresses.lineage, interfaces.lineage] = [d.lineage, new Interface(modelLineageAbi)];
  if (d.eas !== undefined && d.provenanceResolver !== undefined) {
    [addresses.eas, interfaces.eas] = [d.eas, new Interface(easAbi)];
    [addresses.provenance, interfaces.provenance] = [d.provenanceResolver, new Interface(provenanceResolverAbi)];
  }
  return {
    addresses,
    interfaces,
    tokens,
    offers: new Map(ctx.offers.map((o) => [`${ctx.modelId}:${o.offerId}`, o.terms])),
  };
}
