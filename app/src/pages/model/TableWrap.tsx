/** A table that scrolls sideways on a narrow screen, reachable by keyboard (a named, focusable region). */
import type { ReactNode } from "react";

/** Wraps one table; `label` names the scrollable region for screen readers. */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
