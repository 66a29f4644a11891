/** One raise: its terms and totals, the connected account's backing, and what it can do (back, refund, claim). */
import type { Address } from "viem";

import { formatTime } from "../../format.ts";
import type { IndexedRaise, RaiseNow, TokenInfo } from "../../data/raises.ts";
import { moneyText } from "../../data/raises.ts";
import { href } from "../../router.ts";
import { BackForm } from "./BackForm.tsx";
import { RaiseActions } from "./RaiseActions.tsx";

export interface RaiseCardProps {
  raise: IndexedRaise;
  now: RaiseNow | undefined;
  account: Address | undefined;
  tokens: Map<string, TokenInfo> | undefined;
}

/** The raise as a card with its facts, the account's backing and its buttons. */
export function RaiseCard({ raise, now, account, tokens }: RaiseCardProps) {
  const money = (amount: bigint | string) => moneyText(amount, raise.token, tokens);
  const committed = now?.committed ?? BigInt(raise.committed);
  const name = raise.model?.name ?? `Model #${raise.modelId}`;
  const p = now?.position;
  return (
    <li className="card" aria-labelledby={`raise-${raise.id}-title`}>
      <h2 id={`raise-${raise.id}-title`}>
        Raise #{raise.id}: <a href={href({ page: "model", modelId: BigInt(raise.modelId) })}>{name}</a>
      </h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="raise-status">{now?.status ?? "…"}</dd>
        <dt>Price</dt>
        <dd>{money(raise.price)} per fraction</dd>
        <dt>Goal</dt>
        <dd>
          {raise.goal} fractions ({money(BigInt(raise.goal) * BigInt(raise.price))}), at most {raise.cap}
        </dd>
        <dt>Raised</dt>
        <dd data-testid="raise-committed">
          {committed.toString()} fractions committed ({money(raise.inflow)} in) by {raise.backerCount} backer
          {raise.backerCount === 1 ? "" : "s"}
        </dd>
        {BigInt(raise.accountCap) > 0n && (
          <>
            <dt>Per account</dt>
            <dd>at most {raise.accountCap} fractions</dd>
          </>
        )}
        {BigInt(raise.seats) > 0n && (
          <>
            <dt>Licence seats</dt>
            <dd>
              {raise.seatsSold} of {raise.seats} sold at {money(raise.seatPrice)}
            </dd>
          </>
        )}
        <dt>Opens</dt>
        <dd>{formatTime(raise.opensAt)}</dd>
        <dt>Deadline</dt>
        <dd>{formatTime(raise.closesAt)}</dd>
        {raise.termsURI !== "" && (
          <>
            <dt>Terms</dt>
            <dd className="mono">{raise.termsURI}</dd>
          </>
        )}
      </dl>
      {p !== undefined && (p.fractions > 0n || p.seats > 0n || p.refunded > 0n) && (
        <p className="ok" data-testid="my-backing">
          You backed {p.fractions.toString()} fractions
          {p.seats > 0n && ` and ${p.seats} seats`} ({money(p.fractions * BigInt(raise.price))}
          {p.seats > 0n && ` + ${money(p.seats * BigInt(raise.seatPrice))}`}).
          {p.allocation !== p.fractions && ` You get ${p.allocation} fractions as things stand.`}
          {p.refundable > 0n && ` Refundable now: ${money(p.refundable)}.`}
          {p.claimed && " Fractions claimed."}
        </p>
      )}
      {account === undefined ? (
        now?.status === "Open" && <p className="muted">Connect a wallet to back this raise.</p>
      ) : (
        <>
          {now?.status === "Open" && <BackForm raise={raise} now={now} account={account} tokens={tokens} />}
          <RaiseActions raise={raise} now={now} account={account} tokens={tokens} />
        </>
      )}
    </li>
  );
}
