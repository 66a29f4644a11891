/**
 * Derivative models and the parents they pay (`IModelLineage`, issue #15) from plain ethers: a model's lineage as
 * plain values (its parents with the share of its revenue each takes and the licence it was registered through, its
 * children, its depth and routes, and the least it must charge for a licence), what the lineage registry would
 * refuse in a registration (to refuse before sending), building and sending `registerDerivative`, and the lineage
 * rebuilt from `DerivativeRegistered` events alone, as an indexer does. Hardhat-free.
 */
import { ZeroAddress, type ContractTransactionReceipt, type Log, type Signer } from "ethers";

import { IModelLineage__factory } from "../types/ethers-contracts/factories/contracts/interfaces/IModelLineage__factory.ts";
import { ModelShares__factory } from "../types/ethers-contracts/factories/contracts/token/ModelShares__factory.ts";
import type { IModelLineage, LicenseManager, ModelRegistry, RevenueVault } from "../types/ethers-contracts/index.ts";

/** The most a derivative's parents may take of its revenue together, in basis points (`MAX_PARENT_SHARE_BPS`). */
export const MAX_PARENT_SHARE_BPS = 5_000n;
/** Parents one derivative may have (`ModelLineage.MAX_PARENTS`). */
export const MAX_PARENTS = 4;
/** Generations of ancestors above a derivative (`ModelLineage.MAX_DEPTH`). */
export const MAX_LINEAGE_DEPTH = 4n;
/** Ancestor credits one payment into a derivative may make, one per path up its lineage (`MAX_ROUTES`). */
export const MAX_LINEAGE_ROUTES = 8n;

/** One parent of a derivative (`IModelLineage.Parent`). */
export interface LineageParent {
  modelId: bigint;
  /** The derivative licence of the parent the derivative was registered through. */
  licenceId: bigint;
  /** The parent's share of every payment into the derivative, in basis points. */
  shareBps: bigint;
}

/** The least a model must charge for a licence, and in which token (`price` 0: no floor). */
export interface PriceFloor {
  /** The zero address for ETH (and when there is no floor). */
  token: string;
  price: bigint;
}

/** A model's place in the lineage, as the registry's views tell it. */
export interface Lineage {
  modelId: bigint;
  /** Empty for an original model. */
  parents: LineageParent[];
  /** The models registered as its derivatives, in registration order. */
  children: bigint[];
  /** Generations of ancestors above it (0 for an original model). */
  depth: bigint;
  /** Ancestor credits one payment into it makes (one per path up its lineage). */
  routes: bigint;
  /** What its parents take of its revenue together, in basis points. */
  parentShareBps: bigint;
  floor: PriceFloor;
}

/** `modelId`'s lineage: parents, children, depth, routes, and its price floor (an unknown model reads as original). */
export async function lineageOf(lineage: IModelLineage, modelId: bigint): Promise<Lineage> {
  const [parents, children, [depth, routes], [token, price]] = await Promise.all([
    lineage.parentsOf(modelId),
    lineage.childrenOf(modelId),
    lineage.depthOf(modelId),
    lineage.minPriceOf(modelId),
  ]);
  const plain = parents.map((p) => ({ modelId: p.modelId, licenceId: p.licenceId, shareBps: p.shareBps }));
  return {
    modelId,
    parents: plain,
    children: [...children],
    depth,
    routes,
    parentShareBps: plain.reduce((sum, p) => sum + p.shareBps, 0n),
    floor: { token, price },
  };
}

/** Basis points as a percentage: 1000 -> "10%", 250 -> "2.5%", 1 -> "0.01%". */
export function bpsPercent(bps: bigint): string {
  return `${Number(bps) / 100}%`;
}

/** The contracts a registration is checked against. */
export interface LineageContracts {
  registry: ModelRegistry;
  licenses: LicenseManager;
  vault: RevenueVault;
  lineage: IModelLineage;
}

/**
 * What the lineage registry would refuse in registering `modelId` as a derivative through `licenceIds` by `account`,
 * as `[field, message]` (field `model`, `licences` or `account`), or null. Checked here: the model exists, `account`
 * is its treasury, or its creator holding every fraction, the model is new (no parents, no children, no offer, no payment taken), there are one
 * to `MAX_PARENTS` licences, each exists, is held by `account`, is live, is a derivative licence, has registered no
 * derivative yet and is of another model than `modelId` and the other licences, and the parents' shares add up to at
 * most `MAX_PARENT_SHARE_BPS`. Left to the registry (its refusal says which): the depth and routes caps, and parents
 * asking for price floors in different tokens. `holds` names the account in a refusal of a licence it does not hold
 * ("you hold"; a treasury registering by vote: "the treasury of model #2 holds").
 */
export async function derivativeProblem(
  c: LineageContracts,
  account: string,
  modelId: bigint,
  licenceIds: readonly bigint[],
  holds = "you hold",
): Promise<[field: "model" | "licences" | "account", message: string] | null> {
  const count = await c.registry.modelCount();
  if (modelId === 0n || modelId > count)
    return ["model", `expected an existing model id (1..${count}), got ${modelId}`];
  const record = await c.registry.model(modelId);
  const me = account.toLowerCase();
  if (me !== record.creator.toLowerCase() && me !== record.timelock.toLowerCase()) {
    return [
      "account",
      `expected the creator (${record.creator}) or the treasury (${record.timelock}) of model #${modelId}, which registers its parents; got ${account}`,
    ];
  }
  const node = await lineageOf(c.lineage, modelId);
  if (node.parents.length !== 0) {
    const ids = node.parents.map((p) => `#${p.modelId}`).join(", ");
    return ["model", `expected a model not yet registered as a derivative; model #${modelId} is one of ${ids}`];
  }
  if (node.children.length !== 0) {
    const ids = node.children.map((id) => `#${id}`).join(", ");
    return ["model", `expected a model without derivatives; model #${modelId} is the parent of ${ids}`];
  }
  if (licenceIds.length === 0 || licenceIds.length > MAX_PARENTS) {
    return ["licences", `expected 1 to ${MAX_PARENTS} licences, one per parent; got ${licenceIds.length}`];
  }
  const offers = await c.licenses.offerCount(modelId);
  if (offers !== 0n) {
    return [
      "model",
      `expected a new model that publishes no licence offer yet; model #${modelId} has ${offers} (its parents would miss what it earned before)`,
    ];
  }
  const receiver = await c.vault.royaltyReceiverOf(modelId);
  const provider = c.vault.runner?.provider;
  if (provider == null) throw new Error("derivativeProblem: the vault is not connected to a provider");
  if ((await provider.getCode(receiver)) !== "0x") {
    return [
      "model",
      `expected a new model that has taken no payment yet; model #${modelId} has allowed a payment token (its parents would miss what it earned before)`,
    ];
  }
  if (me !== record.timelock.toLowerCase()) {
    // The creator decides alone only while it holds every fraction; otherwise the model's DAO votes.
    const shares = ModelShares__factory.connect(await c.registry.shares(), c.registry.runner);
    const [held, supply] = await Promise.all([
      shares.balanceOf(account, modelId),
      shares["totalSupply(uint256)"](modelId),
    ]);
    if (held !== supply) {
      return [
        "account",
        `expected the creator to hold every fraction of model #${modelId} to register its parents alone (it holds ${held} of ${supply}); otherwise its treasury registers them by vote (ws propose --action register-derivative)`,
      ];
    }
  }
  const parents = new Map<bigint, bigint>();
  let total = 0n;
  for (const id of licenceIds) {
    const problem = await licenceProblem(c, me, holds, modelId, id, parents);
    if (typeof problem === "string") return ["licences", problem];
    total += problem;
  }
  if (total > MAX_PARENT_SHARE_BPS) {
    return [
      "licences",
      `expected parents' shares adding up to at most ${bpsPercent(MAX_PARENT_SHARE_BPS)} of the derivative's revenue; these licences ask for ${bpsPercent(total)}`,
    ];
  }
  return null;
}

/** Licence `id`'s problem as a sentence, or the share its parent asks for (recording the parent in `parents`). */
async function licenceProblem(
  c: LineageContracts,
  account: string,
  holds: string,
  modelId: bigint,
  id: bigint,
  parents: Map<bigint, bigint>,
): Promise<string | bigint> {
  const lic = await c.licenses.licence(id).catch(() => null);
  if (lic === null) return `expected existing licences; there is no licence #${id}`;
  const holder = await c.licenses.ownerOf(id);
  if (holder.toLowerCase() !== account) {
    return `expected licences ${holds}; licence #${id} is held by ${holder}`;
  }
  if (!(await c.licenses.isLive(id))) {
    return `expected live licences; licence #${id} has expired or has no credits left (ws renew)`;
  }
  const used = await c.lineage.derivativeOf(id);
  if (used !== 0n) return `expected unused licences; licence #${id} registered model #${used} already`;
  const terms = await c.licenses.terms(lic.termsId);
  if (!terms.derivativesAllowed) {
    return `expected derivative licences; licence #${id} (model #${lic.modelId}, offer ${lic.offerId}) does not allow derivatives`;
  }
  const parent = BigInt(lic.modelId);
  if (parent === modelId) return `expected licences of other models; licence #${id} is of model #${modelId} itself`;
  const earlier = parents.get(parent);
  if (earlier !== undefined) {
    return `expected one licence per parent; licences #${earlier} and #${id} are both of model #${parent}`;
  }
  parents.set(parent, id);
  return terms.parentShareBps;
}

/** The transaction registering `modelId` as a derivative through `licenceIds` (for a wallet, a Safe, a proposal). */
export function registerDerivativeCall(
  lineageAddress: string,
  modelId: bigint,
  licenceIds: readonly bigint[],
): { to: string; value: bigint; data: string } {
  const data = IModelLineage__factory.createInterface().encodeFunctionData("registerDerivative", [
    modelId,
    [...licenceIds],
  ]);
  return { to: lineageAddress, value: 0n, data };
}

/** What a registration recorded (`DerivativeRegistered`). */
export interface DerivativeRegistration {
  modelId: bigint;
  registrant: string;
  parents: LineageParent[];
  floor: PriceFloor;
}

/** A `DerivativeRegistered` event's arguments as plain values. */
function registrationOf(a: {
  modelId: bigint;
  registrant: string;
  parentIds: readonly bigint[];
  licenceIds: readonly bigint[];
  shareBps: readonly bigint[];
  minPriceToken: string;
  minPrice: bigint;
}): DerivativeRegistration {
  return {
    modelId: a.modelId,
    registrant: a.registrant,
    parents: a.parentIds.map((modelId, i) => ({ modelId, licenceId: a.licenceIds[i], shareBps: a.shareBps[i] })),
    floor: { token: a.minPriceToken, price: a.minPrice },
  };
}

/**
 * Registers `modelId` as a derivative of the models of `licenceIds` as `signer` (the model's creator, or its
 * treasury through a proposal: `registerDerivativeCall`); returns the receipt and what was recorded.
 */
export async function registerDerivative(
  lineage: IModelLineage,
  signer: Signer,
  modelId: bigint,
  licenceIds: readonly bigint[],
): Promise<{ receipt: ContractTransactionReceipt; registration: DerivativeRegistration }> {
  const receipt = await (await lineage.connect(signer).registerDerivative(modelId, [...licenceIds])).wait();
  if (receipt === null) throw new Error("registerDerivative: the transaction was dropped");
  const registration = derivativeRegistrations(receipt.logs, await lineage.getAddress()).find(
    (r) => r.modelId === modelId,
  );
  if (registration === undefined) throw new Error("registerDerivative: mined, but no DerivativeRegistered event");
  return { receipt, registration };
}

/** The `DerivativeRegistered` events among `logs` emitted by the lineage registry at `lineageAddress`, in order. */
export function derivativeRegistrations(logs: readonly Log[], lineageAddress: string): DerivativeRegistration[] {
  const iface = IModelLineage__factory.createInterface();
  const address = lineageAddress.toLowerCase();
  const out: DerivativeRegistration[] = [];
  for (const log of logs) {
    if (log.address.toLowerCase() !== address) continue;
    const e = iface.parseLog(log);
    if (e?.name !== "DerivativeRegistered") continue;
    const a = e.args;
    out.push(
      registrationOf({
        modelId: a.modelId,
        registrant: a.registrant,
        parentIds: [...a.parentIds],
        licenceIds: [...a.licenceIds],
        shareBps: [...a.shareBps],
        minPriceToken: a.minPriceToken,
        minPrice: a.minPrice,
      }),
    );
  }
  return out;
}

/** The events an indexer reads to rebuild the lineage (on the lineage registry). */
export const LINEAGE_EVENTS = ["DerivativeRegistered"] as const;

/** The lineage as its events tell it. */
export interface ReplayedLineage {
  /** Every model registered as a derivative or named as a parent, with what the views would say of it. */
  models: Map<bigint, Omit<Lineage, "modelId"> & { registrant: string | null }>;
  /** Which derivative each used licence registered (`derivativeOf`). */
  licences: Map<bigint, bigint>;
}

/**
 * Rebuilds the lineage from `DerivativeRegistered` events alone (`logs` in chain order; logs of other contracts
 * are skipped): each derivative's parents, shares and floor, each parent's children, and depth and routes computed as
 * the registry does (a derivative is one generation below its deepest parent and makes one credit per parent plus
 * that parent's own). A model never named in an event is original and has no children: absent here.
 */
export function lineageFromEvents(logs: readonly Log[], lineageAddress: string): ReplayedLineage {
  const out: ReplayedLineage = { models: new Map(), licences: new Map() };
  const node = (modelId: bigint) => {
    let n = out.models.get(modelId);
    if (n === undefined) {
      n = {
        parents: [],
        children: [],
        depth: 0n,
        routes: 0n,
        parentShareBps: 0n,
        floor: { token: ZeroAddress, price: 0n },
        registrant: null,
      };
      out.models.set(modelId, n);
    }
    return n;
  };
  for (const r of derivativeRegistrations(logs, lineageAddress)) {
    const child = node(r.modelId);
    child.parents = r.parents;
    child.floor = r.floor;
    child.registrant = r.registrant;
    for (const p of r.parents) {
      const parent = node(p.modelId);
      parent.children.push(r.modelId);
      if (parent.depth + 1n > child.depth) child.depth = parent.depth + 1n;
      child.routes += 1n + parent.routes;
      child.parentShareBps += p.shareBps;
      out.licences.set(p.licenceId, r.modelId);
    }
  }
  return out;
}
