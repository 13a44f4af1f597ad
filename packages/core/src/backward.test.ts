import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { setSortPass, ZERO_SAFE } from './backward.js';
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

// The sort meets the elements of a kept row (an affine weights array of 8 or
// more, KEPT_ROW) once a pass, not once a node (backward.ts, settledRows).
// `dot` copies its arrays, so the same graph built with dot is sorted by the
// plain scan of every node: the two must agree bit for bit.
describe('backward over dot nodes that share a kept weights row', () => {
  const WIDTH = 9; // 8 weights and the bias: a kept row

  /** Three samples through two neurons of one row each, then a sum; `row` may hold any Value. */
  function build(
    rowA: readonly Value[],
    rowB: readonly Value[],
    samples: readonly (readonly number[])[],
    kept: boolean,
  ): Value {
    const node = (row: readonly Value[], x: readonly Value[]): Value =>
      kept ? affine(row, x) : dot(row.slice(0, x.length), x, row[x.length]);
    const terms: Value[] = [];
    for (const s of samples) {
      const x = s.map((v) => new Value(v, { requiresGrad: false }));
      // The second neuron reads the first neuron's output too: rows meet in
      // different places of the walk.
      const a = node(rowA, x).tanh();
      const bx = [a, ...x.slice(1)];
      // a · B: the walk expands B (the last operand) first, then a below it.
      terms.push(a.mul(node(rowB, bx)));
    }
    return sum(terms);
  }

  const samples = [
    [0.5, -1.25, 2, 0.1, -0.3, 1.5, 0.7, -2],
    [1e-3, 3, -0.5, 0.25, 0.9, -1.1, 0.2, 0.4],
    [-0.75, 0.6, 1.2, -0.05, 0.33, 0.8, -1.6, 0.01],
  ];
  const numbers = (k: number): number[] =>
    Array.from({ length: WIDTH }, (_, i) => Math.sin(7 * i + k) / 3);

  /** Builds the same graph twice (kept rows, copied arrays) and returns each run's leaf gradients. */
  function bothWays(
    makeRows: () => [Value[], Value[], Value[]],
    rows: readonly (readonly number[])[] = samples,
  ): [number[], number[]] {
    const runs: number[][] = [];
    for (const kept of [true, false]) {
      const [rowA, rowB, leaves] = makeRows();
      build(rowA, rowB, rows, kept).backward();
      runs.push(leaves.map((v) => v.grad));
    }
    return runs as [number[], number[]];
  }

  const sameBits = ([kept, copied]: [number[], number[]]): void => {
    expect(kept).toHaveLength(copied.length);
    kept.forEach((g, i) =>
      expect(Object.is(g, copied[i]), `leaf ${i}: ${g} vs ${copied[i]}`).toBe(true),
    );
  };

  it('gives every weight the same gradient as the plain scan, and the hand-worked one', () => {
    const [kept, copied] = bothWays(() => {
      const a = numbers(1).map((d) => new Value(d));
      const b = numbers(2).map((d) => new Value(d));
      return [a, b, [...a, ...b]];
    });
    sameBits([kept, copied]);
    // By hand for the bias of row B: ∂/∂b_B = Σ_samples a_s (the tanh output).
    let expected = 0;
    const rowA = numbers(1);
    for (const s of samples) {
      let z = (rowA[0] as number) * (s[0] as number);
      for (let i = 1; i < 8; i++) z = z + (rowA[i] as number) * (s[i] as number);
      expected = expected + Math.tanh(z + (rowA[8] as number));
    }
    expect(kept[2 * WIDTH - 1]).toBeCloseTo(expected, 14);
  });

  it('expands an interior node inside a row, met again from other nodes', () => {
    sameBits(
      bothWays(() => {
        const u = new Value(0.3);
        const a = numbers(3).map((d) => new Value(d));
        a[4] = u.mul(2); // interior: the first scan pushes it, later ones find it visited
        const b = numbers(4).map((d) => new Value(d));
        b[8] = u.mul(u); // an interior bias
        return [a, b, [u, ...a.filter((v) => v.isLeaf), ...b.filter((v) => v.isLeaf)]];
      }),
    );
  });

  it('meets the row again below a node whose scan pushed an element still waiting', () => {
    // One row for both neurons: the second's scan pushes the interior weight,
    // then its inputs, whose walk reaches the first neuron, over the same row,
    // before that weight is expanded. The row is not settled yet there: the
    // first neuron must push the weight too, to be placed after it.
    sameBits(
      bothWays(() => {
        const u = new Value(-0.7);
        const row = numbers(11).map((d) => new Value(d));
        row[5] = u.mul(u).add(1);
        return [row, row, [u, ...row.filter((v) => v.isLeaf)]];
      }),
    );
  });

  it('keeps NaN, ∞ and −0 exactly where the plain scan does', () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -0]) {
      sameBits(
        bothWays(() => {
          const a = numbers(5).map((d) => new Value(d));
          a[2] = new Value(bad, { requiresGrad: false }); // a constant in the row
          const b = numbers(6).map((d) => new Value(d));
          b[7] = new Value(0); // a weight that meets input 0: a gradient of ±0
          b[7].grad = -0;
          return [a, b, [...a.filter((v) => v.requiresGrad), ...b]];
        }, [samples[0] as number[], [0, 0, 0, 0, 0, 0, 0, 0], samples[2] as number[]]),
      );
    }
  });

  it('still checks each trainable leaf of a row, in the first node that holds it', () => {
    const rowA = numbers(7).map((d) => new Value(d));
    const rowB = numbers(8).map((d) => new Value(d));
    rowB[8] = new Value(0, { label: 'bias' });
    const y = build(rowA, rowB, samples, true);
    poke(rowB[8], 'grad', 'x');
    expect(() => y.backward()).toThrow(/grad of a leaf \('bias'\) is not a number/);
    rowB[8].grad = 0;
    y.backward();
    const copied = numbers(8).map((d) => new Value(d));
    copied[8] = new Value(0);
    build(
      numbers(7).map((d) => new Value(d)),
      copied,
      samples,
      false,
    ).backward();
    expect(Object.is(rowB[8].grad, copied[8].grad)).toBe(true);
  });

  it('meets the elements a kept row gained after an older node was made over it', () => {
    // affine keeps the array: a node made after it grew reads the new elements
    // (nary.ts), and the older node, over its first elements only, must not
    // settle the whole row for it.
    const u = new Value(0.25);
    const row = numbers(12).map((d) => new Value(d));
    const x8 = samples[0] as number[];
    const x9 = [...x8, 1.5];
    const older = affine(row, x8);
    row.push(u.mul(2)); // the newer node's bias
    const newer = affine(row, x9);
    newer.add(older).backward();
    expect(u.grad).toBe(2); // ∂(… + 2u)/∂u
    // and every weight as the plain scan gives it
    const copy = numbers(12).map((d) => new Value(d));
    const v = new Value(0.25);
    dot(copy.slice(0, 9), x9, v.mul(2))
      .add(dot(copy.slice(0, 8), x8, copy[8]))
      .backward();
    row.slice(0, 9).forEach((w, i) => expect(Object.is(w.grad, copy[i]?.grad)).toBe(true));
  });

  it('forgets every settled row when the pass number wraps', () => {
    // A row settled in pass 1, then 2³⁰ − 1 passes later the number is 1 again.
    const u = new Value(0.3);
    const row = numbers(13).map((d) => new Value(d));
    row[3] = u.mul(2);
    const [x0, x1] = samples as [number[], number[]];
    const y = affine(row, x0).add(affine(row, x1));
    setSortPass(0);
    y.backward(); // pass 1 settles the row
    const once = u.grad;
    expect(once).toBe(2 * ((x0[3] as number) + (x1[3] as number)));
    u.grad = 0;
    setSortPass(0x3fff_ffff - 1);
    new Value(1).mul(2).backward(); // the last pass number
    y.backward(); // wraps: pass 1 again
    expect(u.grad).toBe(once);
  });

  it('settles a row once per pass: a second backward meets it afresh', () => {
    const rowA = numbers(9).map((d) => new Value(d));
    const rowB = numbers(10).map((d) => new Value(d));
    const y = build(rowA, rowB, samples, true);
    y.backward();
    const once = rowA.map((v) => v.grad);
    for (const v of rowA) v.grad = 0;
    poke(rowA[3] as Value, 'data', 'x'); // a later pass must find it, though the row settled before
    expect(() => y.backward()).toThrow(/data of a leaf is not a number/);
    (rowA[3] as Value).data = numbers(9)[3] as number;
    y.backward();
    rowA.forEach((v, i) => expect(Object.is(v.grad, once[i])).toBe(true));
  });
});
