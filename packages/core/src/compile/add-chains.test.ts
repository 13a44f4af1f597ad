import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SUM } from '../ops.js';
import { Value } from '../value.js';
import { generate } from './codegen.js';
import { compile, record } from './compile.js';
import { layoutOf } from './inputs.js';
import { TapeMachine } from './interpreter.js';
import {
  build,
  eagerAndRecorded,
  wasmOf,
  expectSameBits,
  finite,
  step,
} from './random-graphs.test-support.js';
import { findRepeat } from './repeats.js';
import type { Tape } from './tape.js';

const noGradient = (): never => {
  throw new Error('no gradient');
};

/** A running sum written as micrograd writes it: s = l₀, then s = s + lᵢ. */
function runningSum(terms: readonly Value[]): Value {
  let s = terms[0] as Value;
  for (let i = 1; i < terms.length; i++) s = s.add(terms[i] as Value);
  return s;
}

/** The term counts of the tape's sum nodes. */
const sums = (tape: Tape): number[] =>
  Array.from(tape.op.keys())
    .filter((k) => tape.op[k] === SUM.code)
    .map((k) => tape.n[k] as number);

describe('compile: a running sum of binary adds is replayed as one sum node', () => {
  it('equals eager bit for bit on random per-sample graphs summed by a chain of adds', () => {
    let collapsed = 0;
    let rolled = 0;
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 15 }),
        fc.array(finite, { minLength: 1, maxLength: 3 }),
        fc.array(finite, { minLength: 30, maxLength: 30 }),
        fc.boolean(),
        (steps, p0, xs, scaled) => {
          const params = p0.map((d) => new Value(d));
          const batch = (x: readonly Value[]) => {
            const s = runningSum(
              Array.from({ length: 10 }, (_, i) =>
                build(steps, params, x.slice(3 * i, 3 * i + 3), [0.75]),
              ),
            );
            return scaled ? s.mul(0.1) : s;
          };
          const { expected, layout, tape } = eagerAndRecorded(batch, params, xs);
          if (sums(tape).includes(10)) collapsed++;
          if (findRepeat(tape) !== null) rolled++;
          const runners = [
            ...(['locals', 'arrays'] as const).map((style) =>
              generate(tape, layout, noGradient, style),
            ),
            wasmOf(tape, layout, noGradient),
          ];
          for (const f of runners) {
            params.forEach((p) => (p.grad = 0.5));
            expectSameBits([f.backward({ x: xs }), ...params.map((p) => p.grad)], expected);
          }
          // The interpreter replays the same tape.
          const m = new TapeMachine(tape);
          params.forEach((p) => (p.grad = 0.5));
          xs.forEach((x, i) => (m.data[i] = x));
          m.loadParams();
          m.loadParamGrads();
          const out = m.forward();
          m.backward();
          m.storeParamGrads();
          expectSameBits([out, ...params.map((p) => p.grad)], expected);
        },
      ),
      { seed: 7, numRuns: 120 },
    );
    // Every chain of per-sample results is collapsed, and most batches roll into a loop.
    expect(collapsed).toBe(120);
    expect(rolled).toBeGreaterThan(80);
  });

  it('passes a −0 gradient down the chain as eager does', () => {
    const w = new Value(1.5);
    const terms = (x: Value) => Array.from({ length: 9 }, (_, i) => w.mul(x).add(i).tanh().mul(w));
    const fn = ({ x }: { x: Value }) => runningSum(terms(x)).mul(-0);
    const f = compile(fn, { inputs: ['x'] });
    expect(
      sums(
        record(
          (s) => fn(s as { x: Value }),
          layoutOf(['x'], 't'),
          [],
          () => 2,
          't',
        ),
      ),
    ).toEqual([9]);
    w.grad = -0;
    const eager = fn({ x: new Value(2, { requiresGrad: false }) });
    eager.backward();
    const expected = w.grad;
    w.grad = -0;
    f.backward({ x: 2 });
    expectSameBits([w.grad], [expected]);
  });

  it('leaves alone a chain whose partial sum is read elsewhere, or whose terms are leaves', () => {
    const p = Array.from({ length: 12 }, (_, i) => new Value(0.1 * (i + 1)));
    const fn = ({ x }: { x: Value }) => {
      const products = p.map((pi) => pi.mul(x).tanh());
      const partial = runningSum(products.slice(0, 6)); // also read below
      const whole = runningSum([partial, ...products.slice(6)]);
      const leaves = runningSum(p); // leaf terms: not collapsed
      return whole.mul(partial).add(leaves);
    };
    const layout = layoutOf(['x'], 't');
    const tape = record(
      (s) => fn(s as { x: Value }),
      layout,
      [],
      () => 0.5,
      't',
    );
    // The first five adds stay (the partial sum has two readers, so only the
    // chain above it goes: partial + six terms = 7 < 8 terms stays too);
    // the chain of leaves stays: no sum node at all.
    expect(sums(tape)).toEqual([]);
    for (const mode of ['codegen', 'interpreter'] as const) {
      const f = compile(fn, { inputs: ['x'], mode });
      p.forEach((pi) => (pi.grad = 0));
      const out = f.backward({ x: 0.5 });
      const got = [out, ...p.map((pi) => pi.grad)];
      p.forEach((pi) => (pi.grad = 0));
      const e = fn({ x: new Value(0.5, { requiresGrad: false }) });
      e.backward();
      expectSameBits(got, [e.data, ...p.map((pi) => pi.grad)]);
    }
  });

  it('collapses a chain that is the output, with terms that need no gradient among them', () => {
    const w = new Value(0.75);
    // Terms alternate: from the inputs alone (no gradient) and through w.
    const fn = ({ x }: { x: Value }) =>
      runningSum(
        Array.from({ length: 12 }, (_, i) => (i % 2 ? x.mul(i).tanh() : w.mul(x).add(i).sigmoid())),
      );
    const layout = layoutOf(['x'], 't');
    expect(
      sums(
        record(
          (s) => fn(s as { x: Value }),
          layout,
          [],
          () => 0.3,
          't',
        ),
      ),
    ).toEqual([12]);
    for (const mode of ['codegen', 'interpreter'] as const) {
      const f = compile(fn, { inputs: ['x'], mode });
      w.grad = 0;
      const got = [f.backward({ x: 0.3 }), w.grad];
      w.grad = 0;
      const e = fn({ x: new Value(0.3, { requiresGrad: false }) });
      e.backward();
      expectSameBits(got, [e.data, w.grad]);
    }
  });

  it("turns micrograd's neuron sums and batch loss into loops over the samples", () => {
    // micrograd's MLP 2-4-1: act = ((b + w₀x₀) + w₁x₁), a running sum of the samples' hinge losses.
    const rand = (i: number) => Math.sin(7 * i + 1);
    const neurons = (nin: number, nout: number, at: number) =>
      Array.from({ length: nout }, (_, k) => ({
        w: Array.from({ length: nin }, (_, i) => new Value(rand(at + k * 10 + i))),
        b: new Value(0),
      }));
    const l1 = neurons(2, 8, 0);
    const l2 = neurons(8, 1, 100);
    const params = [...l1, ...l2].flatMap((n) => [...n.w, n.b]);
    const layer = (ns: typeof l1, x: readonly Value[], relu: boolean) =>
      ns.map(({ w, b }) => {
        let act = b;
        for (let i = 0; i < w.length; i++) act = act.add((w[i] as Value).mul(x[i] as Value));
        return relu ? act.relu() : act;
      });
    const samples = 16;
    const loss = (xs: readonly Value[], ys: readonly Value[]) => {
      const losses = Array.from({ length: samples }, (_, i) => {
        const score = layer(l2, layer(l1, [xs[2 * i], xs[2 * i + 1]] as Value[], true), false)[0];
        return (score as Value)
          .mul((ys[i] as Value).neg())
          .add(1)
          .relu();
      });
      return runningSum(losses).mul(1 / samples);
    };
    const xs = Array.from({ length: 2 * samples }, (_, i) => rand(1000 + i));
    const ys = Array.from({ length: samples }, (_, i) => (i % 3 === 0 ? 1 : -1));
    const layout = layoutOf({ xs, ys }, 't');
    const tape = record(
      ({ xs: x, ys: y }) => loss(x as Value[], y as Value[]),
      layout,
      [],
      (i) => layout.examples[i] as number,
      't',
    );
    expect(sums(tape)).toContain(samples);
    expect(findRepeat(tape)?.count).toBe(samples);
    const f = compile(({ xs: x, ys: y }) => loss(x, y), { inputs: { xs, ys }, mode: 'codegen' });
    params.forEach((p) => (p.grad = 0));
    const out = f.backward({ xs, ys });
    const got = [out, ...params.map((p) => p.grad)];
    params.forEach((p) => (p.grad = 0));
    const e = loss(
      xs.map((x) => new Value(x, { requiresGrad: false })),
      ys.map((y) => new Value(y, { requiresGrad: false })),
    );
    e.backward();
    expectSameBits(got, [e.data, ...params.map((p) => p.grad)]);
  });
});
