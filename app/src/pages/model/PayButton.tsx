/**
 * A paid call to the licence manager (a purchase or a renewal) as the tasks make it: ETH goes with the call; an
 * ERC-20 is first approved for exactly the price, in its own transaction, when the allowance is short. Both steps
 * go through TxButton (preview, simulate, sign, pending, outcome).
 */
import type { ReactNode } from "react";
import { erc20Abi, zeroAddress, type Address } from "viem";
import { useAccount, useConfig, useReadContract } from "wagmi";
import { readContract } from "wagmi/actions";

import { useAppConfig } from "../../context.tsx";
import { licenseManagerAbi } from "../../generated.ts";
import { TxButton } from "../../tx/TxButton.tsx";
import type { CallRequest } from "../../tx/transaction.ts";
import { useAmountText } from "./Amount.tsx";

export interface PayButtonProps {
  /** The button's text (`Buy licence`), and what it says with no wallet (`Connect a wallet to buy`). */
  label: string;
  noWallet: string;
  token: string;
  price: bigint;
  /** The offer whose current terms the call pays for (its token is checked on chain before the wallet opens). */
  offer: { modelId: bigint; offerId: bigint };
  /** What the call does besides paying, one line each. */
  summary: ReactNode[];
  /** The licence manager call, without `value` (added here for ETH). */
  call: Omit<CallRequest, "value">;
  success: string;
}

/** Approve (an ERC-20 whose allowance is short), then pay. */
export function PayButton({ label, noWallet, token, price, offer, summary, call, success }: PayButtonProps) {
  const { address, isConnected } = useAccount();
  const { deployment, chainId } = useAppConfig();
  const wagmi = useConfig();
  const isEth = token.toLowerCase() === zeroAddress;
  const priceText = useAmountText(price, token);
  const allowance = useReadContract({
    address: token as Address,
    abi: erc20Abi,
    functionName: "allowance",
    args: [address ?? zeroAddress, deployment.licenses],
    query: { enabled: !isEth && address !== undefined },
  });
  if (!isConnected || address === undefined) {
    return (
      <button type="button" disabled>
        {noWallet}
      </button>
    );
  }
  const paying = [`Pay ${priceText} to the licence manager (LicenseManager ${deployment.licenses})`, ...summary];
  const pay = (
    <TxButton
      label={label}
      summary={paying}
      build={async () => {
        // maxPrice bounds the amount, not the token: a vote that moved the offer to another token (which a standing
        // allowance covers) would charge that token. Refuse unless the chain still asks for the token shown.
        const at = { address: deployment.licenses, abi: licenseManagerAbi, chainId } as const;
        const [termsId] = await readContract(wagmi, {
          ...at,
          functionName: "offer",
          args: [offer.modelId, offer.offerId],
        });
        const terms = await readContract(wagmi, { ...at, functionName: "terms", args: [termsId] });
        if (terms.paymentToken.toLowerCase() !== token.toLowerCase()) {
          throw new Error(
            `Offer #${offer.offerId} is now paid in ${terms.paymentToken}, not the token shown; nothing was sent: reload the page`,
          );
        }
        return { ...call, value: isEth ? price : undefined };
      }}
      success={success}
      disabled={!isEth && (allowance.data === undefined || allowance.data < price)}
    />
  );
  const approve = !isEth && price !== 0n && (allowance.data === undefined || allowance.data < price);
  // One tree whether or not the approval is needed: a purchase spends the allowance, and the refreshed page must not
  // remount the pay button (losing its "Licence bought" outcome) when the approval step comes back.
  return (
    <div>
      {approve && (
        <p className="field-help">
          Step 1 of 2: allow the licence manager to take exactly {priceText}. Step 2: {label.toLowerCase()}.
        </p>
      )}
      {approve && (
        <TxButton
          label={`Approve ${priceText}`}
          summary={[`Allow the licence manager (${deployment.licenses}) to take exactly ${priceText} from you`]}
          build={() => ({
            address: token as Address,
            abi: erc20Abi,
            functionName: "approve",
            args: [deployment.licenses, price],
          })}
          success={`Approved ${priceText}`}
        />
      )}
      {pay}
    </div>
  );
}
