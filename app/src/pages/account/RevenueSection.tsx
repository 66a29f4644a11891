/**
 * Revenue per model and payment token, read from the vault now: holder revenue claimable (Claim), the part still
 * unlocking over the model's window, and contributor revenue releasable (Release). Exact amounts in the token's units.
 */
import type { Address } from "viem";

import { useAppConfig } from "../../context.tsx";
import type { ModelRef, RevenueRow } from "../../data/account.ts";
import { moneyText, type TokenInfo } from "../../data/raises.ts";
import { formatDuration, formatTime } from "../../format.ts";
import { revenueVaultAbi } from "../../generated.ts";
import { TxButton } from "../../tx/TxButton.tsx";
import { useSticky } from "../raises/useSticky.ts";

export interface RevenueProps {
  account: Address;
  canAct: boolean;
  models: ModelRef[];
  rows: RevenueRow[] | undefined;
  tokens: Map<string, TokenInfo> | undefined;
}

/** The revenue table. */
export function RevenueSection({ account, canAct, models, rows, tokens }: RevenueProps) {
  const names = new Map(models.map((m) => [m.id, m.name ?? `Model #${m.id}`]));
  const shown = rows ?? [];
  return (
    <section aria-labelledby="revenue-title">
      <h2 id="revenue-title">Revenue</h2>
      <p className="muted">
        As a holder you earn a share of each payment, unlocked over the model's window; as a contributor you are paid
        your share at once.
      </p>
      {rows === undefined ? (
        <p>Loading…</p>
      ) : shown.length === 0 ? (
        <p>No revenue: none of these models takes payments yet.</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Revenue per model and token">
          <table>
            <caption className="muted">Revenue waiting for {account}</caption>
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Claimable (holder)</th>
                <th scope="col">Still unlocking</th>
                <th scope="col">Releasable (contributor)</th>
                {canAct && <th scope="col">Actions</th>}
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <RevenueRowView
                  key={`${r.modelId}-${r.token}`}
                  row={r}
                  name={names.get(r.modelId) ?? `Model #${r.modelId}`}
                  account={account}
                  canAct={canAct}
                  tokens={tokens}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface RowProps {
  row: RevenueRow;
  name: string;
  account: Address;
  canAct: boolean;
  tokens: Map<string, TokenInfo> | undefined;
}

/** One model and token: amounts, and Claim / Release once there is something (kept, disabled, once paid out). */
function RevenueRowView({ row: r, name, account, canAct, tokens }: RowProps) {
  const { deployment } = useAppConfig();
  const vault = deployment.vault;
  const money = (amount: bigint) => moneyText(amount, r.token, tokens);
  const modelId = BigInt(r.modelId);
  const showClaim = useSticky(r.claimable > 0n);
  const showRelease = useSticky(r.releasable > 0n);
  return (
    <tr data-testid={`revenue-${r.modelId}-${r.token.toLowerCase()}`}>
      <th scope="row">{name}</th>
      <td data-testid="claimable">{money(r.claimable)}</td>
      <td>
        {r.lockedShare === 0n
          ? "nothing"
          : `about ${money(r.lockedShare)} of ${money(r.locked)} for holders, until ${formatTime(r.unlockEnd)} (window ${formatDuration(r.window)})`}
      </td>
      <td data-testid="releasable">{money(r.releasable)}</td>
      {canAct && (
        <td>
          {showClaim && (
            <TxButton
              label={`Claim ${money(r.claimable)}`}
              disabled={r.claimable === 0n}
              summary={[
                `Pay you your holder revenue of ${name}: ${money(r.claimable)}, plus whatever unlocks before the transaction is mined`,
              ]}
              build={() => ({ address: vault, abi: revenueVaultAbi, functionName: "claim", args: [modelId, r.token] })}
              success={`Holder revenue of ${name} claimed`}
            />
          )}
          {showRelease && (
            <TxButton
              label={`Release ${money(r.releasable)}`}
              disabled={r.releasable === 0n}
              summary={[`Pay you your contributor revenue of ${name}: exactly ${money(r.releasable)}`]}
              build={() => ({
                address: vault,
                abi: revenueVaultAbi,
                functionName: "release",
                args: [modelId, r.token, account],
              })}
              success={`Contributor revenue of ${name} released`}
            />
          )}
        </td>
      )}
    </tr>
  );
}
