/**
 * What the raise tasks share (`ws raise`, `ws back`, `ws refund`, `ws claim-fractions`, `ws finalize-raise`,
 * `ws deliver-seats`, and the raise actions of `ws propose`): the deployment's Raises contract (a deployment from
 * before issue #14 has none: one line naming --deployment), a checked `--raise-id`, a raise as the tasks show it
 * (terms, status, totals and money in the token's units, and one backer's position), and the allow-list file.
 */
import { existsSync, readFileSync } from "node:fs";

import { AbiCoder, getAddress, Interface, keccak256, toBeHex } from "ethers";

import { buildAllowlist, parseAllowlist, type Allowlist } from "../../client/allowlist.js";
import { backerPosition, raiseSummary, type BackerPosition, type RaiseSummary } from "../../client/raises.js";
import type { IFractionSales, IRaises } from "../../types/ethers-contracts/index.js";
import { TaskInputError, uint } from "./cli.js";
import type { Context } from "./context.js";
import { money, type Money } from "./tokens.js";
import { formatAmount, timeText, tokenInfo, type TokenInfo } from "./units.js";

/** The immutables both funding contracts are built with (checked against the deployment when they answer). */
const WIRING = new Interface([
  "function SHARES() view returns (address)",
  "function LICENSES() view returns (address)",
]);

/**
 * The deployment's funding contract `key` (`raises` or `sales`), checked to have code on this chain and to be built
 * for this deployment's ModelShares; a refusal names --deployment.
 */
async function funding<K extends "raises" | "sales">(ctx: Context, key: K): Promise<NonNullable<Context[K]>> {
  const contract = ctx[key];
  const name = key === "raises" ? "Raises" : "FractionSales";
  if (contract === undefined) {
    throw new TaskInputError(
      `--deployment: expected a "${key}" address (the ${name} contract, deployed with the protocol since raises and fraction sales were added); this deployment has none`,
    );
  }
  const address = await contract.getAddress();
  const provider = ctx.connection.ethers.provider;
  if ((await provider.getCode(address)) === "0x") {
    throw new TaskInputError(`--deployment: no ${name} contract at ${address} on chain ${ctx.chainId}`);
  }
  const shares = await provider
    .call({ to: address, data: WIRING.encodeFunctionData("SHARES") })
    .then((data) => getAddress(WIRING.decodeFunctionResult("SHARES", data)[0] as string))
    .catch(() => undefined);
  if (shares !== undefined && shares !== getAddress(ctx.deployment.shares)) {
    throw new TaskInputError(
      `--deployment: the ${name} contract at ${address} sells fractions of ${shares}, not of this deployment's ModelShares ${ctx.deployment.shares}`,
    );
  }
  return contract as NonNullable<Context[K]>;
}

/** The deployment's Raises contract. */
export function raisesOf(ctx: Context): Promise<IRaises> {
  return funding(ctx, "raises");
}

/** The deployment's FractionSales contract. */
export function salesOf(ctx: Context): Promise<IFractionSales> {
  return funding(ctx, "sales");
}

/** `--raise-id` (or `--<option>`): an existing raise, 1..raiseCount. */
export async function raiseIdArg(raises: IRaises, value: string, option = "raise-id"): Promise<bigint> {
  if (value === "") throw new TaskInputError(`--${option}: expected a raise id (ws raise lists them)`);
  const id = uint(option, value);
  const count = await raises.raiseCount();
  if (id === 0n || id > count) {
    throw new TaskInputError(
      count === 0n
        ? `--${option}: no raise has been opened yet, got ${value}`
        : `--${option}: expected an existing raise id (1..${count}), got ${value}`,
    );
  }
  return id;
}

/** A raise as the tasks show it: the client's summary with its money in the token's units. */
export interface RaiseView extends RaiseSummary {
  tokenInfo: TokenInfo;
  money: {
    price: Money;
    goal: Money;
    cap: Money;
    committed: Money;
    raised: Money;
    released: Money;
    seatPrice: Money;
  };
  /** How many tranches the money is released in (1 without milestones). */
  trancheCount: number;
  /** The account the task looked at (`--backer`, `--account` or the signer), and its position. */
  backer?: BackerPosition & { refundableMoney: Money };
}

export async function raiseView(ctx: Context, raises: IRaises, raiseId: bigint, backer?: string): Promise<RaiseView> {
  const s = await raiseSummary(raises, raiseId);
  const info = await tokenInfo(ctx, s.terms.token);
  const m = (amount: bigint) => money(amount, info);
  const view: RaiseView = {
    ...s,
    tokenInfo: info,
    money: {
      price: m(s.terms.price),
      goal: m(s.goalMoney),
      cap: m(s.capMoney),
      committed: m(s.committedMoney),
      raised: m(s.raised),
      released: m(s.state.released),
      seatPrice: m(s.terms.seatPrice),
    },
    trancheCount: Math.max(1, s.terms.tranches.length),
  };
  if (backer !== undefined) {
    const position = await backerPosition(raises, raiseId, backer);
    view.backer = { ...position, refundableMoney: m(position.refundable) };
  }
  return view;
}

/** A raise for `--json`: the view with its token as `token` (address, symbol, decimals). */
export function raiseJson(v: RaiseView) {
  const { tokenInfo: token, ...rest } = v;
  return { ...rest, token };
}

const ZERO_HASH = `0x${"0".repeat(64)}`;

/** The lines `ws raise --raise-id N` prints. */
export function raiseLines(v: RaiseView): string[] {
  const t = v.terms;
  const f = (amount: bigint) => formatAmount(amount, v.tokenInfo);
  const lines = [
    `raise #${v.raiseId} of model #${t.modelId}: ${v.status}`,
    `  price ${f(t.price)} a fraction; goal ${t.goal} fractions (${f(v.goalMoney)}), cap ${t.cap} (${f(v.capMoney)})` +
      (t.accountCap === 0n ? "" : `, at most ${t.accountCap} per account`),
    `  open ${timeText(t.opensAt)} to ${timeText(t.closesAt)}` +
      (t.allowlistRoot === ZERO_HASH ? ", anyone may back" : `, allow-list root ${t.allowlistRoot}`),
    `  terms ${t.termsURI} (keccak256 ${t.termsHash})`,
    `  committed ${v.state.committed} of ${t.cap} fractions (${f(v.committedMoney)} with seats); ` +
      `${v.status === "Succeeded" ? "raised" : "raises on success"} ${f(v.raised)} for ${v.sold} fractions`,
    `  released ${f(v.state.released)} to the treasury in ${v.state.tranchesReleased} of ${v.trancheCount} tranche${v.trancheCount === 1 ? "" : "s"}` +
      (t.tranches.length === 0 ? "" : ` (${t.tranches.map((bps) => `${Number(bps) / 100}%`).join(", ")})`) +
      (v.state.milestoneFailed ? `; a milestone failed: ${f(v.state.milestoneRefund)} refundable to backers` : ""),
  ];
  if (t.seats !== 0n) {
    lines.push(
      `  access presale: ${v.state.seatsSold} of ${t.seats} seats sold at ${f(t.seatPrice)}, ` +
        (v.state.accessOfferId === 0n
          ? `offer to be named by ${timeText(t.accessDeadline)}`
          : `delivered from offer ${v.state.accessOfferId}`),
    );
  }
  if (v.backer !== undefined) lines.push(`  ${backerLine(v, v.backer)}`);
  return lines;
}

/** "0x… committed 40 fractions and 1 seat; gets 40 fractions (claimed), refundable now 0 ETH". */
export function backerLine(v: RaiseView, b: BackerPosition): string {
  const f = (amount: bigint) => formatAmount(amount, v.tokenInfo);
  if (b.fractions === 0n && b.seats === 0n && b.refunded === 0n) return `${b.backer} has not backed this raise`;
  const seats = b.seats === 0n ? "" : ` and ${b.seats} seat${b.seats === 1n ? "" : "s"}`;
  const gets =
    v.status === "Failed" || v.status === "Cancelled"
      ? "gets no fractions"
      : `gets ${b.allocation} fraction${b.allocation === 1n ? "" : "s"}${b.claimed ? " (claimed)" : v.status === "Succeeded" ? " (to claim)" : " as things stand"}`;
  const refunded = b.refunded === 0n ? "" : `, refunded ${f(b.refunded)} so far`;
  return `${b.backer} committed ${b.fractions} fractions${seats}; ${gets}; refundable now ${f(b.refundable)}${refunded}`;
}

/** One raise's row in `ws raise`'s list. */
export function raiseRow(v: RaiseView): (string | bigint)[] {
  return [
    v.raiseId,
    `#${v.terms.modelId}`,
    v.status,
    formatAmount(v.terms.price, v.tokenInfo),
    `${v.state.committed} / ${v.terms.goal} / ${v.terms.cap}`,
    formatAmount(v.raised, v.tokenInfo),
    timeText(v.terms.closesAt).split(" ")[0],
  ];
}

/**
 * `--allowlist FILE` (or `--<option>`): its addresses (a JSON array, or one a line) as an allow-list tree; a
 * refusal names the option and the file's bad line.
 */
export function allowlistArg(file: string, option = "allowlist"): Allowlist {
  if (!existsSync(file))
    throw new TaskInputError(`--${option}: expected a file of addresses, but "${file}" does not exist`);
  try {
    return buildAllowlist(parseAllowlist(readFileSync(file, "utf8")));
  } catch (error) {
    throw new TaskInputError(`--${option}: ${file}: ${(error as Error).message}`);
  }
}

/** A state override for `eth_call`: storage slots to set, by contract. */
export type StateOverride = Record<string, { stateDiff: Record<string, string> }>;

/** Where ModelShares keeps `mintingGrants` (its ERC-7201 namespace, field 4): a mapping(modelId => minter => n). */
const MINTING_GRANTS_SLOT = 0xdcb22c2a8a4ef29ccf861b260a2c53c25b73af08461e5cd48925c6ae17523200n + 4n;

/**
 * The minting grants the calls of `p` before `index` give (`shares.grantMinting`), as a state override of
 * ModelShares' storage under which call `index` can be simulated as if they had run: `open-raise`'s `raises.open`
 * needs the grant its first call makes. Each slot is checked by reading `mintingGrant` back under the override;
 * undefined when no earlier call grants anything, or the layout does not read back (then the call is simulated on
 * today's state).
 */
export async function earlierGrants(
  ctx: Context,
  p: { targets: readonly string[]; calldatas: readonly string[] },
  index: number,
): Promise<StateOverride | undefined> {
  const shares = await ctx.shares.getAddress();
  const grants = new Map<string, { modelId: bigint; minter: string; amount: bigint }>();
  for (let i = 0; i < index; i++) {
    if (getAddress(p.targets[i]) !== shares) continue;
    let parsed;
    try {
      parsed = ctx.shares.interface.parseTransaction({ data: p.calldatas[i] });
    } catch {
      continue;
    }
    if (parsed?.name !== "grantMinting") continue;
    const [modelId, minter, amount] = parsed.args as unknown as [bigint, string, bigint];
    const key = `${modelId}:${getAddress(minter)}`;
    const before = grants.get(key)?.amount ?? (await ctx.shares.mintingGrant(modelId, minter));
    grants.set(key, { modelId, minter: getAddress(minter), amount: before + amount });
  }
  if (grants.size === 0) return undefined;
  const coder = AbiCoder.defaultAbiCoder();
  const stateDiff: Record<string, string> = {};
  for (const g of grants.values()) {
    const inner = keccak256(coder.encode(["uint256", "uint256"], [g.modelId, MINTING_GRANTS_SLOT]));
    stateDiff[keccak256(coder.encode(["address", "bytes32"], [g.minter, inner]))] = toBeHex(g.amount, 32);
  }
  const override = { [shares]: { stateDiff } };
  for (const g of grants.values()) {
    const data = ctx.shares.interface.encodeFunctionData("mintingGrant", [g.modelId, g.minter]);
    try {
      const result = await ctx.connection.ethers.provider.send("eth_call", [{ to: shares, data }, "latest", override]);
      if (BigInt(result as string) !== g.amount) return undefined;
    } catch {
      return undefined; // the node refuses state overrides
    }
  }
  return override;
}
