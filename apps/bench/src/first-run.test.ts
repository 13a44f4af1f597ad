import { describe, expect, it } from 'vitest';
import { FIRST_RUN_CONTENDERS, runOnce } from './first-run.js';
import { floorOnlineFit, w2Setup } from './w2-online-fit.js';

describe('first runs', () => {
  it('runs a contender once and reports what it returned', () => {
    const report = runOnce('(a) Value graph per step', { w1Steps: 1, w2Steps: 300 });
    expect(report.outcome).toEqual(floorOnlineFit(w2Setup(300)));
    expect(report.seconds).toBeGreaterThan(0);
  });

  it('names every variant’s floor among the contenders', () => {
    const names = new Set(FIRST_RUN_CONTENDERS.map((c) => c.name));
    for (const c of FIRST_RUN_CONTENDERS)
      if (c.floor !== undefined) expect(names).toContain(c.floor);
  });

  it('rejects a name it does not know, naming it', () => {
    expect(() => runOnce('(z) nothing', { w1Steps: 1, w2Steps: 1 })).toThrow(
      /unknown contender '\(z\) nothing'/,
    );
  });
});
