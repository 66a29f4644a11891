/** Plain-text tables for the demo, the scenario script and the benchmark. */

export type Cell = string | number | bigint | null | undefined;

/** Renders rows as an aligned text table with a header rule; numbers and bigints are right-aligned. */
export function table(headers: string[], rows: Cell[][]): string {
  const text = rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? "-" : String(cell))));
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((row) => row[i]?.length ?? 0)));
  const numeric = headers.map((_, i) =>
    rows.every((row) => typeof row[i] === "number" || typeof row[i] === "bigint" || row[i] == null),
  );
  const line = (cells: string[]) =>
    cells.map((cell, i) => (numeric[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...text.map(line)].join("\n");
}

/** Shortens an address for tables: 0x1234…abcd. */
export function short(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/**
 * Seconds as a human reads them, the one duration formatter of the tasks and the proposal decoder: "7 days",
 * "1 day 6 hours" (the two largest units), "45 minutes", "90 s". With `exact` the seconds follow when the words
 * round or rename them: "30 minutes (1800 s)", "2 days (172800 s)", but "45 s".
 */
export function formatDuration(seconds: bigint, exact = false): string {
  const parts: string[] = [];
  let rest = seconds;
  for (const [unit, size] of [
    ["day", 86_400n],
    ["hour", 3_600n],
    ["minute", 60n],
  ] as const) {
    if (rest >= size) {
      const n = rest / size;
      parts.push(`${n} ${unit}${n === 1n ? "" : "s"}`);
      rest %= size;
    }
  }
  if (rest !== 0n || parts.length === 0) parts.push(`${rest} s`);
  const text = parts.slice(0, 2).join(" ");
  return exact && text !== `${seconds} s` ? `${text} (${seconds} s)` : text;
}
