/** One row of `bench/results.json`: our operation, and the OpenZeppelin baseline measured in the same run. */
export interface BenchRow {
  op: string;
  gas: number;
  baseline: string | null;
  baselineGas: number | null;
  ratio: number | null;
  goal: number | null;
}

export function row(op: string, gas: bigint, baseline?: { name: string; gas: bigint; goal?: number }): BenchRow {
  if (baseline === undefined)
    return { op, gas: Number(gas), baseline: null, baselineGas: null, ratio: null, goal: null };
  return {
    op,
    gas: Number(gas),
    baseline: baseline.name,
    baselineGas: Number(baseline.gas),
    ratio: Math.round((Number(gas) / Number(baseline.gas)) * 1000) / 1000,
    goal: baseline.goal ?? null,
  };
}

/** gasUsed of a sent transaction. */
export async function gasOf(tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("transaction was dropped");
  return receipt.gasUsed;
}
