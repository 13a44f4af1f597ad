import { describe, expect, it } from 'vitest';
import { MinimalNode, minimalDot, minimalSum } from './minimal-engine.js';
import { disagreements } from './outcome.js';
import { floorTraining, minimalIdiomatic, minimalMicrograd, w1Setup } from './w1-micrograd-demo.js';
import {
  boundOnlineFit,
  boundSlotsOnlineFit,
  floorOnlineFit,
  minimalOnlineFit,
  w2Setup,
} from './w2-online-fit.js';

/** Every op of the minimal engine in one expression of five leaves. */
function expression(v: readonly number[]): { out: MinimalNode; leaves: MinimalNode[] } {
  const leaves = v.map((x) => new MinimalNode(x));
  const [a, b, c, d, e] = leaves as [
    MinimalNode,
    MinimalNode,
    MinimalNode,
    MinimalNode,
    MinimalNode,
  ];
  const z = minimalDot([a, b, c], [d, e]); // a·d + b·e + c
  const terms = [z.relu(), a.sub(e).square(), b.div(d), c.mul(e)];
  return { out: minimalSum(terms).add(2), leaves };
}

describe('the minimal engine', () => {
  it('gives the gradients that central differences give', () => {
    const at = [0.7, -1.3, 0.4, 1.9, -0.6];
    const eps = 1e-6;
    // The probes first: their nodes are on the tape too, and receive nothing.
    const slopes = at.map((_, i) => {
      const up = at.map((x, j) => (j === i ? x + eps : x));
      const down = at.map((x, j) => (j === i ? x - eps : x));
      return (expression(up).out.data - expression(down).out.data) / (2 * eps);
    });
    const { out, leaves } = expression(at);
    out.backward();
    slopes.forEach((slope, i) => expect(leaves[i]!.grad).toBeCloseTo(slope, 6));
  });

  it('gives the gradients worked out by hand, relu shut', () => {
    // a·d + b·e + c = 1·2 + 1·(−3) + 0 = −1 < 0: the relu passes nothing.
    const { out, leaves } = expression([1, 1, 0, 2, -3]);
    // 0 + (1 − (−3))² + 1/2 + 0·(−3) + 2
    expect(out.data).toBe(18.5);
    out.backward();
    const [a, b, c, d, e] = leaves.map((l) => l.grad);
    expect(a).toBe(8); // 2(a − e)
    expect(b).toBe(0.5); // 1/d
    expect(c).toBe(-3); // e
    expect(d).toBe(-0.25); // −b/d²
    expect(e).toBe(-8); // −2(a − e) + c
  });

  it('forgets a graph once its backward has run', () => {
    const a = new MinimalNode(3);
    a.mul(a).backward(); // ∂(a·a)/∂a = 2a
    const b = new MinimalNode(5);
    b.mul(4).backward();
    expect(a.grad).toBe(6); // not run again by b's backward
    expect(b.grad).toBe(4);
  });

  it("runs W1's variants as their floors do, to the guard's 1e-9", () => {
    const setup = w1Setup(3);
    for (const [run, style] of [
      [minimalMicrograd, 'micrograd'],
      [minimalIdiomatic, 'nn'],
    ] as const) {
      expect(disagreements(run(setup), floorTraining(setup, style))).toEqual([]);
    }
  });

  it("runs W2, the engine and both bounds, as the notebook's floor does, bit for bit", () => {
    const setup = w2Setup(3000); // past the end of the bound's ring of slots
    const floor = floorOnlineFit(setup);
    expect(minimalOnlineFit(setup)).toEqual(floor);
    expect(boundOnlineFit(setup)).toEqual(floor);
    expect(boundSlotsOnlineFit(setup)).toEqual(floor);
  });
});
