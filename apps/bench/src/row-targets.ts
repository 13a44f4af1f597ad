/**
 * Targets that compare a row with another row of the same workload: `fit`'s
 * default never slower than eager `fit`, and at least 5 × faster than the
 * TensorFlow.js peer. They are set once all the rows of the workload exist.
 */
import type { ResultRow } from './result-row.js';

/** A target judged against the other rows. */
export interface RowsTarget {
  text: (row: ResultRow, other: ResultRow) => string;
  /** The name (`variant`) of the row it compares with. */
  other: string;
  met: (row: ResultRow, other: ResultRow) => boolean | null;
}

/**
 * Sets the target of row `variant` of `rows`; throws if either row is missing.
 *
 * @example
 * compareRows(rows, 'W5 fit default', ratioAndNotSlower(2, 'W5 eager fit'));
 */
export function compareRows(rows: readonly ResultRow[], variant: string, target: RowsTarget): void {
  const row = rows.find((r) => r.variant === variant);
  const other = rows.find((r) => r.variant === target.other);
  if (row === undefined || other === undefined)
    throw new Error(`compareRows: no row '${row === undefined ? variant : target.other}'`);
  row.target = target.text(row, other);
  row.targetMet = target.met(row, other);
}

/**
 * ratio ≤ `max` and a median no slower than row `other`'s (timed in the same
 * interleaved rounds).
 *
 * @example
 * ratioAndNotSlower(2, 'W5 eager fit').text(row, eager); // 'ratio ≤ 2, ≤ W5 eager fit'
 */
export function ratioAndNotSlower(max: number, other: string): RowsTarget {
  return {
    other,
    text: () => `ratio ≤ ${max}, ≤ ${other}`,
    met: (row, o) =>
      row.ratio === null || row.medianSeconds === null || o.medianSeconds === null
        ? null
        : row.ratio <= max && row.medianSeconds <= o.medianSeconds,
  };
}

/** How much faster `@ag`'s default must be than the TensorFlow.js peer. */
export const PEER_FACTOR = 5;

/**
 * On a peer row: `ours` at least 5 × faster. The peer is timed in rounds of
 * its own (its garbage would land on `@ag`'s rows), so the two are compared by
 * their ratios, each to the same floor timed beside it.
 *
 * @example
 * tfjsTarget('W5 fit default'); // text 'W5 fit default ≥ 5× faster (×12.3)'
 */
export function tfjsTarget(ours: string): RowsTarget {
  const factor = (row: ResultRow, o: ResultRow): number | null =>
    row.ratio === null || o.ratio === null ? null : row.ratio / o.ratio;
  return {
    other: ours,
    text: (row, o) => {
      const f = factor(row, o);
      return `${ours} ≥ ${PEER_FACTOR}× faster${f === null ? '' : ` (×${f.toFixed(1)})`}`;
    },
    met: (row, o) => {
      const f = factor(row, o);
      return f === null ? null : f >= PEER_FACTOR;
    },
  };
}
