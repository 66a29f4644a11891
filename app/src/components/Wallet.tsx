/** The wallet control: connect with any discovered wallet, show the account, switch to the app's chain, disconnect. */
import { useAccount, useConnect, useDisconnect, useSwitchChain } from "wagmi";

import { useAppConfig } from "../context.tsx";
import { shortAddress } from "../format.ts";

/** Connect / account / disconnect. */
export function Wallet() {
  const { address, chainId, isConnected } = useAccount();
  const { connectors, connect, isPending, error } = useConnect();
  const { disconnect } = useDisconnect();
  const { switchChain } = useSwitchChain();
  const config = useAppConfig();
  if (isConnected && address !== undefined) {
    return (
      <div className="wallet">
        <span aria-label="Connected account" title={address}>
          {shortAddress(address)}
        </span>
        {chainId !== config.chainId && (
          <button type="button" onClick={() => switchChain({ chainId: config.chainId })}>
            Switch to {config.chainName}
          </button>
        )}
        <button type="button" onClick={() => disconnect()}>
          Disconnect
        </button>
      </div>
    );
  }
  const unique = connectors.filter((c, i) => connectors.findIndex((d) => d.name === c.name) === i);
  return (
    <div className="wallet">
      {unique.length === 0 && <span>No wallet found</span>}
      {unique.map((connector) => (
        <button key={connector.uid} type="button" disabled={isPending} onClick={() => connect({ connector })}>
          Connect {connector.name === "Injected" ? "wallet" : connector.name}
        </button>
      ))}
      {error && (
        <span role="alert" className="error">
          {error.message.split("\n")[0]}
        </span>
      )}
    </div>
  );
}
