import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dot, sum, Value } from '../index.js';
import { generateSource } from './codegen.js';
import { compile, record, type CompileMode } from './compile.js';
import { layoutOf } from './inputs.js';
import {
  build,
  eagerDescent,
  expectDescended,
  expectSameBits,
  finite,
  generatedStyles,
  step,
  type Descended,
  type Step,
} from './random-graphs.test-support.js';

const MODES: readonly CompileMode[] = ['codegen', 'interpreter'];

const state = (params: readonly Value[]): number[] => params.flatMap((p) => [p.data, p.grad]);

describe('descend: online gradient descent, fused', () => {
  it('takes the notebook’s steps for y = m·x + c: the hand-derived update, bit for bit', () => {
    const xs = [0.5, -1.25, 2, 3.75, -0.3];
    const ys = xs.map((x) => 3 * x + 4 + Math.sin(7 * x) / 10);
    const lr = 0.05;
    // d = (m·x + c) − y; ∂(d²)/∂m = x·(2d), ∂(d²)/∂c = 2d.
    let m = 0.25;
    let c = -0.5;
    const losses: number[] = [];
    let gm = 0;
    let gc = 0;
    xs.forEach((x, k) => {
      const d = m * x + c - (ys[k] as number);
      losses.push(d * d);
      gc = 2 * d;
      gm = x * gc;
      m -= lr * gm;
      c -= lr * gc;
    });
    for (const mode of MODES) {
      const pm = new Value(0.25, { label: 'm' });
      const pc = new Value(-0.5, { label: 'c' });
      const f = compile(({ x, y }) => pm.mul(x).add(pc).sub(y).square(), {
        inputs: ['x', 'y'],
        mode,
      });
      const out = new Float64Array(xs.length);
      const total = f.descend({ x: xs, y: Float64Array.from(ys) }, lr, out);
      expectSameBits(Array.from(out), losses);
      expectSameBits([total], [losses.reduce((s, l) => s + l, 0)]);
      expectSameBits([pm.data, pc.data, pm.grad, pc.grad], [m, c, gm, gc]);
    }
  });

  it('equals the eager loop on random graphs with a vector input, in every way of running a tape', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 25 }),
        fc.array(finite, { minLength: 1, maxLength: 4 }),
        fc.array(fc.array(finite, { minLength: 3, maxLength: 3 }), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.constantFrom(0.001, 0.01, 0.1),
        fc.boolean(),
        (steps: Step[], p0, samples, lr, freezeLast) => {
          const params = p0.map((d) => new Value(d));
          // params[0] stays trained: the root adds it, so the root always needs a gradient.
          if (freezeLast && params.length > 1) (params.at(-1) as Value).requiresGrad = false;
          const start = state(params);
          const reset = (): void =>
            params.forEach((p, i) => {
              p.data = start[2 * i] as number;
              p.grad = start[2 * i + 1] as number;
            });
          const expected = eagerDescent(params, samples.length, lr, (k) =>
            build(
              steps,
              params,
              (samples[k] as number[]).map((x) => new Value(x, { requiresGrad: false })),
              [0.75],
            ),
          );
          reset();
          const column = Float64Array.from(samples.flat());
          const runs: (() => number)[] = [
            ...MODES.map((mode) => {
              const f = compile(({ x }) => build(steps, params, x, [0.75]), {
                inputs: { x: [0.5, -0.25, 1.5] },
                mode,
                check: false,
              });
              return () => f.descend({ x: column }, lr, out);
            }),
            ...generatedStyles(steps, params).map(
              (g) => () => g.descend([column], samples.length, lr, out),
            ),
          ];
          const out = new Float64Array(samples.length);
          for (const run of runs) {
            reset();
            out.fill(0);
            if ('failsAt' in expected) {
              expect(run).toThrow(new RegExp(`at sample ${expected.failsAt}, `));
              expectSameBits(state(params), start);
            } else {
              run();
              expectDescended(out, params, expected);
            }
          }
        },
      ),
      { seed: 7, numRuns: 200 },
    );
  });

  it('keeps many parameters in arrays and still equals the eager loop', () => {
    // 70 weights: more than the generated code keeps in locals.
    const init = Array.from({ length: 70 }, (_, i) => Math.sin(i + 1) / 4);
    const xs = [0.5, -1, 0.25, 2];
    const ys = [1, -1, 0.5, 0];
    const lr = 0.02;
    const weights = init.map((w) => new Value(w));
    const graph = (x: Value | number, y: Value | number): Value =>
      dot(
        weights,
        weights.map((_, i) => (x instanceof Value ? x.mul(i / 70) : (x * i) / 70)),
      )
        .tanh()
        .sub(y)
        .square();
    const expected = eagerDescent(weights, xs.length, lr, (k) =>
      graph(xs[k] as number, ys[k] as number),
    ) as Descended;
    for (const mode of MODES) {
      weights.forEach((w, i) => {
        w.data = init[i] as number;
        w.grad = 0;
      });
      const f = compile(({ x, y }) => graph(x, y), { inputs: ['x', 'y'], mode });
      const out = new Float64Array(xs.length);
      f.descend({ x: xs, y: ys }, lr, out);
      expectDescended(out, weights, expected);
    }
  });

  it('takes the loss before the update where the output is a parameter itself', () => {
    // out = p: each loss is p before its step, ∂out/∂p = 1, p ← p − 0.5.
    for (const mode of MODES) {
      const p = new Value(5);
      const f = compile(() => p, { inputs: ['x'], mode, check: false });
      const losses = new Float64Array(3);
      expect(f.descend({ x: [1, 2, 3] }, 0.5, losses)).toBe(13.5);
      expect(Array.from(losses)).toEqual([5, 4.5, 4]);
      expect([p.data, p.grad]).toEqual([3.5, 1]);
    }
  });

  it('reads every input before writing losses, so losses may be one of the columns', () => {
    for (const mode of MODES) {
      const run = (alias: boolean): number[] => {
        const w = new Value(0.5);
        const f = compile(({ x, y }) => w.mul(x).sub(y).square(), { inputs: ['x', 'y'], mode });
        const y = Float64Array.from([1, 2, 3]);
        const losses = alias ? y : new Float64Array(3);
        f.descend({ x: [1, 2, 3], y }, 0.01, losses);
        return [...losses, w.data];
      };
      expectSameBits(run(true), run(false));
    }
  });

  it('after a longer call, writes a shorter call’s losses only, and a failed one none', () => {
    for (const mode of MODES) {
      // out = p·x: the loss is p·x before the step, ∂out/∂p = x, p ← p − lr·x.
      const p = new Value(5);
      const f = compile(({ x }) => p.mul(x), { inputs: ['x'], mode });
      const losses = new Float64Array(3);
      expect(f.descend({ x: [1, 1, 1] }, 0.5, losses)).toBe(13.5);
      expect(Array.from(losses)).toEqual([5, 4.5, 4]);
      losses.fill(9);
      // 3.5·2 = 7; p = 3.5 − 0.25·2 = 3.
      expect(f.descend({ x: [2] }, 0.25, losses)).toBe(7);
      expect([...losses, p.data, p.grad]).toEqual([7, 9, 9, 3, 2]);
      losses.fill(9);
      // 3 − 1e10·1e300 overflows to −∞ at the only step.
      expect(() => f.descend({ x: [1e300] }, 1e10, losses)).toThrow(RangeError);
      expect([...losses, p.data, p.grad]).toEqual([9, 9, 9, 3, 2]);
    }
  });

  it('passed the same data object again, reads its new numbers and checks the arrays put in it', () => {
    for (const mode of MODES) {
      const w = new Value(1);
      const f = compile(({ x, y }) => w.mul(x).sub(y).square(), { inputs: ['x', 'y'], mode });
      const data: { x: ArrayLike<number>; y: ArrayLike<number> } = {
        x: Float64Array.of(1),
        y: Float64Array.of(3),
      };
      // (1·1 − 3)² = 4; ∂/∂w = 2·(w·x − y)·x = −4; w = 1 − 0.25·(−4) = 2.
      expect(f.descend(data, 0.25)).toBe(4);
      expect(w.data).toBe(2);
      (data.x as Float64Array)[0] = 2;
      // (2·2 − 3)² = 1; ∂/∂w = 2·1·2 = 4; w = 2 − 0.25·4 = 1.
      expect(f.descend(data, 0.25)).toBe(1);
      expect(w.data).toBe(1);
      data.x = [1, 'a'] as unknown as number[];
      expect(() => f.descend(data, 0.25)).toThrow(
        /descend\(data, lr, losses\): expected data\.x\[1\] to be a number, received/,
      );
      data.x = Float64Array.of(1, 2);
      expect(() => f.descend(data, 0.25)).toThrow(
        'descend(data, lr, losses): every column must hold the same number of samples: data.x holds 2, data.y holds 1',
      );
      expect([w.data, w.grad]).toEqual([1, 4]);
      // A typed array over a resizable buffer: the same array, shorter.
      const Resizable = ArrayBuffer as unknown as new (
        bytes: number,
        options: { maxByteLength: number },
      ) => ArrayBuffer & { resize(bytes: number): void };
      const buffer = new Resizable(16, { maxByteLength: 16 });
      const tracking = { x: new Float64Array(buffer).fill(1), y: Float64Array.of(3, 3) };
      // w = 1: (1 − 3)² = 4 at each of the two steps, ∂/∂w = −4: w = 1 + 0.125·4 = 1.5 …
      expect(f.descend(tracking, 0.125)).toBe(4 + (1.5 - 3) ** 2);
      buffer.resize(8);
      expect(() => f.descend(tracking, 0.125)).toThrow(
        'every column must hold the same number of samples: data.x holds 1, data.y holds 2',
      );
    }
  });

  it('with no samples returns 0 and changes nothing', () => {
    for (const mode of MODES) {
      const w = new Value(2);
      w.grad = 0.5;
      const f = compile(({ x }) => w.mul(x), { inputs: ['x'], mode });
      expect(f.descend({ x: [] }, 0.1)).toBe(0);
      expect([w.data, w.grad]).toEqual([2, 0.5]);
    }
  });
});

describe('generated code: a gradient’s first term is not added to 0', () => {
  it('writes it as a select (or a copy of an op node’s gradient), in backward and in descend', () => {
    const m = new Value(0.5);
    const c = new Value(-1);
    const layout = layoutOf(['x', 'y'], 'test');
    const tape = record(
      ({ x, y }) =>
        m
          .mul(x as Value)
          .add(c)
          .sub(y as Value)
          .square(),
      layout,
      [],
      (i) => layout.examples[i] as number,
      'test',
    );
    const source = generateSource(tape, layout, 'locals');
    // (m·x + c − y)²: slots x 0, y 1, m 2, c 3, m·x 4, +c 5, −y 6, square 7.
    expect(source).toMatch(/const first = \(\(2 \* v6\) \* g7\); g6 = first === 0 \? 0 : first;/);
    expect(source).toMatch(/\bg5 = g6;/);
    expect(source).toMatch(/\bg4 = g5;/);
    expect(source).not.toMatch(/\bg[4-6] \+=/);
    // descend starts the parameters' gradients at 0 too; backward adds to p.grad.
    const descend = source.slice(source.indexOf('function descend'));
    expect(descend).toMatch(/\bg3 = g5;/);
    expect(descend).toMatch(/const first = \(v0 \* g4\); g2 = first === 0 \? 0 : first;/);
    const backward = source.slice(
      source.indexOf('function backward'),
      source.indexOf('function accumulate'),
    );
    expect(backward).toMatch(/\bg3 \+= g5;/);
    expect(backward).toMatch(/\bg2 \+= \(v0 \* g4\);/);
  });
});

describe('descend: bad input', () => {
  const setup = (mode: CompileMode) => {
    const m = new Value(0.5, { label: 'm' });
    const c = new Value(-1, { label: 'c' });
    m.grad = 0.25;
    const f = compile(({ x, y }) => m.mul(x).add(c).sub(y).square(), { inputs: ['x', 'y'], mode });
    const unchanged = (): void =>
      expect([m.data, m.grad, c.data, c.grad]).toEqual([0.5, 0.25, -1, 0]);
    return { f, m, c, unchanged };
  };

  it('names what is wrong with data, lr or losses, and changes nothing', () => {
    const cases: [unknown, unknown, unknown, ErrorConstructor, RegExp][] = [
      [
        null,
        0.1,
        undefined,
        TypeError,
        /expected data to be an object with a column per input \(x, y\), received null/,
      ],
      [[1, 2], 0.1, undefined, TypeError, /expected data to be an object/],
      [{ x: [1], y: [2], z: [3] }, 0.1, undefined, TypeError, /unknown input 'z' in data/],
      [{ x: [1] }, 0.1, undefined, TypeError, /missing input 'y' in data/],
      [
        { x: 1, y: [2] },
        0.1,
        undefined,
        TypeError,
        /expected data\.x to be an array of numbers, received number 1/,
      ],
      [
        { x: [1, '2'], y: [2, 3] },
        0.1,
        undefined,
        TypeError,
        /expected data\.x\[1\] to be a number, received string/,
      ],
      [
        { x: [1, 2], y: [2] },
        0.1,
        undefined,
        RangeError,
        /every column must hold the same number of samples: data\.x holds 2, data\.y holds 1/,
      ],
      [
        { x: [1], y: [2] },
        0,
        undefined,
        RangeError,
        /expected lr to be a positive finite number, received number 0/,
      ],
      [
        { x: [1], y: [2] },
        -0.1,
        undefined,
        RangeError,
        /expected lr to be a positive finite number/,
      ],
      [
        { x: [1], y: [2] },
        Number.NaN,
        undefined,
        RangeError,
        /expected lr to be a positive finite number/,
      ],
      [
        { x: [1], y: [2] },
        Infinity,
        undefined,
        RangeError,
        /expected lr to be a positive finite number/,
      ],
      [
        { x: [1], y: [2] },
        '0.1',
        undefined,
        TypeError,
        /expected lr to be a positive finite number, received string/,
      ],
      [
        { x: [1, 2], y: [2, 3] },
        0.1,
        new Float64Array(1),
        RangeError,
        /expected losses to hold at least 2 numbers \(one per sample\), received 1/,
      ],
      [{ x: [1], y: [2] }, 0.1, [0], TypeError, /expected losses to be a Float64Array, received/],
    ];
    for (const mode of MODES) {
      const { f, unchanged } = setup(mode);
      for (const [data, lr, losses, type, message] of cases) {
        const call = (): number =>
          (f.descend as (d: unknown, lr: unknown, l?: unknown) => number)(data, lr, losses);
        expect(call).toThrow(type);
        expect(call).toThrow(message);
        unchanged();
      }
    }
  });

  it('checks the rows of a vector input', () => {
    for (const mode of MODES) {
      const w = [new Value(1), new Value(2), new Value(3)];
      const f = compile(({ x }) => dot(w, x), { inputs: { x: [0, 0, 0] }, mode });
      expect(() => f.descend({ x: [1, 2, 3, 4] }, 0.1)).toThrow(
        /input 'x' is a vector of 3, so data\.x must hold 3 numbers per sample, row after row; received 4 numbers/,
      );
      expect(w.map((v) => v.data)).toEqual([1, 2, 3]);
    }
  });

  it('stops at a non-finite gradient or parameter, names the sample and the parameter, and changes nothing', () => {
    for (const mode of MODES) {
      const m = new Value(1, { label: 'm' });
      // ∂/∂m of sqrt(m·x) is x·(0.5/sqrt(m·x)): 0·∞ = NaN where x = 0 (sample 2).
      const f = compile(({ x }) => m.mul(x).sqrt(), { inputs: ['x'], mode });
      const losses = new Float64Array(4).fill(7);
      expect(() => f.descend({ x: [1, 2, 0, 3] }, 0.01, losses)).toThrow(
        /descend\(data, lr, losses\): at sample 2, the gradient of f\.parameters\[0\] \('m'\) is NaN; nothing was changed/,
      );
      expect([m.data, m.grad]).toEqual([1, 0]);
      expect(Array.from(losses)).toEqual([7, 7, 7, 7]);
      // A finite gradient times a huge rate: the new value overflows at sample 0.
      const g = compile(({ x }) => sum([m.mul(x), m]), { inputs: ['x'], mode });
      expect(() => g.descend({ x: [1e300] }, 1e10)).toThrow(
        /at sample 0, the update would make f\.parameters\[0\] \('m'\) -Infinity; nothing was changed \(is lr too large\?\)/,
      );
      expect([m.data, m.grad]).toEqual([1, 0]);
    }
  });

  it('refuses an output that needs no gradient', () => {
    for (const mode of MODES) {
      const k = new Value(2, { requiresGrad: false });
      const f = compile(({ x }) => k.mul(x), { inputs: ['x'], mode });
      expect(() => f.descend({ x: [1] }, 0.1)).toThrow(/does not require a gradient/);
    }
  });
});
