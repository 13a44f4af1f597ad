import { describe, expect, it } from 'vitest';
import { sum, Value } from '../index.js';
import { compile } from './compile.js';

describe('compile: inputs of any size', () => {
  it('compiles and replays a vector input of 10⁶ numbers', { timeout: 60_000 }, () => {
    const n = 1_000_000;
    const w = new Value(0.5);
    const f = compile(({ x }) => w.mul(sum(x)), {
      inputs: { x: new Array<number>(n).fill(0) },
      mode: 'interpreter',
    });
    expect(f.size).toBe(2); // the sum node and the product
    // x = 1, 2, …, n: Σx = n(n + 1)/2 = 500000500000, exact in doubles at every partial sum.
    const x = Float64Array.from({ length: n }, (_, i) => i + 1);
    expect(f.run({ x })).toBe(250000250000);
    expect(f.backward({ x })).toBe(250000250000);
    // ∂(w·Σx)/∂w = Σx.
    expect(w.grad).toBe(500000500000);
  });
});
