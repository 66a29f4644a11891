/**
 * What a proposal does, call by call, in the words of the builder that made it (`governance/proposals.ts`): each
 * call comes back as `{ action, summary, args }`, e.g. `{ action: "set-split", summary: "contributors 20% (2000
 * bps), holders 50% (5000 bps), treasury 30% (3000 bps)", args: { modelId, contributorsBps, holdersBps } }`. A call
 * no builder makes comes out as `call <target>.<function or selector>(args)`.
 *
 * Each `action` is a `ws propose --action` name, so a reader can repeat it: `updateOffer` is `set-price` when it
 * changes nothing but the price of the offer's current terms (given in `ProtocolView.offers`), and otherwise
 * `update-offer`, which names the builder (`updateOffer`): no CLI action makes it. `setOnSale` is `withdraw-offer`
 * or `put-on-sale`.
 *
 * Raises and sales of treasury fractions (governance/funding.ts) are decoded by decode-funding.ts: `open-raise`
 * (the minting grant and `open`), `cancel-raise`, `release-tranche`, `fail-milestone`, `set-access-offer`,
 * `open-sale` (the approval and `open`) and `stop-sale`. The treasury's attestations on EAS
 * (governance/attestations.ts) by decode-attestations.ts: `attest-provenance`, `revoke-provenance` and
 * `set-evaluator`. A treasury registering its model as a derivative (governance/lineage.ts) is
 * `register-derivative`.
 *
 * Pure: it reads nothing from a chain. The caller passes the protocol's addresses and interfaces, and the symbol and
 * decimals of the tokens whose amounts it shows (`tokensUsed` lists them); an unknown token's amounts stay in its
 * smallest unit.
 */
import { getAddress, Interface, ZeroAddress, type Result } from "ethers";

import { formatDuration } from "../sdk/format.js";
import { describeAttestation } from "./decode-attestations.js";
import { describeFunding } from "./decode-funding.js";
import { amount, offerTerms, splitText, termsText, tokenName, type TokenUnits } from "./decode-text.js";
import type { OfferTerms } from "./proposals.js";

export { bpsText, splitText, type TokenUnits } from "./decode-text.js";
export { dateText, raiseText, saleText } from "./decode-funding.js";

/** The contracts a model's proposals call, by the name summaries use. */
export const PROTOCOL_CONTRACTS = ["shares", "registry", "vault", "licenses", "meter", "governor", "timelock"] as const;
/** Raises and fraction sales (issue #14): a view of a deployment from before them leaves them out. */
export const FUNDING_CONTRACTS = ["raises", "sales"] as const;
/** EAS and the provenance resolver (issue #15): a view of a deployment from before them leaves them out. */
export const ATTESTATION_CONTRACTS = ["eas", "provenance"] as const;
/** The lineage registry of derivative models (issue #15): a view of a deployment from before it leaves it out. */
export const LINEAGE_CONTRACTS = ["lineage"] as const;
type OptionalContract =
  (typeof FUNDING_CONTRACTS)[number] | (typeof ATTESTATION_CONTRACTS)[number] | (typeof LINEAGE_CONTRACTS)[number];
type ContractName = (typeof PROTOCOL_CONTRACTS)[number] | OptionalContract;

const NAMES: Record<ContractName, string> = {
  raises: "Raises",
  sales: "FractionSales",
  eas: "EAS",
  provenance: "ProvenanceResolver",
  lineage: "ModelLineage",
  shares: "ModelShares",
  registry: "ModelRegistry",
  vault: "RevenueVault",
  licenses: "LicenseManager",
  meter: "UsageMeter",
  governor: "ModelGovernor",
  timelock: "ModelTimelock",
};

export interface ProtocolView {
  addresses: Record<(typeof PROTOCOL_CONTRACTS)[number], string> & Partial<Record<OptionalContract, string>>;
  interfaces: Record<(typeof PROTOCOL_CONTRACTS)[number], Interface> & Partial<Record<OptionalContract, Interface>>;
  /** Symbol and decimals by token address (any case); ETH (the zero address) is known. */
  tokens?: ReadonlyMap<string, TokenUnits>;
  /** Offers' current terms by `${modelId}:${offerId}` (with cap and onSale), to tell a `set-price` from an update. */
  offers?: ReadonlyMap<string, OfferTerms>;
}

export interface ProposalCalls {
  targets: readonly string[];
  values: readonly bigint[];
  calldatas: readonly string[];
}

export interface DecodedCall {
  /** The `ws propose --action` that makes this call (or the builder's concept), `call` for anything else. */
  action: string;
  /** One line for a human. */
  summary: string;
  /** The call's arguments as the builder took them (raw: wei, smallest units, seconds, bps). */
  args: Record<string, unknown>;
}

const ERC20 = new Interface(["function transfer(address to, uint256 amount) returns (bool)"]);

/** Governor settings, by the function that sets them, as `changeSettings` names them. */
const SETTINGS: Record<string, string> = {
  setVotingDelay: "votingDelay",
  setVotingPeriod: "votingPeriod",
  setProposalThreshold: "proposalThreshold",
  updateQuorumNumerator: "quorumNumerator",
  setLateQuorumVoteExtension: "lateQuorumExtension",
};

/** Each call of the proposal, in order. */
export function decodeCalls(calls: ProposalCalls, protocol: ProtocolView): DecodedCall[] {
  return calls.targets.map((target, i) => decodeCall(target, calls.values[i] ?? 0n, calls.calldatas[i], protocol));
}

/**
 * The tokens whose amounts the summaries show: ERC-20s a call transfers, and the payment tokens of offers, raises
 * and sales.
 */
export function tokensUsed(calls: ProposalCalls, protocol: ProtocolView): string[] {
  const tokens = new Set<string>();
  for (const d of decodeCalls(calls, protocol)) {
    for (const token of [d.args.token, (d.args.terms as OfferTerms | undefined)?.paymentToken]) {
      if (typeof token === "string" && token !== ZeroAddress) tokens.add(token);
    }
  }
  return [...tokens];
}

function decodeCall(target: string, value: bigint, data: string, protocol: ProtocolView): DecodedCall {
  const to = getAddress(target);
  const contract = [...PROTOCOL_CONTRACTS, ...FUNDING_CONTRACTS, ...ATTESTATION_CONTRACTS, ...LINEAGE_CONTRACTS].find(
    (name) => {
      const address = protocol.addresses[name];
      return address !== undefined && protocol.interfaces[name] !== undefined && getAddress(address) === to;
    },
  );
  if (data === "0x" && contract === undefined) {
    return {
      action: "spend-eth",
      summary: `send ${amount(value, ZeroAddress, protocol.tokens)} to ${to}`,
      args: { to, amount: value },
    };
  }
  const iface = contract === undefined ? ERC20 : protocol.interfaces[contract]!;
  const parsed = safeParse(iface, data);
  const known = value === 0n && parsed !== null ? describe(contract, to, parsed.name, parsed.args, protocol) : null;
  return known ?? unknownCall(to, contract, value, data, protocol);
}

function describe(
  contract: ContractName | undefined,
  target: string,
  fn: string,
  a: Result,
  protocol: ProtocolView,
): DecodedCall | null {
  const call = (action: string, summary: string, args: Record<string, unknown>) => ({ action, summary, args });
  const key = `${contract ?? "erc20"}.${fn}`;
  const funding = describeFunding(key, a, protocol.addresses, protocol.tokens);
  if (funding !== null) return funding;
  const attestation = describeAttestation(key, a, protocol.addresses);
  if (attestation !== null) return attestation;
  switch (key) {
    case "erc20.transfer":
      return call("spend-erc20", `send ${amount(a[1], target, protocol.tokens)} to ${a[0]}`, {
        token: target,
        to: a[0],
        amount: a[1],
      });
    case "shares.mint":
      return call("issue-fractions", `issue ${a[2]} fractions of model #${a[1]} to ${a[0]}`, {
        modelId: a[1],
        to: a[0],
        amount: a[2],
      });
    case "shares.safeTransferFrom":
      if (getAddress(a[0]) !== getAddress(protocol.addresses.timelock)) return null;
      return call("spend-fractions", `send ${a[3]} treasury fractions of model #${a[2]} to ${a[1]}`, {
        modelId: a[2],
        to: a[1],
        amount: a[3],
      });
    case "shares.setURI":
      return call("update-metadata", `metadata URI of model #${a[0]} -> ${a[1]}`, { modelId: a[0], uri: a[1] });
    case "registry.setContentHash":
      return call("update-metadata", `content hash of model #${a[0]} -> ${a[1]}`, {
        modelId: a[0],
        contentHash: a[1],
      });
    case "shares.setRoyalty":
      return call(
        "set-royalty",
        a[1] === ZeroAddress
          ? `remove the ERC-2981 royalty of model #${a[0]}`
          : `ERC-2981 royalty of model #${a[0]}: ${a[2]} bps (${Number(a[2]) / 100}%) to ${a[1]}`,
        { modelId: a[0], receiver: a[1], feeBps: a[2] },
      );
    case "timelock.updateDelay":
      return setting("timelockDelay", a[0]);
    case "governor.setProposalGuardian":
      return call("set-guardian", a[0] === ZeroAddress ? "remove the guardian" : `guardian -> ${a[0]}`, {
        guardian: a[0],
      });
    case "vault.setSplit": {
      const treasury = 10_000n - a[1] - a[2];
      return call("set-split", splitText(a[1], a[2], treasury), {
        modelId: a[0],
        contributorsBps: a[1],
        holdersBps: a[2],
      });
    }
    case "vault.setContributors": {
      const contributors = (a[1] as string[]).map((account, i) => ({ account, shares: (a[2] as bigint[])[i] }));
      const list = contributors.map((c) => `${c.account} ${c.shares} share${c.shares === 1n ? "" : "s"}`);
      return call("set-contributors", `contributors of model #${a[0]}: ${list.join(", ") || "none"}`, {
        modelId: a[0],
        contributors,
      });
    }
    case "vault.setPaymentToken": {
      const name = a[1] === ZeroAddress ? "ETH" : `${tokenName(a[1], protocol.tokens)} (${a[1]})`;
      const action = !a[2] ? "remove-token" : a[1] === ZeroAddress ? "allow-eth" : "allow-token";
      const verb = a[2] ? "accept" : "stop accepting";
      return call(action, `${verb} ${name} as revenue of model #${a[0]}`, {
        modelId: a[0],
        token: a[1],
        allowed: a[2],
      });
    }
    case "licenses.addOffer": {
      const terms = offerTerms(a[1]);
      return call("add-offer", `new offer for model #${a[0]}: ${termsText(terms, protocol.tokens)}`, {
        modelId: a[0],
        terms,
      });
    }
    case "licenses.updateOffer": {
      const terms = offerTerms(a[2]);
      const now = protocol.offers?.get(`${a[0]}:${a[1]}`);
      if (now !== undefined && onlyPrice(now, terms)) {
        return call(
          "set-price",
          `price of offer ${a[1]} of model #${a[0]} -> ${amount(terms.price, terms.paymentToken, protocol.tokens)}`,
          {
            modelId: a[0],
            offerId: a[1],
            terms,
          },
        );
      }
      return call("update-offer", `offer ${a[1]} of model #${a[0]} -> ${termsText(terms, protocol.tokens)}`, {
        modelId: a[0],
        offerId: a[1],
        terms,
      });
    }
    case "licenses.setOnSale":
      return call(
        a[2] ? "put-on-sale" : "withdraw-offer",
        `${a[2] ? "put" : "withdraw"} offer ${a[1]} of model #${a[0]} ${a[2] ? "on" : "from"} sale`,
        { modelId: a[0], offerId: a[1], onSale: a[2] },
      );
    case "meter.setOperator":
      return call("set-operator", `operator of model #${a[0]} -> ${a[1]}`, { modelId: a[0], operator: a[1] });
    case "vault.setUnlockWindow":
      return call("set-unlock-window", `holders' unlock window of model #${a[0]} -> ${formatDuration(a[1], true)}`, {
        modelId: a[0],
        seconds: a[1],
      });
    case "lineage.registerDerivative": {
      const licenceIds = [...(a[1] as bigint[])];
      const plural = licenceIds.length === 1 ? "licence" : "licences";
      return call(
        "register-derivative",
        `register model #${a[0]} as a derivative through ${plural} ${licenceIds.join(", ")}`,
        { modelId: a[0], licenceIds },
      );
    }
    case "vault.recoverToken":
      return call(
        "recover-token",
        `recover ${tokenName(a[1], protocol.tokens)} (${a[1]}) from the royalty receiver of model #${a[0]} to the treasury`,
        { modelId: a[0], token: a[1] },
      );
  }
  if (contract === "governor" && SETTINGS[fn] !== undefined) return setting(SETTINGS[fn], a[0]);
  return null;
}

function setting(name: string, value: bigint): DecodedCall {
  const shown =
    name === "proposalThreshold"
      ? `${value} votes`
      : name === "quorumNumerator"
        ? `${value}%`
        : formatDuration(value, true);
  return { action: "change-setting", summary: `${name} -> ${shown}`, args: { setting: name, value } };
}

function unknownCall(
  target: string,
  contract: ContractName | undefined,
  value: bigint,
  data: string,
  protocol: ProtocolView,
): DecodedCall {
  const name = contract === undefined ? target : NAMES[contract];
  const parsed = [...(contract === undefined ? [] : [protocol.interfaces[contract]!]), ERC20]
    .map((iface) => safeParse(iface, data))
    .find((p) => p !== null);
  const fn =
    parsed === undefined
      ? `${data.slice(0, 10)}(${Math.max(0, (data.length - 10) / 2)} bytes)`
      : `${parsed.name}(${Array.from(parsed.args).map(String).join(", ")})`;
  const sending = value === 0n ? "" : `, sending ${amount(value, ZeroAddress, protocol.tokens)}`;
  return {
    action: "call",
    summary: `call ${name}.${fn}${sending}`,
    args: { target, value, data, ...(parsed === undefined ? {} : { function: parsed.name }) },
  };
}

function safeParse(iface: Interface, data: string): { name: string; args: Result } | null {
  try {
    return iface.parseTransaction({ data });
  } catch {
    return null;
  }
}

/** Whether `next` keeps every term of `now` but the price (what `ws propose --action set-price` builds). */
function onlyPrice(now: OfferTerms, next: OfferTerms): boolean {
  return (Object.keys(next) as (keyof OfferTerms)[]).every(
    (key) => key === "price" || String(now[key]).toLowerCase() === String(next[key]).toLowerCase(),
  );
}
