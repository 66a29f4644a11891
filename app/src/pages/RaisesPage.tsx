/**
 * Raises: every presale of a model's fractions from the indexer (state, goal, raised, deadline, price), with Back,
 * Refund, Claim and Finalize where the connected account can use them (checked with the contract's views).
 */
import { useAccount } from "wagmi";

import { useAppConfig } from "../context.tsx";
import { useRaises, useRaisesNow, useTokens } from "../data/raises.ts";
import { RaiseCard } from "./raises/RaiseCard.tsx";

/** The raises page. */
export default function RaisesPage() {
  const { deployment } = useAppConfig();
  const { address } = useAccount();
  const list = useRaises();
  const items = list.data?.raises.items ?? [];
  const now = useRaisesNow(
    items.map((r) => r.id),
    address,
  );
  const tokens = useTokens(items.map((r) => r.token));
  return (
    <>
      <h1>Raises</h1>
      <p className="muted">
        Presales of a model's fractions: backers commit before the deadline; if the goal is reached the raise succeeds
        and each backer claims its fractions, otherwise every backer takes its money back.
      </p>
      {deployment.raises === undefined && <p>This deployment has no raises contract.</p>}
      {list.isPending && <p>Loading raises…</p>}
      {list.error && (
        <p role="alert" className="error">
          {list.error.message}
        </p>
      )}
      {now.error && (
        <p role="alert" className="error">
          Could not read the raises from the chain: {now.error.message.split("\n")[0]}
        </p>
      )}
      {list.data && items.length === 0 && <p>No raise has been opened yet.</p>}
      {items.length > 0 && (
        <ul className="cards" aria-label="Raises">
          {items.map((raise) => (
            <RaiseCard
              key={raise.id}
              raise={raise}
              now={now.data?.get(raise.id)}
              account={address}
              tokens={tokens.data}
            />
          ))}
        </ul>
      )}
    </>
  );
}
