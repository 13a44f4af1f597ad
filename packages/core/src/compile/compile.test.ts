import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { add, affine, dot, mul, sum, Value } from '../index.js';
import {
  build,
  eager,
  eagerAndRecorded,
  wasmOf,
  expectSameBits,
  finite,
  generatedStyles,
  generic,
  step,
} from './random-graphs.test-support.js';
import { generate, generateSource } from './codegen.js';
import { compile, record, type CompileMode } from './compile.js';
import { layoutOf } from './inputs.js';
import { findRepeat } from './repeats.js';

const MODES: readonly CompileMode[] = ['codegen', 'interpreter'];

const noGradient = (): never => {
  throw new Error('no gradient');
};

describe('compile: bit for bit equal to the eager engine', () => {
  it('on random expression graphs over every op, forward and backward, in both modes', () => {
    const graph = fc.record({
      steps: fc.array(step, { minLength: 1, maxLength: 25 }),
      params: fc.array(finite, { minLength: 1, maxLength: 4 }),
      grads: fc.array(finite, { minLength: 4, maxLength: 4 }),
      samples: fc.array(fc.array(finite, { minLength: 3, maxLength: 3 }), {
        minLength: 1,
        maxLength: 3,
      }),
      constants: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), {
        minLength: 1,
        maxLength: 2,
      }),
    });
    fc.assert(
      fc.property(graph, ({ steps, params: p0, grads, samples, constants }) => {
        const params = p0.map((d) => new Value(d));
        const expected = samples.map((xs) => eager(steps, params, xs, constants, grads));
        for (const mode of MODES) {
          const f = compile(({ x }) => build(steps, params, x, constants), {
            inputs: { x: [0.5, -0.25, 1.5] },
            mode,
          });
          samples.forEach((xs, s) => {
            const e = expected[s] as { out: number; grads: number[] };
            params.forEach((p, i) => (p.grad = grads[i] as number));
            expectSameBits([f.run({ x: xs })], [e.out]);
            expectSameBits([f.backward({ x: xs })], [e.out]);
            expectSameBits(
              params.map((p) => p.grad),
              e.grads,
            );
          });
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('accumulates across calls exactly as repeated eager backward() does', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 15 }),
        fc.array(finite, { minLength: 2, maxLength: 3 }),
        fc.array(fc.array(finite, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
        (steps, p0, samples) => {
          const params = p0.map((d) => new Value(d));
          // Eager: one graph per sample, backward() into the same leaves, then the
          // first sample's graph a second time (backward() twice on one graph).
          const inputs = samples.map((xs) => xs.map((x) => new Value(x, { requiresGrad: false })));
          const roots = inputs.map((xs) => build(steps, params, xs, [1.5]));
          let total = 0;
          for (const r of roots) {
            r.backward();
            total += r.data;
          }
          (roots[0] as Value).backward();
          const expected = params.map((p) => p.grad);
          for (const mode of MODES) {
            params.forEach((p) => (p.grad = 0));
            const f = compile(({ x }) => build(steps, params, x, [1.5]), {
              inputs: { x: [0, 0, 0] },
              mode,
            });
            const sum = f.accumulate(samples.map((x) => ({ x })));
            f.backward({ x: samples[0] as number[] });
            expectSameBits([sum], [total]);
            expectSameBits(
              params.map((p) => p.grad),
              expected,
            );
          }
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('adds a shared leaf gradient in eager order when dot weights and inputs are both computed', () => {
    // p feeds four products; the order in which eager backward() visits them
    // (set by its sort) decides the order of p's four additions.
    fc.assert(
      fc.property(fc.array(generic, { minLength: 6, maxLength: 6 }), (r) => {
        const [p0, g0, a, b, c, d] = r as [number, number, number, number, number, number];
        const p = new Value(p0);
        const fn = ({ x }: { x: Value }) =>
          dot([p.mul(a), p.mul(b).tanh()], [p.mul(x), p.mul(d).sigmoid()], p.mul(0.5));
        p.grad = g0;
        fn({ x: new Value(c, { requiresGrad: false }) }).backward();
        const expected = p.grad;
        for (const mode of MODES) {
          p.grad = g0;
          compile(fn, { inputs: ['x'], mode }).backward({ x: c });
          expectSameBits([p.grad], [expected]);
        }
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('splits a tie of max and min in half and routes relu and abs at 0 as eager does', () => {
    const a = new Value(2);
    const b = new Value(2);
    const fn = ({ x }: { x: Value }) =>
      sum([a.max(b), a.min(x), x.sub(2).relu().mul(a), x.sub(2).abs().mul(b)]);
    const e = fn({ x: new Value(2, { requiresGrad: false }) });
    e.backward();
    const expected = [a.grad, b.grad];
    expect(expected).toEqual([0.5 + 0.5 + 0, 0.5 + 0]); // by hand: ties split, relu'(0) = abs'(0) = 0
    for (const mode of MODES) {
      a.grad = 0;
      b.grad = 0;
      compile(fn, { inputs: ['x'], mode }).backward({ x: 2 });
      expectSameBits([a.grad, b.grad], expected);
    }
  });
});

// ---- the micrograd demo's MLP ---------------------------------------------------

/** A seeded linear congruential generator: weights and data without Math.random. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Mlp {
  layers: { w: Value[][]; b: Value[] }[];
  params: Value[];
}

function mlp(sizes: readonly number[], random: () => number): Mlp {
  const layers = [];
  const params: Value[] = [];
  for (let l = 1; l < sizes.length; l++) {
    const w = Array.from({ length: sizes[l] as number }, () =>
      Array.from({ length: sizes[l - 1] as number }, () => new Value(2 * random() - 1)),
    );
    const b = Array.from({ length: sizes[l] as number }, () => new Value(0));
    w.forEach((row, i) => params.push(...row, b[i] as Value));
    layers.push({ w, b });
  }
  return { layers, params };
}

/** relu hidden layers, linear output: micrograd's MLP(2, [16, 16, 1]), one dot node per neuron. */
function score(model: Mlp, x: readonly (Value | number)[]): Value {
  let h: readonly (Value | number)[] = x;
  model.layers.forEach((layer, l) => {
    const last = l === model.layers.length - 1;
    h = layer.w.map((row, i) => {
      const z = dot(row, h, layer.b[i]);
      return last ? z : z.relu();
    });
  });
  return h[0] as Value;
}

/** micrograd's demo loss: mean hinge loss plus 1e-4 × Σ p². */
function demoLoss(
  model: Mlp,
  xs: readonly (readonly (Value | number)[])[],
  ys: readonly (Value | number)[],
): Value {
  const losses = xs.map((x, i) =>
    add(1, mul(ys[i] as Value | number, score(model, x)).neg()).relu(),
  );
  const dataLoss = sum(losses).mul(1 / xs.length);
  const regLoss = sum(model.params.map((p) => p.mul(p))).mul(1e-4);
  return dataLoss.add(regLoss);
}

describe('compile: recording changes nothing outside the compiled function', () => {
  it('leaves the grad of every leaf and node it walked as it was, −0 included', () => {
    const w = new Value(1.5);
    const b = new Value(-2);
    const k = new Value(4, { requiresGrad: false });
    const h = w.mul(k); // a node made outside fn, read by it
    h.backward(); // w.grad = 4, h.grad = 1
    b.grad = -0;
    k.grad = 0.25;
    const before = [w, b, k, h].map((v) => v.grad);
    compile(({ x }) => dot([h, b], [x, x]).add(k).relu(), { inputs: ['x'] });
    const after = [w, b, k, h].map((v) => v.grad);
    after.forEach((g, i) => expect(Object.is(g, before[i])).toBe(true));
    expect(before).toEqual([4, -0, 0.25, 1]);
  });
});

describe('compile: frozen Values', () => {
  it('names a frozen node that needs a gradient, which it cannot replay', () => {
    const w = new Value(2);
    const frozen = Object.freeze(w.mul(3));
    expect(() => compile(({ x }) => frozen.mul(x), { inputs: ['x'] })).toThrow(
      /a Value that needs a gradient is frozen \(Object\.freeze\)/,
    );
    // Nothing left marked: a graph beside it is unharmed.
    w.grad = 0;
    w.mul(5).backward();
    expect(w.grad).toBe(5);
  });

  it('compiles a graph holding a frozen constant and a frozen node, as eager computes it', () => {
    const one = Object.freeze(new Value(1, { requiresGrad: false }));
    const w = new Value(3);
    const shift = Object.freeze(one.mul(2)); // a node of constants: baked in
    const f = compile(({ x }) => w.mul(x).add(one).add(shift), { inputs: ['x'] });
    expect(f.backward({ x: 5 })).toBe(3 * 5 + 1 + 2);
    expect(w.grad).toBe(5);
    expect(one.grad).toBe(0);
  });
});

describe('compile: the micrograd demo MLP (2-16-16-1, dot + relu + hinge loss)', () => {
  const random = lcg(1337);
  const n = 40;
  const xs = Array.from({ length: n }, () => [2 * random() - 1, 2 * random() - 1]);
  const ys = xs.map(([a, b]) => ((a as number) * (b as number) > 0 ? 1 : -1));

  it('full batch in one graph: the loss and every gradient equal eager, in both modes', () => {
    const model = mlp([2, 16, 16, 1], lcg(7));
    const loss = demoLoss(model, xs, ys);
    loss.backward();
    const expected = model.params.map((p) => p.grad);
    for (const mode of MODES) {
      model.params.forEach((p) => (p.grad = 0));
      const f = compile(
        ({ x, y }) =>
          demoLoss(
            model,
            Array.from({ length: n }, (_, i) => [x[2 * i] as Value, x[2 * i + 1] as Value]),
            y,
          ),
        { inputs: { x: xs.flat(), y: ys }, parameters: model.params, mode },
      );
      expect(f.parameters).toHaveLength(337);
      expectSameBits([f.backward({ x: xs.flat(), y: ys })], [loss.data]);
      expectSameBits(
        model.params.map((p) => p.grad),
        expected,
      );
    }
  });

  it('per sample, accumulated over the batch: equals eager backward() sample by sample', () => {
    const model = mlp([2, 16, 16, 1], lcg(9));
    const perSample = (x: readonly (Value | number)[], y: Value | number) =>
      add(1, mul(y, score(model, x)).neg())
        .relu()
        .mul(1 / n);
    let total = 0;
    xs.forEach((x, i) => {
      const l = perSample(x, ys[i] as number);
      l.backward();
      total += l.data;
    });
    const expected = model.params.map((p) => p.grad);
    for (const mode of MODES) {
      model.params.forEach((p) => (p.grad = 0));
      const f = compile(({ x, y }) => perSample(x, y), { inputs: { x: [0.5, 0.5], y: 1 }, mode });
      const got = f.accumulate(xs.map((x, i) => ({ x, y: ys[i] as number })));
      expectSameBits([got], [total]);
      expectSameBits(
        model.params.map((p) => p.grad),
        expected,
      );
    }
  });

  it('reads the parameters live: after an update, the next call sees the new weights', () => {
    const model = mlp([2, 4, 1], lcg(3));
    const f = compile(({ x }) => score(model, x), { inputs: { x: [0, 0] } });
    for (const p of model.params) p.data *= 0.5;
    expectSameBits([f.run({ x: [0.3, -0.7] })], [score(model, [0.3, -0.7]).data]);
  });
});

describe('compile: every way of running a tape agrees bit for bit', () => {
  it('interpreter, code in locals and code in typed arrays, for one sample and for a batch', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 30 }),
        fc.array(finite, { minLength: 1, maxLength: 4 }),
        fc.array(fc.array(finite, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
        (steps, p0, samples) => {
          const params = p0.map((d) => new Value(d));
          const runners = [
            compile(({ x }) => build(steps, params, x, [0.75]), {
              inputs: { x: [0.5, -0.25, 1.5] },
              mode: 'interpreter',
            }),
            ...generatedStyles(steps, params),
          ];
          const results = runners.map((f) => {
            params.forEach((p) => (p.grad = 0.5));
            const one = f.backward({ x: samples[0] as number[] });
            const all = f.accumulate(samples.map((x) => ({ x })));
            return [f.run({ x: samples[0] as number[] }), one, all, ...params.map((p) => p.grad)];
          });
          expectSameBits(results[1] as number[], results[0] as number[]);
          expectSameBits(results[2] as number[], results[0] as number[]);
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('writes long sums in statements of a few terms (locals) or a loop (arrays), long tapes in several functions, repeated blocks and runs of one op as loops', () => {
    const ps = Array.from({ length: 300 }, (_, i) => new Value(Math.sin(i + 1)));
    const layout = layoutOf(['x'], 'test');
    // Alternating terms: no two neighbouring blocks alike, so nothing rolls.
    const mixed = ({ x }: Record<string, Value | Value[]>) =>
      sum(ps.map((p, i) => (i % 2 ? p.mul(x as Value).tanh() : p.add(x as Value).sigmoid())));
    // The same block 300 times: p·x, then tanh.
    const same = ({ x }: Record<string, Value | Value[]>) =>
      sum(ps.map((p) => p.mul(x as Value).tanh()));
    // 300 squares in a row, not the terms of a sum (so no blocks): a run of one unary op.
    const squares = ({ x }: Record<string, Value | Value[]>) =>
      sum(ps)
        .add(
          dot(
            ps.map((p) => p.square()),
            ps,
          ),
        )
        .mul(x as Value);
    // 300 products of neighbouring parameters in a row: a run of one binary op.
    const products = ({ x }: Record<string, Value | Value[]>) =>
      sum(ps)
        .add(
          dot(
            ps.map((p, i) => p.mul(ps[(i + 1) % ps.length] as Value)),
            ps,
          ),
        )
        .mul(x as Value);
    for (const [fn, pattern] of [
      [mixed, /function f1\(\)/], // 601 op nodes: two forward functions
      [same, /for \(let b = 0; b < 300; b\+\+\)/],
      [
        squares,
        /for \(let i = 0; i < 300; i\+\+\) \{ G\[K\d+\[i\]\] \+= \(\(2 \* V\[K\d+\[i\]\]\) \* /,
      ],
      [
        products,
        /V\[\d+ \+ i\] = \(V\[K\d+\[i\]\] \* V\[K\d+\[i\]\]\);[\s\S]*for \(let i = 0; i < 300; i\+\+\) \{ G\[K\d+\[i\]\] \+= \(V\[K\d+\[i\]\] \* G\[K\d+\[i\]\]\); G\[K\d+\[i\]\] \+= \(V\[K\d+\[i\]\] \* G\[K\d+\[i\]\]\); \}/,
      ],
    ] as const) {
      const tape = record(fn, layout, [], () => 1, 'test');
      // Locals: the 300-term sum in statements of a few terms; arrays: in a loop over a slot table.
      expect(generateSource(tape, layout, 'locals')).toMatch(/t\d+ = t\d+ \+ /);
      const source = generateSource(tape, layout, 'arrays');
      expect(source).toMatch(/for \(let i = 1; i < 300; i\+\+\) t = t \+ V\[K\d+\[i\]\]/);
      expect(source).toMatch(pattern);
      ps.forEach((p) => (p.grad = 0));
      const eagerRoot = fn({ x: new Value(0.3, { requiresGrad: false }) });
      eagerRoot.backward();
      const expected = ps.map((p) => p.grad);
      ps.forEach((p) => (p.grad = 0));
      const f = generate(tape, layout, noGradient, 'arrays');
      expectSameBits([f.backward({ x: 0.3 })], [eagerRoot.data]);
      expectSameBits(
        ps.map((p) => p.grad),
        expected,
      );
    }
  });
});

describe('compile: a batch recorded as one graph replays its repeated blocks as a loop', () => {
  it('equals eager bit for bit on random per-sample graphs summed over a batch', () => {
    let rolled = 0;
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 20 }),
        fc.array(finite, { minLength: 1, maxLength: 3 }),
        fc.array(finite, { minLength: 15, maxLength: 15 }),
        (steps, p0, xs) => {
          const params = p0.map((d) => new Value(d));
          const batch = (x: readonly Value[]) =>
            sum(
              Array.from({ length: 5 }, (_, i) =>
                build(steps, params, x.slice(3 * i, 3 * i + 3), [0.75]),
              ),
            );
          const { root, expected, layout, tape } = eagerAndRecorded(batch, params, xs);
          if (findRepeat(tape) !== null) rolled++;
          params.forEach((p) => (p.grad = 0.5));
          root.backward();
          root.backward();
          const twice = params.map((p) => p.grad);
          for (const f of [
            generate(tape, layout, noGradient, 'arrays'),
            wasmOf(tape, layout, noGradient),
          ]) {
            params.forEach((p) => (p.grad = 0.5));
            const out = f.backward({ x: xs });
            expectSameBits([out, ...params.map((p) => p.grad)], expected);
            // Forward alone, and accumulate (twice the same sample: twice the gradient's terms).
            expectSameBits([f.run({ x: xs })], [root.data]);
            params.forEach((p) => (p.grad = 0.5));
            f.accumulate([{ x: xs }, { x: xs }]);
            expectSameBits(
              params.map((p) => p.grad),
              twice,
            );
          }
        },
      ),
      { seed: 42, numRuns: 150 },
    );
    expect(rolled).toBeGreaterThan(100); // most of them did roll
  });
});

describe('compile: the blocks a batch repeats are found whatever their shape', () => {
  /** A batch function's loop (arrays style) against eager backward, bit for bit. */
  function rollsAndMatches(
    batch: (x: readonly Value[]) => Value,
    params: readonly Value[],
    xs: readonly number[],
    samples: number,
    period: number,
  ): void {
    const { expected, layout, tape } = eagerAndRecorded(batch, params, xs);
    const repeat = findRepeat(tape);
    expect(repeat?.count).toBe(samples);
    expect(repeat?.period).toBe(period);
    const f = generate(tape, layout, noGradient, 'arrays');
    params.forEach((p) => (p.grad = 0.5));
    const out = f.backward({ x: xs });
    expectSameBits([out, ...params.map((p) => p.grad)], expected);
  }

  it('a layer of affine nodes with their biases per sample', () => {
    // 2 → 3 (relu) → 1: per sample three affine nodes, three relus, one affine node.
    const w1 = [0.5, -0.25, 1, 0.75, -1.5, 0.125, 0.25, 0.5, -0.75].map((d) => new Value(d));
    const w2 = [0.5, -1, 0.25, 0.1].map((d) => new Value(d));
    const rows = [w1.slice(0, 3), w1.slice(3, 6), w1.slice(6, 9)];
    const batch = (x: readonly Value[]) =>
      sum(
        Array.from({ length: 6 }, (_, i) => {
          const input = [x[2 * i] as Value, x[2 * i + 1] as Value];
          const hidden = rows.map((r) => affine(r, input).relu());
          return affine(w2, hidden);
        }),
      );
    const xs = Array.from({ length: 12 }, (_, i) => Math.sin(i + 1));
    rollsAndMatches(batch, [...w1, ...w2], xs, 6, 7);
  });

  it('one node per sample, read by the sum outside the blocks', () => {
    const w = new Value(1.25);
    const batch = (x: readonly Value[]) => sum(x.map((xi) => xi.mul(w)));
    const xs = Array.from({ length: 8 }, (_, i) => Math.cos(i + 2));
    rollsAndMatches(batch, [w], xs, 8, 1);
  });
});
