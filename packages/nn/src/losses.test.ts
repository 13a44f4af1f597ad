import { readFileSync } from 'node:fs';
import { compile, Value } from '@ag/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropyWithLogits,
  hinge,
  huber,
  l2Penalty,
  mae,
  mse,
  softmaxCrossEntropy,
} from './losses.js';

/**
 * Checks the backward gradient of f at `inputs` against central differences
 * (f(x + h) − f(x − h)) / 2h, computed here with plain forward calls.
 */
function expectGradientMatchesCentralDifferences(
  f: (xs: Value[]) => Value,
  inputs: number[],
  h = 1e-6,
): void {
  const xs = inputs.map((x) => new Value(x));
  f(xs).backward();
  inputs.forEach((x, i) => {
    const at = (d: number): number => f(inputs.map((v, j) => new Value(j === i ? x + d : v))).data;
    const numeric = (at(h) - at(-h)) / (2 * h);
    expect(Math.abs((xs[i] as Value).grad - numeric)).toBeLessThan(
      1e-6 * Math.max(1, Math.abs(numeric)),
    );
  });
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describe('loss values worked by hand', () => {
  it('mse: mean and sum of squared errors', () => {
    // (1.5 − 1)² = 0.25, (−2 − 0)² = 4
    expect(mse([1.5, -2], [1, 0]).data).toBe(2.125);
    expect(mse([1.5, -2], [1, 0], { reduction: 'sum' }).data).toBe(4.25);
  });

  it('mae: mean and sum of absolute errors', () => {
    expect(mae([1.5, -2], [1, 0]).data).toBe(1.25);
    expect(mae([1.5, -2], [1, 0], { reduction: 'sum' }).data).toBe(2.5);
  });

  it('huber: quadratic inside delta, linear outside', () => {
    // d = 0.5: ½·0.25 = 0.125; d = −2: 1·(2 − 0.5) = 1.5
    expect(huber([1.5, -2], [1, 0]).data).toBe(0.8125);
    // delta 3: both quadratic: ½(0.25 + 4) = 2.125, summed
    expect(huber([1.5, -2], [1, 0], { delta: 3, reduction: 'sum' }).data).toBe(2.125);
    // delta 0.25: 0.25·(0.5 − 0.125) + 0.25·(2 − 0.125) = 0.09375 + 0.46875
    expect(huber([1.5, -2], [1, 0], { delta: 0.25, reduction: 'sum' }).data).toBeCloseTo(
      0.5625,
      15,
    );
  });

  it("hinge: micrograd's relu(1 − y·score)", () => {
    // relu(0.5) + relu(3) + relu(4) = 7.5, and a satisfied margin contributes 0
    expect(hinge([0.5, -2, 3], [1, 1, -1]).data).toBe(2.5);
    expect(hinge([0.5, -2, 3, 2], [1, 1, -1, 1], { reduction: 'sum' }).data).toBe(7.5);
  });

  it('binaryCrossEntropyWithLogits: −y·log σ(z) − (1 − y)·log(1 − σ(z)), and stable for large |z|', () => {
    const z = [0, 2, -1];
    const y = [1, 0, 0.5];
    const want = z.map(
      (zi, i) =>
        -(y[i] as number) * Math.log(sigmoid(zi)) -
        (1 - (y[i] as number)) * Math.log(1 - sigmoid(zi)),
    );
    expect(binaryCrossEntropyWithLogits(z, y, { reduction: 'sum' }).data).toBeCloseTo(
      want[0]! + want[1]! + want[2]!,
      14,
    );
    expect(binaryCrossEntropyWithLogits(z, y).data).toBeCloseTo(
      (want[0]! + want[1]! + want[2]!) / 3,
      14,
    );
    // σ(1000) rounds to 1, so the naive form gives log 0; the loss is 1000 (wrong side) or ~0.
    expect(binaryCrossEntropyWithLogits([1000], [0]).data).toBe(1000);
    expect(binaryCrossEntropyWithLogits([-1000], [1]).data).toBe(1000);
    expect(binaryCrossEntropyWithLogits([1000], [1]).data).toBe(0);
    const big = new Value(1000);
    binaryCrossEntropyWithLogits([big], [0]).backward();
    expect(big.grad).toBe(1); // σ(z) − y
  });

  it('softmaxCrossEntropy: −log softmax(z)[y], stable for large logits', () => {
    const e = [Math.E, Math.E ** 2, Math.E ** 3];
    const want = -Math.log(e[2]! / (e[0]! + e[1]! + e[2]!));
    expect(softmaxCrossEntropy([[1, 2, 3]], [2]).data).toBeCloseTo(want, 14);
    const want0 = -Math.log(e[0]! / (e[0]! + e[1]! + e[2]!));
    expect(
      softmaxCrossEntropy(
        [
          [1, 2, 3],
          [1, 2, 3],
        ],
        [2, 0],
      ).data,
    ).toBeCloseTo((want + want0) / 2, 14);
    expect(softmaxCrossEntropy([[1000, 0]], [1]).data).toBe(1000);
    expect(softmaxCrossEntropy([[1000, 0]], [0]).data).toBe(0);
    const z = [new Value(1000), new Value(0)];
    softmaxCrossEntropy([z], [1]).backward();
    expect(z.map((v) => v.grad)).toEqual([1, -1]); // softmax − one-hot
  });

  it('l2Penalty: alpha·Σp²', () => {
    const ps = [new Value(3), new Value(-4)];
    const r = l2Penalty(ps, 0.01);
    expect(r.data).toBeCloseTo(0.25, 15);
    r.backward();
    expect(ps.map((p) => p.grad)).toEqual([0.06, -0.08]); // 2α·p
    expect(l2Penalty([], 0.5).data).toBe(0);
  });

  it('accepts one-element arrays as predictions (a model output)', () => {
    expect(mse([[new Value(1.5)], [-2]], [1, 0]).data).toBe(2.125);
  });
});

describe('loss gradients against central differences', () => {
  const preds = [0.7, -1.3, 2.2];
  const targets = [1, 0.5, -1];
  for (const reduction of ['mean', 'sum'] as const) {
    it(`mse, mae, huber (${reduction}) w.r.t. predictions and targets`, () => {
      const both = [...preds, ...targets];
      const split = (xs: Value[]): [Value[], Value[]] => [xs.slice(0, 3), xs.slice(3)];
      expectGradientMatchesCentralDifferences((xs) => mse(...split(xs), { reduction }), both);
      expectGradientMatchesCentralDifferences((xs) => mae(...split(xs), { reduction }), both);
      expectGradientMatchesCentralDifferences((xs) => huber(...split(xs), { reduction }), both); // |d| = 0.3, 1.8, 3.2
      expectGradientMatchesCentralDifferences(
        (xs) => huber(...split(xs), { reduction, delta: 2.5 }),
        both,
      );
    });

    it(`hinge, binary and softmax cross-entropy (${reduction})`, () => {
      expectGradientMatchesCentralDifferences((xs) => hinge(xs, [1, -1, -1], { reduction }), preds);
      expectGradientMatchesCentralDifferences(
        (xs) => binaryCrossEntropyWithLogits(xs, [1, 0.25, 0], { reduction }),
        preds,
      );
      expectGradientMatchesCentralDifferences(
        (xs) => softmaxCrossEntropy([xs.slice(0, 3), xs.slice(3)], [0, 2], { reduction }),
        [...preds, 0.1, -0.4, 1.9],
      );
      expectGradientMatchesCentralDifferences((xs) => l2Penalty(xs, 0.3), preds);
    });
  }

  it('random inputs (fast-check): softmax and binary cross-entropy gradients match central differences', () => {
    const logit = fc.double({ min: -5, max: 5, noNaN: true });
    fc.assert(
      fc.property(fc.array(logit, { minLength: 2, maxLength: 5 }), fc.nat(), (z, c) => {
        expectGradientMatchesCentralDifferences(
          (xs) => softmaxCrossEntropy([xs], [c % z.length]),
          z,
        );
        expectGradientMatchesCentralDifferences(
          (xs) =>
            binaryCrossEntropyWithLogits(
              xs,
              xs.map((_, i) => (i % 2 === 0 ? 1 : 0)),
            ),
          z,
        );
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe('loss input errors', () => {
  it('mismatched lengths throw a RangeError naming both lengths', () => {
    expect(() => mse([1, 2], [1])).toThrow(/2 predictions and 1 targets/);
    expect(() => hinge([1], [1, -1])).toThrow(/1 scores and 2 labels/);
    expect(() => softmaxCrossEntropy([[1, 2]], [0, 1])).toThrow(RangeError);
    expect(() => mse([], [])).toThrow(/at least one sample/);
  });

  it('bad values and options throw naming the argument', () => {
    expect(() => mse([[1, 2]], [1])).toThrow(/predictions\[0\].*length 2/);
    expect(() => mse(['1'] as never, [1])).toThrow(TypeError);
    expect(() => mse([1], [1], { reduction: 'avg' } as never)).toThrow(
      /reduction.*'mean', 'sum' or 'none'.*"avg"/,
    );
    expect(() => huber([1], [1], { delta: 0 })).toThrow(/delta.*received 0/);
    expect(() => binaryCrossEntropyWithLogits([1], [2])).toThrow(
      /targets\[0\].*\[0, 1\].*received 2/,
    );
    expect(() => softmaxCrossEntropy([[1, 2]], [2])).toThrow(/targets\[0\].*\[0, 1\].*received 2/);
    expect(() => softmaxCrossEntropy([[1, 2]], [0.5])).toThrow(/integer/);
    expect(() => softmaxCrossEntropy([[1, 2], [1]], [0, 0])).toThrow(/logits\[1\]/);
    expect(() => l2Penalty([new Value(1)], -1)).toThrow(/alpha/);
  });
});

describe('huber under compile', () => {
  it('chooses its side afresh on every call, bit for bit as eager', () => {
    const p = new Value(0);
    const f = compile(({ y }) => huber([p], [y], { delta: 0.5 }), { inputs: { y: 0 } });
    for (const [pd, y] of [
      [0.1, 0],
      [2, 0],
      [-3, 1],
      [0.7, 0.3],
      [0.5, 0],
    ] as const) {
      p.data = pd;
      p.zeroGrad();
      const compiled = f.backward({ y });
      const compiledGrad = p.grad;
      p.zeroGrad();
      const eager = huber([p], [y], { delta: 0.5 });
      eager.backward();
      expect(Object.is(compiled, eager.data)).toBe(true);
      expect(Object.is(compiledGrad, p.grad)).toBe(true);
      // d = p − y; by hand: d inside δ, δ·sign(d) outside, δ at |d| = δ
      const d = pd - y;
      expect(p.grad).toBeCloseTo(Math.abs(d) < 0.5 ? d : 0.5 * Math.sign(d), 12);
    }
  });
});

describe('binaryCrossEntropyWithLogits at large |z| (issue 18)', () => {
  it('keeps full relative precision where softplus(z) − y·z cancels', () => {
    // −log σ(25) = log1p(e⁻²⁵): the exact value, 1.3887943864867583e-11
    // (e⁻²⁵ = 1.3887943864964021e-11, minus half its square).
    const exact = 1.3887943864867583e-11;
    const rel = (a: number) => Math.abs(a - exact) / exact;
    expect(rel(binaryCrossEntropyWithLogits([25], [1]).data)).toBeLessThan(1e-15);
    expect(rel(binaryCrossEntropyWithLogits([-25], [0]).data)).toBeLessThan(1e-15);
    // e⁻⁴⁰ = 4.248354255291589e-18 (log1p(e⁻⁴⁰) equals it to 1e-35): the old form gave 0.
    expect(binaryCrossEntropyWithLogits([40], [1]).data / 4.248354255291589e-18).toBeCloseTo(1, 15);
  });

  it('has the gradient σ(z) − y everywhere, at z = 0 included', () => {
    for (const [z0, y] of [
      [0, 1],
      [0, 0],
      [0, 0.3],
      [25, 1],
      [-30, 1],
    ] as const) {
      const z = new Value(z0);
      binaryCrossEntropyWithLogits([z], [y]).backward();
      expect(z.grad).toBeCloseTo(sigmoid(z0) - y, 15);
    }
  });
});

describe('hinge labels (issue 18)', () => {
  it("rejects 0/1 labels, saying how to get ±1 (labels: 'pm1')", () => {
    expect(() => hinge([0.5, -2], [1, 0])).toThrow(RangeError);
    expect(() => hinge([0.5, -2], [1, 0])).toThrow(/labels\[1\].*-1 or 1.*labels: 'pm1'/);
    expect(() => hinge([0.5], [2])).toThrow(/labels\[0\]\): expected -1 or 1/);
    expect(() => hinge([0.5], [NaN])).toThrow(/labels\[0\]\): expected -1 or 1/);
    expect(() => hinge([0.5], [0.5])).toThrow(RangeError);
  });

  it('still takes Value labels (compile placeholders) unchecked', () => {
    // relu(1 − 1·0.25) = 0.75
    expect(hinge([0.25], [new Value(1)]).data).toBe(0.75);
  });
});

interface TorchSoftmaxCase {
  weight: number[] | null;
  labelSmoothing: number;
  reduction: 'mean' | 'sum' | 'none';
  loss: number | number[];
  grad: number[][];
}
const torchReference = JSON.parse(
  readFileSync(new URL('./fixtures/torch-reference.json', import.meta.url), 'utf8'),
) as {
  softmaxCrossEntropy: { logits: number[][]; targets: number[]; cases: TorchSoftmaxCase[] };
};

describe('softmaxCrossEntropy weight and labelSmoothing against PyTorch (issue 18)', () => {
  const { logits, targets, cases } = torchReference.softmaxCrossEntropy;
  for (const c of cases) {
    it(`weight ${c.weight === null ? 'none' : 'given'}, ε = ${c.labelSmoothing}, ${c.reduction}`, () => {
      const z = logits.map((row) => row.map((x) => new Value(x)));
      const options = {
        reduction: c.reduction,
        labelSmoothing: c.labelSmoothing,
        ...(c.weight === null ? {} : { weight: c.weight }),
      };
      const out: Value | Value[] = softmaxCrossEntropy(z, targets, options);
      const list: Value[] = Array.isArray(out) ? out : [out];
      const want = Array.isArray(c.loss) ? c.loss : [c.loss];
      expect(list.length).toBe(want.length);
      list.forEach((v, i) => expect(v.data).toBeCloseTo(want[i]!, 13));
      // The gradient of the sum of the returned numbers, as the script takes it.
      (list.length === 1 ? list[0]! : list.reduce((a, b) => a.add(b))).backward();
      z.forEach((row, i) => row.forEach((v, j) => expect(v.grad).toBeCloseTo(c.grad[i]![j]!, 13)));
    });
  }

  it('rejects bad weights and smoothing', () => {
    expect(() => softmaxCrossEntropy([[1, 2]], [0], { weight: [1] })).toThrow(
      /options\.weight\): expected 2 class weights/,
    );
    expect(() => softmaxCrossEntropy([[1, 2]], [0], { weight: [1, -1] })).toThrow(RangeError);
    expect(() => softmaxCrossEntropy([[1, 2]], [0], { labelSmoothing: 1.5 })).toThrow(
      /labelSmoothing\): expected a number in \[0, 1\]/,
    );
    expect(() => softmaxCrossEntropy([[1, 2]], [0], { weight: [0, 1] })).toThrow(
      /weighted mean needs a positive sum/,
    );
  });
});

describe("reduction: 'none' (issue 18)", () => {
  it('returns one term per sample, by hand', () => {
    // (1.5 − 1)² = 0.25, (−2 − 0)² = 4
    expect(mse([1.5, -2], [1, 0], { reduction: 'none' }).map((v) => v.data)).toEqual([0.25, 4]);
    expect(mae([1.5, -2], [1, 0], { reduction: 'none' }).map((v) => v.data)).toEqual([0.5, 2]);
    // |d| = 0.5 < 1: ½·0.25; |d| = 2: 1·(2 − ½)
    expect(huber([1.5, -2], [1, 0], { reduction: 'none' }).map((v) => v.data)).toEqual([
      0.125, 1.5,
    ]);
    expect(hinge([0.5, 3], [1, -1], { reduction: 'none' }).map((v) => v.data)).toEqual([0.5, 4]);
    const bce = binaryCrossEntropyWithLogits([0, 0], [1, 0], { reduction: 'none' });
    bce.forEach((v) => expect(v.data).toBeCloseTo(Math.LN2, 15)); // log 2 each
    const one = mse([3], [1], { reduction: 'none' });
    expect(one.length).toBe(1);
    expect(one[0]!.data).toBe(4);
  });
});
