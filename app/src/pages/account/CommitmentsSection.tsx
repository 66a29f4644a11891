/**
 * The raises an account backed: what it committed, what is refundable to it now and the fractions it can claim
 * (read from the Raises contract), with Refund and Claim where it can use them.
 */
import type { Address } from "viem";

import type { IndexedBacking } from "../../data/account.ts";
import { moneyText, useRaisesNow, type TokenInfo } from "../../data/raises.ts";
import { href } from "../../router.ts";
import { RaiseActions } from "../raises/RaiseActions.tsx";

export interface CommitmentsProps {
  account: Address;
  canAct: boolean;
  backings: IndexedBacking[] | undefined;
  tokens: Map<string, TokenInfo> | undefined;
}

/** The commitments table. */
export function CommitmentsSection({ account, canAct, backings, tokens }: CommitmentsProps) {
  const now = useRaisesNow(backings?.map((b) => b.raiseId) ?? [], account);
  return (
    <section aria-labelledby="commitments-title">
      <h2 id="commitments-title">Raises backed</h2>
      {backings === undefined ? (
        <p>Loading…</p>
      ) : backings.length === 0 ? (
        <p>
          No commitments. <a href={href({ page: "raises" })}>See the raises</a>.
        </p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Raises backed">
          <table>
            <thead>
              <tr>
                <th scope="col">Raise</th>
                <th scope="col">Status</th>
                <th scope="col">Backed</th>
                <th scope="col">Refundable now</th>
                <th scope="col">Fractions</th>
                {canAct && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {backings.map((b) => {
                const r = b.raise;
                const n = now.data?.get(b.raiseId);
                const p = n?.position;
                const money = (amount: bigint | string) => moneyText(amount, r.token, tokens);
                const paid = BigInt(b.fractions) * BigInt(r.price) + BigInt(b.seats) * BigInt(r.seatPrice);
                return (
                  <tr key={b.raiseId} data-testid={`backing-${b.raiseId}`}>
                    <th scope="row">
                      #{b.raiseId}:{" "}
                      <a href={href({ page: "model", modelId: BigInt(r.modelId) })}>
                        {r.model?.name ?? `Model #${r.modelId}`}
                      </a>
                    </th>
                    <td>{n?.status ?? "…"}</td>
                    <td data-testid="backed">
                      {b.fractions} fractions{BigInt(b.seats) > 0n && ` and ${b.seats} seats`} ({money(paid)})
                    </td>
                    <td>{p === undefined ? "…" : money(p.refundable)}</td>
                    <td>
                      {p === undefined
                        ? "…"
                        : p.claimed
                          ? `${p.allocation} claimed`
                          : n?.status === "Succeeded"
                            ? `${p.allocation} to claim`
                            : n?.status === "Failed" || n?.status === "Cancelled"
                              ? "none (the raise did not succeed)"
                              : `${p.allocation} if it succeeds`}
                    </td>
                    {canAct && (
                      <td>
                        <RaiseActions raise={r} now={n} account={account} tokens={tokens} />
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
