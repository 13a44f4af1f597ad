import { describe, expect, it } from 'vitest';
import type { ResultRow } from './result-row.js';
import { FIRST_RUN_CONTENDERS, inChild, runFirstRuns, runOnce } from './first-run.js';
import { floorOnlineFit, w2Setup } from './w2-online-fit.js';
import { floorOnlineMlp, w5Setup } from './w5-online-mlp.js';

describe('first runs', () => {
  it('runs a contender once and reports what it returned', () => {
    const report = runOnce('(a) Value graph per step', { w1Steps: 1, w2Steps: 300, w5Epochs: 1 });
    expect(report.outcome).toEqual(floorOnlineFit(w2Setup(300)));
    expect(report.seconds).toBeGreaterThan(0);
  });

  it('names every variant’s floor among the contenders', () => {
    const names = new Set(FIRST_RUN_CONTENDERS.map((c) => c.name));
    for (const c of FIRST_RUN_CONTENDERS)
      if (c.floor !== undefined) expect(names).toContain(c.floor);
  });

  it('rejects a name it does not know, naming it', () => {
    expect(() => runOnce('(z) nothing', { w1Steps: 1, w2Steps: 1, w5Epochs: 1 })).toThrow(
      /unknown contender '\(z\) nothing'/,
    );
  });

  // Children run TypeScript as `pnpm bench` runs it.
  const nodeArgs = ['--conditions=@ag/source', '--import', 'tsx'];

  it('runs each contender in a fresh process, and guards the rows as the main table does', () => {
    const rows = runFirstRuns({ w1Steps: 1, w2Steps: 300, w5Epochs: 1 }, 2, ['W2'], nodeArgs);
    expect(rows.map((r) => r.variant)).toEqual(
      FIRST_RUN_CONTENDERS.filter((c) => c.workload === 'W2' && c.floor !== undefined).map(
        (c) => c.name,
      ),
    );
    const floor = floorOnlineFit(w2Setup(300));
    for (const row of rows) {
      expect(row.guard).toBe('ok');
      expect(row.runs).toHaveLength(2);
      expect(row.floorLoss).toBe(floor.loss);
    }
  }, 60_000);

  it('judges W5’s default fit against its eager fit, both guarded against the floor', () => {
    const rows = runFirstRuns({ w1Steps: 1, w2Steps: 1, w5Epochs: 1 }, 1, ['W5'], nodeArgs);
    expect(rows.map((r) => r.variant)).toEqual(['W5 eager fit', 'W5 fit default']);
    const floor = floorOnlineMlp(w5Setup(1));
    for (const row of rows) {
      expect(row.guard).toBe('ok');
      expect(row.floorLoss).toBe(floor.loss);
    }
    const [eager, byDefault] = rows as [ResultRow, ResultRow];
    expect(eager.target).toBeNull();
    expect(byDefault.target).toBe('≤ W5 eager fit');
    expect(byDefault.targetMet).toBe(
      (byDefault.medianSeconds as number) <= (eager.medianSeconds as number),
    );
  }, 60_000);

  it('names the contender when a child fails', () => {
    expect(() => inChild('(z) nothing', { w1Steps: 1, w2Steps: 1, w5Epochs: 1 }, nodeArgs)).toThrow(
      /first run of '\(z\) nothing' failed \(exit 1\): .*unknown contender/s,
    );
    expect(() =>
      runFirstRuns({ w1Steps: 1, w2Steps: 1, w5Epochs: 1 }, 1, ['W3'], nodeArgs),
    ).toThrow(/only W1, W2 and W5 have them/);
  }, 60_000);
});
