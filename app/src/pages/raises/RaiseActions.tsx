/**
 * What a backer can do with a raise besides backing it: take back what is refundable now (a failed or cancelled
 * raise, the part above the cap, surplus), claim the fractions of a raise that succeeded, and settle a raise that
 * has closed. Each button appears only when the contract's views say the connected account can use it.
 */
import type { Address } from "viem";

import { useAppConfig } from "../../context.tsx";
import type { IndexedRaise, RaiseNow, TokenInfo } from "../../data/raises.ts";
import { moneyText } from "../../data/raises.ts";
import { raisesAbi } from "../../generated.ts";
import { TxButton } from "../../tx/TxButton.tsx";
import { useSticky } from "./useSticky.ts";

export interface RaiseActionsProps {
  raise: Pick<IndexedRaise, "id" | "modelId" | "token">;
  now: RaiseNow | undefined;
  /** The connected account (the one that signs). */
  account: Address;
  tokens: Map<string, TokenInfo> | undefined;
}

/** Refund, Claim fractions and Finalize, each shown once the account can use it (and kept, disabled, after). */
export function RaiseActions({ raise, now, account, tokens }: RaiseActionsProps) {
  const { deployment } = useAppConfig();
  const raises = deployment.raises;
  const p = now?.position;
  const raiseId = BigInt(raise.id);
  const refundable = p?.refundable ?? 0n;
  const allocation = p?.allocation ?? 0n;
  const canRefund = refundable > 0n;
  const canClaim = p !== undefined && now?.status === "Succeeded" && allocation > 0n && !p.claimed;
  const canFinalize = now?.status === "Closed";
  // Once offered, a button stays (disabled when done) so its outcome stays on screen after the page refreshes.
  const showRefund = useSticky(canRefund);
  const showClaim = useSticky(canClaim);
  const showFinalize = useSticky(canFinalize);
  if (raises === undefined || (!showRefund && !showClaim && !showFinalize)) return null;
  return (
    <div className="row">
      {showRefund && (
        <TxButton
          label={`Refund ${moneyText(refundable, raise.token, tokens)}`}
          disabled={!canRefund}
          summary={[
            `Send you what is refundable to you in raise #${raise.id} now: ${moneyText(refundable, raise.token, tokens)}`,
          ]}
          build={() => ({ address: raises, abi: raisesAbi, functionName: "refund", args: [raiseId, account] })}
          success={`Refunded from raise #${raise.id}`}
        />
      )}
      {showClaim && (
        <TxButton
          label={`Claim ${allocation} fractions`}
          disabled={!canClaim}
          summary={[`Mint your ${allocation} fractions of model #${raise.modelId} from raise #${raise.id} to you`]}
          build={() => ({
            address: raises,
            abi: raisesAbi,
            functionName: "claimFractions",
            args: [raiseId, account, account],
          })}
          success={`Fractions of model #${raise.modelId} claimed`}
        />
      )}
      {showFinalize && (
        <TxButton
          label="Finalize raise"
          disabled={!canFinalize}
          summary={[
            `Settle raise #${raise.id}, which has closed: it succeeds if its goal was reached (the first tranche goes to the treasury), and fails otherwise (every backer can then take a refund)`,
          ]}
          build={() => ({ address: raises, abi: raisesAbi, functionName: "finalize", args: [raiseId] })}
          success={`Raise #${raise.id} settled`}
        />
      )}
    </div>
  );
}
