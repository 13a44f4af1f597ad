import { describe, expect, it } from 'vitest';
import type { Value } from './index.js';
import { gradcheck } from './index.js';

describe('gradcheck', () => {
  it('passes for correct gradients and reports the entries', () => {
    const result = gradcheck((a, b) => a.mul(b).tanh().add(a.exp()), [0.3, -1.2]);
    expect(result.ok).toBe(true);
    expect(result.entries).toHaveLength(2);
    // d/da = b·(1 - tanh²(ab)) + e^a at (0.3, -1.2), by hand
    const t = Math.tanh(0.3 * -1.2);
    expect(result.entries[0]?.analytic).toBeCloseTo(-1.2 * (1 - t * t) + Math.exp(0.3), 12);
    expect(result.maxAbsError).toBeLessThan(1e-7);
  });

  it('fails for a wrong gradient and names the worst entry', () => {
    // A function whose backward is wrong on purpose: detach() hides b's path
    // from backprop, so d/db from backprop is 0 while the true one is a = 2.
    const result = gradcheck((a, b) => a.mul(b.detach()).add(b.mul(0)), [2, 3]);
    expect(result.ok).toBe(false);
    expect(result.worst.index).toBe(1);
    expect(result.worst.analytic).toBe(0);
    expect(result.worst.numeric).toBeCloseTo(2, 6);
  });

  it('rejects bad arguments', () => {
    expect(() => gradcheck((a) => a, [])).toThrow(RangeError);
    expect(() => gradcheck((a) => a, [Number.NaN])).toThrow(/inputs\[0\] to be finite/);
    expect(() => gradcheck((a) => a, [1], { eps: 0 })).toThrow(/options.eps/);
    expect(() => gradcheck(() => 3 as unknown as Value, [1])).toThrow(/return a Value/);
  });
});
