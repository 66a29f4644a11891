/**
 * Keeps a transaction button on screen once it has been offered: when its transaction succeeds the page refreshes,
 * what it acted on drops to zero, and the button (with its outcome message) must stay, disabled, rather than vanish.
 */
import { useState } from "react";

/** True once `value` has been true while the component is mounted. */
export function useSticky(value: boolean): boolean {
  const [seen, setSeen] = useState(value);
  if (value && !seen) setSeen(true);
  return value || seen;
}
