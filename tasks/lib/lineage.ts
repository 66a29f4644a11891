/**
 * What the tasks share about derivative models (issue #15): the deployment's lineage registry (a record from before
 * it has none: `ws derive` refuses naming --deployment, `ws model` leaves lineage out), `--licences` (`ws derive`,
 * `ws propose --action register-derivative`), and a derivative licence's
 * terms (the parent's share of a derivative's revenue, the derivative's price floor) in plain words and for --json,
 * as `ws buy` and `ws licences` show them.
 */
import { getAddress } from "ethers";

import { bpsPercent, MAX_PARENTS } from "../../client/lineage.js";
import { IModelLineage__factory } from "../../types/ethers-contracts/factories/contracts/interfaces/IModelLineage__factory.js";
import type { IModelLineage } from "../../types/ethers-contracts/index.js";
import { TaskInputError, uint } from "./cli.js";
import type { Context } from "./context.js";
import { money, type Money } from "./tokens.js";
import type { TokenInfo } from "./units.js";

/**
 * The deployment's lineage registry, connected as the signer, or undefined when the record has none or no contract
 * answers there (`ws model` then shows no lineage).
 */
export async function lineageIfDeployed(ctx: Context): Promise<IModelLineage | undefined> {
  const at = ctx.deployment.lineage;
  if (at === undefined) return undefined;
  if ((await ctx.connection.ethers.provider.getCode(at)) === "0x") return undefined;
  return IModelLineage__factory.connect(at, ctx.signer);
}

/**
 * The deployment's lineage registry, checked to have code and to be the one the licence manager takes price floors
 * from; a refusal names --deployment.
 */
export async function lineageRequired(ctx: Context): Promise<IModelLineage> {
  const at = ctx.deployment.lineage;
  if (at === undefined) {
    throw new TaskInputError(
      `--deployment: expected a "lineage" address (the ModelLineage registry, deployed with the protocol since derivative models were added); this deployment has none`,
    );
  }
  if ((await ctx.connection.ethers.provider.getCode(at)) === "0x") {
    throw new TaskInputError(`--deployment: no ModelLineage contract at ${at} on chain ${ctx.chainId}`);
  }
  const wired = await ctx.licenses.lineage().catch(() => undefined);
  if (wired === undefined || getAddress(wired) !== getAddress(at)) {
    throw new TaskInputError(
      `--deployment: lineage ${at} is not the lineage registry of the licence manager at ${ctx.deployment.licenses} (${wired ?? "none"})`,
    );
  }
  return IModelLineage__factory.connect(at, ctx.signer);
}

/**
 * `--licences`: 1 to MAX_PARENTS licence ids, comma-separated, each once. A refusal of an empty value says whose
 * licences are wanted (`whose`: "you hold") and how to list them (`listed`: "ws licences lists yours").
 */
export function licencesArg(value: string, whose = "you hold", listed = "ws licences lists yours"): bigint[] {
  if (value.trim() === "") {
    throw new TaskInputError(
      `--licences: expected the derivative licences ${whose}, one per parent, comma-separated, e.g. 3,4 (${listed})`,
    );
  }
  const ids = value.split(",").map((part) => uint("licences", part.trim()));
  if (ids.length > MAX_PARENTS) {
    throw new TaskInputError(`--licences: expected at most ${MAX_PARENTS} licences, one per parent; got ${ids.length}`);
  }
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new TaskInputError(`--licences: expected each licence once; #${twice} is named twice`);
  return ids;
}

/** A derivative licence's terms for --json: the parent's share and the derivative's price floor (null: none). */
export interface DerivativeTerms {
  parentShareBps: bigint;
  parentShare: string;
  minDerivativePrice: Money | null;
}

/** The derivative terms of licence terms `t` priced in `token`, or null when they allow no derivatives. */
export function derivativeTerms(
  t: { derivativesAllowed: boolean; parentShareBps: bigint; minDerivativePrice: bigint },
  token: TokenInfo,
): DerivativeTerms | null {
  if (!t.derivativesAllowed) return null;
  return {
    parentShareBps: t.parentShareBps,
    parentShare: bpsPercent(t.parentShareBps),
    minDerivativePrice: t.minDerivativePrice === 0n ? null : money(t.minDerivativePrice, token),
  };
}

/**
 * "derivatives allowed: the parent takes 10% of a derivative's revenue, whose licences cost at least 0.05 ETH", or
 * "no derivatives".
 */
export function derivativeTermsText(d: DerivativeTerms | null): string {
  if (d === null) return "no derivatives";
  const floor = d.minDerivativePrice === null ? "" : `, whose licences cost at least ${d.minDerivativePrice.formatted}`;
  return `derivatives allowed: the parent takes ${d.parentShare} of a derivative's revenue${floor}`;
}
