import type { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { fit, fitAsync, type EpochInfo, type FitResult } from './fit.js';
import { FUSED_CALL_NODES, planUpdates } from './fit-compiled.js';
import { planFit } from './fit-plan.js';
import { Linear } from './linear.js';
import { mse } from './losses.js';
import { SGD } from './optimizers/sgd.js';

/** Seven samples near y = 3x + 4. */
const DATA = {
  x: [[2], [5], [-1], [3], [0.5], [1.5], [-2]],
  y: [10.1, 18.9, 1.2, 13, 5.4, 8.6, -2.1],
};
const N = DATA.x.length;
/** The line's loss (m·x + c − y)² replays 3 op nodes a sample (dot, sub, square). */
const NODES_PER_SAMPLE = 3;
const PER_CALL = Math.floor(FUSED_CALL_NODES / (N * NODES_PER_SAMPLE));

function lineModel(): { model: Linear; params: Value[] } {
  const model = new Linear(1, 1);
  model.loadStateDict({ weight: [[0.5]], bias: [-1] });
  return { model, params: model.parameters() };
}

const sumLoss = (out: Value[][], y: (number | Value)[]): Value => mse(out, y, { reduction: 'sum' });

interface Run {
  result: FitResult | null;
  error: unknown;
  /** Every parameter's data and grad, then the optimizer's step count. */
  state: number[];
  epochs: EpochInfo[];
}

function lineRun(
  compile: boolean | 'codegen' | 'interpreter' | undefined,
  epochs: number,
  options: { data?: typeof DATA; lr?: number; watch?: boolean; shuffle?: number } = {},
): Run {
  const { model, params } = lineModel();
  const optimizer = new SGD(params, { lr: options.lr ?? 0.005 });
  const seen: EpochInfo[] = [];
  let result: FitResult | null = null;
  let error: unknown = null;
  try {
    result = fit({
      model,
      data: options.data ?? DATA,
      loss: sumLoss,
      optimizer,
      epochs,
      ...(compile === undefined ? {} : { compile }),
      ...(options.shuffle === undefined ? {} : { shuffle: options.shuffle }),
      ...(options.watch === true ? { onEpoch: (info: EpochInfo) => seen.push({ ...info }) } : {}),
    });
  } catch (e) {
    error = e;
  }
  return {
    result,
    error,
    state: [...params.flatMap((p) => [p.data, p.grad]), optimizer.stepCount],
    epochs: seen,
  };
}

/** Object.is on every entry: bit for bit. */
function expectSameBits(got: readonly number[], want: readonly number[], what: string): void {
  expect(got, what).toHaveLength(want.length);
  const differing = got.flatMap((v, i) => (Object.is(v, want[i]) ? [] : [[i, v, want[i]]]));
  expect(differing, what).toEqual([]);
}

describe('fused passes, several per call', () => {
  it('takes as many passes per call as replay about FUSED_CALL_NODES op nodes', () => {
    const { model, params } = lineModel();
    const plan = planFit(
      { model, data: DATA, loss: sumLoss, optimizer: new SGD(params, { lr: 0.01 }), epochs: 1 },
      'fit(options)',
      ['model', 'data', 'loss', 'optimizer', 'epochs', 'compile'],
    );
    const fused = planUpdates({
      ...plan,
      compile: { mode: 'codegen', fallback: false, batchSizes: [1] },
    }).fused;
    // 4096 nodes / (7 samples × 3 nodes) = 195.04…
    expect(PER_CALL).toBe(195);
    expect(fused?.passesPerCall).toBe(PER_CALL);
  });

  it('gives the sums and parameters of as many single passes, bit for bit', () => {
    const setup = () => {
      const { model, params } = lineModel();
      const plan = planFit(
        { model, data: DATA, loss: sumLoss, optimizer: new SGD(params, { lr: 0.005 }), epochs: 1 },
        'fit(options)',
        ['model', 'data', 'loss', 'optimizer', 'epochs'],
      );
      const { fused } = planUpdates({
        ...plan,
        compile: { mode: 'codegen', fallback: false, batchSizes: [1] },
      });
      if (fused === null) throw new Error('expected a fused pass');
      return { params, fused };
    };
    const order = DATA.x.map((_, i) => i);
    for (const counts of [[1], [5], [PER_CALL], [PER_CALL, 3, PER_CALL, 1]]) {
      const one = setup();
      const single: number[] = [];
      for (const count of counts)
        for (let j = 0; j < count; j++) single.push(one.fused.run(order, 0.005, false));
      const many = setup();
      const sums: number[] = [];
      for (const count of counts) {
        const out = new Float64Array(count);
        many.fused.runPasses(count, 0.005, out);
        sums.push(...out);
      }
      expectSameBits(sums, single, `sums of ${counts.join(', ')} passes`);
      expectSameBits(
        many.params.map((p) => p.data),
        one.params.map((p) => p.data),
        'parameters',
      );
    }
  });

  it('runs an unobserved online fit with eager fit’s history, parameters, gradients and step count, bit for bit', () => {
    // One pass, fewer passes than one call takes, exactly one call, one call and a shorter one, several.
    for (const epochs of [1, 2, PER_CALL - 1, PER_CALL, PER_CALL + 1, 3 * PER_CALL + 7]) {
      const eager = lineRun(false, epochs);
      const history = eager.result?.history ?? [];
      expect(history).toHaveLength(epochs);
      // The line trained: the last epoch's loss below the first's.
      if (epochs > 1) expect(history[epochs - 1]).toBeLessThan(history[0] as number);
      for (const compile of ['codegen', 'interpreter', true, undefined] as const) {
        // compile: 'auto' compiles from 96 updates (14 epochs of 7 samples).
        if (compile === undefined && epochs * N < 96) continue;
        const fused = lineRun(compile, epochs);
        const what = `${epochs} epochs, compile ${String(compile)}`;
        expect(fused.result, what).toMatchObject({
          compiled: true,
          fusedEpochs: epochs,
          epochs,
          steps: epochs * N,
          stopped: false,
        });
        expectSameBits(fused.result?.history ?? [], history, `${what}: history`);
        expectSameBits(fused.state, eager.state, `${what}: parameters, gradients, step count`);
      }
    }
  });

  it('still shows every epoch to onEpoch, and shuffles every epoch, with eager fit’s numbers', () => {
    const epochs = PER_CALL + 5;
    for (const options of [{ watch: true }, { shuffle: 11 }, { watch: true, shuffle: 11 }]) {
      const eager = lineRun(false, epochs, options);
      const fused = lineRun('codegen', epochs, options);
      expect(fused.result?.fusedEpochs).toBe(epochs);
      expectSameBits(fused.result?.history ?? [], eager.result?.history ?? [], 'history');
      expectSameBits(fused.state, eager.state, 'parameters, gradients, step count');
      if (options.watch === true) {
        expect(fused.epochs.map((e) => [e.epoch, e.globalStep])).toEqual(
          Array.from({ length: epochs }, (_, i) => [i + 1, (i + 1) * N]),
        );
        expectSameBits(
          fused.epochs.map((e) => e.loss),
          eager.epochs.map((e) => e.loss),
          'onEpoch losses',
        );
      }
    }
  });

  it('meets a non-finite number in a later pass of a call: eager fit’s error, parameters and step count', () => {
    // x = 10 and lr 0.03: each step scales the error by about 1 − 0.06·101 ≈ −5, which
    // overflows (5⁴⁴⁰ ≈ 1e307) after some 440 steps: in pass 146 of the first call, of 300.
    const data = { x: [[10], [10], [10]], y: [1, 2, 3] };
    const eager = lineRun(false, 300, { data, lr: 0.03 });
    expect(eager.error).toBeInstanceOf(RangeError);
    expect((eager.error as Error).message).toMatch(/^SGD\.step: /);
    const steps = eager.state[4] as number;
    expect(steps).toBeGreaterThan(3 * 10);
    expect(steps).toBeLessThan(3 * 150);
    for (const compile of ['codegen', 'interpreter'] as const) {
      const fused = lineRun(compile, 300, { data, lr: 0.03 });
      expect((fused.error as Error).message).toBe((eager.error as Error).message);
      expectSameBits(fused.state, eager.state, `${compile}: parameters, gradients, step count`);
    }
  });

  it('runs the same under fitAsync', async () => {
    const epochs = 2 * PER_CALL + 3;
    const { model, params } = lineModel();
    const result = await fitAsync({
      model,
      data: DATA,
      loss: sumLoss,
      optimizer: new SGD(params, { lr: 0.005 }),
      epochs,
      yieldEveryMs: 0,
    });
    const eager = lineRun(false, epochs);
    expect(result.fusedEpochs).toBe(epochs);
    expectSameBits(result.history, eager.result?.history ?? [], 'history');
    expectSameBits(
      params.flatMap((p) => [p.data, p.grad]),
      eager.state.slice(0, 4),
      'parameters and gradients',
    );
  });
});
