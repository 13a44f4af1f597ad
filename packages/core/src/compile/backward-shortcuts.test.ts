/**
 * The replays' shortcut (codegen.ts's ZERO_SAFE_FLAG, the interpreter's
 * BackwardLoop): `backward` and `accumulate` skip a dot whose gradient is 0
 * and whose value is finite, unless a parameter's gradient was −0 when
 * loaded. They must still leave eager `backward()`'s numbers, bit for bit,
 * whatever the parameters' gradients start at (−0, +0, NaN, ±∞, a number),
 * beside ±∞ and NaN operands, a ReLU at exactly 0, and in a batch tape whose
 * blocks are written as a loop.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { dot, sum, Value } from '../index.js';
import { generate, generateSource } from './codegen.js';
import { compile, record } from './compile.js';
import { layoutOf } from './inputs.js';
import { useEvaluatedLoops } from './interpreter.js';
import { findRepeat } from './repeats.js';
import { wasmReplay } from './wasm-replay.js';
import { expectSameBits, finite, mlpLoss, mlpNet } from './random-graphs.test-support.js';

type Item = Value | number;

/** One sample: a vector x and a vector y. */
interface Sample {
  readonly x: readonly number[];
  readonly y: readonly number[];
}

interface Case {
  readonly params: readonly Value[];
  /** Every parameter's value at the start. */
  readonly data: readonly number[];
  /** The parameters' p.grad at the start, repeated as far as needed. */
  readonly grad0: readonly number[];
  readonly graph: (x: readonly Item[], y: readonly Item[]) => Value;
  /** backward runs the first; accumulate all of them. */
  readonly samples: readonly Sample[];
}

interface Expected {
  readonly out: number;
  readonly grads: readonly number[];
}

/**
 * Eager: a graph per sample over plain numbers, backward() into the
 * parameters' gradients (they add up), the outputs summed from 0.
 */
function eagerRun(c: Case, samples: readonly Sample[], reset: () => void): Expected {
  reset();
  let out = 0;
  for (const s of samples) {
    const root = c.graph(s.x, s.y);
    root.backward();
    out += root.data;
  }
  return { out, grads: c.params.map((p) => p.grad) };
}

/** f.backward and f.accumulate, each from the same start, in every engine, against eager. */
function expectEager(c: Case): void {
  const { params, samples } = c;
  const reset = (): void =>
    params.forEach((p, i) => {
      p.data = c.data[i] as number;
      p.grad = c.grad0[i % c.grad0.length] as number;
    });
  const first = samples[0] as Sample;
  const one = eagerRun(c, [first], reset);
  // backward returns the output itself, not 0 + it.
  const oneOut = c.graph(first.x, first.y).data;
  const all = eagerRun(c, samples, reset);
  const fn = ({ x, y }: { readonly x: readonly Value[]; readonly y: readonly Value[] }): Value =>
    c.graph(x, y);
  const inputs = { x: [...first.x].fill(0.5), y: [...first.y].fill(0.5) };
  const layout = layoutOf(inputs, 'test');
  reset();
  const tape = record(
    (i) => fn(i as { x: Value[]; y: Value[] }),
    layout,
    [],
    (i) => layout.examples[i] as number,
    'test',
  );
  const noGradient = (): never => {
    throw new Error('no gradient');
  };
  interface Fns {
    backward(sample: Sample): number;
    accumulate(samples: readonly Sample[]): number;
  }
  const engines: [string, () => Fns, boolean][] = [
    ['codegen', () => compile(fn, { inputs, mode: 'codegen' }), false],
    ['interpreter', () => compile(fn, { inputs, mode: 'interpreter' }), false],
    ['interpreter, evaluated loops', () => compile(fn, { inputs, mode: 'interpreter' }), true],
    ['locals', () => generate(tape, layout, noGradient, 'locals'), false],
    ['arrays', () => generate(tape, layout, noGradient, 'arrays'), false],
    [
      'wasm',
      () => {
        const replay = wasmReplay(tape, layout, noGradient);
        if (replay === null) throw new Error('no WebAssembly here');
        return replay;
      },
      false,
    ],
  ];
  for (const [name, make, evaluated] of engines) {
    const f = make();
    useEvaluatedLoops(evaluated);
    try {
      reset();
      expectSameBits([f.backward(first)], [oneOut]);
      expectSameBits(
        params.map((p) => p.grad),
        one.grads,
      );
      reset();
      expectSameBits([f.accumulate(samples)], [all.out]);
      expectSameBits(
        params.map((p) => p.grad),
        all.grads,
      );
      expectSameBits(
        params.map((p) => p.data),
        c.data,
      );
    } catch (e) {
      throw new Error(`${name}: ${(e as Error).message}`);
    } finally {
      useEvaluatedLoops(false);
    }
  }
}

/** The gradients a parameter may start at: each sort the flag tells apart. */
const STARTS: readonly (readonly number[])[] = [
  [-0],
  [0],
  [Number.NaN],
  [Infinity, -Infinity],
  [0.5, -1.25],
  // One −0 among others: no dot may be skipped.
  [0, 0.5, -0, Infinity, Number.NaN, 0],
];

interface Mlp {
  readonly sizes: readonly number[];
  readonly weights: readonly number[];
  /** Per sample, sizes[0] numbers. */
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  readonly hinge: boolean;
  readonly grad0: readonly number[];
}

function expectMlpEager(c: Mlp): void {
  const net = mlpNet(c.sizes, () => 0);
  const params = net.flat(2);
  const nin = c.sizes[0] as number;
  expectEager({
    params,
    data: params.map((_, i) => c.weights[i % c.weights.length] as number),
    grad0: c.grad0,
    graph: (x, y) => mlpLoss(net, x, y[0] as Item, c.hinge),
    samples: c.ys.map((y, k) => ({ x: c.xs.slice(k * nin, (k + 1) * nin), y: [y] })),
  });
}

afterEach(() => useEvaluatedLoops(false));

describe('backward and accumulate: dots with a zero gradient skipped unless a gradient is −0', () => {
  it('skips inactive neurons and an inactive hinge, from every sort of starting gradient', () => {
    // 2-3-1: the first hidden neuron is off for the first sample (−x₀ − x₁ < 0), the hinge for the second.
    for (const grad0 of STARTS) {
      expectMlpEager({
        sizes: [2, 3, 1],
        weights: [-1, -1, 0, 0.5, -0.25, 0.1, 2, 1, -0, 1, -0.5, 0.75, 0.25],
        xs: [1, 2, -3, 4, 0.5, -0.5],
        ys: [1, -1, 1],
        hinge: true,
        grad0,
      });
    }
  });

  it('keeps a −0 gradient −0 only where eager does: 0·x added to a −0 gradient is +0', () => {
    // One neuron z = w·x + b under an inactive ReLU: eager adds 0·x and 0 into
    // w.grad and b.grad; from −0 that gives +0, a skip would keep −0.
    const w = new Value(-1);
    const b = new Value(-0);
    for (const grad0 of [[-0], [0], [-0, 0.5]]) {
      expectEager({
        params: [w, b],
        data: [-1, -0],
        grad0,
        graph: (x) => dot([w], [x[0] as Item], b).relu(),
        samples: [{ x: [2], y: [0] }],
      });
    }
    w.data = -1;
    w.grad = -0;
    b.grad = -0;
    dot([w], [2], b).relu().backward();
    expect(Object.is(w.grad, 0) && Object.is(b.grad, 0)).toBe(true);
  });

  it('does not skip a dot whose gradient is 0 beside an infinite or NaN input: 0·∞ is NaN', () => {
    // z = w₀x₀ + w₁x₁ + b is −∞ or NaN under an inactive ReLU: its gradient is
    // 0, but eager adds 0·∞ = NaN into w₀.grad.
    const p = [new Value(-1), new Value(0.5), new Value(0.25), new Value(2)];
    for (const x0 of [Infinity, -Infinity, Number.NaN]) {
      for (const grad0 of STARTS) {
        expectEager({
          params: p,
          data: [-1, 0.5, 0.25, 2],
          grad0,
          graph: (x) =>
            dot([p[0] as Value, p[1] as Value], [x[0] as Item, x[1] as Item], p[2])
              .relu()
              .add((p[3] as Value).mul(x[1] as Item)),
          samples: [
            { x: [x0, 1], y: [0] },
            { x: [1, 1], y: [0] },
            { x: [-x0, -1], y: [0] },
          ],
        });
      }
    }
  });

  it('skips a dot under a ReLU at exactly 0 (relu′(0) = 0)', () => {
    // z = 2·1 + (−2) = 0 exactly for the first sample.
    const w = new Value(2);
    const b = new Value(-2);
    const c = new Value(3);
    for (const grad0 of STARTS) {
      expectEager({
        params: [w, b, c],
        data: [2, -2, 3],
        grad0,
        graph: (x) => dot([c], [dot([w], [x[0] as Item], b).relu()]),
        samples: [
          { x: [1], y: [0] },
          { x: [-0], y: [0] },
          { x: [1.5], y: [0] },
        ],
      });
    }
  });

  it('keeps the bits of a shared bias, a parameter and a node read as dot inputs, an input read by several dots', () => {
    const p = Array.from({ length: 7 }, () => new Value(0));
    const [p0, p1, p2, p3, p4, p5, p6] = p as [Value, Value, Value, Value, Value, Value, Value];
    const graph = (x: readonly Item[]): Value => {
      const [x0, x1] = x as [Item, Item];
      const h = dot([p0, p1], [x0, x1], p2).relu();
      // h, an interior node, and p4, a parameter, as a dot's inputs; p2 a second time as bias.
      const d1 = dot([p3, h], [x0, p4], p2).relu();
      const d2 = dot([p5, p6], [h, x0], p2).relu();
      return dot([d1, d2], [h, p6]).add(d2);
    };
    const data = [-1, 0.5, -0, 0.75, -2, 1.5, -0.5];
    for (const grad0 of STARTS) {
      expectEager({
        params: p,
        data,
        grad0,
        graph,
        samples: [
          { x: [1, 1], y: [0] },
          { x: [-1, 3], y: [0] },
          { x: [0, -0], y: [0] },
          { x: [2, -1], y: [0] },
        ],
      });
    }
  });

  it('skips inside a batch tape whose 6 per-sample blocks are one loop, in generated code and the interpreter', () => {
    // W1's shape, smaller: Σₖ relu(1 − yₖ·sₖ) over a 2-3-1 MLP, plus an L2 term.
    const net = mlpNet([2, 3, 1], () => 0);
    const params = net.flat(2);
    const count = 6;
    const graph = (x: readonly Item[], y: readonly Item[]): Value => {
      const hinges = Array.from({ length: count }, (_, k) =>
        mlpLoss(net, x.slice(2 * k, 2 * k + 2), y[k] as Item, true),
      );
      return sum(hinges).add(dot(params, params).mul(0.001));
    };
    const weights = [-1, -1, 0, 0.5, -0.25, 0.1, 2, 1, -0, 1, -0.5, 0.75, 0.25];
    const xs = [1, 2, -3, 4, 0.5, -0.5, 2, 2, -1, 0, 0.25, 3];
    const ys = [1, -1, 1, 1, -1, -1];
    const layout = layoutOf({ x: xs, y: ys }, 'test');
    const tape = record(
      (i) => graph((i as { x: Value[] }).x, (i as { y: Value[] }).y),
      layout,
      [],
      (i) => layout.examples[i] as number,
      'test',
    );
    expect(findRepeat(tape)?.count).toBe(count);
    // The loop's block, and in it the guard of each of its 4 dots.
    const block = generateSource(tape, layout, 'arrays')
      .split('function blockBackward(b)')[1]
      ?.split('\nfunction ')[0];
    expect(block?.match(/if \(zsafe === 0 \|\| /g)?.length).toBe(4);
    const batches = [
      { x: xs, y: ys },
      { x: xs.map((v) => -v), y: ys },
      { x: xs.map((v, i) => (i % 3 === 0 ? Infinity : v)), y: ys },
    ];
    for (const grad0 of STARTS) {
      expectEager({
        params,
        data: params.map((_, i) => weights[i] as number),
        grad0,
        graph,
        samples: batches,
      });
    }
  });

  it('equals eager on random ReLU networks, inputs and starting gradients, −0, 0, ±∞ and NaN among them', () => {
    const special = fc.constantFrom(0, -0, Infinity, -Infinity, Number.NaN);
    const number = fc.oneof({ weight: 5, arbitrary: finite }, { weight: 1, arbitrary: special });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }),
        fc.array(number, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.oneof(number, fc.constant(0), fc.constant(-1)), {
          minLength: 12,
          maxLength: 12,
        }),
        fc.array(fc.constantFrom(1, -1, 0.5, -0), { minLength: 4, maxLength: 4 }),
        fc.array(number, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (nin, hidden, weights, count, xs, ys, grad0, hinge) => {
          expectMlpEager({
            sizes: [nin, ...hidden, 1],
            weights,
            xs: xs.slice(0, nin * count),
            ys: ys.slice(0, count),
            hinge,
            grad0,
          });
        },
      ),
      { seed: 1717, numRuns: 150 },
    );
  });
});
