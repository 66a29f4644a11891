/**
 * My account: the connected wallet's fractions and votes (with Delegate), revenue to claim and release, licences and
 * raise commitments. Without a wallet, or for any other address, the same page reads read-only.
 */
import { useState } from "react";
import { getAddress, isAddress, type Address } from "viem";
import { useAccount } from "wagmi";

import { useAccountChain, useAccountIndex, useLicencesNow } from "../data/account.ts";
import { useTokens } from "../data/raises.ts";
import { CommitmentsSection } from "./account/CommitmentsSection.tsx";
import { LicencesSection } from "./account/LicencesSection.tsx";
import { RevenueSection } from "./account/RevenueSection.tsx";
import { StakesSection } from "./account/StakesSection.tsx";

/** The account page. */
export default function AccountPage() {
  const { address } = useAccount();
  const [viewed, setViewed] = useState<Address | undefined>(undefined);
  const account = viewed ?? address;
  const canAct = account !== undefined && address !== undefined && account.toLowerCase() === address.toLowerCase();
  return (
    <>
      <h1>{account === undefined ? "My account" : canAct ? "My account" : "Account (read-only)"}</h1>
      {account === undefined && <p>Connect a wallet to see your account, or view any address read-only.</p>}
      {account !== undefined && (
        <p>
          <span className="mono" data-testid="account-address">
            {account}
          </span>
          {!canAct && " — read-only: connect this address's wallet to delegate, claim or release."}
        </p>
      )}
      <ViewAddress
        onView={setViewed}
        viewing={viewed !== undefined}
        onBack={address === undefined ? undefined : () => setViewed(undefined)}
      />
      {account !== undefined && <AccountSections account={account} canAct={canAct} />}
    </>
  );
}

/** The read-only address field. */
function ViewAddress(props: { onView: (a: Address) => void; viewing: boolean; onBack?: () => void }) {
  const [text, setText] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const view = () => {
    const value = text.trim();
    if (!isAddress(value)) {
      setError(`Address: expected a 0x-prefixed address of 40 hex digits, got "${value}"`);
      return;
    }
    setError(undefined);
    props.onView(getAddress(value));
  };
  return (
    <form
      className="row"
      aria-label="View an address"
      onSubmit={(e) => {
        e.preventDefault();
        view();
      }}
    >
      <div style={{ flex: "1 1 16rem", minWidth: 0, maxWidth: "28rem" }}>
        <label htmlFor="view-address">View any address (read-only)</label>
        <input
          id="view-address"
          className="mono"
          style={{ width: "100%" }}
          placeholder="0x…"
          value={text}
          aria-invalid={error !== undefined}
          aria-describedby={error === undefined ? undefined : "view-address-error"}
          onChange={(e) => setText(e.target.value)}
        />
      </div>
      <button type="submit">View</button>
      {props.viewing && props.onBack !== undefined && (
        <button type="button" onClick={props.onBack}>
          Back to my account
        </button>
      )}
      {error !== undefined && (
        <p id="view-address-error" role="alert" className="error">
          {error}
        </p>
      )}
    </form>
  );
}

/** Everything the page shows of `account`. */
function AccountSections({ account, canAct }: { account: Address; canAct: boolean }) {
  const { index, models, modelsQuery } = useAccountIndex(account);
  const chain = useAccountChain(account, models);
  const licences = index.data?.licences.items;
  const licencesNow = useLicencesNow(account, licences ?? []);
  const backings = index.data?.backings.items;
  const tokens = useTokens([
    ...(chain.data?.revenue.map((r) => r.token) ?? []),
    ...(backings?.map((b) => b.raise.token) ?? []),
  ]);
  const error = index.error ?? modelsQuery.error ?? chain.error ?? licencesNow.error;
  const noModels = index.data !== undefined && models.length === 0 && !modelsQuery.isFetching;
  return (
    <>
      {error && (
        <p role="alert" className="error">
          {error.message.split("\n")[0]}
        </p>
      )}
      <StakesSection
        account={account}
        canAct={canAct}
        models={models}
        stakes={noModels ? new Map() : chain.data?.stakes}
      />
      <RevenueSection
        account={account}
        canAct={canAct}
        models={models}
        rows={noModels ? [] : chain.data?.revenue}
        tokens={tokens.data}
      />
      <LicencesSection canAct={canAct} licences={licences} now={licencesNow.data} />
      <CommitmentsSection account={account} canAct={canAct} backings={backings} tokens={tokens.data} />
    </>
  );
}
