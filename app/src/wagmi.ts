/**
 * wagmi for the configured chain: injected wallets (EIP-6963 discovery, and `window.ethereum`), and WalletConnect
 * when a project id is configured. Reading needs no wallet: every read goes to the chain's RPC or the indexer.
 */
import { createConfig, http, type Config } from "wagmi";
import { injected, walletConnect } from "wagmi/connectors";
import { defineChain } from "viem";

import type { AppConfig } from "./config.ts";

/** The wagmi config (and its viem chain) for `config`. */
export function wagmiConfig(config: AppConfig): Config {
  const chain = defineChain({
    id: config.chainId,
    name: config.chainName,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpcUrl] } },
  });
  const connectors = [injected()];
  if (config.walletConnectProjectId !== undefined) {
    connectors.push(
      walletConnect({ projectId: config.walletConnectProjectId, showQrModal: true }) as unknown as ReturnType<
        typeof injected
      >,
    );
  }
  return createConfig({
    chains: [chain],
    connectors,
    transports: { [chain.id]: http(config.rpcUrl) },
    pollingInterval: 1_000,
  });
}
