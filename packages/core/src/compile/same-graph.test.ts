/**
 * compile's fast check that a second recording is the same graph: it must
 * never call two graphs the same when their tapes differ, must recognise a
 * recording of the same steps over other input values, and must leave every
 * grad and mark as it found them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORDERED, VISITED } from '../flags.js';
import { nodesBelow, numberNodesBelow } from '../graph-walk.js';
import { affine, sum } from '../nary.js';
import { Value } from '../value.js';
import { compile } from './compile.js';
import { build, finite, step, type Step } from './random-graphs.test-support.js';
import { keepGraph, sameGraph, type Recording } from './same-graph.js';
import { buildTape, tapeDifference } from './tape.js';

/** `build(steps, …)` over three fresh placeholders holding `xs`. */
function recording(
  steps: readonly Step[],
  params: readonly Value[],
  xs: readonly number[],
  constants: readonly number[],
): Recording {
  const inputs = xs.map((x) => new Value(x, { requiresGrad: false }));
  return { root: build(steps, params, inputs, constants), inputs };
}

const same = (first: Recording, second: Recording, declared: readonly Value[] = []): boolean =>
  sameGraph(keepGraph(first).kept, second, declared);

/** Whether buildTape flattens the two recordings alike (what compile's check decides by). */
function sameTapes(first: Recording, second: Recording): boolean {
  const t = buildTape(first.root, first.inputs, [], false);
  const u = buildTape(second.root, second.inputs, [], false);
  return (
    t.params.length === u.params.length &&
    t.params.every((p, i) => p === u.params[i]) &&
    tapeDifference(t, u) === null
  );
}

const inputs3 = fc.tuple(finite, finite, finite);
const params3 = fc.tuple(finite, finite, finite);

describe('sameGraph', () => {
  it('recognises the same steps recorded over other input values, and changes no grad', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 25 }),
        params3,
        inputs3,
        inputs3,
        (steps, ps, xs, zs) => {
          const params = ps.map((p, i) => new Value(p, { label: `p${i}` }));
          params.forEach((p, i) => (p.grad = i + 0.5));
          const first = recording(steps, params, xs, [0.75]);
          const second = recording(steps, params, zs, [0.75]);
          const grads = nodesBelow(second.root).map((v) => v.grad);
          expect(same(first, second)).toBe(true);
          expect(nodesBelow(second.root).map((v) => v.grad)).toEqual(grads);
          expect(params.map((p) => p.grad)).toEqual([0.5, 1.5, 2.5]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('never calls two graphs the same when their tapes differ', () => {
    // Pairs of graphs that differ in one step, one constant or one parameter.
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 1, maxLength: 15 }),
        step,
        fc.nat(14),
        params3,
        inputs3,
        fc.constantFrom(0.75, -0.75, 0),
        fc.boolean(),
        (steps, other, at, ps, xs, c, swapParam) => {
          const params = ps.map((p) => new Value(p));
          const changed = steps.slice();
          changed[at % steps.length] = other;
          const first = recording(steps, params, xs, [0.75]);
          const otherParams = swapParam ? [params[1], params[0], params[2]] : params;
          const second = recording(changed, otherParams as Value[], xs, [c]);
          if (same(first, second)) expect(sameTapes(first, second)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('tells apart graphs that differ in a constant leaf, a placeholder or an op', () => {
    const w = new Value(0.5);
    const graph = (x: Value, c: number, useX: boolean, op: 'add' | 'mul'): Recording => {
      const y = new Value(-2, { requiresGrad: false });
      const operand = useX ? x : y;
      return { root: w[op](operand).add(new Value(c, { requiresGrad: false })), inputs: [x, y] };
    };
    const base = graph(new Value(1, { requiresGrad: false }), 3, true, 'mul');
    const fresh = () => new Value(7, { requiresGrad: false });
    expect(same(base, graph(fresh(), 3, true, 'mul'))).toBe(true);
    expect(same(base, graph(fresh(), 4, true, 'mul'))).toBe(false); // the constant
    expect(same(base, graph(fresh(), 3, false, 'mul'))).toBe(false); // the other placeholder
    expect(same(base, graph(fresh(), 3, true, 'add'))).toBe(false); // the op
  });

  it('compares the numbers of nodes made from constants alone, which the tape bakes in', () => {
    const w = new Value(0.5);
    const graph = (shift: number): Recording => {
      const x = new Value(1, { requiresGrad: false });
      const c = new Value(2, { requiresGrad: false }).mul(3);
      c.data += shift; // set by hand: the recorded number is what the tape keeps
      return { root: w.mul(x).add(c), inputs: [x] };
    };
    expect(same(graph(0), graph(0))).toBe(true);
    expect(same(graph(0), graph(1))).toBe(false);
    expect(sameTapes(graph(0), graph(1))).toBe(false);
  });

  it('compares with the kept graph as it was kept, not as fn left it since', () => {
    const w = new Value(0.5);
    const last = new Value(1, { requiresGrad: false });
    const graph = (): Recording => {
      const x = new Value(2, { requiresGrad: false });
      return { root: w.mul(x).add(last), inputs: [x] };
    };
    const { kept } = keepGraph(graph());
    last.data = 9; // a later run of fn changes a constant both graphs share
    expect(sameGraph(kept, graph(), [])).toBe(false);
    last.data = 1;
    expect(sameGraph(kept, graph(), [])).toBe(true);
    w.requiresGrad = false; // …or whether a shared leaf is trained
    expect(sameGraph(kept, graph(), [])).toBe(false);
  });

  it('compares with the operands the kept graph had, which an array kept by affine may lose', () => {
    const [w0, w1, b] = [new Value(1), new Value(2), new Value(3)];
    const weights = [w0, b];
    const graph = (): Recording => {
      const x = new Value(2, { requiresGrad: false });
      return { root: w0.add(w1).add(affine(weights, [x])), inputs: [x] };
    };
    const { kept } = keepGraph(graph());
    expect(sameGraph(kept, graph(), [])).toBe(true);
    weights[0] = w1; // both graphs' affine nodes now read w1
    expect(sameGraph(kept, graph(), [])).toBe(false);
  });

  it('pairs a declared leaf only with itself', () => {
    const x = () => new Value(1, { requiresGrad: false });
    const live = new Value(2, { requiresGrad: false });
    const other = new Value(2, { requiresGrad: false });
    const first = { root: live.mul(x()).add(0.5), inputs: [] };
    const second = { root: other.mul(x()).add(0.5), inputs: [] };
    expect(same(first, second)).toBe(true); // constants of the same number
    expect(same(first, second, [live])).toBe(false);
  });

  it('gives up on a graph holding a frozen node, leaving grads and marks as they were', () => {
    const w = new Value(0.5);
    const two = Object.freeze(new Value(2, { requiresGrad: false }));
    const graph = (x: number): Recording => {
      const input = new Value(x, { requiresGrad: false });
      return { root: w.mul(input).mul(two).tanh(), inputs: [input] };
    };
    const first = graph(1);
    const second = graph(3);
    w.grad = 0.25;
    expect(same(first, second)).toBe(false);
    expect(w.grad).toBe(0.25);
    // No mark left behind: backward reaches w. d tanh(6w)/dw at w = 0.5 (input 3) is 6(1 − tanh²3).
    w.grad = 0;
    second.root.backward();
    expect(w.grad).toBeCloseTo(6 * (1 - Math.tanh(3) ** 2), 14);
  });
});

describe('numberNodesBelow', () => {
  it('lists what nodesBelow lists, with each grad set to its index and the old grads saved', () => {
    const a = new Value(1.5);
    const b = new Value(-2);
    a.grad = 0.125;
    const root = a.mul(b).add(a).tanh();
    const expected = nodesBelow(root);
    const saved = [9];
    const nodes = numberNodesBelow(root, saved);
    expect(nodes).toEqual(expected);
    expect(nodes.map((v) => v.grad)).toEqual([0, 1, 2, 3, 4]);
    expect(saved).toEqual([9, 0.125, 0, 0, 0, 0]);
    nodes.forEach((v, i) => (v.grad = saved[i + 1] as number));
  });

  it('throws a TypeError at a frozen node with every grad put back', () => {
    const a = new Value(1.5);
    a.grad = 0.125;
    const frozen = Object.freeze(a.mul(2));
    const root = a.add(frozen).exp();
    const saved: number[] = [];
    expect(() => numberNodesBelow(root, saved)).toThrow(TypeError);
    expect(saved).toEqual([]);
    expect(a.grad).toBe(0.125);
    for (const v of [root, root.operands[0] as Value, a])
      expect(v._f & (VISITED | ORDERED)).toBe(0);
  });

  it('leaves no mark on a node whose grad cannot be written', () => {
    const a = new Value(0.5);
    a.grad = 0.25;
    const m = a.mul(new Value(2, { requiresGrad: false }));
    Object.defineProperty(m, 'grad', { value: 0, writable: false });
    const root = m.tanh();
    const saved: number[] = [];
    expect(() => numberNodesBelow(root, saved)).toThrow(TypeError);
    expect(saved).toEqual([]);
    expect(a.grad).toBe(0.25);
    for (const v of [root, m, a]) expect(v._f & (VISITED | ORDERED)).toBe(0);
  });
});

describe('compile: the check sees what fn does to Values it shares', () => {
  it('throws when fn writes an input into a constant it captured', () => {
    const w = new Value(0.5);
    const last = new Value(0, { requiresGrad: false });
    const fn = ({ x }: Record<string, Value | Value[]>) => {
      last.data = (x as Value).data;
      return w.mul(x as Value).add(last);
    };
    expect(() => compile(fn, { inputs: { x: 1 } })).toThrow(
      /depends on the values of its inputs: recorded with the example inputs and with NaN inputs, a constant is 1 in one and NaN in the other/,
    );
  });

  it('throws when fn rewrites an array that an affine node keeps', () => {
    // affine keeps the caller's arrays: a JavaScript branch that puts another
    // weight into one changes the graph kept as well as the one recorded next.
    const wA = new Value(2);
    const wB = new Value(-5);
    const weights = [wA, new Value(0.5)];
    const fn = ({ x }: Record<string, Value | Value[]>) => {
      weights[0] = (x as Value).data > 0 ? wA : wB;
      return sum([wA, wB]).add(affine(weights, [x as Value]));
    };
    expect(() => compile(fn, { inputs: { x: 3 } })).toThrow(
      /depends on the values of its inputs: .* the operands of a sum or dot node differ/,
    );
  });

  it('throws when fn switches the gradient of a leaf it captured', () => {
    const w = new Value(0.5);
    const p = new Value(2);
    const fn = ({ x }: Record<string, Value | Value[]>) => {
      p.requiresGrad = (x as Value).data > 0;
      return w.mul(x as Value).add(p);
    };
    expect(() => compile(fn, { inputs: { x: 1 } })).toThrow(
      /requires a gradient each time it runs/,
    );
  });
});

describe('compile: the check falls back to comparing tapes', () => {
  it('accepts constants computed by other ops that give the same numbers, as before', () => {
    // With the example input the constant is 3 + 0; with the probes' inputs
    // 3 − 0: other graphs, but the tape keeps constants as numbers only
    // (3, 0 and 3 in both), so it is the same tape.
    const w = new Value(0.5);
    const three = new Value(3, { requiresGrad: false });
    const fn = ({ x }: Record<string, Value | Value[]>) => {
      const c = (x as Value).data > 0 ? three.add(0) : three.sub(0);
      return w.mul(x as Value).add(c);
    };
    const recorded = (x: number): Recording => {
      const input = new Value(x, { requiresGrad: false });
      return { root: fn({ x: input }), inputs: [input] };
    };
    expect(same(recorded(1), recorded(2))).toBe(true);
    expect(same(recorded(1), recorded(-2))).toBe(false);
    const f = compile(fn, { inputs: { x: 1 } });
    // 0.5·4 + 3, and ∂/∂w = x = 4.
    w.grad = 0;
    expect(f.backward({ x: 4 })).toBe(5);
    expect(w.grad).toBe(4);
  });
});
