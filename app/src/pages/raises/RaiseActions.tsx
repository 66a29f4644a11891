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

export interface RaiseActionsProps {
  raise: Pick<IndexedRaise, "id" | "modelId" | "token">;
  now: RaiseNow | undefined;
  /** The connected account (the one that signs). */
  account: Address;
  tokens: Map<string, TokenInfo> | undefined;
}

/** Refund, Claim fractions and Finalize, each shown only when the account can use it now. */
export function RaiseActions({ raise, now, account, tokens }: RaiseActionsProps) {
  const { deployment } = useAppConfig();
  const raises = deployment.raises;
  if (raises === undefined || now === undefined) return null;
  const p = now.position;
  const raiseId = BigInt(raise.id);
  const canRefund = p !== undefined && p.refundable > 0n;
  const canClaim = p !== undefined && now.status === "Succeeded" && p.allocation > 0n && !p.claimed;
  const canFinalize = now.status === "Closed";
  if (!canRefund && !canClaim && !canFinalize) return null;
  return (
    <div className="row">
      {canRefund && (
        <TxButton
          label={`Refund ${moneyText(p.refundable, raise.token, tokens)}`}
          summary={[
            `Send you what is refundable to you in raise #${raise.id} now: ${moneyText(p.refundable, raise.token, tokens)}`,
          ]}
          build={() => ({ address: raises, abi: raisesAbi, functionName: "refund", args: [raiseId, account] })}
          success={`Refunded from raise #${raise.id}`}
        />
      )}
      {canClaim && (
        <TxButton
          label={`Claim ${p.allocation} fractions`}
          summary={[`Mint your ${p.allocation} fractions of model #${raise.modelId} from raise #${raise.id} to you`]}
          build={() => ({
            address: raises,
            abi: raisesAbi,
            functionName: "claimFractions",
            args: [raiseId, account, account],
          })}
          success={`Fractions of model #${raise.modelId} claimed`}
        />
      )}
      {canFinalize && (
        <TxButton
          label="Finalize raise"
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
