/**
 * What a proposal will execute, call by call, in the sentences the Propose page and `ws proposal` print
 * (governance/decode.ts over the indexer's targets, values and calldatas), so a title cannot hide what a proposal
 * does. A call the decoder does not know, or cannot read, is shown raw: its target, the ETH it sends and its
 * function selector.
 */
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useConfig } from "wagmi";

import { decodeCalls, tokensUsed, type ProposalCalls, type ProtocolView } from "../../../../governance/decode.ts";
import { useAppConfig } from "../../context.tsx";
import { formatAmount } from "../../format.ts";
import { protocolView, tokenUnits } from "../propose/chain.ts";
import type { TokenUnits } from "../propose/fields.ts";

/** A proposal's calls as the indexer's `proposal` table stores them (values as decimal strings). */
export interface IndexedCalls {
  targets: string[];
  values: string[];
  calldatas: string[];
}

/** One call of a proposal: the decoder's sentence, and the raw call when the decoder does not know it. */
interface ShownCall {
  summary: string;
  raw?: { target: string; value: bigint; selector: string };
}

/** Call `i` alone, in the decoder's shape. */
function callAt(calls: IndexedCalls, i: number): ProposalCalls {
  return {
    targets: [calls.targets[i]],
    values: [BigInt(calls.values[i] ?? "0")],
    calldatas: [calls.calldatas[i] ?? "0x"],
  };
}

/** Each call decoded on its own, so one the decoder cannot read comes out raw without hiding the others. */
function showCalls(calls: IndexedCalls, view: ProtocolView): ShownCall[] {
  return calls.targets.map((target, i) => {
    const one = callAt(calls, i);
    const data = one.calldatas[0];
    const raw = { target, value: one.values[0], selector: data.length >= 10 ? data.slice(0, 10) : "none (no data)" };
    try {
      const [decoded] = decodeCalls(one, view);
      return decoded.action === "call" ? { summary: decoded.summary, raw } : { summary: decoded.summary };
    } catch {
      return { summary: "a call the app could not decode", raw };
    }
  });
}

/** The ERC-20s the calls move or price in (calls the decoder cannot read name none). */
function tokensOf(calls: IndexedCalls, view: ProtocolView): string[] {
  const tokens = new Set<string>();
  calls.targets.forEach((_, i) => {
    try {
      for (const token of tokensUsed(callAt(calls, i), view)) tokens.add(token.toLowerCase());
    } catch {
      // Shown raw by showCalls.
    }
  });
  return [...tokens];
}

export interface ProposalActionsProps {
  modelId: bigint;
  governor: string;
  timelock: string;
  calls: IndexedCalls;
  /** The proposal's title, naming the list for screen readers. */
  title: string;
}

/** The list of what one proposal will execute. */
export function ProposalActions({ modelId, governor, timelock, calls, title }: ProposalActionsProps) {
  const wagmi = useConfig();
  const { chainId, deployment } = useAppConfig();
  const ctx = {
    deployment,
    modelId,
    offers: [],
    model: { governor: governor as Address, timelock: timelock as Address },
  };
  const used = tokensOf(calls, protocolView(ctx, new Map()));
  // Symbol and decimals of the ERC-20s the calls move, so amounts read "12.5 USDC" rather than smallest units.
  const tokens = useQuery({
    queryKey: ["proposal-tokens", chainId, ...used],
    queryFn: async () => {
      const map = new Map<string, TokenUnits>();
      for (const token of used) map.set(token.toLowerCase(), await tokenUnits({ wagmi, chainId }, token as Address));
      return map;
    },
    enabled: used.length > 0,
    staleTime: Infinity,
  });
  if (used.length > 0 && tokens.isPending) return <p className="muted">Reading what this proposal does…</p>;
  const shown = showCalls(calls, protocolView(ctx, tokens.data ?? new Map()));
  return (
    <>
      <h4>What it will execute</h4>
      {shown.length === 0 && <p>No call.</p>}
      <ol aria-label={`Actions of: ${title}`} style={{ overflowWrap: "anywhere" }}>
        {shown.map((call, i) => (
          <li key={i}>
            {capitalise(call.summary)}.
            {call.raw !== undefined && (
              <span className="warn">
                {" "}
                A call the app does not recognise: to <span className="mono">{call.raw.target}</span>, sending{" "}
                {formatAmount(call.raw.value)}, function selector <span className="mono">{call.raw.selector}</span>.
              </span>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
