/** One line of the results: a variant of a workload against its floor. */

export interface ResultRow {
  workload: string;
  variant: string;
  /** Median seconds of the variant's timed runs (null where nothing is timed, as W4). */
  medianSeconds: number | null;
  /** Median seconds of its floor, measured in the same run, interleaved. */
  floorMedianSeconds: number | null;
  /** medianSeconds / floorMedianSeconds. */
  ratio: number | null;
  /** Every timed run of the variant, in seconds. */
  runs: number[];
  /** Every timed run of its floor, in seconds (same rounds, interleaved). */
  floorRuns: number[];
  /** The target as text (`ratio ≤ 15`), or null. */
  target: string | null;
  /** Whether the target is met (null where there is none or it cannot be judged). */
  targetMet: boolean | null;
  /** Memory as a person reads it (`5.4 MB/step graph, 64,400 nodes`). */
  memory: string;
  /** Memory as numbers, in bytes and nodes. */
  memoryFigures: Record<string, number>;
  /** The variant's final loss and its floor's; null where there is no loss. */
  loss: number | null;
  floorLoss: number | null;
  /** `ok`, `n/a`, or what disagreed (the run then exits 1). */
  guard: string;
  note?: string;
}

/** A target on the ratio to the floor. */
export function ratioTarget(max: number): {
  text: string;
  met: (row: ResultRow) => boolean | null;
} {
  return { text: `ratio ≤ ${max}`, met: (row) => (row.ratio === null ? null : row.ratio <= max) };
}

/**
 * Bytes as a person reads them.
 *
 * @example
 * formatBytes(5_400_000); // '5.4 MB'
 */
export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (abs >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (abs >= 1e3) return `${(bytes / 1e3).toFixed(1)} kB`;
  return `${Math.round(bytes)} B`;
}

/**
 * The memory figures of one step's graph: its bytes, its nodes and bytes per node.
 *
 * @example
 * stepGraphReading(5_400_000, 64_400).text; // '5.4 MB/step graph, 64400 nodes, 84 B/node'
 */
export function stepGraphReading(
  bytes: number,
  nodes: number,
): { text: string; figures: Record<string, number> } {
  return {
    text: `${formatBytes(bytes)}/step graph, ${nodes} nodes, ${Math.round(bytes / nodes)} B/node`,
    figures: { stepGraphBytes: bytes, stepGraphNodes: nodes },
  };
}

/**
 * The rows as an aligned text table.
 *
 * @example
 * console.log(formatTable(rows));
 */
export function formatTable(rows: readonly ResultRow[]): string {
  const header = [
    'workload',
    'variant',
    'median s',
    'floor s',
    'ratio',
    'target',
    'memory',
    'guard',
  ];
  const cells = rows.map((r) => [
    r.workload,
    r.variant,
    r.medianSeconds === null ? '—' : r.medianSeconds.toFixed(4),
    r.floorMedianSeconds === null ? '—' : r.floorMedianSeconds.toFixed(4),
    r.ratio === null ? '—' : r.ratio.toFixed(2),
    r.target === null
      ? '—'
      : `${r.target} ${r.targetMet === null ? '' : r.targetMet ? 'met' : 'MISSED'}`.trim(),
    r.memory,
    r.guard === 'ok' || r.guard === 'n/a' ? r.guard : 'FAILED',
  ]);
  const widths = header.map((h, c) =>
    Math.max(h.length, ...cells.map((row) => (row[c] as string).length)),
  );
  const line = (row: readonly string[]): string =>
    row
      .map((cell, c) => cell.padEnd(widths[c] as number))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}
