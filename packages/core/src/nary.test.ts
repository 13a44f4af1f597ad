import { describe, expect, it } from 'vitest';
import { affine, dot, sum, Value } from './index.js';

describe('sum', () => {
  it('is one node whose operands each get the full gradient', () => {
    const a = new Value(1.5);
    const b = new Value(-2);
    const s = sum([a, b, 4, a]);
    expect(s.op).toBe('sum');
    expect(s.operands).toHaveLength(4);
    expect(s.data).toBe(1.5 - 2 + 4 + 1.5);
    s.backward();
    expect(a.grad).toBe(2); // used twice
    expect(b.grad).toBe(1);
  });

  it('adds left to right, as ((v0 + v1) + v2) + …', () => {
    const xs = [0.1, 0.2, 0.3, 1e16, -1e16];
    let expected = 0.1;
    for (const x of xs.slice(1)) expected = expected + x;
    expect(sum(xs).data).toBe(expected);
  });

  it('rejects an empty array and non-numbers', () => {
    expect(() => sum([])).toThrow(RangeError);
    expect(() => sum([])).toThrow(/empty array/);
    expect(() => sum([1, 'x' as unknown as number])).toThrow(
      /values\[1\] to be a Value or a number, received string "x"/,
    );
    expect(() => sum(3 as unknown as number[])).toThrow(TypeError);
  });
});

describe('dot', () => {
  it('is one node with ∂/∂w = x, ∂/∂x = w and ∂/∂bias = 1', () => {
    const w = [new Value(2), new Value(-1), new Value(0.5)];
    const x = [new Value(3), new Value(4, { requiresGrad: false }), new Value(-2)];
    const b = new Value(0.25);
    const y = dot(w, x, b);
    expect(y.op).toBe('dot');
    expect(y.data).toBe(2 * 3 + -1 * 4 + 0.5 * -2 + 0.25);
    y.backward();
    expect(w.map((v) => v.grad)).toEqual([3, 4, -2]);
    expect(x.map((v) => v.grad)).toEqual([2, 0, 0.5]); // x[1] needs no gradient
    expect(b.grad).toBe(1);
  });

  it('takes plain numbers as constant inputs', () => {
    const w = [new Value(2), new Value(3)];
    const y = dot(w, [5, 7]);
    y.backward();
    expect(y.data).toBe(31);
    expect(w.map((v) => v.grad)).toEqual([5, 7]);
  });

  it('rejects mismatched lengths and bad items, and builds nothing', () => {
    expect(() => dot([1, 2], [1])).toThrow(RangeError);
    expect(() => dot([1, 2], [1])).toThrow(/2 weights and 1 inputs/);
    expect(() => dot([], [])).toThrow(RangeError);
    expect(() => dot([1], [undefined as unknown as number])).toThrow(
      /inputs\[0\] to be a Value or a number, received undefined/,
    );
    expect(() => dot([1], [1], 'b' as unknown as number)).toThrow(TypeError);
  });
});

describe('dot keeps copies', () => {
  it('changing the arrays afterwards changes neither the operands nor the gradients', () => {
    const w = [new Value(2), new Value(3)];
    const x = [new Value(5), new Value(7)];
    const y = dot(w, x);
    const [w0, w1] = w as [Value, Value];
    w[0] = new Value(100);
    x[1] = new Value(100);
    expect(y.operands.map((v) => v.data)).toEqual([2, 5, 3, 7]);
    y.backward();
    expect([w0.grad, w1.grad]).toEqual([5, 7]);
  });
});

describe('affine', () => {
  it('is the dot node of a neuron: weights then bias in one array, the same numbers', () => {
    const params = [new Value(2), new Value(-1), new Value(0.5), new Value(0.25)];
    const x = [new Value(3), new Value(4, { requiresGrad: false }), new Value(-2)];
    const y = affine(params, x);
    expect(y.op).toBe('dot');
    expect(y.data).toBe(2 * 3 + -1 * 4 + 0.5 * -2 + 0.25);
    expect(y.operands).toEqual([params[0], x[0], params[1], x[1], params[2], x[2], params[3]]);
    y.backward();
    expect(params.map((v) => v.grad)).toEqual([3, 4, -2, 1]);
    expect(x.map((v) => v.grad)).toEqual([2, 0, 0.5]);
  });

  it('lets one inputs array serve many nodes, each with its own gradient', () => {
    const x = [new Value(1.5), new Value(-2)];
    const p = [new Value(1), new Value(2), new Value(3)];
    const q = [new Value(-1), new Value(0.5), new Value(0)];
    const out = affine(p, x).mul(affine(q, x));
    out.backward();
    // out = A·B, A = x0 + 2·x1 + 3 = 0.5 and B = −x0 + 0.5·x1 = −2.5 at x = (1.5, −2)
    expect(out.data).toBe(-1.25);
    // ∂out/∂xᵢ = pᵢ·B + qᵢ·A (both sums exact in doubles)
    expect(x.map((v) => v.grad)).toEqual([-3, -4.75]);
    expect(p.map((v) => v.grad)).toEqual([1.5 * -2.5, -2 * -2.5, -2.5]);
  });

  it("turns plain numbers into constants in a copy, leaving the caller's array alone", () => {
    const w = [new Value(2), new Value(3), new Value(1)];
    const inputs: (number | Value)[] = [5, 7];
    const y = affine(w, inputs);
    inputs[0] = new Value(100);
    expect(y.operands.map((v) => v.data)).toEqual([2, 5, 3, 7, 1]);
    y.backward();
    expect(w.map((v) => v.grad)).toEqual([5, 7, 1]);
  });

  it('rejects a wrong count, an empty input and bad items, naming them', () => {
    expect(() => affine([1, 2], [1, 2])).toThrow(RangeError);
    expect(() => affine([1, 2], [1, 2])).toThrow(
      /expected 3 numbers or Values \(2 weights and the bias\) for 2 inputs, received 2/,
    );
    expect(() => affine([1], [])).toThrow(/at least one input/);
    expect(() => affine([1, 'b' as unknown as number], [1])).toThrow(
      /affine\(weightsAndBias\): expected weightsAndBias\[1\] to be a Value or a number, received string "b"/,
    );
    expect(() => affine([1, 2], [null as unknown as number])).toThrow(/inputs\[0\]/);
    expect(() => affine(3 as unknown as number[], [1])).toThrow(TypeError);
  });
});

// affine takes arrays of Values in a loop of its own (nary.ts keptValues), and
// anything else in the general loop: a bad item found late, a plain number, a
// compile input, must each still get what the general loop gives it.
describe('affine over arrays of Values', () => {
  const vs = (...xs: number[]): Value[] => xs.map((x) => new Value(x));

  it('names a bad item met after Values, in either array, and makes nothing', () => {
    expect(() => affine([...vs(1, 2), 'b' as unknown as Value], vs(3, 4))).toThrow(
      /affine\(weightsAndBias\): expected weightsAndBias\[2\] to be a Value or a number, received string "b"/,
    );
    expect(() => affine(vs(1, 2, 3), [new Value(1), {} as unknown as Value])).toThrow(
      /affine\(inputs\): expected inputs\[1\] to be a Value or a number, received/,
    );
  });

  it('gives the same node for Values as for the same numbers through dot', () => {
    const w = vs(0.1, -0.7, 1e-8, 3.5);
    const x = vs(-2.5, 0.3, 7);
    const y = affine(w, x);
    // ((w0·x0 + w1·x1) + w2·x2) + b, by hand
    expect(Object.is(y.data, 0.1 * -2.5 + -0.7 * 0.3 + 1e-8 * 7 + 3.5)).toBe(true);
    // −0 products: the first product starts the sum as it is, so all −0 stays −0
    expect(Object.is(affine(vs(-0, 1, -0), vs(1, -0)).data, -0)).toBe(true);
  });

  it('takes a constant in the middle of an array of Values into a copy', () => {
    const w: (Value | number)[] = [new Value(2), 5, new Value(1)];
    const x = vs(3, 4);
    const y = affine(w, x);
    expect(y.data).toBe(2 * 3 + 5 * 4 + 1);
    expect(w[1]).toBe(5); // the caller's array is left alone
    y.backward();
    expect((x[1] as Value).grad).toBe(5);
  });
});

describe('exactness', () => {
  it('a neuron equals the same arithmetic written out by hand, bit for bit', () => {
    // A tanh neuron feeding a relu neuron, as in a small MLP, with awkward numbers.
    const wIn = [0.7310585786300049, -1.2345678901234567, 0.3333333333333333];
    const xIn = [0.1, -2.718281828459045, 1e-3];
    const bIn = -0.4142135623730951;
    const v = 1.618033988749895;

    const w = wIn.map((d) => new Value(d));
    const b = new Value(bIn);
    const out = new Value(v);
    const h = dot(w, xIn, b).tanh();
    const y = h.mul(out).relu();
    y.backward();

    // By hand, in the order documented for dot: ((w0x0 + w1x1) + w2x2) + b.
    let s = (wIn[0] as number) * (xIn[0] as number);
    s = s + (wIn[1] as number) * (xIn[1] as number);
    s = s + (wIn[2] as number) * (xIn[2] as number);
    s = s + bIn;
    const hh = Math.tanh(s);
    const yy = hh * v;
    const relu = yy > 0 ? yy : 0;
    const dy = yy > 0 ? 1 : 0;
    const dOut = hh * dy;
    const dh = v * dy;
    const ds = (1 - hh * hh) * dh;

    expect(Object.is(y.data, relu)).toBe(true);
    expect(Object.is(out.grad, dOut)).toBe(true);
    expect(Object.is(b.grad, ds)).toBe(true);
    w.forEach((wi, i) => expect(Object.is(wi.grad, (xIn[i] as number) * ds)).toBe(true));
  });
});
