/**
 * W2, the notebook's online fit: y = 3x + 4 (+ noise), single-sample SGD, step
 * i on sample i mod N, loss (m·x + c − y)², learning rate 0.01.
 *
 * The floor is the notebook's hand-derived update: with e = y − (m·x + c),
 * ∂L/∂m = −2·x·e and ∂L/∂c = −2·e. The engine computes d = (m·x + c) − y = −e,
 * ∂L/∂m = x·(2d), ∂L/∂c = 2d: the same doubles (negation and doubling are exact).
 */
import { compile, Value, type CompiledFunction, type CompileMode } from '@ag/core';
import { linear } from '@ag/data';
import { fit, Linear, mse, SGD } from '@ag/nn';
import { countNodes } from './graph-size.js';
import {
  BARE_OPS,
  BareNode,
  escaped,
  MINIMAL_ENGINE_NOTE,
  MinimalNode,
  SlotNode,
} from './minimal-engine.js';
import { retainedBytes } from './heap.js';
import type { Outcome } from './outcome.js';
import { ratioTarget, stepGraphReading, type ResultRow } from './result-row.js';
import { runTimedWorkload, type Variant } from './timed-workload.js';
import type { TimingPlan } from './timing.js';

export const W2_SAMPLES = 100;
export const W2_LR = 0.01;
const M0 = 0;
const C0 = 0;

export interface W2Setup {
  xs: Float64Array;
  ys: Float64Array;
  /** The same samples as rows, for `@ag/nn`. */
  rows: number[][];
  targets: number[];
  steps: number;
}

export function w2Setup(steps: number): W2Setup {
  const { x, y } = linear({ samples: W2_SAMPLES, slope: 3, intercept: 4, noise: 0.1, seed: 7 });
  return { xs: Float64Array.from(x.flat()), ys: Float64Array.from(y), rows: x, targets: y, steps };
}

/** The notebook's loop, by hand. Returns the last step's loss (taken before its update). */
export function floorOnlineFit(setup: W2Setup): Outcome {
  const { xs, ys, steps } = setup;
  const n = xs.length;
  let m = M0;
  let c = C0;
  let loss = Number.NaN;
  for (let k = 0, i = 0; k < steps; k++, i = i + 1 === n ? 0 : i + 1) {
    const x = xs[i] as number;
    const e = (ys[i] as number) - (m * x + c);
    loss = e * e;
    m -= W2_LR * (-2 * x * e);
    c -= W2_LR * (-2 * e);
  }
  return { loss, checks: { m, c } };
}

/**
 * The same loop, returning the last pass's loss as `fit`'s history gives it:
 * Σ lᵢ·1 over the pass's n steps, divided by n. Apart from `floorOnlineFit`
 * so that the other rows' floor does not pay for the sum.
 */
export function floorOnlineFitEpochLoss(setup: W2Setup): Outcome {
  const { xs, ys, steps } = setup;
  const n = xs.length;
  let m = M0;
  let c = C0;
  let weighted = 0;
  let loss = Number.NaN;
  for (let k = 0, i = 0; k < steps; k++, i = i + 1 === n ? 0 : i + 1) {
    const x = xs[i] as number;
    const e = (ys[i] as number) - (m * x + c);
    weighted += e * e * 1;
    m -= W2_LR * (-2 * x * e);
    c -= W2_LR * (-2 * e);
    if (i === n - 1) {
      loss = weighted / n;
      weighted = 0;
    }
  }
  return { loss, checks: { m, c } };
}

/** One step's graph: (m·x + c − y)². */
function stepLoss(m: Value, c: Value, x: number | Value, y: number | Value): Value {
  return m.mul(x).add(c).sub(y).square();
}

/** Variant (a): a `Value` graph per step, backward, the update by hand. */
export function eagerOnlineFit(setup: W2Setup): Outcome {
  const { xs, ys, steps } = setup;
  const n = xs.length;
  const m = new Value(M0);
  const c = new Value(C0);
  let loss = Number.NaN;
  for (let k = 0, i = 0; k < steps; k++, i = i + 1 === n ? 0 : i + 1) {
    const l = stepLoss(m, c, xs[i] as number, ys[i] as number);
    loss = l.data;
    m.grad = 0;
    c.grad = 0;
    l.backward();
    m.data -= W2_LR * m.grad;
    c.data -= W2_LR * c.grad;
  }
  return { loss, checks: { m: m.data, c: c.data } };
}

/**
 * Variant (a) on the minimal engine (minimal-engine.ts): the same graph and
 * loop, written apart from `eagerOnlineFit` for the reason `minimalMicrograd`
 * is (one node class per call site).
 */
export function minimalOnlineFit(setup: W2Setup): Outcome {
  const { xs, ys, steps } = setup;
  const n = xs.length;
  const m = new MinimalNode(M0);
  const c = new MinimalNode(C0);
  let loss = Number.NaN;
  for (let k = 0, i = 0; k < steps; k++, i = i + 1 === n ? 0 : i + 1) {
    const l = m
      .mul(xs[i] as number)
      .add(c)
      .sub(ys[i] as number)
      .square();
    loss = l.data;
    m.grad = 0;
    c.grad = 0;
    l.backward();
    m.data -= W2_LR * m.grad;
    c.data -= W2_LR * c.grad;
  }
  return { loss, checks: { m: m.data, c: c.data } };
}

/**
 * A bound: each step makes its graph's four op nodes, as bare as a node can
 * be (minimal-engine.ts's BareNode: the constants x and y kept as numbers, no
 * gradient field), lets the graph escape, and takes the update by hand from
 * the residual d = m·x + c − y, as the engine's rules would give it:
 * ∂L/∂c = 2d, ∂L/∂m = x·(2d). Every eager engine that makes a node per op does
 * at least this much per step.
 */
export function boundOnlineFit(setup: W2Setup): Outcome {
  const { xs, ys, steps } = setup;
  const n = xs.length;
  const { ADD, SUB, MUL, SQUARE } = BARE_OPS;
  const m = new BareNode(M0);
  const c = new BareNode(C0);
  let loss = Number.NaN;
  for (let k = 0, i = 0; k < steps; k++, i = i + 1 === n ? 0 : i + 1) {
    const x = xs[i] as number;
    const y = ys[i] as number;
    const mx = new BareNode(m.data * x, MUL, m, x);
    const v = new BareNode(mx.data + c.data, ADD, mx, c);
    const d = new BareNode(v.data - y, SUB, v, y);
    const l = new BareNode(d.data * d.data, SQUARE, d);
    escaped.root = l;
    loss = l.data;
    const g = 2 * d.data;
    m.data -= W2_LR * (x * g);
    c.data -= W2_LR * g;
  }
  return { loss, checks: { m: m.data, c: c.data } };
}

/**
 * The same bound with the numbers in a Float64Array (minimal-engine.ts's
 * SlotNode): each node one object of four small fields. Slots are reused in a
 * ring, which no real engine could do (a node may outlive its step), so this
 * is lower still than any such engine.
 */
export function boundSlotsOnlineFit(setup: W2Setup): Outcome {
  const { xs, ys, steps } = setup;
  const n = xs.length;
  const { ADD, SUB, MUL, SQUARE } = BARE_OPS;
  const V = new Float64Array(4096);
  const m = new SlotNode(0);
  const c = new SlotNode(1);
  V[0] = M0;
  V[1] = C0;
  let next = 2;
  let loss = Number.NaN;
  for (let k = 0, i = 0; k < steps; k++, i = i + 1 === n ? 0 : i + 1) {
    if (next + 4 > V.length) next = 2;
    const s = next;
    next += 4;
    const x = xs[i] as number;
    const y = ys[i] as number;
    V[s] = V[0] * x;
    const mx = new SlotNode(s, MUL, m, x);
    V[s + 1] = V[s] + V[1];
    const v = new SlotNode(s + 1, ADD, mx, c);
    V[s + 2] = (V[s + 1] as number) - y;
    const d = new SlotNode(s + 2, SUB, v, y);
    const r = V[d.slot] as number;
    V[s + 3] = r * r;
    const l = new SlotNode(s + 3, SQUARE, d);
    escaped.root = l;
    loss = V[l.slot] as number;
    const g = 2 * r;
    V[0] = V[0] - W2_LR * (x * g);
    V[1] = V[1] - W2_LR * g;
  }
  return { loss, checks: { m: V[0], c: V[1] } };
}

/** A `Linear(1, 1)` whose weight is m and bias is c. */
function lineModel(): Linear {
  const model = new Linear(1, 1);
  const [w, b] = model.parameters() as [Value, Value];
  w.data = M0;
  b.data = C0;
  return model;
}

/** Variant (b): `@ag/nn`'s `Linear`, `mse` (summed, as the notebook) and `SGD`, the loop written out. */
export function nnOnlineFit(setup: W2Setup): Outcome {
  const { rows, targets, steps } = setup;
  const n = rows.length;
  const model = lineModel();
  const optimizer = new SGD(model.parameters(), { lr: W2_LR });
  let loss = Number.NaN;
  for (let k = 0, i = 0; k < steps; k++, i = i + 1 === n ? 0 : i + 1) {
    const l = mse([model.forward(rows[i] as number[])], [targets[i] as number], {
      reduction: 'sum',
    });
    loss = l.data;
    optimizer.zeroGrad();
    l.backward();
    optimizer.step();
  }
  const [w, b] = model.parameters() as [Value, Value];
  return { loss, checks: { m: w.data, c: b.data } };
}

/**
 * Variant (b) through `fit`, online mode, samples in order. With `compile`,
 * every pass but the last runs fused (plain SGD, no `onStep`); the last pass,
 * a second, eager `fit` call, watches its steps for the last loss, which the
 * guard needs (plain SGD keeps no state, so two calls take the steps of one,
 * and eager and compiled fit give the same numbers).
 */
export function nnOnlineFitViaFit(setup: W2Setup, compile = false): Outcome {
  const { rows, targets, steps } = setup;
  const n = rows.length;
  if (steps % n !== 0)
    throw new RangeError(`W2 via fit: steps must be a multiple of ${n}, received ${steps}`);
  const model = lineModel();
  const optimizer = new SGD(model.parameters(), { lr: W2_LR });
  const common = {
    model,
    data: { x: rows, y: targets },
    loss: (outputs: Value[][], ys: (number | Value)[]) => mse(outputs, ys, { reduction: 'sum' }),
    optimizer,
    mode: 'online' as const,
    compile,
  };
  let loss = Number.NaN;
  const watched = compile ? 1 : steps / n;
  if (watched < steps / n) fit({ ...common, epochs: steps / n - watched });
  fit({
    ...common,
    compile: false,
    epochs: watched,
    onStep: (info) => {
      loss = info.loss;
    },
  });
  const [w, b] = model.parameters() as [Value, Value];
  return { loss, checks: { m: w.data, c: b.data } };
}

/**
 * Variant (b) through one `fit` call without a `compile` option, as a user
 * writes it: `fit` decides how to run; the loss is the last entry of its
 * history (floor `notebook, epoch loss`).
 */
export function nnOnlineFitDefault(setup: W2Setup): Outcome {
  const { rows, targets, steps } = setup;
  const n = rows.length;
  if (steps % n !== 0)
    throw new RangeError(`W2 fit default: steps must be a multiple of ${n}, received ${steps}`);
  const model = lineModel();
  const { history } = fit({
    model,
    data: { x: rows, y: targets },
    loss: (outputs: Value[][], ys: readonly (number | Value)[]) =>
      mse(outputs, ys, { reduction: 'sum' }),
    optimizer: new SGD(model.parameters(), { lr: W2_LR }),
    mode: 'online',
    epochs: steps / n,
  });
  const [w, b] = model.parameters() as [Value, Value];
  return { loss: history[history.length - 1] as number, checks: { m: w.data, c: b.data } };
}

/** The step's loss compiled (issue 8) over the inputs x and y. */
export interface CompiledW2 {
  m: Value;
  c: Value;
  f: CompiledFunction<readonly ('x' | 'y')[]>;
}

export function compileW2(mode: CompileMode = 'auto'): CompiledW2 {
  const m = new Value(M0);
  const c = new Value(C0);
  return { m, c, f: compile(({ x, y }) => stepLoss(m, c, x, y), { inputs: ['x', 'y'], mode }) };
}

/** Variant (c): the compiled step replayed per sample, the update by hand. */
export function compiledOnlineFit(setup: W2Setup, compiled: CompiledW2): Outcome {
  const { xs, ys, steps } = setup;
  const { m, c, f } = compiled;
  const n = xs.length;
  m.data = M0;
  c.data = C0;
  const sample = { x: 0, y: 0 };
  let loss = Number.NaN;
  for (let k = 0, i = 0; k < steps; k++, i = i + 1 === n ? 0 : i + 1) {
    sample.x = xs[i] as number;
    sample.y = ys[i] as number;
    m.grad = 0;
    c.grad = 0;
    loss = f.backward(sample);
    m.data -= W2_LR * m.grad;
    c.data -= W2_LR * c.grad;
  }
  return { loss, checks: { m: m.data, c: c.data } };
}

/**
 * Variant (c), fused: the compiled step's `descend`, one call per pass over
 * the samples (the steps left after the last full pass in a shorter call), the
 * parameters kept in the compiled code between steps.
 */
export function descendOnlineFit(setup: W2Setup, compiled: CompiledW2): Outcome {
  const { xs, ys, steps } = setup;
  const { m, c, f } = compiled;
  const n = xs.length;
  m.data = M0;
  c.data = C0;
  const data = { x: xs, y: ys };
  const losses = new Float64Array(n);
  let done = 0;
  for (; done + n <= steps; done += n) f.descend(data, W2_LR, losses);
  const rest = steps - done;
  if (rest > 0) f.descend({ x: xs.subarray(0, rest), y: ys.subarray(0, rest) }, W2_LR, losses);
  const last = (rest > 0 ? rest : n) - 1;
  return {
    loss: steps === 0 ? Number.NaN : (losses[last] as number),
    checks: { m: m.data, c: c.data },
  };
}

/**
 * Heap per step graph, from many graphs held at once (one 6-node graph is
 * below the resolution of a heap reading); the holding array is taken off.
 */
function stepGraphMemory(setup: W2Setup): { text: string; figures: Record<string, number> } {
  const graphs = 10_000;
  const m = new Value(M0);
  const c = new Value(C0);
  const n = setup.xs.length;
  const { bytes, result } = retainedBytes(() => {
    const held = new Array<Value>(graphs);
    for (let k = 0; k < graphs; k++)
      held[k] = stepLoss(m, c, setup.xs[k % n] as number, setup.ys[k % n] as number);
    return held;
  });
  const perStep = (bytes - 8 * graphs) / graphs;
  return stepGraphReading(perStep, countNodes(result[0] as Value, new Set([m, c])));
}

/**
 * The rows of W2.
 *
 * @example
 * const rows = runW2({ steps: 200_000, plan: { warmups: 1, rounds: 7 } });
 */
export function runW2(options: { steps: number; plan: TimingPlan }): ResultRow[] {
  const setup = w2Setup(options.steps);
  const compiled = compileW2();
  const interpreted = compileW2('interpreter');
  const fused = compileW2();
  const fusedInterpreted = compileW2('interpreter');
  const variants: Variant[] = [
    {
      name: '(a) Value graph per step',
      floor: 'notebook',
      run: () => eagerOnlineFit(setup),
      target: ratioTarget(5),
      memory: () => stepGraphMemory(setup),
    },
    {
      name: '(b) @ag/nn Linear+mse+SGD',
      floor: 'notebook',
      run: () => nnOnlineFit(setup),
      target: ratioTarget(5),
    },
    {
      name: '(b) @ag/nn via fit',
      floor: 'notebook',
      run: () => nnOnlineFitViaFit(setup),
      target: ratioTarget(5),
    },
    {
      name: '(b) @ag/nn via fit, compile: true',
      floor: 'notebook',
      run: () => nnOnlineFitViaFit(setup, true),
      target: ratioTarget(5),
      note: 'online plain SGD without onStep: fit runs each pass fused (descend); the last pass eager, watched for the loss',
    },
    {
      name: 'W2 fit default',
      floor: 'notebook, epoch loss',
      run: () => nnOnlineFitDefault(setup),
      target: ratioTarget(2),
      note: 'one fit call without a compile option; its loss read from the history',
    },
    {
      name: `(c) compiled, replay, auto → ${compiled.f.mode}`,
      floor: 'notebook',
      run: () => compiledOnlineFit(setup, compiled),
      target: ratioTarget(2),
    },
    {
      name: `(c) compiled, replay, ${interpreted.f.mode}`,
      floor: 'notebook',
      run: () => compiledOnlineFit(setup, interpreted),
      target: ratioTarget(2),
      note: "mode 'interpreter' forced",
    },
    {
      name: `(c) compiled, descend (fused SGD), ${fused.f.mode}`,
      floor: 'notebook',
      run: () => descendOnlineFit(setup, fused),
      target: ratioTarget(2),
      note: 'f.descend({ x, y }, lr) once per pass over the 100 samples: no Value written between steps',
    },
    {
      name: `(c) compiled, descend, ${fusedInterpreted.f.mode}`,
      floor: 'notebook',
      run: () => descendOnlineFit(setup, fusedInterpreted),
      target: ratioTarget(2),
      note: "descend with mode 'interpreter' forced",
    },
    {
      name: '(c) compiled, incl. compile',
      floor: 'notebook',
      run: () => compiledOnlineFit(setup, compileW2()),
      target: ratioTarget(2),
    },
  ];
  // Timed apart, as W1's references are.
  const references: Variant[] = [
    {
      name: '(ref) minimal engine, (a)',
      floor: 'notebook',
      run: () => minimalOnlineFit(setup),
      note: MINIMAL_ENGINE_NOTE,
    },
    {
      name: '(bound) the step graph made, bare nodes, update by hand',
      floor: 'notebook',
      run: () => boundOnlineFit(setup),
      note: "a bound, not @ag: each step's four op nodes made as bare as a node holding its number can be (number, op, operands; no gradient), no backward pass, the update taken by hand",
    },
    {
      name: '(bound) the same, numbers in a Float64Array',
      floor: 'notebook',
      run: () => boundSlotsOnlineFit(setup),
      note: 'a bound, not @ag: as the bound above, each node one object (slot, op, operands) and its number in a typed array reused in a ring; below what any eager engine that makes a node per op can do',
    },
  ];
  const floors = { notebook: () => floorOnlineFit(setup) };
  return [
    ...runTimedWorkload(
      'W2',
      { ...floors, 'notebook, epoch loss': () => floorOnlineFitEpochLoss(setup) },
      variants,
      options.plan,
    ),
    ...runTimedWorkload('W2', floors, references, options.plan),
  ];
}
