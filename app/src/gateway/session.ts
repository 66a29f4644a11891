/**
 * The gateway session of the connected account: signed in once (one wallet signature, no transaction) and shared
 * by every component on every page until the token expires, the account changes or the gateway refuses the token.
 * Tokens live in memory only: a reload signs in again, and nothing else on the page's origin can read them later.
 */
import { useCallback, useState, useSyncExternalStore } from "react";
import type { Address } from "viem";
import { useAccount, useSignMessage } from "wagmi";

import { useAppConfig } from "../context.tsx";
import { signInToGateway, type GatewaySession } from "./api.ts";

const sessions = new Map<string, GatewaySession>();
const listeners = new Set<() => void>();

function key(gatewayUrl: string, address: string): string {
  return `${gatewayUrl}\n${address.toLowerCase()}`;
}

function changed(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The stored, unexpired session of `address` at `gatewayUrl`. */
function stored(gatewayUrl: string, address: Address | undefined): GatewaySession | undefined {
  if (address === undefined) return undefined;
  const session = sessions.get(key(gatewayUrl, address));
  return session !== undefined && session.expiresAt.getTime() > Date.now() + 30_000 ? session : undefined;
}

/** What `useGatewaySession` gives a component. */
export interface GatewaySessionState {
  /** The session of the connected account, when it signed in. */
  session?: GatewaySession;
  /** Asks the wallet to sign the sign-in message; resolves to the session once signed in (or throws why not). */
  signIn(): Promise<GatewaySession>;
  /** True while the wallet or the gateway is being asked. */
  signingIn: boolean;
  /** Drops the session (after the gateway refused its token). */
  forget(): void;
}

/** The connected account's session at the configured gateway (none without a gateway or a wallet). */
export function useGatewaySession(): GatewaySessionState {
  const { gatewayUrl, chainId } = useAppConfig();
  const { address } = useAccount();
  const { signMessageAsync } = useSignMessage();
  const [signingIn, setSigningIn] = useState(false);
  const session = useSyncExternalStore(subscribe, () =>
    gatewayUrl === undefined ? undefined : stored(gatewayUrl, address),
  );
  const signIn = useCallback(async () => {
    if (gatewayUrl === undefined) throw new Error("this deployment's configuration names no gateway");
    if (address === undefined) throw new Error("connect a wallet first");
    setSigningIn(true);
    try {
      const signed = await signInToGateway(gatewayUrl, address, chainId, (message) =>
        signMessageAsync({ account: address, message }),
      );
      sessions.set(key(gatewayUrl, address), signed);
      changed();
      return signed;
    } finally {
      setSigningIn(false);
    }
  }, [gatewayUrl, address, chainId, signMessageAsync]);
  const forget = useCallback(() => {
    if (gatewayUrl !== undefined && address !== undefined) sessions.delete(key(gatewayUrl, address));
    changed();
  }, [gatewayUrl, address]);
  return { session, signIn, signingIn, forget };
}
