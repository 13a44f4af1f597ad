/**
 * Random expression graphs over every op, for the tests of the graph compiler:
 * the same steps build the same graph over any leaves, so a compiled replay can
 * be compared with the eager engine bit for bit.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { add, atan2, div, dot, hypot, max, min, mul, pow, sub, sum, Value } from '../index.js';
import { generate, type GeneratedFunctions } from './codegen.js';
import { record } from './compile.js';
import { layoutOf, type InputLayout } from './inputs.js';
import type { Tape } from './tape.js';
import { wasmReplay } from './wasm-replay.js';

export const OP_NAMES = [
  'add',
  'sub',
  'mul',
  'div',
  'pow',
  'powValue',
  'max',
  'min',
  'neg',
  'square',
  'exp',
  'log',
  'sqrt',
  'tanh',
  'relu',
  'abs',
  'sigmoid',
  'softplus',
  'sum',
  'dot',
  'dotNoBias',
  'numberLeft',
  'newUnary',
  'newBinary',
] as const;

/** The unary ops added with the one-calculus op table, each on an input inside its domain. */
const NEW_UNARY: readonly ((x: Value) => Value)[] = [
  (x) => x.sin(),
  (x) => x.cos(),
  (x) => x.tanh().tan(),
  (x) => x.tanh().mul(0.9).asin(),
  (x) => x.tanh().mul(0.9).acos(),
  (x) => x.atan(),
  (x) => x.tanh().sinh(),
  (x) => x.tanh().cosh(),
  (x) => x.asinh(),
  (x) => x.square().add(1.5).acosh(),
  (x) => x.tanh().mul(0.9).atanh(),
  (x) => x.abs().log1p(),
  (x) => x.tanh().expm1(),
  (x) => x.abs().add(0.5).log2(),
  (x) => x.abs().add(0.5).log10(),
  (x) => x.erf(),
  (x) => x.erfc(),
  (x) => x.gelu(),
  (x) => x.silu(),
  (x) => x.sign(),
  (x) => x.floor(),
  (x) => x.ceil(),
  (x) => x.round(),
  (x) => x.leakyRelu(0.1),
  (x) => x.elu(1.5),
  (x) => x.clamp(-0.5, 0.75),
];
const NEW_BINARY: readonly ((x: Value, y: Value | number) => Value)[] = [
  (x, y) => x.atan2(y),
  (x, y) => x.hypot(y),
  (x, y) => atan2(y, x),
  (x, y) => hypot(y, x),
];

export interface Step {
  op: (typeof OP_NAMES)[number];
  i: number;
  j: number;
  k: number;
  n: number;
  c: number;
}

export const step = fc.record({
  op: fc.constantFrom(...OP_NAMES),
  i: fc.nat(1000),
  j: fc.nat(1000),
  k: fc.nat(1000),
  n: fc.integer({ min: 1, max: 5 }),
  c: fc.double({ min: -3, max: 3, noNaN: true }),
});
/** Doubles with full mantissas, where a change in the order of additions shows in the bits. */
export const generic = fc.integer({ min: 1, max: 2 ** 30 }).map((n) => 2 * Math.sin(n));
/** Those and fast-check's edge cases (0, −0, ±2, tiny numbers). */
export const finite = fc.oneof(generic, fc.double({ min: -2, max: 2, noNaN: true }));

export type Item = Value | number;

/**
 * Builds the same expression over any leaves: each step applies an op to
 * earlier items (parameters, inputs, plain numbers or earlier results), so
 * nodes are shared between many users. The root sums the last results and the
 * first parameter (so it always requires a gradient).
 */
export function build(
  steps: readonly Step[],
  params: readonly Value[],
  inputs: readonly Value[],
  constants: readonly number[],
): Value {
  const pool: Item[] = [...params, ...inputs, ...constants];
  const pick = (i: number): Item => pool[i % pool.length] as Item;
  const node = (i: number): Value => {
    const x = pick(i);
    return x instanceof Value ? x : new Value(x, { requiresGrad: false });
  };
  for (const s of steps) {
    const x = node(s.i);
    const y = pick(s.j);
    let r: Value;
    switch (s.op) {
      case 'add':
        r = x.add(y);
        break;
      case 'sub':
        r = x.sub(y);
        break;
      case 'mul':
        r = x.mul(y);
        break;
      case 'div':
        r = x.div(y);
        break;
      case 'pow':
        r = x.pow([2, 3, -1, 0.5][s.k % 4] as number);
        break;
      case 'powValue':
        r = pow(x.abs().add(0.25), (params[s.j % params.length] as Value).tanh()); // a finite exponent, as pow requires
        break;
      case 'max':
        r = s.k % 2 ? x.max(y) : max(y, x);
        break;
      case 'min':
        r = s.k % 2 ? x.min(y) : min(y, x);
        break;
      case 'neg':
        r = x.neg();
        break;
      case 'square':
        r = x.square();
        break;
      case 'exp':
        r = x.tanh().exp();
        break;
      case 'log':
        r = x.log();
        break;
      case 'sqrt':
        r = x.sqrt();
        break;
      case 'tanh':
        r = x.tanh();
        break;
      case 'relu':
        r = x.relu();
        break;
      case 'abs':
        r = x.abs();
        break;
      case 'sigmoid':
        r = x.sigmoid();
        break;
      case 'softplus':
        r = x.softplus();
        break;
      case 'sum':
        r = sum(Array.from({ length: s.n + 1 }, (_, t) => pick(s.i + t * (s.j + 1))));
        break;
      case 'dot':
      case 'dotNoBias': {
        const w = Array.from({ length: s.n }, (_, t) => pick(s.i + t * 7));
        const v = Array.from({ length: s.n }, (_, t) => pick(s.j + t * 3));
        r = s.op === 'dot' ? dot(w, v, pick(s.k)) : dot(w, v);
        break;
      }
      case 'numberLeft': {
        const fns = [add, sub, mul, div];
        r = (fns[s.k % 4] as typeof add)(s.c, x);
        break;
      }
      case 'newUnary':
        r = (NEW_UNARY[s.k % NEW_UNARY.length] as (x: Value) => Value)(x);
        break;
      case 'newBinary':
        r = (NEW_BINARY[s.k % NEW_BINARY.length] as (x: Value, y: Value | number) => Value)(x, y);
        break;
    }
    pool.push(r);
  }
  return sum([...pool.slice(-3), params[0] as Value]);
}

/** What eager backward() leaves: the output and each parameter's gradient, from the given starting gradients. */
export function eager(
  steps: readonly Step[],
  params: readonly Value[],
  xs: readonly number[],
  constants: readonly number[],
  grads: readonly number[],
) {
  params.forEach((p, i) => (p.grad = grads[i] as number));
  const inputs = xs.map((x) => new Value(x, { requiresGrad: false }));
  const root = build(steps, params, inputs, constants);
  root.backward();
  return { out: root.data, grads: params.map((p) => p.grad) };
}

export function expectSameBits(actual: readonly number[], expected: readonly number[]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => {
    if (!Object.is(a, expected[i]))
      expect.fail(`entry ${i}: ${a} !== ${expected[i]} (bit for bit)`);
  });
}

/**
 * `build(steps, params, x, [0.75])` over a vector input x of three numbers,
 * recorded and generated as code in both styles (slots in locals and in typed
 * arrays), and as WebAssembly.
 */
export function generatedStyles(
  steps: readonly Step[],
  params: readonly Value[],
): GeneratedFunctions[] {
  const layout = layoutOf({ x: [0.5, -0.25, 1.5] }, 'test');
  const tape = record(
    ({ x }) => build(steps, params, x as Value[], [0.75]),
    layout,
    [],
    (i) => layout.examples[i] as number,
    'test',
  );
  const noGradient = (): never => {
    throw new Error('no gradient');
  };
  return [
    ...(['locals', 'arrays'] as const).map((style) => generate(tape, layout, noGradient, style)),
    wasmOf(tape, layout, noGradient),
  ];
}

/** A tape's replay in WebAssembly, which every environment the tests run in has. */
export function wasmOf(
  tape: Tape,
  layout: InputLayout,
  noGradient: (where: string) => never,
): GeneratedFunctions {
  const replay = wasmReplay(tape, layout, noGradient);
  if (replay === null) throw new Error('no WebAssembly here');
  return replay;
}

/**
 * A batch function run eagerly over inputs `xs` (the parameters' gradients
 * started at 0.5, then one backward()), and the same function recorded over a
 * vector input x holding `xs`.
 */
export function eagerAndRecorded(
  batch: (x: readonly Value[]) => Value,
  params: readonly Value[],
  xs: readonly number[],
) {
  const root = batch(xs.map((x) => new Value(x, { requiresGrad: false })));
  params.forEach((p) => (p.grad = 0.5));
  root.backward();
  const expected = [root.data, ...params.map((p) => p.grad)];
  const layout = layoutOf({ x: xs }, 'test');
  const tape = record(
    ({ x }) => batch(x as Value[]),
    layout,
    [],
    (i) => layout.examples[i] as number,
    'test',
  );
  return { root, expected, layout, tape };
}

/** What `descend` computes, by hand, over `dataOf(k)`: one sample's `data`. */
export interface Descended {
  losses: number[];
  data: number[];
  grads: number[];
}

/**
 * The eager loop `descend` fuses, written out: per sample, gradients from 0, a
 * graph, `backward()`, then SGD's check (every gradient, then every new value
 * finite) and p ← p − lr·g. Returns the failing sample instead where the check fails.
 */
export function eagerDescent(
  params: readonly Value[],
  count: number,
  lr: number,
  graph: (k: number) => Value,
): Descended | { failsAt: number } {
  const losses: number[] = [];
  for (let k = 0; k < count; k++) {
    params.forEach((p) => (p.grad = 0));
    const root = graph(k);
    root.backward();
    losses.push(root.data);
    const trained = params.filter((p) => p.requiresGrad);
    if (trained.some((p) => !Number.isFinite(p.grad))) return { failsAt: k };
    if (trained.some((p) => !Number.isFinite(p.data - lr * p.grad))) return { failsAt: k };
    for (const p of trained) p.data -= lr * p.grad;
  }
  return { losses, data: params.map((p) => p.data), grads: params.map((p) => p.grad) };
}

/** The losses written, and the parameters and gradients left, bit for bit as expected. */
export function expectDescended(
  losses: Float64Array,
  params: readonly Value[],
  expected: Descended,
): void {
  expectSameBits(Array.from(losses), expected.losses);
  expectSameBits(
    params.map((p) => p.data),
    expected.data,
  );
  expectSameBits(
    params.map((p) => p.grad),
    expected.grads,
  );
}

/** An MLP's weights: per layer, per neuron, its weights then its bias. */
export type Net = (readonly Value[])[][];

/** An MLP of these layer sizes, its parameters numbered in order and set to init(i). */
export function mlpNet(sizes: readonly number[], init: (i: number) => number): Net {
  let at = 0;
  const net: Net = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const layer: Value[][] = [];
    for (let j = 0; j < (sizes[l + 1] as number); j++)
      layer.push(Array.from({ length: (sizes[l] as number) + 1 }, () => new Value(init(at++))));
    net.push(layer);
  }
  return net;
}

/** ReLU hidden layers, a linear output (one neuron); then hinge relu(1 − y·s) or (s − y)². */
export function mlpLoss(
  net: Net,
  x: readonly (Value | number)[],
  y: Value | number,
  hinge: boolean,
): Value {
  let h: readonly (Value | number)[] = x;
  net.forEach((layer, l) => {
    const last = l === net.length - 1;
    h = layer.map((wb) => {
      const z = dot(wb.slice(0, -1), h, wb.at(-1));
      return last ? z : z.relu();
    });
  });
  const s = h[0] as Value;
  return hinge ? sub(1, mul(y, s)).relu() : s.sub(y).square();
}
