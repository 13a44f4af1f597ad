import type { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { fit, fitAsync, type FitResult } from './fit.js';
import { hinge, l2Penalty } from './losses.js';
import { MLP } from './mlp.js';
import { Adam } from './optimizers/adam.js';
import { SGD } from './optimizers/sgd.js';
import { seededRandom } from './random.js';

const data = {
  x: [
    [0.5, 1.2],
    [-1, 0.3],
    [0.8, -0.7],
    [-0.4, -1.1],
    [1.5, 0.2],
    [-0.2, 0.9],
    [0.1, -0.3],
  ],
  y: [1, -1, 1, -1, 1, -1, 1],
};

type Mode = 'online' | 'batch' | { batchSize: number };

/** A fresh 2-4-1 tanh MLP and its optimizer; `optimizer` picks SGD with momentum or Adam. */
function setup(adam: boolean) {
  const model = new MLP(2, [4, 1], { activation: 'tanh', random: seededRandom(3) });
  const params = model.parameters();
  const optimizer = adam
    ? new Adam(params, { lr: 0.01 })
    : new SGD(params, { lr: 0.05, momentum: 0.9 });
  const loss = (out: Value[][], y: (number | Value)[]) =>
    hinge(out, y).add(l2Penalty(params, 1e-3));
  return { model, optimizer, loss, params };
}

function expectIdentical(a: FitResult, b: FitResult, pa: Value[], pb: Value[]): void {
  expect(a.history.length).toBe(b.history.length);
  a.history.forEach((h, i) => expect(Object.is(h, b.history[i])).toBe(true));
  expect([a.steps, a.epochs, a.stopped, a.fusedEpochs]).toEqual([
    b.steps,
    b.epochs,
    b.stopped,
    b.fusedEpochs,
  ]);
  pa.forEach((p, i) => expect(Object.is(p.data, pb[i]!.data)).toBe(true));
}

describe('fitAsync (issue 18)', () => {
  const modes: Mode[] = ['online', 'batch', { batchSize: 3 }];
  for (const mode of modes)
    for (const compile of [false, true, 'interpreter'] as const)
      for (const adam of [false, true]) {
        it(`is bit-identical to fit: ${JSON.stringify(mode)}, compile ${compile}, ${adam ? 'Adam' : 'SGD'}`, async () => {
          const a = setup(adam);
          const b = setup(adam);
          const options = { data, mode, epochs: 4, shuffle: 5, compile } as const;
          const ra = fit({ ...options, model: a.model, loss: a.loss, optimizer: a.optimizer });
          // yieldEveryMs 0: a yield to the event loop after every update.
          const rb = await fitAsync({
            ...options,
            model: b.model,
            loss: b.loss,
            optimizer: b.optimizer,
            yieldEveryMs: 0,
          });
          expectIdentical(ra, rb, a.params, b.params);
        });
      }

  it('fused online passes (compiled plain SGD) are identical too', async () => {
    const run = () => {
      const model = new MLP(2, [4, 1], { activation: 'tanh', random: seededRandom(3) });
      return { model, optimizer: new SGD(model.parameters(), { lr: 0.05 }) };
    };
    const a = run();
    const b = run();
    const ra = fit({ ...a, data, loss: hinge, epochs: 3, compile: true });
    const rb = await fitAsync({
      ...b,
      data,
      loss: hinge,
      epochs: 3,
      compile: true,
      yieldEveryMs: 0,
    });
    expect(ra.fusedEpochs).toBe(3);
    expectIdentical(ra, rb, a.model.parameters(), b.model.parameters());
  });

  it('yields to the event loop while training', async () => {
    const a = setup(false);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    await fitAsync({
      model: a.model,
      data,
      loss: a.loss,
      optimizer: a.optimizer,
      epochs: 30,
      yieldEveryMs: 0,
    });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
  });

  it("an abort rejects with the signal's reason and leaves the parameters as of the last completed update", async () => {
    const a = setup(false);
    const b = setup(false);
    const controller = new AbortController();
    const at = 5;
    const promise = fitAsync({
      model: a.model,
      data,
      loss: a.loss,
      optimizer: a.optimizer,
      epochs: 10,
      yieldEveryMs: 0,
      signal: controller.signal,
      onStep: (info) => {
        if (info.globalStep === at) controller.abort();
      },
    });
    await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
    // The same run stopped by stop() after update 5: the same parameters.
    fit({
      model: b.model,
      data,
      loss: b.loss,
      optimizer: b.optimizer,
      epochs: 10,
      onStep: (info) => {
        if (info.globalStep === at) info.stop();
      },
    });
    a.params.forEach((p, i) => expect(Object.is(p.data, b.params[i]!.data)).toBe(true));
    expect(a.optimizer.stepCount).toBe(at);

    const reason = new Error('user left the page');
    const aborted = AbortSignal.abort(reason);
    await expect(
      fitAsync({
        model: a.model,
        data,
        loss: a.loss,
        optimizer: a.optimizer,
        epochs: 1,
        signal: aborted,
      }),
    ).rejects.toBe(reason);
    expect(a.optimizer.stepCount).toBe(at); // nothing ran
  });

  it('checks its own options', async () => {
    const a = setup(false);
    const base = { model: a.model, data, loss: a.loss, optimizer: a.optimizer, epochs: 1 };
    await expect(fitAsync({ ...base, signal: {} as AbortSignal })).rejects.toThrow(
      /fitAsync\(options\.signal\): expected an AbortSignal/,
    );
    await expect(fitAsync({ ...base, yieldEveryMs: -1 })).rejects.toThrow(RangeError);
    await expect(fitAsync({ ...base, epoch: 2 } as never)).rejects.toThrow(
      /fitAsync\(options\): unknown option 'epoch'/,
    );
  });
});
