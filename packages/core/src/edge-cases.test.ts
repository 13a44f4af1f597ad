import { describe, expect, it } from 'vitest';
import { layoutOf, makePlaceholders } from './compile/inputs.js';
import { compile, detectAnomaly, gradcheck, pow, Value } from './index.js';

// Issue 18, the items of @ag/core: each test failed before its fix.
describe('issue 18: exact at every edge', () => {
  it('pow(a, b) with a Value exponent: ∂/∂b at a = ±0, b < 0 is −∞ (eager, codegen, interpreter)', () => {
    for (const a0 of [0, -0]) {
      const a = new Value(a0);
      const b = new Value(-2);
      pow(a, b).backward();
      expect(b.grad).toBe(-Infinity);
      for (const mode of ['codegen', 'interpreter'] as const) {
        const e = new Value(-2);
        const f = compile(({ x }) => pow(x, e), { inputs: ['x'], mode });
        f.backward({ x: a0 });
        expect(e.grad).toBe(-Infinity);
      }
    }
    // 1ᵇ is 1 even for b NaN (IEEE 754 and PyTorch; Math.pow says NaN).
    expect(pow(1, new Value(NaN)).data).toBe(1);
  });
  it('a string written to data is refused at its first op, naming the node', () => {
    const v = new Value(1, { label: 'w' });
    (v as unknown as { data: unknown }).data = 'x';
    expect(() => v.add(1)).toThrow(TypeError);
    expect(() => v.add(1)).toThrow(/data is not a number: string "x" \('w'\)/);
  });
  it('a string written to grad is named by backward (plain and anomaly mode) instead of being concatenated', () => {
    const v = new Value(2, { label: 'v' });
    (v as unknown as { grad: unknown }).grad = '1';
    expect(() => v.mul(3).backward()).toThrow(TypeError);
    expect(() => detectAnomaly(() => v.mul(3).backward())).toThrow(
      /the grad of a leaf \('v'\) is not a number/,
    );
    expect(v.grad).toBe('1');
  });
  it('a sample whose getter changes between reads is read once (codegen and interpreter)', () => {
    for (const mode of ['codegen', 'interpreter'] as const) {
      const p = new Value(0.5);
      const f = compile(({ x }) => x.mul(p).add(100), { inputs: ['x'], mode });
      let reads = 0;
      const sample = {
        get x(): number {
          reads++;
          return (reads % 2 === 1 ? 21 : '1') as number;
        },
      };
      const out = f.run(sample);
      expect(out).toBe(110.5);
      expect(reads).toBe(1);
    }
  });
  it('placeholders for a vector input of 300,000 numbers: no stack overflow (push(...) was one)', () => {
    const n = 300_000;
    const layout = layoutOf({ x: new Array<number>(n).fill(1) }, 'test');
    const { flat } = makePlaceholders(layout, () => 0.5);
    expect(flat.length).toBe(n);
  }, 60_000);
  it('gradcheck rejects unknown options and holes in its inputs', () => {
    const fn = (a: Value): Value => a.square();
    expect(() => gradcheck(fn, [1], { epsilon: 1e-3 } as never)).toThrow(
      /unknown option 'epsilon'/,
    );
    // eslint-disable-next-line no-sparse-arrays
    expect(() => gradcheck((a, b) => a.mul(b), [1, , 2] as number[])).toThrow(
      /inputs\[1\] is a hole/,
    );
  });
});
