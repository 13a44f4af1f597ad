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

  it('takes a looser tolerance, relative or absolute, whichever is larger', () => {
    const loose = { relative: 1e-4, absolute: 1e-6 };
    expect(agrees(100, 100.009, loose)).toBe(true); // 9e-5 relative
    expect(agrees(100, 100.02, loose)).toBe(false); // 2e-4 relative
    expect(agrees(1e-17, -7e-9, loose)).toBe(true); // 7e-9 apart, below 1e-6
    expect(agrees(0, 2e-6, loose)).toBe(false);
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

  it('applies a row’s own tolerance to that row only', () => {
    const rows = runTimedWorkload(
      'T',
      { f: () => ({ loss: 2 }) },
      [
        {
          name: 'float32',
          floor: 'f',
          run: () => ({ loss: 2.0001 }),
          tolerance: { relative: 1e-4, absolute: 0 },
        },
        { name: 'float64', floor: 'f', run: () => ({ loss: 2.0001 }) },
      ],
      plan,
    );
    expect(rows.map((r) => r.guard)).toEqual(['ok', 'loss 2.0001 ≠ 2']);
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
