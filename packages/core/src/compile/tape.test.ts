import { describe, expect, it } from 'vitest';
import { Value } from '../index.js';
import { compile } from './compile.js';

describe('compile: graphs of any depth', () => {
  it('compiles a chain of 10⁶ mul and add nodes without recursion', { timeout: 60_000 }, () => {
    const n = 500_000; // steps of v ← v·w + b: 10⁶ op nodes
    const w = new Value(1);
    const b = new Value(1);
    const f = compile(
      ({ x }) => {
        let v = x;
        for (let i = 0; i < n; i++) v = v.mul(w).add(b);
        return v;
      },
      { inputs: ['x'], mode: 'interpreter' },
    );
    expect(f.size).toBe(2 * n);
    // With w = b = 1 each step adds 1: f(x) = x + n.
    expect(f.backward({ x: 2 })).toBe(2 + n);
    // ∂f/∂b: each b passes through the remaining multiplications by w = 1, so n.
    expect(b.grad).toBe(n);
    // ∂f/∂w = Σₖ vₖ, vₖ = x + k the value multiplied at step k: n·x + n(n − 1)/2,
    // integers below 2⁵³, so every partial sum is exact.
    expect(w.grad).toBe(n * 2 + (n * (n - 1)) / 2);
  });
});
