import { describe, expect, it } from 'vitest';
import type { ResultRow } from './result-row.js';
import { compareRows, ratioAndNotSlower, tfjsTarget } from './row-targets.js';

function row(variant: string, medianSeconds: number, ratio: number): ResultRow {
  return {
    workload: 'T',
    variant,
    medianSeconds,
    floorMedianSeconds: medianSeconds / ratio,
    ratio,
    runs: [medianSeconds],
    floorRuns: [medianSeconds / ratio],
    target: null,
    targetMet: null,
    memory: '—',
    memoryFigures: {},
    loss: 1,
    floorLoss: 1,
    guard: 'ok',
  };
}

describe('compareRows', () => {
  it('meets ratio ≤ 2 and ≤ eager only when both hold', () => {
    const cases: [number, number, number, boolean][] = [
      // default's median, its ratio, eager's median, met
      [0.1, 1.5, 0.2, true],
      [0.1, 2.5, 0.2, false], // over the ratio
      [0.3, 1.5, 0.2, false], // slower than eager
    ];
    for (const [median, ratio, eagerMedian, met] of cases) {
      const rows = [row('eager', eagerMedian, 10), row('default', median, ratio)];
      compareRows(rows, 'default', ratioAndNotSlower(2, 'eager'));
      expect(rows[1]?.target).toBe('ratio ≤ 2, ≤ eager');
      expect(rows[1]?.targetMet).toBe(met);
      expect(rows[0]?.target).toBeNull();
    }
  });

  it('judges the peer by the ratio of the two rows’ ratios, and prints the factor', () => {
    // Peer at 60 × its floor, ours at 10 ×: 6 × faster.
    const rows = [row('ours', 0.01, 10), row('peer', 5, 60)];
    compareRows(rows, 'peer', tfjsTarget('ours'));
    expect(rows[1]?.target).toBe('ours ≥ 5× faster (×6.0)');
    expect(rows[1]?.targetMet).toBe(true);
    const slow = [row('ours', 0.01, 20), row('peer', 5, 60)];
    compareRows(slow, 'peer', tfjsTarget('ours'));
    expect(slow[1]?.targetMet).toBe(false);
  });

  it('names a row that is missing', () => {
    expect(() => compareRows([row('a', 1, 1)], 'a', tfjsTarget('b'))).toThrow(/no row 'b'/);
  });
});
