/**
 * A button that sends one transaction: it first shows what the transaction will do and asks to confirm, then the
 * pending state and the outcome, in a live region screen readers announce. Inputs around it are left untouched.
 */
import type { ReactNode } from "react";

import { useTransaction, type CallRequest } from "./transaction.ts";

export interface TxButtonProps {
  /** The button's text (`Buy licence`). */
  label: string;
  /** What the transaction will do, one line each, shown before the wallet opens. */
  summary: ReactNode[];
  /** Makes the call; may throw a plain Error whose message names the bad input. */
  build: () => CallRequest | Promise<CallRequest>;
  /** What the page says once it is done (`Licence bought`). */
  success: string;
  disabled?: boolean;
  onDone?: () => void;
}

/** One transaction, previewed, confirmed, pending, done or explained. */
export function TxButton({ label, summary, build, success, disabled, onDone }: TxButtonProps) {
  const { state, preview, cancel, confirm } = useTransaction(build, onDone);
  const busy = state.status === "checking" || state.status === "signing" || state.status === "pending";
  return (
    <div className="tx">
      {state.status === "preview" ? (
        <div className="tx-preview" role="group" aria-label={`${label}: confirm`}>
          <p>This will:</p>
          <ul>
            {summary.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
          <button type="button" className="primary" onClick={() => void confirm()}>
            Confirm in wallet
          </button>{" "}
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </div>
      ) : (
        <button
          type="button"
          className="primary"
          disabled={disabled || busy || state.status === "indexing"}
          onClick={preview}
        >
          {label}
        </button>
      )}
      <div className="tx-status" role="status" aria-live="polite">
        {state.status === "checking" && <p>Checking with the chain…</p>}
        {state.status === "signing" && <p>Waiting for your wallet…</p>}
        {state.status === "pending" && <p>Pending: transaction {short(state.hash)} sent, waiting for a block…</p>}
        {state.status === "indexing" && <p>Mined; updating the page…</p>}
        {state.status === "done" && (
          <p className="ok">
            {success}. Transaction {short(state.hash)}.
            {!state.indexed && " The indexer has not caught up yet; the page will update when it does."}
          </p>
        )}
        {state.status === "rejected" && <p className="warn">{state.message}</p>}
        {state.status === "failed" && (
          <p className="error" role="alert">
            {state.message}
          </p>
        )}
      </div>
    </div>
  );
}

function short(hash: string): string {
  return `${hash.slice(0, 10)}…${hash.slice(-4)}`;
}
