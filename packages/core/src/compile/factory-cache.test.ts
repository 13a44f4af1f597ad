import { describe, expect, it } from 'vitest';
import { sum } from '../nary.js';
import { Value } from '../value.js';
import { cachedCodeCount } from './codegen.js';
import { compile } from './compile.js';

/** A small net with its own parameters: the same graph shape every time. */
function net(w0: number, w1: number, b: number) {
  const w = [new Value(w0), new Value(w1)];
  const bias = new Value(b);
  const f = compile(({ x, y }) => w[0]!.mul(x).add(w[1]!.mul(x).tanh()).add(bias).sub(y).square(), {
    inputs: ['x', 'y'],
    mode: 'codegen',
  });
  return { f, w, bias };
}

describe('compile: generated code reused across graphs of the same shape', () => {
  it('a second net of the same shape reuses the code, and each net keeps its own parameters', () => {
    const first = net(0.5, -1.5, 0.25);
    const cached = cachedCodeCount();
    const second = net(2, 0.75, -1);
    expect(cachedCodeCount()).toBe(cached);

    // Each against its own gradient worked out by hand at x = 1.5, y = 2:
    // r = w0·x + tanh(w1·x) + b − y; ∂r²/∂w0 = 2r·x, ∂/∂w1 = 2r·(1 − tanh²(w1·x))·x, ∂/∂b = 2r.
    for (const { f, w, bias } of [first, second]) {
      const [w0, w1, b] = [w[0]!.data, w[1]!.data, bias.data];
      const t = Math.tanh(w1 * 1.5);
      const r = w0 * 1.5 + t + b - 2;
      expect(f.backward({ x: 1.5, y: 2 })).toBeCloseTo(r * r, 14);
      expect(w[0]!.grad).toBeCloseTo(2 * r * 1.5, 13);
      expect(w[1]!.grad).toBeCloseTo(2 * r * (1 - t * t) * 1.5, 13);
      expect(bias.grad).toBeCloseTo(2 * r, 13);
    }
    // Training one does not move the other.
    first.f.descend({ x: [1, 2, 3], y: [0, 1, 2] }, 0.01);
    expect(second.w.map((v) => v.data)).toEqual([2, 0.75]);
    expect(second.bias.data).toBe(-1);
  });

  it('two functions of one large shape, whose passes and slots are shared, interleave without mixing', () => {
    // 1,500 tanh(wᵢ·xᵢ) terms: over the size at which slots live in arrays and
    // the passes are made once per source and shared by every function of it.
    const n = 1500;
    const make = (scale: number) => {
      const w = Array.from({ length: n }, (_, i) => new Value((scale * (((i * 7) % 11) - 5)) / 5));
      const f = compile(({ x }) => sum(w.map((wi, i) => wi.mul((x as Value[])[i]!).tanh())), {
        inputs: { x: new Array<number>(n).fill(0) },
        mode: 'codegen',
      });
      return { w, f };
    };
    const a = make(1);
    const cached = cachedCodeCount();
    const b = make(-0.5);
    expect(cachedCodeCount()).toBe(cached); // b's function is made from a's code
    const xs = (k: number) => Array.from({ length: n }, (_, i) => Math.sin(k + i));
    // By hand: Σ tanh(wᵢxᵢ), added left to right, and ∂/∂wᵢ = (1 − tanh²(wᵢxᵢ))·xᵢ.
    const expected = (w: Value[], x: number[]) => {
      let total = 0;
      const grads = w.map((wi, i) => {
        const t = Math.tanh(wi.data * x[i]!);
        total += t;
        return (1 - t * t) * x[i]!;
      });
      return { total, grads };
    };
    // A sample whose element 700 asks b for its gradient while a runs.
    const x1 = xs(1);
    const meddling = new Proxy(x1, {
      get: (target, key) => {
        if (key === '700') b.f.backward({ x: xs(5) });
        return Reflect.get(target, key) as unknown;
      },
    });
    for (const wi of a.w) wi.grad = 0;
    const wantA = expected(a.w, x1);
    expect(a.f.backward({ x: meddling })).toBeCloseTo(wantA.total, 10);
    a.w.forEach((wi, i) => expect(wi.grad).toBeCloseTo(wantA.grads[i]!, 14));
    for (const k of [1, 2, 3]) {
      for (const { w, f } of [a, b, b, a]) {
        for (const wi of w) wi.grad = 0;
        const want = expected(w, xs(k));
        expect(f.backward({ x: xs(k) })).toBeCloseTo(want.total, 10);
        w.forEach((wi, i) => expect(wi.grad).toBeCloseTo(want.grads[i]!, 14));
        expect(f.run({ x: xs(k + 10) })).toBeCloseTo(expected(w, xs(k + 10)).total, 10);
      }
    }
  });

  it('a call made from a getter while another function of the shape runs gets its own answer, and leaves the first its', () => {
    // Distillation: the student's target is a getter that asks a teacher of the
    // same shape. Both compute their own loss and gradients, worked out by hand.
    const student = net(0.5, -1.5, 0.25);
    const teacher = net(2, 0.75, -1);
    let asked = Number.NaN;
    const sample = {
      x: 1.5,
      get y() {
        asked = teacher.f.run({ x: 1.5, y: 0 });
        return 2;
      },
    };
    const byHand = (w0: number, w1: number, b: number, y: number) => {
      const t = Math.tanh(w1 * 1.5);
      const r = w0 * 1.5 + t + b - y;
      return { loss: r * r, grads: [2 * r * 1.5, 2 * r * (1 - t * t) * 1.5, 2 * r] };
    };
    const want = byHand(0.5, -1.5, 0.25, 2);
    expect(student.f.run(sample)).toBeCloseTo(want.loss, 14);
    expect(asked).toBeCloseTo(byHand(2, 0.75, -1, 0).loss, 14);
    expect(student.f.accumulate([sample])).toBeCloseTo(want.loss, 14);
    const grads = [student.w[0]!.grad, student.w[1]!.grad, student.bias.grad];
    grads.forEach((g, i) => expect(g).toBeCloseTo(want.grads[i]!, 13));
    // descend reads its columns in its loop: a getter in one asks the teacher mid-pass.
    const ys = [2, 2];
    Object.defineProperty(ys, 1, {
      get: () => (teacher.f.backward({ x: 1.5, y: 0 }), 2),
      enumerable: true,
    });
    const losses = new Float64Array(2);
    const reference = net(0.5, -1.5, 0.25);
    const referenceLosses = new Float64Array(2);
    reference.f.descend({ x: [1.5, 1.5], y: [2, 2] }, 0.01, referenceLosses);
    const fresh = net(0.5, -1.5, 0.25);
    fresh.f.descend({ x: [1.5, 1.5], y: ys }, 0.01, losses);
    expect(losses).toEqual(referenceLosses);
    expect(fresh.w.map((v) => v.data)).toEqual(reference.w.map((v) => v.data));
    expect(fresh.bias.data).toBe(reference.bias.data);
  });

  it('a getter on a parameter that calls its own function again gets the right numbers', () => {
    const w = new Value(2);
    const b = new Value(3);
    const f = compile(({ x }) => w.mul(x).add(b), { inputs: ['x'], mode: 'codegen' });
    let inner = Number.NaN;
    let depth = 0;
    let bData = 3;
    Object.defineProperty(b, 'data', {
      get: () => {
        if (depth++ === 0) inner = f.run({ x: 10 });
        return bData;
      },
      set: (v: number) => (bData = v),
    });
    expect(f.run({ x: 1 })).toBe(5); // 2·1 + 3
    expect(inner).toBe(23); // 2·10 + 3
  });

  it('a graph of another shape gets code of its own', () => {
    const before = cachedCodeCount();
    const a = new Value(3);
    // A shape no other test compiles: three nested exps.
    const f = compile(({ x }) => a.mul(x).exp().exp().exp(), { inputs: ['x'], mode: 'codegen' });
    expect(cachedCodeCount()).toBe(Math.min(before + 1, 32));
    expect(f.run({ x: -2 })).toBe(Math.exp(Math.exp(Math.exp(3 * -2))));
  });
});
