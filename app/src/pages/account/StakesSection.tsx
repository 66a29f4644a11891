/**
 * Fractions and votes per model, with the current delegate and a Delegate form (to oneself or an address), checked
 * as `ws delegate` checks it: the zero address and the current delegate again are refused, as they do nothing.
 */
import { useState } from "react";
import { getAddress, isAddress, zeroAddress, type Address } from "viem";

import type { ModelRef, Stake } from "../../data/account.ts";
import { shortAddress } from "../../format.ts";
import { modelVotesAbi } from "../../generated.ts";
import { href } from "../../router.ts";
import { TxButton } from "../../tx/TxButton.tsx";

export interface StakesProps {
  account: Address;
  /** Whether the connected wallet is `account` (else the section is read-only). */
  canAct: boolean;
  models: ModelRef[];
  stakes: Map<string, Stake> | undefined;
}

/** Whom an account delegates to, in words. */
function delegateText(account: Address, stake: Stake): string {
  if (stake.delegate === zeroAddress)
    return stake.chosen ? "nobody (opted out)" : "nobody yet: these fractions do not vote";
  if (stake.delegate.toLowerCase() === account.toLowerCase()) return "itself";
  return stake.delegate;
}

/** The section: one card per model the account holds, votes for, or delegates in. */
export function StakesSection({ account, canAct, models, stakes }: StakesProps) {
  const held = models.filter((m) => {
    const s = stakes?.get(m.id);
    return s !== undefined && (s.fractions > 0n || s.votes > 0n || s.delegate !== zeroAddress);
  });
  return (
    <section aria-labelledby="stakes-title">
      <h2 id="stakes-title">Fractions and votes</h2>
      {stakes === undefined ? (
        <p>Loading…</p>
      ) : held.length === 0 ? (
        <p>No fractions or votes in any model.</p>
      ) : (
        <ul className="cards">
          {held.map((m) => (
            <StakeCard key={m.id} account={account} canAct={canAct} model={m} stake={stakes.get(m.id)!} />
          ))}
        </ul>
      )}
    </section>
  );
}

function StakeCard({
  account,
  canAct,
  model,
  stake,
}: {
  account: Address;
  canAct: boolean;
  model: ModelRef;
  stake: Stake;
}) {
  const [to, setTo] = useState("");
  const name = model.name ?? `Model #${model.id}`;
  const id = `delegate-${model.id}`;
  const symbol = model.symbol ?? "fractions";
  const build = (target: string) => () => {
    if (!isAddress(target.trim())) {
      throw new Error(`Delegate to: expected a 0x-prefixed address of 40 hex digits, got "${target}"`);
    }
    const delegatee = getAddress(target.trim());
    if (delegatee === zeroAddress) {
      throw new Error("Delegate to: delegating to the zero address removes your votes; enter a delegate's address");
    }
    if (stake.chosen && delegatee.toLowerCase() === stake.delegate.toLowerCase()) {
      throw new Error(
        `Delegate to: ${account} already delegates its model #${model.id} votes to ${delegatee}; this changes nothing`,
      );
    }
    return { address: model.votes as Address, abi: modelVotesAbi, functionName: "delegate", args: [delegatee] };
  };
  const heldNote =
    stake.fractions === 0n ? " (you hold no fractions now: it applies to fractions you receive later)" : "";
  return (
    <li className="card" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        <a href={href({ page: "model", modelId: BigInt(model.id) })}>{name}</a>
      </h3>
      <dl className="facts">
        <dt>Fractions</dt>
        <dd data-testid="fractions">
          {stake.fractions.toString()} {symbol}
        </dd>
        <dt>Voting power</dt>
        <dd data-testid="votes">{stake.votes.toString()} votes</dd>
        <dt>Delegates to</dt>
        <dd data-testid="delegate" className="mono" title={stake.delegate}>
          {delegateText(account, stake)}
        </dd>
      </dl>
      {canAct && (
        <form aria-label={`Delegate votes in ${name}`} onSubmit={(e) => e.preventDefault()}>
          <TxButton
            label="Delegate to myself"
            summary={[`Count your ${stake.fractions} fractions of ${name} as your own votes${heldNote}`]}
            build={build(account)}
            success="Delegated to yourself"
          />
          <label htmlFor={`${id}-to`}>Delegate to (address)</label>
          <input
            id={`${id}-to`}
            className="mono"
            style={{ width: "100%" }}
            placeholder="0x…"
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
          <TxButton
            label="Delegate"
            summary={[
              `Let ${isAddress(to.trim()) ? shortAddress(to.trim()) : "that address"} vote with your ${stake.fractions} fractions of ${name}${heldNote}`,
              "You keep the fractions and their revenue; you can delegate again at any time",
            ]}
            build={build(to)}
            success="Delegated"
          />
        </form>
      )}
    </li>
  );
}
