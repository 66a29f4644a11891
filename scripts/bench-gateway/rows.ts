/**
 * The metered-inference rows of `npm run bench:gateway`: what each measured, what it is compared with, and the
 * goal, printed whichever side of the goal they land (the bench reports, it never asserts). They go into
 * bench/gateway.json beside the download rows.
 */

/** One metered-inference row. */
export interface InferenceRow {
  /** Marks these rows apart from the download rows in bench/gateway.json. */
  section: "inference";
  metric: string;
  /** The figure measured (absent when the row was skipped). */
  value?: number;
  /** The same figure for what it is compared with... */
  baseline?: number;
  /** ...named here (e.g. "stand-in upstream, direct"). */
  baselineLabel?: string;
  /** `value - baseline`, for latencies (ms). */
  added?: number;
  /** `value / baseline`, for rates. */
  ratio?: number;
  goal: string;
  /** Why the row was not measured. */
  skipped?: string;
  /** How it was measured, when the metric's name does not say. */
  note?: string;
}

/** A row comparing `value` with `baseline`: the difference for latencies (`ms`), else the ratio. */
export function compared(
  metric: string,
  value: number,
  baseline: number,
  baselineLabel: string,
  goal: string,
  kind: "ms" | "rate",
  note?: string,
): InferenceRow {
  return {
    section: "inference",
    metric,
    value,
    baseline,
    baselineLabel,
    ...(kind === "ms" ? { added: value - baseline } : { ratio: value / baseline }),
    goal,
    ...(note !== undefined ? { note } : {}),
  };
}

/** A row with one figure. */
export function reported(metric: string, value: number, goal = "reported", note?: string): InferenceRow {
  return { section: "inference", metric, value, goal, ...(note !== undefined ? { note } : {}) };
}

/** A row that could not be measured here, saying why. */
export function skipped(metric: string, why: string, goal = "reported"): InferenceRow {
  return { section: "inference", metric, goal, skipped: why };
}

function fmt(v: number | undefined): string {
  if (v === undefined) return "-";
  return Math.abs(v) < 10 ? v.toFixed(2) : Math.round(v).toLocaleString("en-GB");
}

/** Prints the rows as a Markdown table, then their notes. */
export function printInferenceRows(rows: InferenceRow[]): void {
  console.log("\n| metered inference | measured | compared with | added / ratio | goal |\n|---|---|---|---|---|");
  for (const r of rows) {
    const measured = r.skipped !== undefined ? `skipped: ${r.skipped}` : fmt(r.value);
    const against = r.baseline === undefined ? "-" : `${r.baselineLabel}: ${fmt(r.baseline)}`;
    const diff =
      r.added !== undefined
        ? `${r.added >= 0 ? "+" : ""}${r.added.toFixed(2)} ms`
        : r.ratio !== undefined
          ? `${r.ratio.toFixed(2)} x`
          : "-";
    console.log(`| ${r.metric} | ${measured} | ${against} | ${diff} | ${r.goal} |`);
  }
  const notes = rows.filter((r) => r.note !== undefined);
  for (const r of notes) console.log(`- ${r.metric}: ${r.note}`);
}
