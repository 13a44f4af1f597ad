import { describe, expect, it } from 'vitest';
import { terminalChart } from './terminal-chart.js';

describe('terminalChart', () => {
  it('averages a long history down to the width and labels the extremes', () => {
    // 120 losses in 60 columns: pairs (1, 3) average to 2, pairs (5, 7) to 6.
    const losses = Array.from({ length: 120 }, (_, i) =>
      i < 60 ? (i % 2 === 0 ? 1 : 3) : i % 2 === 0 ? 5 : 7,
    );
    const chart = terminalChart(losses, { width: 60, height: 4 });
    const rows = chart.split('\n');
    expect(rows).toHaveLength(5);
    expect(rows[0]).toContain('6.0000');
    expect(rows[4]).toContain('2.0000');
    // Axis label (10 characters), the axis, then one character per column.
    const widest = Math.max(...rows.map((r) => r.trimEnd().length));
    expect(widest).toBeLessThanOrEqual(10 + 2 + 60);
  });

  it('is empty when no loss is finite', () => {
    expect(terminalChart([Number.NaN, Number.POSITIVE_INFINITY])).toBe('');
  });
});
