/**
 * What a model's proposal does, read for a human: the pure decoder of `governance/decode.ts` given this deployment's
 * contracts and the symbol and decimals of the tokens the calls move (read from the chain once).
 */
import {
  decodeCalls,
  FUNDING_CONTRACTS,
  PROTOCOL_CONTRACTS,
  tokensUsed,
  type DecodedCall,
  type ProposalCalls,
} from "../../governance/index.js";
import type { OfferTerms, ProtocolView, TokenUnits } from "../../governance/index.js";
import type { Model } from "../../sdk/index.js";
import { EAS__factory } from "../../types/ethers-contracts/factories/@ethereum-attestation-service/eas-contracts/contracts/EAS__factory.js";
import { ProvenanceResolver__factory } from "../../types/ethers-contracts/factories/contracts/attestations/ProvenanceResolver__factory.js";
import { ModelLineage__factory } from "../../types/ethers-contracts/factories/contracts/lineage/ModelLineage__factory.js";
import { offerTerms, type Context } from "./context.js";
import { tokenInfo } from "./units.js";

/** The protocol as the decoder sees it, for model `m`. */
export async function protocolView(ctx: Context, m: Model): Promise<ProtocolView> {
  const contracts = {
    shares: ctx.shares,
    registry: ctx.registry,
    vault: ctx.vault,
    licenses: ctx.licenses,
    meter: ctx.meter,
    governor: m.governor,
    timelock: m.timelock,
  };
  const view: ProtocolView = {
    addresses: {} as ProtocolView["addresses"],
    interfaces: {} as ProtocolView["interfaces"],
  };
  for (const name of PROTOCOL_CONTRACTS) {
    view.addresses[name] = await contracts[name].getAddress();
    view.interfaces[name] = contracts[name].interface;
  }
  // Raises and sales when the deployment has them (a deployment from before issue #14 does not).
  for (const name of FUNDING_CONTRACTS) {
    const contract = ctx[name];
    if (contract === undefined) continue;
    view.addresses[name] = await contract.getAddress();
    view.interfaces[name] = contract.interface;
  }
  // EAS and the provenance resolver when the deployment has them (one from before issue #15 does not).
  const { eas, provenanceResolver } = ctx.deployment;
  if (eas !== undefined && provenanceResolver !== undefined) {
    view.addresses.eas = eas;
    view.interfaces.eas = EAS__factory.createInterface();
    view.addresses.provenance = provenanceResolver;
    view.interfaces.provenance = ProvenanceResolver__factory.createInterface();
  }
  // The lineage registry of derivative models when the deployment has it (one from before issue #15 does not).
  if (ctx.deployment.lineage !== undefined) {
    view.addresses.lineage = ctx.deployment.lineage;
    view.interfaces.lineage = ModelLineage__factory.createInterface();
  }
  return view;
}

/** Each call of `p` decoded, amounts in their tokens' units. */
export async function describeCalls(ctx: Context, view: ProtocolView, p: ProposalCalls): Promise<DecodedCall[]> {
  const tokens = new Map<string, TokenUnits>(view.tokens ?? []);
  for (const token of tokensUsed(p, view)) {
    if (!tokens.has(token) && (await ctx.connection.ethers.provider.getCode(token)) !== "0x") {
      tokens.set(token, await tokenInfo(ctx, token));
    }
  }
  // An offer update that keeps every current term but the price reads as the set-price that made it.
  const offers = new Map<string, OfferTerms>(view.offers ?? []);
  for (const d of decodeCalls(p, { ...view, tokens })) {
    if (d.action !== "update-offer") continue;
    const modelId = d.args.modelId as bigint;
    const offerId = d.args.offerId as bigint;
    try {
      offers.set(`${modelId}:${offerId}`, await offerTerms(ctx, modelId, offerId));
    } catch {
      // No such offer yet (an update proposed before its add-offer ran): described as the update it is.
    }
  }
  return decodeCalls(p, { ...view, tokens, offers });
}

/** The calls as one line: `set-split: contributors 2000 bps, …; set-operator: …`. */
export function oneLine(calls: DecodedCall[]): string {
  return calls.map((c) => (c.action === "call" ? c.summary : `${c.action}: ${c.summary}`)).join("; ");
}
