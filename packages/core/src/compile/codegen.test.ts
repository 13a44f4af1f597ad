import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dot } from '../nary.js';
import { Value } from '../value.js';
import { generatedSize, generateSource, promotionBudget } from './codegen.js';
import { compile, record } from './compile.js';
import { layoutOf } from './inputs.js';
import { expectSameBits } from './random-graphs.test-support.js';

/**
 * An MLP 2-h-h-1 (ReLU) with its own weights drawn from `seed`, and the hinge
 * loss relu(1 − y·score) of one sample: issue 17's W5 shape for h = 16.
 */
function mlp(h: number, seed: number) {
  let s = seed;
  const draw = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (2 * s) / 2 ** 32 - 1;
  };
  const layer = (nin: number, nout: number): Value[][] =>
    Array.from({ length: nout }, () => Array.from({ length: nin + 1 }, () => new Value(draw())));
  const layers = [layer(2, h), layer(h, h), layer(h, 1)];
  const params = layers.flat(2);
  const loss = (x: readonly (number | Value)[], y: number | Value): Value => {
    let act: (number | Value)[] = [...x];
    layers.forEach((l, i) => {
      act = l.map((wb) => {
        const z = dot(wb.slice(0, -1), act, wb[wb.length - 1]);
        return i === layers.length - 1 ? z : z.relu();
      });
    });
    return new Value(1, { requiresGrad: false }).sub((act[0] as Value).mul(y)).relu();
  };
  const f = compile(({ x, y }) => loss(x, (y as Value[])[0] as Value), {
    inputs: { x: [0, 0], y: [0] },
    parameters: params,
  });
  return { params, loss, f };
}

/** Samples k = 0, 1, … of a fixed stream: x in [−1, 1]², y = ±1. */
const xOf = (k: number): [number, number] => [Math.sin(1.3 * k), Math.cos(0.7 * k + 0.2)];
const yOf = (k: number): number => (Math.sin(2.1 * k) >= 0 ? 1 : -1);
const columns = (from: number, count: number) => ({
  x: Float64Array.from({ length: 2 * count }, (_, j) => xOf(from + (j >> 1))[j & 1] as number),
  y: Float64Array.from({ length: count }, (_, j) => yOf(from + j)),
});

/**
 * These tests are about generated JavaScript, which `auto` moves to only where
 * WebAssembly is refused (else to WebAssembly, far sooner: wasm-replay.test.ts).
 */
function withoutWasm(): void {
  beforeEach(() => {
    vi.stubGlobal('WebAssembly', undefined);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });
}

describe('compile auto: generated code or the interpreter, by size and by use (without WebAssembly)', () => {
  withoutWasm();
  it('generates code at once for a small tape, and interprets a larger one at first', () => {
    const w = new Value(2);
    const b = new Value(-1);
    const line = compile(({ x }) => x.mul(w).add(b), { inputs: ['x'] });
    expect(line.mode).toBe('codegen');
    // 2-6-6-1: 28 op nodes, 54 dot terms: 164 statements, over the 128 generated at once.
    expect(mlp(6, 1).f.mode).toBe('interpreter');
    // Asked for, either mode is given whatever the size.
    const { params, loss } = mlp(6, 2);
    const asked = compile(({ x, y }) => loss(x, (y as Value[])[0] as Value), {
      inputs: { x: [0, 0], y: [0] },
      parameters: params,
      mode: 'codegen',
    });
    expect(asked.mode).toBe('codegen');
  });

  it('moves a shape to generated code after 50,000 samples, and starts a new function of that shape there, with the numbers of the eager loop', () => {
    const lr = 0.01;
    const a = mlp(7, 3);
    // The eager loop descend fuses, on a second copy of the weights.
    const twin = mlp(7, 3);
    const eager = (from: number, count: number): void => {
      for (let k = from; k < from + count; k++) {
        twin.params.forEach((p) => (p.grad = 0));
        twin.loss(xOf(k), yOf(k)).backward();
        twin.params.forEach((p) => (p.data -= lr * p.grad));
      }
    };
    expect(a.f.mode).toBe('interpreter');
    a.f.descend(columns(0, 49_999), lr);
    expect(a.f.mode).toBe('interpreter');
    // From here on the eager loop takes the same steps from the same weights.
    twin.params.forEach((p, i) => (p.data = (a.params[i] as Value).data));
    a.f.descend(columns(49_999, 1), lr);
    eager(49_999, 1);
    expect(a.f.mode).toBe('codegen');
    // Across the switch, as after it, every weight and gradient is eager's, bit for bit.
    a.f.descend(columns(50_000, 300), lr);
    eager(50_000, 300);
    expectSameBits(
      a.params.map((p) => p.data),
      twin.params.map((p) => p.data),
    );
    expectSameBits(
      a.params.map((p) => p.grad),
      twin.params.map((p) => p.grad),
    );
    // Another model of the shape: generated code from its first call.
    expect(mlp(7, 4).f.mode).toBe('codegen');
    // Another shape still starts in the interpreter.
    expect(mlp(8, 3).f.mode).toBe('interpreter');
  });

  it('counts backward and accumulate samples too', () => {
    const { f, params, loss } = mlp(9, 5);
    const samples = Array.from({ length: 1000 }, (_, k) => ({ x: xOf(k), y: [yOf(k)] }));
    for (let i = 0; i < 49; i++) f.accumulate(samples);
    expect(f.mode).toBe('interpreter');
    for (let k = 0; k < 999; k++) f.backward(samples[k] as (typeof samples)[number]);
    expect(f.mode).toBe('interpreter');
    f.backward(samples[999] as (typeof samples)[number]);
    expect(f.mode).toBe('codegen');
    // Now in code: one sample's gradient from zero is the eager graph's, bit for bit.
    params.forEach((p) => (p.grad = 0));
    const out = f.backward(samples[7] as (typeof samples)[number]);
    const compiled = params.map((p) => p.grad);
    params.forEach((p) => (p.grad = 0));
    const root = loss(xOf(7), yOf(7));
    root.backward();
    expectSameBits([out, ...compiled], [root.data, ...params.map((p) => p.grad)]);
  });
});

/**
 * The MLP of {@link mlp}'s kind over a batch of `count` samples as vector
 * inputs (x: 2 numbers a sample, y: 1), its hinge losses summed: issue 17's
 * W1 batch tape for h = 16, count = 100.
 */
function batchMlp(h: number, count: number, seed: number) {
  const { params, loss } = mlp(h, seed);
  const sumOf = (x: readonly (number | Value)[], y: readonly (number | Value)[]): Value => {
    let total = loss(x.slice(0, 2), y[0] as Value);
    for (let i = 1; i < count; i++)
      total = total.add(loss(x.slice(2 * i, 2 * i + 2), y[i] as Value));
    return total;
  };
  const inputs = { x: new Array<number>(2 * count).fill(0), y: new Array<number>(count).fill(0) };
  const layout = layoutOf(inputs, 't');
  const tape = record(
    (s) => sumOf(s.x as Value[], s.y as Value[]),
    layout,
    params,
    () => 0.5,
    't',
  );
  const f = compile(({ x, y }) => sumOf(x, y), { inputs, parameters: params });
  const sample = {
    x: Array.from({ length: 2 * count }, (_, j) => xOf(j >> 1)[j & 1] as number),
    y: Array.from({ length: count }, (_, k) => yOf(k)),
  };
  return { params, f, tape, sumOf, sample };
}

describe('compile auto: the work a shape has done against what its code costs (without WebAssembly)', () => {
  withoutWasm();
  it('prices a tape at 50,000 interpreted statements per statement of its code, a rolled block written once', () => {
    // w·x + b, (· − y)², over 40 samples, summed: 122 nodes (3 a sample, the
    // sum, the mean's division), 364 statements in all, over the 300 kept in
    // locals: in arrays, where the 40 blocks are one loop.
    const w = new Value(0.5);
    const b = new Value(0.25);
    const count = 40;
    const inputs = { x: new Array<number>(count).fill(0), y: new Array<number>(count).fill(0) };
    const layout = layoutOf(inputs, 't');
    const tape = record(
      (s) => {
        const xs = s.x as Value[];
        const ys = s.y as Value[];
        const terms = xs.map((x, i) =>
          dot([w], [x], b)
            .sub(ys[i] as Value)
            .square(),
        );
        let total = terms[0] as Value;
        for (let i = 1; i < count; i++) total = total.add(terms[i] as Value);
        return total.div(count);
      },
      layout,
      [w, b],
      () => 0.5,
      't',
    );
    // A block: the dot (2 statements and its 2 terms), the sub, the square
    // (2 each): 8; the 39 adds after the blocks, a run of one op: a loop, 2;
    // the division, 2.
    expect(generatedSize(tape)).toEqual({ size: 12, block: 8 });
    // 12 statements: generated at once (0). An MLP 2-7-7-1's one sample: 32
    // nodes (15 dots, 14 ReLUs, the hinge's mul, sub and ReLU), a forward and
    // a backward statement each, and the dots' 140 terms (7 of 2 weights and
    // 2 inputs, 7 of 7 and 7, 1 of 7 and 7): 204, kept in locals, none rolled.
    expect(promotionBudget(tape)).toBe(0);
    const h7 = batchMlp(7, 1, 9).tape;
    expect(generatedSize(h7)).toEqual({ size: 2 * 32 + 140, block: 0 });
    expect(promotionBudget(h7)).toBe(50_000 * 204);
  });

  it('moves a batch tape to generated code once its replays have done the work, where counting samples never did', () => {
    const lr = 0.01;
    // MLP 2-6-6-1 over 60 samples: a block of 28 nodes and 108 dot terms (164
    // statements), the 59 adds as one loop (2): 166 statements of code, over
    // the 128 generated at once; 60 blocks and the adds replayed.
    const a = batchMlp(6, 60, 11);
    const twin = batchMlp(6, 60, 11);
    const perReplay = a.tape.op.length + a.tape.backward.length + a.tape.args.length;
    const budget = promotionBudget(a.tape);
    expect(generatedSize(a.tape)).toEqual({ size: 166, block: 164 });
    expect(budget).toBe(50_000 * 166);
    const replays = Math.ceil(budget / perReplay);
    // A first fit's 100 replays stay in the interpreter; the old rule (50,000
    // samples, a replay one sample) would have waited 50,000 replays.
    expect(replays).toBeGreaterThan(100);
    expect(replays).toBeLessThan(2_000);
    const step = (m: typeof a, eagerly: boolean): void => {
      m.params.forEach((p) => (p.grad = 0));
      if (eagerly) m.sumOf(m.sample.x, m.sample.y).backward();
      else m.f.backward(m.sample);
      m.params.forEach((p) => (p.data -= lr * p.grad));
    };
    for (let r = 0; r < replays - 1; r++) step(a, false);
    expect(a.f.mode).toBe('interpreter');
    // From here on the eager graph takes the same steps from the same weights.
    twin.params.forEach((p, i) => (p.data = (a.params[i] as Value).data));
    step(a, false);
    step(twin, true);
    expect(a.f.mode).toBe('codegen');
    for (let r = 0; r < 20; r++) {
      step(a, false);
      step(twin, true);
    }
    expectSameBits(
      a.params.map((p) => p.data),
      twin.params.map((p) => p.data),
    );
    // Another model of the shape: generated code from its first call.
    expect(batchMlp(6, 60, 12).f.mode).toBe('codegen');
  });

  it('keeps in the interpreter a tape whose rolled block is one function longer than V8 optimizes', () => {
    // MLP 2-32-32-1 over 8 samples, a sample's block: 132 nodes (65 dots, 64
    // ReLUs, the hinge's 3), 2 statements each, and the dots' 2240 terms (32
    // of 2 weights and 2 inputs, 32 of 32 and 32, 1 of 32 and 32): 2504, over
    // the 1,500 of one function.
    const { tape, f, sample } = batchMlp(32, 8, 13);
    expect(generatedSize(tape)).toEqual({ size: 2504 + 2, block: 2 * 132 + 2240 });
    expect(promotionBudget(tape)).toBe(Infinity);
    for (let r = 0; r < 3; r++) f.backward(sample);
    expect(f.mode).toBe('interpreter');
  });
});

describe('generated code: the shapes V8 optimizes quickly', () => {
  const tapeOf = (h: number) => {
    const { params, loss } = mlp(h, 6);
    const layout = layoutOf({ x: [0, 0], y: [0] }, 't');
    const tape = record(
      (s) => loss(s.x as Value[], (s.y as Value[])[0] as Value),
      layout,
      params,
      () => 0.5,
      't',
    );
    return { tape, layout };
  };

  it('keeps the values of a 2-16-16-1 MLP in arrays, not in 740 lines of locals', () => {
    const { tape, layout } = tapeOf(16);
    const source = generateSource(tape, layout);
    expect(source).toContain('function pass()');
    expect(source).not.toMatch(/const v\d+ = /);
  });

  it('cuts the passes into functions of at most 100 lines', () => {
    const { tape, layout } = tapeOf(16);
    const source = generateSource(tape, layout, 'arrays');
    const parts = source.split(/\nfunction [fb]\d+\(\) \{\n/).slice(1);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      const body = part.slice(0, part.indexOf('\n}\n'));
      expect(body.split('\n').length).toBeLessThanOrEqual(100);
    }
  });
});
