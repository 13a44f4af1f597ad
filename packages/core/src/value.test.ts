import { describe, expect, it } from 'vitest';
import { add, detectAnomaly, div, mul, pow, sub, Value, value } from './index.js';

/** Relative difference, for comparisons against values worked out by hand. */
const rel = (actual: number, expected: number): number =>
  Math.abs(actual - expected) / Math.abs(expected);

describe('the micrograd README expression', () => {
  // Worked out by hand (see the derivation in the comments):
  //   c = 3a + 4b + 3 = -1, d = 12(ab + b³) + (b - a) = 6, e = c - d = -7,
  //   f = e² = 49, g = f/2 + 10/f = 2421/98;
  //   dg/de = e - 20/e³ = -2381/343, de/da = 4 - 12b = -20, de/db = 3 - 12a - 36b² = -93.
  it('gives g = 2421/98, dg/da = 47620/343 and dg/db = 221433/343', () => {
    const a = new Value(-4);
    const b = new Value(2);
    let c = a.add(b);
    let d = a.mul(b).add(b.pow(3));
    c = c.add(c.add(1));
    c = c.add(add(1, c).add(a.neg()));
    d = d.add(d.mul(2).add(b.add(a).relu()));
    d = d.add(mul(3, d).add(b.sub(a).relu()));
    const e = c.sub(d);
    const f = e.pow(2);
    let g = f.div(2);
    g = g.add(div(10, f));
    g.backward();
    expect(rel(g.data, 2421 / 98)).toBeLessThan(1e-12);
    expect(rel(a.grad, 47620 / 343)).toBeLessThan(1e-12);
    expect(rel(b.grad, 221433 / 343)).toBeLessThan(1e-12);
  });

  it("passes micrograd's sanity check: y = -20, dy/dx = 46", () => {
    // z = 3x + 2 = -10, q = relu(z) + zx = 40, h = relu(z²) = 100, y = h + q + qx = -20;
    // near x = -4, y = z² + zx + zx², so dy/dx = 7z + 3x + 3x² + 2zx = 46.
    const x = new Value(-4);
    const z = mul(2, x).add(2).add(x);
    const q = z.relu().add(z.mul(x));
    const h = z.mul(z).relu();
    const y = h.add(q).add(q.mul(x));
    y.backward();
    expect(y.data).toBe(-20);
    expect(x.grad).toBe(46);
  });
});

describe('backward() semantics', () => {
  it('sums the gradient over every path a node is used on', () => {
    const a = new Value(3);
    const b = a.add(a); // 2a
    const c = b.mul(b); // 4a², dc/da = 8a = 24
    c.backward();
    expect(a.grad).toBe(24);
    expect(b.grad).toBe(2 * b.data);
  });

  it('accumulates into leaves across calls and recomputes interior nodes', () => {
    const a = new Value(3);
    const b = a.mul(a); // db/da = 2a = 6
    const c = b.add(1);
    c.backward();
    c.backward();
    expect(a.grad).toBe(12); // twice the gradient
    expect(b.grad).toBe(1); // interior: recomputed, never stale or doubled
  });

  it('starts again from zero after zeroGrad()', () => {
    const w = new Value(2);
    const y = w.mul(5);
    y.backward();
    w.zeroGrad();
    y.backward();
    expect(w.grad).toBe(5);
  });

  it('gives a leaf root a gradient of 1, accumulated', () => {
    const a = new Value(7);
    a.backward();
    a.backward();
    expect(a.grad).toBe(2);
  });

  it('leaves constants and inputs that need no gradient at zero', () => {
    const x = new Value(4, { requiresGrad: false });
    const m = new Value(2);
    const y = m.mul(x).add(3); // 3 is a constant
    y.backward();
    expect(m.grad).toBe(4);
    expect(x.grad).toBe(0);
    const three = y.operands[1] as Value;
    expect(three.data).toBe(3);
    expect(three.requiresGrad).toBe(false);
    expect(three.grad).toBe(0);
  });

  it('does no work for subgraphs that reach no trainable leaf', () => {
    const x = new Value(2, { requiresGrad: false });
    const constantPart = x.mul(x).exp(); // needs no gradient
    const w = new Value(3);
    const y = w.mul(constantPart);
    expect(constantPart.requiresGrad).toBe(false);
    y.backward();
    expect(w.grad).toBe(Math.exp(4));
    expect(constantPart.grad).toBe(0); // never visited, so never written
  });

  it('refuses to backpropagate from a node that needs no gradient', () => {
    const x = new Value(1, { requiresGrad: false });
    expect(() => x.mul(2).backward()).toThrow(/does not require a gradient/);
  });

  it('backpropagates through a chain of 1,000,000 ops without recursion', () => {
    const x = new Value(0.5);
    let y = x;
    for (let i = 0; i < 500_000; i++) y = y.mul(1.000001).add(1e-7);
    y.backward();
    // y = 1.000001^500000 · x + const, so dy/dx = 1.000001^500000, the product
    // of the same factor 500,000 times; compare with the plain product.
    let expected = 1;
    for (let i = 0; i < 500_000; i++) expected *= 1.000001;
    expect(rel(x.grad, expected)).toBeLessThan(1e-9);
    expect(rel(x.grad, Math.exp(0.5 - 0.5 * 500_000 * 1e-12))).toBeLessThan(1e-6);
  });

  it('can run a second backward after a deep one (marks are cleared)', () => {
    const x = new Value(1);
    let y = x;
    for (let i = 0; i < 1000; i++) y = y.add(x);
    y.backward();
    y.backward();
    expect(x.grad).toBe(2002);
  });
});

describe('detach() and requiresGrad', () => {
  it('detach() makes a leaf with the same data and no history', () => {
    const a = new Value(2);
    const b = a.mul(3).detach();
    expect(b.data).toBe(6);
    expect(b.isLeaf).toBe(true);
    expect(b.requiresGrad).toBe(false);
    const c = b.mul(a);
    c.backward();
    expect(a.grad).toBe(6); // only the direct path, none through b
  });

  it('requiresGrad can be set on leaves only', () => {
    const a = new Value(1);
    a.requiresGrad = false;
    expect(a.requiresGrad).toBe(false);
    const b = new Value(1).add(1);
    expect(() => {
      b.requiresGrad = false;
    }).toThrow(/only be set on a leaf/);
  });
});

describe('free functions take a number on either side', () => {
  it('computes r-ops with the right gradients', () => {
    const v = new Value(4);
    const results = [add(2, v), sub(1, v), mul(3, v), div(10, v), pow(2, v)];
    expect(results.map((r) => r.data)).toEqual([6, -3, 12, 2.5, 16]);
    const grads = results.map((r) => {
      v.zeroGrad();
      r.backward();
      return v.grad;
    });
    // d/dv of 2+v, 1-v, 3v, 10/v, 2^v at v = 4
    expect(grads).toEqual([1, -1, 3, -10 / 16, 16 * Math.log(2)]);
  });
});

describe('introspection', () => {
  it('records the op and operands, and prints as micrograd does', () => {
    const a = value(2, { label: 'a' });
    const b = new Value(-3);
    const c = a.mul(b);
    expect(c.op).toBe('*');
    expect(c.operands).toEqual([a, b]);
    expect(a.op).toBe('');
    expect(a.label).toBe('a');
    c.label = 'c';
    expect(c.label).toBe('c');
    expect(String(c)).toBe('Value(data=-6, grad=0)');
  });
});

describe('bad input', () => {
  it('new Value rejects non-numbers with a TypeError naming what it got', () => {
    expect(() => new Value('3' as unknown as number)).toThrow(TypeError);
    expect(() => new Value('3' as unknown as number)).toThrow(
      /new Value\(data\): expected a number, received string "3"/,
    );
    expect(() => new Value(undefined as unknown as number)).toThrow(/received undefined/);
    expect(() => new Value({} as unknown as number)).toThrow(/received an object/);
  });

  it('rejects bad options', () => {
    expect(
      () => new Value(1, { requireGrad: true } as unknown as { requiresGrad: boolean }),
    ).toThrow(/unknown option 'requireGrad'/);
    expect(() => new Value(1, { requiresGrad: 'yes' as unknown as boolean })).toThrow(TypeError);
  });

  it('ops reject non-numbers with a TypeError naming the op and argument', () => {
    const a = new Value(1);
    expect(() => a.add('2' as unknown as number)).toThrow(
      /add\(other\): expected a Value or a number, received string "2"/,
    );
    expect(() => mul(null as unknown as number, a)).toThrow(
      /mul\(a\): expected a Value or a number, received null/,
    );
  });

  it('pow rejects a non-finite exponent with a RangeError', () => {
    const a = new Value(2);
    expect(() => a.pow(Infinity)).toThrow(RangeError);
    expect(() => a.pow(Number.NaN)).toThrow(/expected a finite exponent, received NaN/);
    expect(() => new Value(1).pow(-Infinity)).toThrow(RangeError);
  });
});

describe('backward with frozen Values', () => {
  it('a frozen node stops backward with a TypeError and leaves no marks behind', () => {
    const w = new Value(3);
    const a = w.mul(2);
    const frozen = Object.freeze(a.add(1));
    const bad = frozen.mul(a);
    expect(() => bad.backward()).toThrow(
      /backward\(\): a Value that needs a gradient is frozen \(Object\.freeze\)/,
    );
    expect(() => bad.backward()).toThrow(TypeError);
    // a was ordered before the frozen node failed: a later backward must still reach it.
    const good = a.mul(5);
    w.grad = 0;
    good.backward();
    expect(w.grad).toBe(10); // ∂(5·2w)/∂w
  });

  it('a frozen trainable leaf stops the pass with a TypeError; the next backward is right', () => {
    const w = new Value(3);
    const k = Object.freeze(new Value(4, { label: 'k' }));
    const h = w.mul(w); // 9, shared by both graphs
    const bad = h.mul(k).add(h);
    expect(() => bad.backward()).toThrow(/a Value that needs a gradient is frozen .*\('k'\)/);
    w.grad = 0;
    h.mul(2).backward();
    expect(w.grad).toBe(12); // ∂(2w²)/∂w at 3
  });

  it('a frozen trainable leaf under anomaly mode: the same error, the other leaves restored', () => {
    const w = new Value(3);
    const k = Object.freeze(new Value(4));
    w.grad = 0.5;
    const bad = w.mul(w).mul(k);
    detectAnomaly(() => {
      expect(() => bad.backward()).toThrow(/a Value that needs a gradient is frozen/);
    });
    expect(w.grad).toBe(0.5);
    w.grad = 0;
    w.mul(w).backward();
    expect(w.grad).toBe(6);
  });
});
