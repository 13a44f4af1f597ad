import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZERO_SAFE } from './backward.js';
import { BACKWARD } from './eager-rules.js';
import { detectAnomaly } from './grad-mode.js';
import { affine, dot, sum } from './nary.js';
import { OPS } from './ops.js';
import { Value } from './value.js';

/** Writes a non-number where TypeScript allows only numbers, as plain JavaScript can. */
function poke(v: Value, field: 'data' | 'grad', x: unknown): void {
  (v as unknown as Record<string, unknown>)[field] = x;
}

// Issue 18: `v.grad = '1'` made backward concatenate strings. data and grad stay
// plain fields (see the README's "data and grad"); backward checks the nodes
// it gives a gradient to.
describe('backward meets a non-number', () => {
  it("a string in a leaf's grad: a TypeError naming the leaf, not a concatenation", () => {
    const w = new Value(2, { label: 'w' });
    poke(w, 'grad', '1');
    expect(() => w.mul(3).backward()).toThrow(TypeError);
    expect(() => w.mul(3).backward()).toThrow(
      /backward\(\): the grad of a leaf \('w'\) is not a number: string "1"/,
    );
    expect(w.grad).toBe('1'); // nothing was added to it
  });

  it('the same in anomaly mode', () => {
    const w = new Value(2, { label: 'w' });
    poke(w, 'grad', '1');
    expect(() => detectAnomaly(() => w.mul(3).backward())).toThrow(/grad of a leaf \('w'\)/);
    expect(w.grad).toBe('1');
  });

  it('a leaf reached only through a sum or a dot of leaves (lists the sort does not walk)', () => {
    const a = new Value(1);
    const b = new Value(2, { label: 'b' });
    poke(b, 'grad', '0');
    expect(() => sum([a, b]).backward()).toThrow(/grad of a leaf \('b'\) is not a number/);
    expect(() => dot([a, b], [3, 4]).backward()).toThrow(/grad of a leaf \('b'\)/);
    expect(() => dot([3, 4], [a, a], b).backward()).toThrow(/grad of a leaf \('b'\)/);
  });

  it('a leaf beside a node made by an op, in a sum or in either list of a dot', () => {
    const a = new Value(1);
    const h = a.mul(2);
    const b = new Value(2, { label: 'b' });
    poke(b, 'grad', '0');
    expect(() => sum([h, b]).backward()).toThrow(/grad of a leaf \('b'\)/);
    expect(() => dot([h, b], [3, 4]).backward()).toThrow(/grad of a leaf \('b'\)/);
    expect(() => dot([3, 4], [h, b]).backward()).toThrow(/grad of a leaf \('b'\)/);
    expect(b.grad).toBe('0');
  });

  it("a string written to a leaf's data after the forward", () => {
    const w = new Value(2, { label: 'w' });
    const y = w.mul(w);
    poke(w, 'data', 'x');
    expect(() => y.backward()).toThrow(
      /backward\(\): the data of a leaf \('w'\) is not a number: string "x"/,
    );
    expect(w.grad).toBe(0);
  });

  it('a leaf root with a string grad', () => {
    const w = new Value(2);
    poke(w, 'grad', '1');
    expect(() => w.backward()).toThrow(TypeError);
    expect(w.grad).toBe('1');
  });

  it('a graph half a million nodes deep checks its leaves first, and clears its marks', () => {
    const w = new Value(1, { label: 'w' });
    let v = w;
    for (let i = 0; i < 530_000; i++) v = v.add(1);
    poke(w, 'grad', '1');
    expect(() => v.backward()).toThrow(/grad of a leaf \('w'\)/);
    w.grad = 0.5;
    v.backward(); // and the marks were cleared: the next pass is right
    expect(w.grad).toBe(1.5);
  }, 60_000);
});

// A node whose gradient is 0 may have its rule skipped (backward.ts, zeroSkip)
// only where running it would change no bit of any gradient.
describe('backward skips the rules of nodes with gradient 0, changing no bit', () => {
  const finiteData = fc.double({ noNaN: true, noDefaultInfinity: true });
  // Any gradient an operand can hold but −0 (NaN and ±∞ included).
  const grad = fc.oneof(
    fc.double().filter((x) => !Object.is(x, -0)),
    fc.constantFrom(0, Number.NaN, Infinity),
  );
  const zero = fc.constantFrom(0, -0);
  const operands = fc.array(fc.record({ data: finiteData, grad }), {
    minLength: 2,
    maxLength: 5,
  });

  /** A node of `op` over leaves holding `xs`, or null for an op that takes other operands. */
  function nodeOf(op: string, xs: Value[]): Value | null {
    const [a, b] = xs as [Value, Value];
    if (op === '+') return a.add(b);
    if (op === '-') return a.sub(b);
    if (op === '*') return a.mul(b);
    if (op === 'neg') return a.neg();
    if (op === 'relu') return a.relu();
    if (op === 'sum') return sum(xs);
    if (op === 'dot') {
      const n = xs.length >> 1;
      return dot(xs.slice(0, n), xs.slice(n, 2 * n), xs.length % 2 ? xs[2 * n] : undefined);
    }
    return null;
  }

  it('the rule of every ZERO_SAFE op, run with g = ±0 over finite data, leaves every gradient as it was', () => {
    const safe = OPS.filter((op) => ZERO_SAFE[op.code] === 1);
    expect(safe.map((op) => op.name).sort()).toEqual(['*', '+', '-', 'dot', 'neg', 'relu', 'sum']);
    fc.assert(
      fc.property(fc.constantFrom(...safe), operands, zero, (op, xs, g) => {
        const leaves = xs.map((x) => new Value(x.data));
        const out = nodeOf(op.name, leaves) as Value;
        leaves.forEach((leaf, i) => (leaf.grad = (xs[i] as { grad: number }).grad));
        out.grad = g;
        (BACKWARD[op.code] as (node: Value) => void)(out);
        leaves.forEach((leaf, i) => expect(leaf.grad).toBe((xs[i] as { grad: number }).grad));
      }),
      { seed: 17, numRuns: 400 },
    );
  });

  // (w·x)·z with z = 0: the node w·x gets gradient 0·1 = 0, and its rule adds
  // x·0 into w.grad, which is NaN when x is NaN or ±∞ (IEEE 754: ∞·0 = NaN).
  it.each([Number.NaN, Infinity, -Infinity])(
    'a constant %s under a node of gradient 0 still makes the gradient NaN',
    (x) => {
      const w = new Value(2);
      const z = new Value(0, { requiresGrad: false });
      w.mul(new Value(x, { requiresGrad: false }))
        .mul(z)
        .backward();
      expect(w.grad).toBeNaN();
    },
  );

  it('a NaN in a trainable leaf or written to a node below a gradient of 0 does the same', () => {
    const w = new Value(2);
    const u = new Value(Number.NaN);
    w.mul(u).mul(0).backward();
    expect(w.grad).toBeNaN(); // u.data·0
    const v = new Value(3);
    const h = v.mul(2); // 6
    const y = h.mul(h.add(1)).mul(0); // gradient 0 into h·(h + 1)
    h.data = Number.NaN;
    y.backward();
    expect(v.grad).toBeNaN(); // 2·(h·0 + (h + 1)·0) with h NaN
  });

  it('a leaf gradient of −0 becomes +0 as the rule would make it: −0 + x·(+0) = +0 for x > 0', () => {
    const w = new Value(2);
    w.grad = -0;
    w.mul(3).mul(0).backward();
    expect(Object.is(w.grad, 0)).toBe(true);
  });

  it('a ReLU at rest: the weights below it get exactly 0 and the others their partials', () => {
    const w1 = new Value(-1);
    const w2 = new Value(2);
    const x = new Value(3, { requiresGrad: false });
    // relu(w1·x) = relu(−3) = 0, relu(w2·x) = 6; y = 0 + 6·w2 = 12
    const y = sum([w1.mul(x).relu(), w2.mul(x).relu().mul(w2)]);
    y.backward();
    expect(y.data).toBe(12);
    expect(Object.is(w1.grad, 0)).toBe(true);
    expect(w2.grad).toBe(2 * 2 * 3); // ∂(w2²x)/∂w2 = 2·w2·x
  });
});

// The sort skips a second scan of an input array whose first scan found every
// element visited (backward.ts, settled): a layer's neurons share one array.
describe('backward over dot nodes that share their input array', () => {
  it('gives each input the sum over the neurons, and each weight its input', () => {
    const w = new Value(1);
    const h = [w.mul(2), w.mul(3)]; // 2, 3
    const params = [
      [1, 4, 0],
      [2, 5, 0],
      [3, 6, 0],
    ].map((row) => row.map((p) => new Value(p)));
    const y = sum(params.map((p) => affine(p, h)));
    y.backward();
    expect(y.data).toBe(2 * 6 + 3 * 15);
    // ∂y/∂w = Σₖ (aₖ·2 + bₖ·3) = 6·2 + 15·3
    expect(w.grad).toBe(57);
    for (const [a, b, c] of params as [Value, Value, Value][]) {
      expect([a.grad, b.grad, c.grad]).toEqual([2, 3, 1]);
    }
  });

  it('still checks a trainable leaf in the shared array', () => {
    const u = new Value(1, { label: 'u' });
    const xs = [new Value(2).mul(1), u];
    const y = sum([affine([1, 1, 0], xs), affine([2, 2, 0], xs), affine([3, 3, 0], xs)]);
    poke(u, 'grad', 'x');
    expect(() => y.backward()).toThrow(/grad of a leaf \('u'\) is not a number/);
    u.grad = 0;
    y.backward();
    expect(u.grad).toBe(6); // 1 + 2 + 3
  });
});
