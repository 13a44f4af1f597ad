import { describe, expect, it } from 'vitest';
import { agrees } from './outcome.js';
import { runTimedWorkload } from './timed-workload.js';

const plan = { warmups: 0, rounds: 3 };

describe('agrees', () => {
  it('accepts a relative difference up to 1e-9 and nothing else', () => {
    expect(agrees(0.1 + 0.2, 0.3)).toBe(true); // 5.6e-17 apart
    expect(agrees(1, 1 + 2e-9)).toBe(false);
    expect(agrees(0, 0)).toBe(true);
    expect(agrees(Number.NaN, Number.NaN)).toBe(false);
  });
});

describe('runTimedWorkload', () => {
  it('passes the guard when a variant computes what its floor computes', () => {
    const [row] = runTimedWorkload(
      'T',
      { f: () => ({ loss: 2, checks: { m: 3 } }) },
      [{ name: 'same', floor: 'f', run: () => ({ loss: 2, checks: { m: 3 } }) }],
      plan,
    );
    expect(row?.guard).toBe('ok');
    expect(row?.runs).toHaveLength(3);
    expect(row?.floorRuns).toHaveLength(3);
  });

  it('fails the guard, naming the number, when the loss or a check differs', () => {
    const rows = runTimedWorkload(
      'T',
      { f: () => ({ loss: 2, checks: { m: 3 } }) },
      [
        { name: 'loss', floor: 'f', run: () => ({ loss: 2.001, checks: { m: 3 } }) },
        { name: 'check', floor: 'f', run: () => ({ loss: 2, checks: { m: 4 } }) },
      ],
      plan,
    );
    expect(rows[0]?.guard).toMatch(/^loss 2.001 ≠ 2/);
    expect(rows[1]?.guard).toMatch(/^m 4 ≠ 3/);
  });

  it('fails the guard when runs of one variant disagree with each other', () => {
    let calls = 0;
    const [row] = runTimedWorkload(
      'T',
      { f: () => ({ loss: 1 }) },
      [{ name: 'drifting', floor: 'f', run: () => ({ loss: calls++ === 0 ? 1 : 1.5 }) }],
      plan,
    );
    expect(row?.guard).toMatch(/run 1 differs from run 0/);
  });
});
