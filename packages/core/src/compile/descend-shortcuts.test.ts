/**
 * descend's two shortcuts (codegen.ts's descendDotUnit, the interpreter's
 * DescendLoop): a dot whose gradient is 0 is skipped where its operands are
 * finite, and a parameter that one dot alone uses takes its step inside that
 * dot. Both must leave the numbers of the eager loop, bit for bit, in the
 * cases they single out: gradients exactly 0 beside ±∞ and NaN operands, −0
 * parameters, inputs and gradients, a ReLU at exactly 0.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { dot, mul, Value } from '../index.js';
import { generate } from './codegen.js';
import { compile, record } from './compile.js';
import { layoutOf } from './inputs.js';
import { useEvaluatedLoops } from './interpreter.js';
import { wasmReplay } from './wasm-replay.js';
import {
  build,
  eagerDescent,
  expectDescended,
  expectSameBits,
  finite,
  mlpLoss,
  mlpNet,
  step,
  type Step,
} from './random-graphs.test-support.js';

/** A function of a vector input x and a target y over `params`, trained on `xs` (sample after sample) and `ys`. */
interface Problem {
  params: readonly Value[];
  /** Every parameter's value at the start. */
  data: readonly number[];
  /** Every parameter's p.grad at the start (descend starts each step from 0 regardless). */
  grad0: number;
  graph: (x: readonly (Value | number)[], y: Value | number) => Value;
  nin: number;
  xs: readonly number[];
  ys: readonly number[];
  lr: number;
}

/**
 * Every way of running descend on the problem (compile's modes, the
 * interpreter with its evaluated loops, generated code with its slots in
 * locals and in arrays), each from the same start, against the eager loop.
 */
function expectEager(c: Problem): void {
  const { params, nin, lr } = c;
  const count = c.ys.length;
  const reset = (): void =>
    params.forEach((p, i) => {
      p.data = c.data[i] as number;
      p.grad = c.grad0;
    });
  const state = (): number[] => params.flatMap((p) => [p.data, p.grad]);
  reset();
  const before = state();
  const expected = eagerDescent(params, count, lr, (k) =>
    c.graph(c.xs.slice(k * nin, (k + 1) * nin), c.ys[k] as number),
  );
  const fn = ({ x, y }: { readonly x: readonly Value[]; readonly y: Value }): Value =>
    c.graph(x, y);
  const inputs = { x: new Array<number>(nin).fill(0.5), y: 1 };
  const layout = layoutOf(inputs, 'test');
  reset();
  const tape = record(
    (i) => fn(i as { x: Value[]; y: Value }),
    layout,
    [],
    (i) => layout.examples[i] as number,
    'test',
  );
  const noGradient = (): never => {
    throw new Error('no gradient');
  };
  const data = { x: c.xs, y: c.ys };
  const columns = [Float64Array.from(c.xs), Float64Array.from(c.ys)];
  const out = new Float64Array(count);
  const runs: [string, () => number][] = [
    ...(['codegen', 'interpreter'] as const).map((mode): [string, () => number] => {
      const f = compile(fn, { inputs, mode });
      return [mode, () => f.descend(data, lr, out)];
    }),
    [
      'interpreter, evaluated loops',
      () => {
        const f = compile(fn, { inputs, mode: 'interpreter' });
        useEvaluatedLoops(true);
        try {
          return f.descend(data, lr, out);
        } finally {
          useEvaluatedLoops(false);
        }
      },
    ],
    ...(['locals', 'arrays'] as const).map((style): [string, () => number] => [
      style,
      () => generate(tape, layout, noGradient, style).descend(columns, count, lr, out),
    ]),
    [
      'wasm',
      () => {
        const replay = wasmReplay(tape, layout, noGradient);
        if (replay === null) throw new Error('no WebAssembly here');
        return replay.descend(columns, count, lr, out);
      },
    ],
  ];
  for (const [name, run] of runs) {
    reset();
    out.fill(0);
    try {
      if ('failsAt' in expected) {
        expect(run).toThrow(new RegExp(`at sample ${expected.failsAt}, `));
        expectSameBits(state(), before);
      } else {
        const total = run();
        expectSameBits([total], [expected.losses.reduce((s, l) => s + l, 0)]);
        expectDescended(out, params, expected);
      }
    } catch (e) {
      throw new Error(`${name}: ${(e as Error).message}`);
    }
  }
}

interface Mlp {
  sizes: readonly number[];
  /** The parameters' values, repeated as far as needed. */
  weights: readonly number[];
  xs: readonly number[];
  ys: readonly number[];
  lr: number;
  hinge: boolean;
  grad0: number;
}

/** expectEager on an MLP (ReLU hidden layers, linear output), hinge or squared loss. */
function expectMlpEager(c: Mlp): void {
  const net = mlpNet(c.sizes, () => 0);
  const params = net.flat(2);
  expectEager({
    params,
    data: params.map((_, i) => c.weights[i % c.weights.length] as number),
    grad0: c.grad0,
    graph: (x, y) => mlpLoss(net, x, y, c.hinge),
    nin: c.sizes[0] as number,
    xs: c.xs,
    ys: c.ys,
    lr: c.lr,
  });
}

afterEach(() => useEvaluatedLoops(false));

describe('descend: dots with a zero gradient skipped, parameters stepped in their dot', () => {
  // 2-3-1: slots of the weights per neuron [w₀, w₁, b]; the output neuron reads the three hidden.
  const sizes = [2, 3, 1];

  it('skips inactive neurons and an inactive hinge: the eager numbers, −0 weights and inputs kept', () => {
    expectMlpEager({
      sizes,
      // Neuron 0 active, 1 inactive (its sum is −0.5 − 0·…), 2 at exactly 0 (relu′(0) = 0).
      weights: [1, 0.5, 0.25, -0, -1, -0.5, 0, -0, -0, 0.75, -0.25, 0.5, -0],
      // Samples: an ordinary one, one with −0 and 0 inputs, one whose hinge is inactive (y·s > 1).
      xs: [0.5, -0.25, -0, 0, 2, 1],
      ys: [1, -1, 1],
      lr: 0.1,
      hinge: true,
      grad0: -0,
    });
  });

  it('keeps a −0 weight −0 where its dot is skipped, and gives +0 gradients (0 + (−0)), as eager', () => {
    // Every hidden sum is ≤ 0 and the output's gradient 0: nothing moves.
    expectMlpEager({
      sizes,
      weights: [-0, -0, -1, -0, -0, -0.5, -0, -0, -0, -0, -0, -0, -0],
      xs: [3, -0, -0, 0],
      ys: [1, 1],
      lr: 0.5,
      hinge: false,
      grad0: 0.75,
    });
  });

  it('does not skip a dot whose gradient is 0 beside an infinite input: eager meets ∞·0 = NaN and stops', () => {
    // x₀ = ∞ and every hidden weight on x₀ negative: each hidden sum is −∞, relu
    // gives 0 and every hidden dot's gradient is 0, but ∂/∂wⱼ₀ = x₀·0 is NaN:
    // sample 1 fails, and nothing changes.
    expectMlpEager({
      sizes,
      weights: [-1, 0.5, 0.25, -0.5, -0.75, 0.5, -0.25, 0.5, 0.1, 0.5, -0.5, 0.25, 0.125],
      xs: [0.5, 1, Infinity, 1, 0.25, 0.5],
      ys: [1, -1, 1],
      lr: 0.1,
      hinge: false,
      grad0: 0,
    });
  });

  it('does not skip a dot whose gradient is 0 beside a NaN or ∞ input (the node above it times 0)', () => {
    // out = 0·dot(w, x, b) + p·y: ∂out/∂dot = 0, but ∂out/∂wᵢ = xᵢ·0 is NaN for a
    // non-finite xᵢ: eager stops at sample 1 (NaN) and, alone, at sample 2 (∞).
    const w = [new Value(0.5), new Value(-0.25)];
    const b = new Value(0.125);
    const p = new Value(2);
    for (const bad of [Number.NaN, Infinity, -Infinity])
      for (const xs of [
        [1, 2, bad, 1, 0.5, 0.5],
        [1, 2, 0.5, 1, 0.5, bad],
      ])
        expectEager({
          params: [...w, b, p],
          data: [0.5, -0.25, 0.125, 2],
          grad0: 0,
          graph: (x, y) => mul(0, dot(w, x, b)).add(p.mul(y)),
          nin: 2,
          xs,
          ys: [1, -1, 0.5],
          lr: 0.1,
        });
  });

  it('runs a dot whose sum overflowed to −∞ and whose operands are finite: eager’s finite step', () => {
    // w₀·x₀ = −1e200·1e200 = −∞: relu gives 0, every term is finite·0 = ±0, the step succeeds.
    expectMlpEager({
      sizes,
      weights: [-1e200, 0.5, 0.25, 0.5, -0.75, 0.5, 0.25, 0.5, 0.1, 0.5, -0.5, 0.25, 0.125],
      xs: [1e200, 1, 0.5, -1],
      ys: [1, -1],
      lr: 0.1,
      hinge: false,
      grad0: 0,
    });
  });

  it('steps after the pass a bias that four dots share, and a weight that a square reads too', () => {
    // Every neuron's bias is the same Value, and w₈ is read by the output's dot and by w₈²/10.
    const w = [0.5, -0.25, 0.75, 1, -0.5, 0.125, -1, 0.25, 0.5];
    const ws = w.map((d) => new Value(d));
    const shared = new Value(0.25);
    expectEager({
      params: [...ws, shared],
      data: [...w, 0.25],
      grad0: 0,
      graph: (x, y) => {
        const h = [0, 1, 2].map((j) =>
          dot([ws[2 * j] as Value, ws[2 * j + 1] as Value], x, shared).relu(),
        );
        const s = dot([ws[6] as Value, ws[7] as Value, ws[8] as Value], h, shared);
        return s
          .sub(y)
          .square()
          .add((ws[8] as Value).square().div(10));
      },
      nin: 2,
      xs: [0.5, -1, 1, 0.25, -0.5, 2],
      ys: [1, -1, 0.5],
      lr: 0.05,
    });
  });

  it('keeps 105 parameters in arrays beside locals (2-8-8-1) and still equals the eager loop', () => {
    const weights = Array.from({ length: 105 }, (_, i) =>
      i % 7 === 0 ? -0 : Math.sin(3 * i + 1) / 2,
    );
    expectMlpEager({
      sizes: [2, 8, 8, 1],
      weights,
      xs: [0.5, -0.25, -0, 1, 2, -1.5, 0, 0, -1, 0.75],
      ys: [1, -1, 1, 1, -1],
      lr: 0.05,
      hinge: true,
      grad0: 0.5,
    });
  });

  it('writes dots of 33 and 34 pairs as loops over slot tables, and still equals the eager loop', () => {
    // 34-33-2-1: the first layer's dots read 34 inputs, the second's 33 hidden values.
    const weights = Array.from({ length: 1226 }, (_, i) =>
      i % 11 === 0 ? -0 : Math.sin(5 * i + 2) / 4,
    );
    const xs = Array.from({ length: 4 * 34 }, (_, i) => (i % 9 === 0 ? 0 : Math.cos(i) * 2));
    for (const hinge of [true, false]) {
      expectMlpEager({
        sizes: [34, 33, 2, 1],
        weights,
        xs,
        ys: [1, -1, -0, 1],
        lr: 0.05,
        hinge,
        grad0: -0,
      });
    }
  });

  it('adds into a node’s gradient after a dot did, with 70 parameters in V and G and the nodes in locals', () => {
    // h = p₀·x₀ feeds a dot and a product 3h, in both orders; a dot over all
    // 70 parameters puts each in the tape.
    const data = Array.from({ length: 70 }, (_, i) => Math.cos(2 * i + 1));
    const p = data.map((d) => new Value(d));
    for (const dotFirst of [true, false]) {
      expectEager({
        params: p,
        data,
        grad0: 0,
        graph: (x) => {
          const [x0, x1] = x as Value[];
          const h = (p[0] as Value).mul(x0 as Value);
          const d = dot([p[1] as Value, p[2] as Value], [h, x1 as Value], p[3]);
          const t = h.mul(3);
          const all = dot(
            p,
            p.map((_, i) => (i % 2 === 0 ? x0 : x1) as Value),
          );
          return (dotFirst ? d.add(t) : t.add(d)).add(all);
        },
        nin: 2,
        xs: [0.5, -1, 2, 0.25, -0.75, 1.5],
        ys: [0, 0, 0],
        lr: 0.01,
      });
    }
  });

  it('equals the eager loop on random ReLU networks and data, −0, 0 and ∞ among them', () => {
    const special = fc.constantFrom(0, -0, Infinity, -Infinity, Number.NaN, 1e200, -1e200);
    const number = fc.oneof({ weight: 6, arbitrary: finite }, { weight: 1, arbitrary: special });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 2 }),
        fc.array(number, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(number, { minLength: 15, maxLength: 15 }),
        fc.array(fc.constantFrom(1, -1, 0.5, -0), { minLength: 5, maxLength: 5 }),
        fc.constantFrom(0.01, 0.1, 1),
        fc.boolean(),
        (nin, hidden, weights, count, xs, ys, lr, hinge) => {
          expectMlpEager({
            sizes: [nin, ...hidden, 1],
            weights,
            xs: xs.slice(0, nin * count),
            ys: ys.slice(0, count),
            lr,
            hinge,
            grad0: -0,
          });
        },
      ),
      { seed: 17, numRuns: 100 },
    );
  });

  /**
   * expectEager over random graphs of `build` on `count` parameters and an
   * input of three numbers, `around` turning each graph into the one trained.
   */
  function randomGraphs(
    count: number,
    seed: number,
    around: (root: Value, params: readonly Value[], x: readonly Value[]) => Value,
  ): void {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 25 }),
        fc.array(finite, { minLength: count, maxLength: count }),
        fc.array(finite, { minLength: 9, maxLength: 9 }),
        fc.constantFrom(0.001, 0.1),
        (steps: Step[], data, xs, lr) => {
          const params = data.map((d) => new Value(d));
          expectEager({
            params,
            data,
            // Parameters the graph leaves out keep their p.grad; the eager loop zeroes every one.
            grad0: 0,
            graph: (x) => around(build(steps, params, x as Value[], [0.75]), params, x as Value[]),
            nin: 3,
            xs,
            ys: [0, 0, 0],
            lr,
          });
        },
      ),
      { seed, numRuns: 100 },
    );
  }

  it('equals the eager loop on random graphs over every op whose parameters have one use or few, none in a dot of them all', () => {
    // A parameter used once by an op that is not a dot takes its step after
    // the pass (the WebAssembly step once stepped none such).
    randomGraphs(12, 29, (root) => root);
  });

  it('equals the eager loop on random graphs over every op with 70 parameters (kept in V and G)', () => {
    // More parameters than generated code keeps in locals: the slots-in-locals
    // code then runs descend's own pass too, its dots among other ops. A dot
    // over all of them, so that every one is in the tape.
    randomGraphs(70, 23, (root, params, x) =>
      root.add(
        dot(
          params,
          params.map((_, i) => x[i % 3] as Value),
        ),
      ),
    );
  });
});
