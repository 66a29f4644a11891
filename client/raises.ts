/**
 * Raises (presales of a model's fractions and licence seats, `IRaises`) from plain ethers: a raise's terms and
 * totals as plain objects, a backer's position, the EIP-712 acceptance of the terms, and backing a raise (paying
 * exactly, approving an ERC-20 for exactly the cost when the allowance is short). Opening, cancelling and releasing
 * are the treasury's, by vote: governance/funding.ts builds those proposals. Hardhat-free.
 */
import {
  Contract,
  TypedDataEncoder,
  ZeroAddress,
  type ContractRunner,
  type ContractTransactionReceipt,
  type Signer,
  type TypedDataDomain,
} from "ethers";

import type { IRaises } from "../types/ethers-contracts/index.ts";

/** What a raise is opened with (`IRaises.RaiseTerms`), as plain values. */
export interface RaiseTerms {
  modelId: bigint;
  /** The payment token; the zero address for ETH. */
  token: string;
  /** Price of one fraction in the token's smallest unit. */
  price: bigint;
  /** Soft cap and hard cap, in fractions. */
  goal: bigint;
  cap: bigint;
  /** Most fractions one account may commit; 0 for no limit. */
  accountCap: bigint;
  opensAt: bigint;
  closesAt: bigint;
  /** Root of the allow-list tree (client/allowlist.ts); zero for anyone. */
  allowlistRoot: string;
  termsHash: string;
  termsURI: string;
  /** Milestone tranches in basis points summing to 10,000; empty for a single tranche. */
  tranches: bigint[];
  /** Access presale: price of a licence seat (0: none), seats for sale, deadline for naming the offer. */
  seatPrice: bigint;
  seats: bigint;
  accessDeadline: bigint;
}

/** `IRaises.Status`, by its number. `Closed`: past `closesAt`, waiting for `finalize`. */
export const RAISE_STATUSES = ["Pending", "Open", "Closed", "Succeeded", "Failed", "Cancelled"] as const;
export type RaiseStatus = (typeof RAISE_STATUSES)[number];

/** A raise's totals (`IRaises.RaiseState`). */
export interface RaiseState {
  committed: bigint;
  seatsSold: bigint;
  finalized: boolean;
  cancelled: boolean;
  tranchesReleased: bigint;
  milestoneFailed: boolean;
  accessOfferId: bigint;
  released: bigint;
  milestoneRefund: bigint;
}

/** One backer's position (`IRaises.Backing`) and what it gets as things stand (`allocation`). */
export interface BackerPosition {
  backer: string;
  fractions: bigint;
  seats: bigint;
  acceptedTerms: boolean;
  claimed: boolean;
  seatsDelivered: boolean;
  /** Its seats' money was refunded (undelivered by the access deadline): they are no longer delivered. */
  seatsRefunded: boolean;
  surplus: bigint;
  refunded: bigint;
  /** Fractions it can claim (or has claimed). */
  allocation: bigint;
  /** Money refundable to it now. */
  refundable: bigint;
}

export interface RaiseSummary {
  raiseId: bigint;
  terms: RaiseTerms;
  status: RaiseStatus;
  state: RaiseState;
  /** Fractions sold: min(committed, cap). Before success it is what success would sell as things stand. */
  sold: bigint;
  /** Money committed for fractions and seats (before pro rata). */
  committedMoney: bigint;
  /** What the treasury gets for fractions on success: sold * price (released by tranches). */
  raised: bigint;
  /** The goal and cap in money: goal * price, cap * price. */
  goalMoney: bigint;
  capMoney: bigint;
}

/** A `RaiseTerms` result from the contract (or an event) as plain values. */
export function raiseTermsOf(t: IRaises.RaiseTermsStructOutput): RaiseTerms {
  return {
    modelId: t.modelId,
    token: t.token,
    price: t.price,
    goal: t.goal,
    cap: t.cap,
    accountCap: t.accountCap,
    opensAt: t.opensAt,
    closesAt: t.closesAt,
    allowlistRoot: t.allowlistRoot,
    termsHash: t.termsHash,
    termsURI: t.termsURI,
    tranches: [...t.tranches],
    seatPrice: t.seatPrice,
    seats: t.seats,
    accessDeadline: t.accessDeadline,
  };
}

function raiseStateOf(s: IRaises.RaiseStateStructOutput): RaiseState {
  return {
    committed: s.committed,
    seatsSold: s.seatsSold,
    finalized: s.finalized,
    cancelled: s.cancelled,
    tranchesReleased: s.tranchesReleased,
    milestoneFailed: s.milestoneFailed,
    accessOfferId: s.accessOfferId,
    released: s.released,
    milestoneRefund: s.milestoneRefund,
  };
}

/** Terms, status and totals of `raiseId` (the contract reverts with `RaisesUnknownRaise` for an unknown id). */
export async function raiseSummary(raises: IRaises, raiseId: bigint): Promise<RaiseSummary> {
  const [terms, state, status] = await Promise.all([
    raises.raise(raiseId).then(raiseTermsOf),
    raises.raiseState(raiseId).then(raiseStateOf),
    raises.status(raiseId),
  ]);
  const sold = state.committed < terms.cap ? state.committed : terms.cap;
  return {
    raiseId,
    terms,
    status: RAISE_STATUSES[Number(status)],
    state,
    sold,
    committedMoney: state.committed * terms.price + state.seatsSold * terms.seatPrice,
    raised: sold * terms.price,
    goalMoney: terms.goal * terms.price,
    capMoney: terms.cap * terms.price,
  };
}

/** What `backer` committed to `raiseId`, and the fractions and refund it gets as things stand. */
export async function backerPosition(raises: IRaises, raiseId: bigint, backer: string): Promise<BackerPosition> {
  const [b, [allocation, refundable]] = await Promise.all([
    raises.backing(raiseId, backer),
    raises.allocation(raiseId, backer),
  ]);
  return {
    backer,
    fractions: b.fractions,
    seats: b.seats,
    acceptedTerms: b.acceptedTerms,
    claimed: b.claimed,
    seatsDelivered: b.seatsDelivered,
    seatsRefunded: b.seatsRefunded,
    surplus: b.surplus,
    refunded: b.refunded,
    allocation,
    refundable,
  };
}

/** What committing `fractions` and `seats` costs: fractions * price + seats * seatPrice. */
export function raiseCost(terms: Pick<RaiseTerms, "price" | "seatPrice">, fractions: bigint, seats: bigint): bigint {
  return fractions * terms.price + seats * terms.seatPrice;
}

/** The EIP-712 domain backers sign the terms in: "Weightshare Raises", version "1", this chain and contract. */
export async function raisesDomain(raises: IRaises): Promise<TypedDataDomain> {
  const provider = raises.runner?.provider;
  if (provider == null) throw new Error("raisesDomain: the Raises contract is not connected to a provider");
  return {
    name: "Weightshare Raises",
    version: "1",
    chainId: (await provider.getNetwork()).chainId,
    verifyingContract: await raises.getAddress(),
  };
}

/** The EIP-712 type of a backer's acceptance of a raise's terms. */
export const ACCEPT_TERMS_TYPES = {
  AcceptTerms: [
    { name: "raiseId", type: "uint256" },
    { name: "termsHash", type: "bytes32" },
    { name: "backer", type: "address" },
  ],
};

export interface AcceptTerms {
  raiseId: bigint;
  termsHash: string;
  backer: string;
}

/**
 * What `backer` signs to accept the terms of `raiseId`: the typed data and its digest, checked against the
 * contract's own `termsDigest` (a mismatch, e.g. a contract on another domain, throws rather than sign in vain).
 */
export async function acceptTermsTypedData(
  raises: IRaises,
  raiseId: bigint,
  backer: string,
): Promise<{ domain: TypedDataDomain; types: typeof ACCEPT_TERMS_TYPES; message: AcceptTerms; digest: string }> {
  const [domain, terms, onChain] = await Promise.all([
    raisesDomain(raises),
    raises.raise(raiseId),
    raises.termsDigest(raiseId, backer),
  ]);
  const message = { raiseId, termsHash: terms.termsHash, backer };
  const digest = TypedDataEncoder.hash(domain, ACCEPT_TERMS_TYPES, message);
  if (digest !== onChain) {
    throw new Error(`acceptTermsTypedData: the contract's digest ${onChain} differs from the typed data's ${digest}`);
  }
  return { domain, types: ACCEPT_TERMS_TYPES, message, digest };
}

/**
 * `signer`'s EIP-712 signature accepting the terms of `raiseId` (ECDSA; an ERC-1271 wallet signs the digest
 * itself).
 */
export async function signRaiseTerms(raises: IRaises, signer: Signer, raiseId: bigint): Promise<string> {
  const { domain, types, message } = await acceptTermsTypedData(raises, raiseId, await signer.getAddress());
  return signer.signTypedData(domain, types, message);
}

const ERC20 = [
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
];

/**
 * Approves `spender` for exactly `amount` of `token` when `owner`'s allowance is short; the approval's receipt, or
 * null when none was needed.
 */
export async function approveExactly(
  signer: Signer,
  token: string,
  spender: string,
  amount: bigint,
): Promise<ContractTransactionReceipt | null> {
  const erc20 = new Contract(token, ERC20, signer as unknown as ContractRunner);
  if ((await erc20.allowance(await signer.getAddress(), spender)) >= amount) return null;
  return (await (await erc20.approve(spender, amount)).wait()) as ContractTransactionReceipt | null;
}

export interface BackOptions {
  fractions: bigint;
  seats?: bigint;
  /** The allow-list proof (client/allowlist.ts), when the raise has an allow-list. */
  proof?: string[];
  /**
   * A signature of the terms made elsewhere (an ERC-1271 wallet); default: the signer signs them on its first
   * commitment, and sends none after.
   */
  signature?: string;
}

/**
 * Commits `fractions` (and `seats`) to `raiseId` as `signer`: signs the terms on the first commitment, pays
 * exactly the cost (ETH with the call; an ERC-20 approved for exactly the cost when the allowance is short).
 */
export async function backRaise(
  raises: IRaises,
  signer: Signer,
  raiseId: bigint,
  options: BackOptions,
): Promise<ContractTransactionReceipt> {
  const r = raises.connect(signer);
  const backer = await signer.getAddress();
  const terms = raiseTermsOf(await r.raise(raiseId));
  const seats = options.seats ?? 0n;
  const cost = raiseCost(terms, options.fractions, seats);
  const accepted = (await r.backing(raiseId, backer)).acceptedTerms;
  const signature = options.signature ?? (accepted ? "0x" : await signRaiseTerms(r, signer, raiseId));
  if (terms.token !== ZeroAddress) await approveExactly(signer, terms.token, await r.getAddress(), cost);
  const tx = await r.commit(raiseId, options.fractions, seats, options.proof ?? [], signature, {
    value: terms.token === ZeroAddress ? cost : 0n,
  });
  const receipt = await tx.wait();
  if (receipt === null) throw new Error("backRaise: the commitment was dropped");
  return receipt;
}

/** Every raise id (1..raiseCount) whose model is `modelId` (all when undefined). */
export async function raiseIds(raises: IRaises, modelId?: bigint): Promise<bigint[]> {
  const count = await raises.raiseCount();
  const ids: bigint[] = [];
  for (let id = 1n; id <= count; id++) {
    if (modelId === undefined || (await raises.raise(id)).modelId === modelId) ids.push(id);
  }
  return ids;
}

/** Sends `tx` and waits for its receipt; throws when it was dropped. */
async function mined(
  what: string,
  sent: Promise<{ wait(): Promise<ContractTransactionReceipt | null> }>,
): Promise<ContractTransactionReceipt> {
  const receipt = await (await sent).wait();
  if (receipt === null) throw new Error(`${what}: the transaction was dropped`);
  return receipt;
}

/** The first log of `raises` named `name` in `receipt`, parsed. */
async function eventIn(raises: IRaises, receipt: ContractTransactionReceipt, name: string) {
  const address = (await raises.getAddress()).toLowerCase();
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== address) continue;
    const parsed = raises.interface.parseLog(log);
    if (parsed?.name === name) return parsed;
  }
  return undefined;
}

/** Settles a closed raise (anyone may): whether it succeeded, and what it sold and raised. */
export async function finalizeRaise(
  raises: IRaises,
  signer: Signer,
  raiseId: bigint,
): Promise<{ receipt: ContractTransactionReceipt; succeeded: boolean; sold: bigint; raised: bigint }> {
  const receipt = await mined("finalizeRaise", raises.connect(signer).finalize(raiseId));
  const e = await eventIn(raises, receipt, "RaiseFinalized");
  return {
    receipt,
    succeeded: e?.args.succeeded === true,
    sold: (e?.args.sold as bigint | undefined) ?? 0n,
    raised: (e?.args.raised as bigint | undefined) ?? 0n,
  };
}

/** Sends `signer` what is refundable to it in `raiseId` now, to `to` (default: itself); returns the amount. */
export async function refundRaise(
  raises: IRaises,
  signer: Signer,
  raiseId: bigint,
  to?: string,
): Promise<{ receipt: ContractTransactionReceipt; amount: bigint }> {
  const receiver = to ?? (await signer.getAddress());
  const receipt = await mined("refundRaise", raises.connect(signer).refund(raiseId, receiver));
  return { receipt, amount: ((await eventIn(raises, receipt, "Refunded"))?.args.amount as bigint | undefined) ?? 0n };
}

/** Mints `backer`'s fractions of a successful raise to `to` (default: the backer); returns how many. */
export async function claimRaiseFractions(
  raises: IRaises,
  signer: Signer,
  raiseId: bigint,
  backer?: string,
  to?: string,
): Promise<{ receipt: ContractTransactionReceipt; fractions: bigint }> {
  const who = backer ?? (await signer.getAddress());
  const receipt = await mined("claimRaiseFractions", raises.connect(signer).claimFractions(raiseId, who, to ?? who));
  return {
    receipt,
    fractions: ((await eventIn(raises, receipt, "FractionsClaimed"))?.args.fractions as bigint | undefined) ?? 0n,
  };
}
