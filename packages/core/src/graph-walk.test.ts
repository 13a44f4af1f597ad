import { describe, expect, it } from 'vitest';
import { nodesBelow } from './graph-walk.js';
import { dot, sum } from './nary.js';
import { Value } from './value.js';

describe('nodesBelow', () => {
  it('lists a shared node once, operands first, first operand first', () => {
    const a = new Value(1);
    const b = new Value(2);
    const s = a.add(b); // used twice below
    const t = s.mul(a);
    const out = t.sub(s);
    // Worked out by hand: enter out → t → s → a, b; then t's a (placed); then out's s (placed).
    expect(nodesBelow(out)).toEqual([a, b, s, t, out]);
  });

  it('walks the pairs and bias of a dot node in operand order', () => {
    const w = [new Value(1), new Value(2)];
    const x = [new Value(3), new Value(4)];
    const bias = new Value(5);
    const d = dot(w, x, bias);
    expect(nodesBelow(d)).toEqual([w[0], x[0], w[1], x[1], bias, d]);
  });

  it('leaves every node as it found it, so backward and a second walk still work', () => {
    const a = new Value(3);
    const b = new Value(-2);
    const h = a.mul(b).tanh();
    const out = dot([h, a], [h, b]).add(h);
    const nodes = nodesBelow(out);
    const flags = nodes.map((v) => v._f);
    expect(nodesBelow(out)).toEqual(nodes);
    expect(nodes.map((v) => v._f)).toEqual(flags);
    out.backward();
    // out = h² + a·b + h with h = tanh(ab), ab = −6: ∂out/∂a = (2h + 1)(1 − h²)·b + b
    const th = Math.tanh(-6);
    expect(a.grad).toBeCloseTo((2 * th + 1) * (1 - th * th) * -2 + -2, 12);
  });

  it('walks a chain a million nodes deep', () => {
    let v = new Value(0);
    for (let i = 0; i < 1_000_000; i++) v = v.add(1);
    expect(nodesBelow(v).length).toBe(2_000_001);
  });
});

describe('nodesBelow with frozen Values', () => {
  it('walks a graph holding a frozen constant, and leaves the graph as it was', () => {
    const one = Object.freeze(new Value(1, { requiresGrad: false }));
    const w = new Value(3);
    const a = one.mul(w);
    const root = a.add(one);
    expect(nodesBelow(root)).toEqual([one, w, a, root]);
    root.backward();
    expect(w.grad).toBe(1);
    expect(root.data).toBe(4);
  });

  it('lists the nodes in the same order as the walk by marks', () => {
    const c = new Value(2, { requiresGrad: false });
    const [w0, w1, x] = [new Value(1), new Value(-1), new Value(0.5)];
    const h = x.mul(c).tanh();
    const root = sum([dot([w0, w1], [h, x], c), h.mul(w0), c]).sub(h);
    const byMarks = nodesBelow(root);
    Object.freeze(c); // now only the walk with Sets can list the graph
    expect(nodesBelow(root)).toEqual(byMarks);
  });
});
