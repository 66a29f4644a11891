/**
 * Backing an open raise, as `ws back` does: commit to whole fractions (and licence seats, when the raise sells
 * them) and pay exactly what they cost, ETH with the call, or the raise's ERC-20 after approving exactly the cost
 * when the allowance is short. The first commitment signs the raise's terms (EIP-712 `AcceptTerms`) in the wallet;
 * a raise with an allow-list takes the proof from its list of addresses. The inputs survive a rejection or a revert.
 */
import { useState } from "react";
import { erc20Abi, hashTypedData, zeroAddress, zeroHash, type Address, type Hex } from "viem";
import { useConfig, useReadContract } from "wagmi";
import { readContract, signTypedData } from "wagmi/actions";

import { buildAllowlist } from "../../../../client/allowlist.ts";
import { ACCEPT_TERMS_TYPES, raiseCost } from "../../../../client/raises.ts";
import { useAppConfig } from "../../context.tsx";
import type { IndexedRaise, RaiseNow, TokenInfo } from "../../data/raises.ts";
import { moneyText } from "../../data/raises.ts";
import { raisesAbi } from "../../generated.ts";
import { TxButton } from "../../tx/TxButton.tsx";

export interface BackFormProps {
  raise: IndexedRaise;
  now: RaiseNow | undefined;
  account: Address;
  tokens: Map<string, TokenInfo> | undefined;
}

/** A whole number from an input, or undefined when it is not one. */
function whole(value: string): bigint | undefined {
  const v = value.trim();
  return v === "" ? 0n : /^\d{1,20}$/.test(v) ? BigInt(v) : undefined;
}

/** The form: fractions, seats, allow-list, then Approve (ERC-20, when short) and Back. */
export function BackForm({ raise, now, account, tokens }: BackFormProps) {
  const { deployment, chainId } = useAppConfig();
  const wagmi = useConfig();
  const raisesAddress = deployment.raises!;
  const [fractionsText, setFractions] = useState("1");
  const [seatsText, setSeats] = useState("0");
  const [listText, setList] = useState("");
  const id = `raise-${raise.id}`;
  const fractions = whole(fractionsText);
  const seats = whole(seatsText);
  const cost =
    fractions !== undefined && seats !== undefined
      ? raiseCost({ price: BigInt(raise.price), seatPrice: BigInt(raise.seatPrice) }, fractions, seats)
      : undefined;
  const isEth = raise.token.toLowerCase() === zeroAddress;
  const allowance = useReadContract({
    address: raise.token as Address,
    abi: erc20Abi,
    functionName: "allowance",
    args: [account, raisesAddress],
    query: { enabled: !isEth },
  });
  const short = !isEth && cost !== undefined && cost > 0n && (allowance.data ?? 0n) < cost;
  const sellsSeats = BigInt(raise.seats) > 0n;
  const listed = raise.allowlistRoot.toLowerCase() !== zeroHash;
  const firstTime = now?.position?.acceptedTerms !== true;
  const costText = cost === undefined ? "?" : moneyText(cost, raise.token, tokens);

  /** The inputs checked as `ws back` checks them; each refusal names the input. */
  function checked(): { fractions: bigint; seats: bigint; cost: bigint } {
    if (fractions === undefined) {
      throw new Error(`Fractions: expected a whole number of fractions, got "${fractionsText}"`);
    }
    if (seats === undefined) throw new Error(`Seats: expected a whole number of licence seats, got "${seatsText}"`);
    if (fractions === 0n && seats === 0n) {
      throw new Error("Fractions: expected how many fractions to commit to (at least 1, or seats)");
    }
    if (now !== undefined && now.status !== "Open") {
      throw new Error(`Raise #${raise.id} is ${now.status}, not open for commitments`);
    }
    const cap = BigInt(raise.accountCap);
    const held = now?.position?.fractions ?? 0n;
    if (cap !== 0n && held + fractions > cap) {
      throw new Error(
        `Fractions: one account may commit at most ${cap} fractions to raise #${raise.id}; you have ${held} and ask for ${fractions} more`,
      );
    }
    if (seats !== 0n) {
      const left = BigInt(raise.seats) - BigInt(raise.seatsSold);
      if (!sellsSeats) throw new Error(`Seats: raise #${raise.id} sells no licence seats`);
      if (seats > left) throw new Error(`Seats: raise #${raise.id} has ${left} seats left, asked for ${seats}`);
    }
    return { fractions, seats, cost: cost! };
  }

  /**
   * Refuses when the raise's terms on chain differ from the indexed ones the cost was shown from: with a standing
   * allowance the contract would otherwise take its own price, not the one on the page.
   */
  async function sameTermsOnChain(): Promise<void> {
    const t = await readContract(wagmi, {
      address: raisesAddress,
      abi: raisesAbi,
      functionName: "raise",
      args: [BigInt(raise.id)],
      chainId,
    });
    if (
      t.token.toLowerCase() !== raise.token.toLowerCase() ||
      t.price !== BigInt(raise.price) ||
      t.seatPrice !== BigInt(raise.seatPrice)
    ) {
      throw new Error(
        `Raise #${raise.id}'s terms on chain differ from the ones shown (the indexer may be behind); nothing was sent: reload the page`,
      );
    }
  }

  /** The allow-list proof for the account, from the pasted list. */
  function proof(): Hex[] {
    if (!listed) return [];
    const entries = listText.split(/[\s,;]+/).filter((e) => e !== "");
    let list;
    try {
      list = buildAllowlist(entries);
    } catch (error) {
      throw new Error(`Allow-list: ${(error as Error).message}`);
    }
    if (list.root.toLowerCase() !== raise.allowlistRoot.toLowerCase()) {
      throw new Error(
        `Allow-list: these addresses make the root ${list.root}, not raise #${raise.id}'s ${raise.allowlistRoot}; expected the raise's list`,
      );
    }
    const found = list.proof(account);
    if (found === undefined) throw new Error(`Allow-list: ${account} is not on the allow-list of raise #${raise.id}`);
    return found as Hex[];
  }

  /** The signature accepting the terms on the first commitment (checked against the contract's own digest). */
  async function signature(): Promise<Hex> {
    if (!firstTime) return "0x";
    const raiseId = BigInt(raise.id);
    const domain = { name: "Weightshare Raises", version: "1", chainId, verifyingContract: raisesAddress } as const;
    const message = { raiseId, termsHash: raise.termsHash as Hex, backer: account };
    const onChain = await readContract(wagmi, {
      address: raisesAddress,
      abi: raisesAbi,
      functionName: "termsDigest",
      args: [raiseId, account],
    });
    const digest = hashTypedData({ domain, types: ACCEPT_TERMS_TYPES, primaryType: "AcceptTerms", message });
    if (digest !== onChain) {
      throw new Error(`The raise's terms digest on chain (${onChain}) differs from the one to sign (${digest})`);
    }
    return signTypedData(wagmi, { domain, types: ACCEPT_TERMS_TYPES, primaryType: "AcceptTerms", message });
  }

  const summary = [
    `Commit to ${fractions ?? "?"} fractions of model #${raise.modelId} in raise #${raise.id}` +
      (seats !== undefined && seats > 0n ? ` and buy ${seats} licence seats` : ""),
    `Pay exactly ${costText} from your account` + (isEth ? "" : " (the raises contract pulls it)"),
    ...(firstTime
      ? [
          `Sign the raise's terms (${raise.termsURI || raise.termsHash}) in your wallet first: once, before this commitment`,
        ]
      : []),
  ];

  return (
    <form className="panel" aria-label={`Back raise #${raise.id}`} onSubmit={(e) => e.preventDefault()}>
      <div className="row">
        <div>
          <label htmlFor={`${id}-fractions`}>Fractions to commit</label>
          <input
            id={`${id}-fractions`}
            inputMode="numeric"
            value={fractionsText}
            onChange={(e) => setFractions(e.target.value)}
            aria-describedby={`${id}-cost`}
          />
        </div>
        {sellsSeats && (
          <div>
            <label htmlFor={`${id}-seats`}>Licence seats</label>
            <input
              id={`${id}-seats`}
              inputMode="numeric"
              value={seatsText}
              onChange={(e) => setSeats(e.target.value)}
            />
          </div>
        )}
      </div>
      {listed && (
        <>
          <label htmlFor={`${id}-list`}>The raise's allow-list (its addresses)</label>
          <textarea
            id={`${id}-list`}
            rows={3}
            style={{ width: "100%" }}
            value={listText}
            onChange={(e) => setList(e.target.value)}
          />
        </>
      )}
      <p id={`${id}-cost`} className="field-help">
        Cost: {costText}
        {fractions !== undefined && ` for ${fractions} fractions at ${moneyText(raise.price, raise.token, tokens)}`}
      </p>
      {short && (
        <TxButton
          label={`Approve ${costText}`}
          summary={[`Let the raises contract take exactly ${costText} from your account when you back this raise`]}
          build={async () => {
            const { cost: amount } = checked();
            await sameTermsOnChain();
            return {
              address: raise.token as Address,
              abi: erc20Abi,
              functionName: "approve",
              args: [raisesAddress, amount],
            };
          }}
          success="Approved"
        />
      )}
      {short && <p className="field-help">Approve the payment first; then Back becomes available.</p>}
      <TxButton
        label="Back"
        summary={summary}
        disabled={short}
        build={async () => {
          const c = checked();
          await sameTermsOnChain();
          const p = proof();
          const sig = await signature();
          return {
            address: raisesAddress,
            abi: raisesAbi,
            functionName: "commit",
            args: [BigInt(raise.id), c.fractions, Number(c.seats), p, sig],
            value: isEth ? c.cost : 0n,
          };
        }}
        success={`Backed raise #${raise.id}`}
      />
    </form>
  );
}
