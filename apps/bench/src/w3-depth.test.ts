import { describe, expect, it } from 'vitest';
import { compiledChain, eagerChain, floorChain } from './w3-depth.js';

describe('floorChain', () => {
  it('gives the gradients of v = ((x·a) + b)·a worked out by hand', () => {
    const a = 0.999999;
    const b = 1e-6;
    const out = floorChain(3);
    expect(out.loss).toBeCloseTo((2 * a + b) * a, 15);
    // ∂v/∂x = a², ∂v/∂a = 2·x·a + b, ∂v/∂b = a
    expect(out.checks?.['x.grad']).toBeCloseTo(a * a, 15);
    expect(out.checks?.['a.grad']).toBeCloseTo(2 * 2 * a + b, 15);
    expect(out.checks?.['b.grad']).toBeCloseTo(a, 15);
  });

  it('is matched bit for bit by the compiled chain (a and b; x is an input)', () => {
    const floor = floorChain(10_001);
    const compiled = compiledChain(10_001);
    expect(compiled.loss).toBe(floor.loss);
    expect(compiled.checks).toEqual({
      'a.grad': floor.checks?.['a.grad'],
      'b.grad': floor.checks?.['b.grad'],
    });
  });

  it('is matched bit for bit by the eager engine on a deep chain', () => {
    const floor = floorChain(10_001);
    const eager = eagerChain(10_001);
    expect(eager.loss).toBe(floor.loss);
    expect(eager.checks).toEqual(floor.checks);
  });
});
