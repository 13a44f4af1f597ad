/**
 * Replays in WebAssembly (wasm-replay.ts): what `auto` moves a tape whose
 * JavaScript would start in the interpreter to, once its shape has done 200
 * samples' work; descend here (run, backward and accumulate are compared
 * with eager in compile.test.ts, backward-shortcuts.test.ts, add-chains.test.ts). The numbers
 * are the eager loop's, bit for bit (here, and over random graphs and the
 * shortcuts' edge cases in descend-shortcuts.test.ts); where WebAssembly is
 * missing or refuses to compile, the JavaScript replays run instead; a step
 * that fails throws as the checked loop does, and changes nothing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Value } from '../index.js';
import { promotionBudget } from './codegen.js';
import { compile, record } from './compile.js';
import { layoutOf } from './inputs.js';
import {
  eagerDescent,
  expectDescended,
  expectSameBits,
  mlpLoss,
  mlpNet,
  type Descended,
} from './random-graphs.test-support.js';
import { cachedModuleCount, wasmReplay } from './wasm-replay.js';

afterEach(() => {
  vi.unstubAllGlobals();
});

/** A ReLU MLP with a hinge loss over nin inputs, its weights from a fixed sequence. */
function mlp(sizes: readonly number[]) {
  const net = mlpNet(sizes, (i) => Math.sin(3 * i + 1) / 2);
  const params = net.flat(2);
  const start = params.map((p) => p.data);
  const nin = sizes[0] as number;
  const inputs = { x: new Array<number>(nin).fill(0.5), y: 1 };
  const fn = ({ x, y }: { readonly x: readonly Value[]; readonly y: Value }): Value =>
    mlpLoss(net, x, y, true);
  const reset = (): void =>
    params.forEach((p, i) => {
      p.data = start[i] as number;
      p.grad = 0;
    });
  return { net, params, nin, inputs, fn, reset };
}

/** count samples: inputs in [−1, 1], labels ±1. */
function moons(nin: number, count: number) {
  const xs = Array.from({ length: nin * count }, (_, i) => Math.cos(7 * i));
  const ys = Array.from({ length: count }, (_, k) => (Math.sin(5 * k) > 0 ? 1 : -1));
  return { x: xs, y: ys };
}

/**
 * Trains another model of the shape for 200 samples per statement's worth of
 * work (WASM_WARM_UP in codegen.ts): after it, `auto`'s descend of the shape
 * runs WebAssembly from the first call.
 */
function warmShape(sizes: readonly number[]): void {
  const m = mlp(sizes);
  const f = compile(m.fn, { inputs: m.inputs });
  f.descend(moons(sizes[0] as number, 200), 1e-3);
}

/** The eager loop over the same data, from the same start. */
function eagerOf(m: ReturnType<typeof mlp>, data: { x: number[]; y: number[] }, lr: number) {
  m.reset();
  const out = eagerDescent(m.params, data.y.length, lr, (k) =>
    mlpLoss(m.net, data.x.slice(k * m.nin, (k + 1) * m.nin), data.y[k] as number, true),
  );
  m.reset();
  return out;
}

describe('replays in WebAssembly', () => {
  it("is what auto's descend runs once a shape has done the work its compilation costs, and equals the eager loop", () => {
    // 3-10-10-1 (shape used by no other test): JavaScript code for it would start interpreted.
    const m = mlp([3, 10, 10, 1]);
    const f = compile(m.fn, { inputs: m.inputs });
    const layout = layoutOf(m.inputs, 'test');
    const tape = record(
      (i) => m.fn(i as { x: Value[]; y: Value }),
      layout,
      [],
      (i) => layout.examples[i] as number,
      'test',
    );
    expect(promotionBudget(tape)).toBeGreaterThan(0);
    const data = moons(3, 260);
    const expected = eagerOf(m, data, 0.05) as Descended;
    const before = cachedModuleCount();
    const losses = new Float64Array(260);
    // 199 samples interpreted, then one more; from the next call, the shape's
    // module: the same numbers across the switch.
    f.descend({ x: data.x.slice(0, 3 * 199), y: data.y.slice(0, 199) }, 0.05, losses);
    const one = new Float64Array(1);
    f.descend({ x: data.x.slice(3 * 199, 3 * 200), y: data.y.slice(199, 200) }, 0.05, one);
    expect(cachedModuleCount()).toBe(before);
    losses[199] = one[0] as number;
    const rest = new Float64Array(60);
    f.descend({ x: data.x.slice(3 * 200), y: data.y.slice(200) }, 0.05, rest);
    losses.set(rest, 200);
    expectDescended(losses, m.params, expected);
    // Another function of the shape instantiates the module kept, from its first call.
    const other = mlp([3, 10, 10, 1]);
    const small = moons(3, 5);
    const twin = eagerOf(other, small, 0.05) as Descended;
    const few = new Float64Array(5);
    const total = compile(other.fn, { inputs: other.inputs }).descend(small, 0.05, few);
    expect(cachedModuleCount()).toBe(before + 1);
    expectSameBits([total], [twin.losses.reduce((s, l) => s + l, 0)]);
    expectDescended(few, other.params, twin);
  });

  it("takes every call of a batch tape that generated JavaScript would not take (its repeated block too long), with eager's numbers", () => {
    // Eight samples of a 2-32-32-1 MLP in one graph: a repeated block of 2,504
    // statements (codegen.test.ts), longer than V8 optimizes as one function.
    const net = mlpNet([2, 32, 32, 1], (i) => Math.sin(5 * i + 2) / 3);
    const params = net.flat(2);
    const xs = Array.from({ length: 16 }, (_, i) => Math.cos(3 * i));
    const ys = [1, -1, 1, 1, -1, -1, 1, -1];
    type Batch = {
      readonly x: readonly (Value | number)[];
      readonly y: readonly (Value | number)[];
    };
    const batch = ({ x, y }: Batch): Value => {
      let total = mlpLoss(net, x.slice(0, 2), y[0] as Value | number, true);
      for (let k = 1; k < 8; k++)
        total = total.add(mlpLoss(net, x.slice(2 * k, 2 * k + 2), y[k] as Value | number, true));
      return total;
    };
    const inputs = { x: xs, y: ys };
    const layout = layoutOf(inputs, 'test');
    const tape = record(
      (i) => batch(i as { x: Value[]; y: Value[] }),
      layout,
      [],
      (i) => layout.examples[i] as number,
      'test',
    );
    expect(promotionBudget(tape)).toBe(Infinity);
    const f = compile(batch, { inputs });
    for (let k = 0; k < 199; k++) f.backward(inputs);
    expect(f.mode).toBe('interpreter');
    f.backward(inputs);
    expect(f.mode).toBe('wasm');
    // From −0 and NaN among the starting gradients too.
    for (const grad0 of [0.5, -0, Number.NaN]) {
      params.forEach((p) => (p.grad = grad0));
      const root = batch(inputs);
      root.backward();
      const once = params.map((p) => p.grad);
      root.backward();
      const twice = params.map((p) => p.grad);
      params.forEach((p) => (p.grad = grad0));
      expectSameBits([f.backward(inputs)], [root.data]);
      expectSameBits(
        params.map((p) => p.grad),
        once,
      );
      params.forEach((p) => (p.grad = grad0));
      expectSameBits([f.accumulate([inputs, inputs])], [root.data + root.data]);
      expectSameBits(
        params.map((p) => p.grad),
        twice,
      );
      expectSameBits([f.run(inputs)], [root.data]);
    }
  });

  it('equals the eager loop where a parameter has one use that is not a dot (stepped after the pass)', () => {
    // (m·x + c − y)², m and c each used once, by * and +; and a dot whose bias is such a parameter too.
    const m = new Value(0.5);
    const c = new Value(-0.25);
    const w = [new Value(0.75), new Value(-1.5)];
    const fn = ({ x, y }: { readonly x: Value; readonly y: Value }): Value =>
      m.mul(x).add(c).sub(y).square().add(w[0]!.mul(x).add(w[1]!).tanh());
    const params = [m, c, ...w];
    const start = params.map((p) => p.data);
    const xs = [0.5, -1, 2, 0.125, -0.75];
    const ys = [1, 0.5, -2, 3, 0];
    const lr = 0.1;
    const expected = eagerDescent(params, 5, lr, (k) =>
      fn({ x: new Value(xs[k] as number), y: new Value(ys[k] as number) }),
    ) as Descended;
    params.forEach((p, i) => {
      p.data = start[i] as number;
      p.grad = 0;
    });
    const layout = layoutOf({ x: 0, y: 0 }, 'test');
    const tape = record(
      (i) => fn(i as { x: Value; y: Value }),
      layout,
      [],
      (i) => layout.examples[i] as number,
      'test',
    );
    const replay = wasmReplay(tape, layout, () => {
      throw new Error('no gradient');
    });
    expect(replay).not.toBeNull();
    const losses = new Float64Array(5);
    const total = replay!.descend([Float64Array.from(xs), Float64Array.from(ys)], 5, lr, losses);
    expectSameBits([total], [expected.losses.reduce((s, l) => s + l, 0)]);
    expectDescended(losses, params, expected);
  });

  it('throws at the step the checked loop refuses, with its message, and changes nothing', () => {
    warmShape([3, 11, 10, 1]);
    const m = mlp([3, 11, 10, 1]);
    const data = moons(3, 30);
    const expected = eagerOf(m, data, 1e306);
    expect(expected).toHaveProperty('failsAt');
    const interpreted = compile(m.fn, { inputs: m.inputs, mode: 'interpreter' });
    let message = '';
    try {
      interpreted.descend(data, 1e306);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(new RegExp(`at sample ${(expected as { failsAt: number }).failsAt}, `));
    m.reset();
    const state = m.params.flatMap((p) => [p.data, p.grad]);
    const losses = new Float64Array(30).fill(7);
    const f = compile(m.fn, { inputs: m.inputs });
    expect(() => f.descend(data, 1e306, losses)).toThrow(message);
    expectSameBits(
      m.params.flatMap((p) => [p.data, p.grad]),
      state,
    );
    expect(Array.from(losses)).toEqual(new Array(30).fill(7));
  });

  it('gives way to JavaScript where WebAssembly is missing or refuses to compile, with the same numbers', () => {
    const real = (
      globalThis as unknown as { WebAssembly: { CompileError: new (m: string) => Error } }
    ).WebAssembly;
    for (const [why, api] of [
      ['missing', undefined],
      [
        'refusing',
        {
          Module: function refuse() {
            // As a Content-Security-Policy without 'wasm-unsafe-eval' does.
            throw new real.CompileError('Wasm code generation disallowed by embedder');
          },
        },
      ],
    ] as const) {
      // A shape of its own per case: the module cache keeps a refusal too.
      const sizes = why === 'missing' ? [4, 9, 9, 1] : [4, 9, 10, 1];
      const m = mlp(sizes);
      const data = moons(4, 25);
      const expected = eagerOf(m, data, 0.02) as Descended;
      vi.stubGlobal('WebAssembly', api);
      const before = cachedModuleCount();
      warmShape(sizes);
      const losses = new Float64Array(25);
      compile(m.fn, { inputs: m.inputs }).descend(data, 0.02, losses);
      vi.unstubAllGlobals();
      expect(cachedModuleCount(), why).toBe(why === 'missing' ? before : before + 1);
      expectDescended(losses, m.params, expected);
    }
  });

  it('a call made from a getter while descend runs (its slots busy) gets its own answer, and the first call its', () => {
    warmShape([3, 10, 11, 1]);
    const m = mlp([3, 10, 11, 1]);
    const data = moons(3, 12);
    const lossAt = (k: number): Value =>
      mlpLoss(m.net, data.x.slice(3 * k, 3 * k + 3), data.y[k] as number, true);
    m.reset();
    const one = eagerDescent(m.params, 1, 0.05, lossAt) as Descended;
    m.reset();
    const expected = eagerDescent(m.params, 12, 0.05, lossAt) as Descended;
    m.reset();
    const f = compile(m.fn, { inputs: m.inputs });
    // The label of sample 5 is a getter that, read the second time (in the
    // loop; the first is the check of the columns), asks f for one step on
    // sample 0 from the parameters' Values, which the first call writes at its end.
    const ys = data.y.slice();
    let reads = 0;
    let inner = Number.NaN;
    Object.defineProperty(ys, 5, {
      get: () => {
        if (++reads === 2)
          inner = f.descend({ x: data.x.slice(0, 3), y: data.y.slice(0, 1) }, 0.05);
        return data.y[5];
      },
      enumerable: true,
    });
    const losses = new Float64Array(12);
    f.descend({ x: data.x, y: ys }, 0.05, losses);
    expect(reads).toBe(2);
    expectSameBits([inner], one.losses);
    expectDescended(losses, m.params, expected);
  });
});
