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
