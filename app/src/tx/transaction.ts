/**
 * One transaction's life on a page: previewed (what it will do, before the wallet opens), checked (simulated
 * against the chain, so a refusal is explained and nothing is sent), signed in the wallet, pending (its hash), then
 * mined, and indexed so the page shows the outcome. A rejection or a revert leaves the form as it was.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useState } from "react";
import type { Abi, Address, Hash } from "viem";
import { useAccount, useConfig, useSwitchChain } from "wagmi";
import { simulateContract, waitForTransactionReceipt, writeContract } from "wagmi/actions";

import { useAppConfig } from "../context.tsx";
import { waitForIndexer } from "../data/indexer.ts";
import { describeError, isRejection } from "./errors.ts";

/** A contract call, as wagmi's writeContract takes it. */
export interface CallRequest {
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
  value?: bigint;
}

export type TxState =
  | { status: "idle" }
  | { status: "preview" }
  | { status: "checking" }
  | { status: "signing" }
  | { status: "pending"; hash: Hash }
  | { status: "indexing"; hash: Hash }
  | { status: "done"; hash: Hash; indexed: boolean }
  | { status: "rejected"; message: string }
  | { status: "failed"; message: string; hash?: Hash };

/** The state machine of one transaction button. `build` makes the call when the user confirms. */
export function useTransaction(build: () => CallRequest | Promise<CallRequest>, onDone?: () => void) {
  const [state, setState] = useState<TxState>({ status: "idle" });
  const wagmi = useConfig();
  const { address, chainId, isConnected } = useAccount();
  const { switchChainAsync } = useSwitchChain();
  const { chainId: wanted, indexerUrl } = useAppConfig();
  const queries = useQueryClient();

  const preview = useCallback(() => setState({ status: "preview" }), []);
  const cancel = useCallback(() => setState({ status: "idle" }), []);

  const confirm = useCallback(async () => {
    if (!isConnected || address === undefined) {
      setState({ status: "failed", message: "Connect a wallet first: nothing was sent." });
      return;
    }
    let hash: Hash | undefined;
    try {
      setState({ status: "checking" });
      if (chainId !== wanted) await switchChainAsync({ chainId: wanted });
      const call = await build();
      const { request } = await simulateContract(wagmi, { ...call, account: address, chainId: wanted } as never);
      setState({ status: "signing" });
      hash = await writeContract(wagmi, request as never);
      setState({ status: "pending", hash });
      const receipt = await waitForTransactionReceipt(wagmi, { hash, chainId: wanted });
      if (receipt.status !== "success") {
        setState({ status: "failed", hash, message: "The transaction reverted on chain; nothing changed." });
        return;
      }
      setState({ status: "indexing", hash });
      const indexed = await waitForIndexer(indexerUrl, receipt.blockNumber);
      await queries.invalidateQueries();
      setState({ status: "done", hash, indexed });
      onDone?.();
    } catch (error) {
      const message = describeError(error);
      setState(isRejection(error) ? { status: "rejected", message } : { status: "failed", message, hash });
    }
  }, [address, build, chainId, indexerUrl, isConnected, onDone, queries, switchChainAsync, wagmi, wanted]);

  return { state, preview, cancel, confirm };
}
