/** What the Propose page reads before the form: the model's record, its offers and their tokens, its threshold. */
import { useQuery } from "@tanstack/react-query";
import type { Address } from "viem";
import { useConfig } from "wagmi";

import { useAppConfig } from "../../context.tsx";
import { modelGovernorAbi } from "../../generated.ts";
import { read, readModel, readOffers, tokenUnits, type ProposeContext } from "./chain.ts";
import type { TokenUnits } from "./fields.ts";

/** The page's context for builders, plus the offers' token units and the proposal threshold. */
export interface ProposeData {
  ctx: ProposeContext;
  tokens: Map<string, TokenUnits>;
  threshold: bigint;
}

/** Loads the model `modelId` from the chain (no wallet needed). */
export function useProposeData(modelId: bigint) {
  const wagmi = useConfig();
  const config = useAppConfig();
  return useQuery({
    queryKey: ["chain", "propose", String(modelId)],
    queryFn: async (): Promise<ProposeData> => {
      const base = { wagmi, chainId: config.chainId, deployment: config.deployment };
      let model;
      try {
        model = await readModel(base, modelId);
      } catch {
        throw new Error(`Model #${modelId} does not exist on this chain.`);
      }
      const offers = await readOffers(base, modelId);
      const tokens = new Map<string, TokenUnits>();
      for (const o of offers) {
        const token = o.terms.paymentToken as Address;
        tokens.set(token.toLowerCase(), await tokenUnits(base, token));
      }
      const threshold = await read<bigint>(base, model.governor, modelGovernorAbi, "proposalThreshold");
      return { ctx: { ...base, modelId, model, offers }, tokens, threshold };
    },
  });
}
