import { add, mul, Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { fit, type Dataset, type EpochInfo, type StepInfo } from './fit.js';
import { Linear } from './linear.js';
import { hinge, l2Penalty, mse } from './losses.js';
import { MLP } from './mlp.js';
import { SGD } from './optimizers/sgd.js';
import { seededRandom } from './random.js';
import { cosineDecay, exponentialDecay, linearDecay } from './schedules.js';

// The notebook's problem: y = m·x + c with m = 5, c = 7, two samples x ∈ {2, 5},
// learning rate 0.02, squared error summed. The start is m = 0, c = 5: from
// m = c = 0 batch descent needs ~700 epochs to show 7.00 (its slow direction
// shrinks by 1 − 0.02·0.586 per epoch), so 500 epochs would not reach it.
const X = [2, 5];
const M_TRUE = 5;
const C_TRUE = 7;
const Y = X.map((x) => M_TRUE * x + C_TRUE);
const LR = 0.02;
const START = { m: 0, c: 5 };
const EPOCHS = 500;

/** The notebook's hand-derived updates, in plain arithmetic; (m, c) after each epoch. */
function handDerived(mode: 'online' | 'batch'): { m: number; c: number }[] {
  let { m, c } = START;
  const out: { m: number; c: number }[] = [];
  for (let e = 0; e < EPOCHS; e++) {
    if (mode === 'online') {
      for (let i = 0; i < X.length; i++) {
        const x = X[i] as number;
        const pred = m * x + c;
        // L = (pred − y)²: dL/dm = 2(pred − y)·x, dL/dc = 2(pred − y)
        const dm = 2 * (pred - (Y[i] as number)) * x;
        const dc = 2 * (pred - (Y[i] as number));
        m -= LR * dm;
        c -= LR * dc;
      }
    } else {
      let dm = 0;
      let dc = 0;
      for (let i = 0; i < X.length; i++) {
        const x = X[i] as number;
        const pred = m * x + c;
        dm += 2 * (pred - (Y[i] as number)) * x;
        dc += 2 * (pred - (Y[i] as number));
      }
      m -= LR * dm;
      c -= LR * dc;
    }
    out.push({ m, c });
  }
  return out;
}

function relErr(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
}

describe('fit on the notebook two-sample problem', () => {
  for (const mode of ['online', 'batch'] as const) {
    it(`${mode} SGD gives the hand-derived m and c at every epoch and reaches m = 5.00, c = 7.00`, () => {
      const model = new Linear(1, 1);
      model.loadStateDict({ weight: [[START.m]], bias: [START.c] });
      const m = model.weight[0]?.[0] as Value;
      const c = model.bias[0] as Value;
      const expected = handDerived(mode);
      const seen: { m: number; c: number }[] = [];
      const { history, steps } = fit({
        model,
        data: { x: X.map((x) => [x]), y: Y },
        loss: (out, y) => mse(out, y, { reduction: 'sum' }),
        optimizer: new SGD(model.parameters(), { lr: LR }),
        mode,
        epochs: EPOCHS,
        onEpoch: () => seen.push({ m: m.data, c: c.data }),
      });
      expect(history).toHaveLength(EPOCHS);
      expect(steps).toBe(mode === 'online' ? 2 * EPOCHS : EPOCHS);
      expect(seen).toHaveLength(EPOCHS);
      let worst = 0;
      seen.forEach((got, e) => {
        const want = expected[e] as { m: number; c: number };
        worst = Math.max(worst, relErr(got.m, want.m), relErr(got.c, want.c));
      });
      expect(worst).toBeLessThan(1e-12);
      expect(m.data.toFixed(2)).toBe('5.00');
      expect(c.data.toFixed(2)).toBe('7.00');
      // The batch loss of the first epoch is Σ(m·x + c − y)² at the start.
      if (mode === 'batch') {
        const l0 = X.reduce((s, x, i) => s + (START.m * x + START.c - (Y[i] as number)) ** 2, 0);
        expect(history[0]).toBe(l0);
      }
    });
  }

  it('mini-batches of 1 are the online run, and a mini-batch of 2 is the batch run', () => {
    const run = (mode: 'online' | 'batch' | { batchSize: number }): number[] => {
      const model = new Linear(1, 1);
      model.loadStateDict({ weight: [[START.m]], bias: [START.c] });
      fit({
        model,
        data: { x: X.map((x) => [x]), y: Y },
        loss: (out, y) => mse(out, y, { reduction: 'sum' }),
        optimizer: new SGD(model.parameters(), { lr: LR }),
        mode,
        epochs: 20,
      });
      return model.parameters().map((p) => p.data);
    };
    expect(run({ batchSize: 1 })).toEqual(run('online'));
    expect(run({ batchSize: 2 })).toEqual(run('batch'));
  });
});

/** sklearn's make_moons(n, noise) with a tiny seeded generator (mulberry32 + Box–Muller), written here. */
function makeMoons(n: number, noise: number, seed: number): { x: number[][]; y: number[] } {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = (): number =>
    Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < nOut; i++) {
    const t = (Math.PI * i) / (nOut - 1);
    x.push([Math.cos(t) + noise * gauss(), Math.sin(t) + noise * gauss()]);
    y.push(-1); // micrograd: y*2 - 1, the outer moon is class 0
  }
  for (let i = 0; i < nIn; i++) {
    const t = (Math.PI * i) / (nIn - 1);
    x.push([1 - Math.cos(t) + noise * gauss(), 1 - Math.sin(t) - 0.5 + noise * gauss()]);
    y.push(1);
  }
  return { x, y };
}

describe("fit on micrograd's moons demo", () => {
  it('an MLP 2-16-16-1 with hinge loss and L2 reaches 100% training accuracy', () => {
    const data = makeMoons(100, 0.1, 1);
    const model = new MLP(2, [16, 16, 1], { random: seededRandom(1337) });
    expect(model.numParameters).toBe(2 * 16 + 16 + 16 * 16 + 16 + 16 + 1); // 337, as micrograd
    const params = model.parameters();
    const loss = (out: Value[][], y: number[]): Value =>
      add(hinge(out, y), l2Penalty(params, 1e-4));
    const accuracies: number[] = [];
    const { history } = fit({
      model,
      data,
      loss,
      optimizer: new SGD(params, { lr: 1 }),
      mode: 'batch',
      epochs: 100,
      schedule: linearDecay(1, { steps: 100 }), // 1 − 0.9·k/100
      onEpoch: () => accuracies.push(evaluate({ model, data, loss }).accuracy),
    });
    expect(accuracies[99]).toBe(1);
    expect(history[99]).toBeLessThan(history[0] as number);
  });
});

describe('fit and evaluate', () => {
  const data = { x: [[1], [2], [3], [4], [5]], y: [3, 5, 7, 9, 11] };

  it('reports progress on every step and epoch, and stops early when asked', () => {
    const model = new Linear(1, 1, { random: seededRandom(3) });
    const steps: StepInfo[] = [];
    const result = fit({
      model,
      data,
      loss: mse,
      optimizer: new SGD(model.parameters(), { lr: 0.01 }),
      mode: { batchSize: 2 },
      epochs: 4,
      onStep: (info) => {
        steps.push(info);
        if (info.globalStep === 7) info.stop();
      },
    });
    // 5 samples in batches of 2: 3 updates per epoch (2, 2, 1 samples).
    expect(steps.map((s) => s.samples).slice(0, 3)).toEqual([2, 2, 1]);
    expect(steps[0]).toMatchObject({
      epoch: 1,
      epochs: 4,
      step: 1,
      stepsPerEpoch: 3,
      totalSteps: 12,
    });
    expect(steps.map((s) => s.progress)).toEqual([1, 2, 3, 4, 5, 6, 7].map((k) => k / 12));
    expect(result).toMatchObject({ steps: 7, stopped: true, epochs: 3 });
    // epoch loss = Σ samples·loss / samples
    const [a, b, c] = steps;
    expect(result.history[0]).toBeCloseTo(
      ((a?.loss ?? 0) * 2 + (b?.loss ?? 0) * 2 + (c?.loss ?? 0) * 1) / 5,
      14,
    );
  });

  it('onEpoch can stop training', () => {
    const model = new Linear(1, 1, { random: seededRandom(3) });
    const result = fit({
      model,
      data,
      loss: mse,
      optimizer: new SGD(model.parameters(), { lr: 0.01 }),
      epochs: 10,
      onEpoch: (info) => {
        if (info.epoch === 2) info.stop();
      },
    });
    expect(result).toMatchObject({ epochs: 2, steps: 10, stopped: true });
  });

  it('shuffles deterministically from a seed, and the schedule sets lr per update', () => {
    const run = (shuffle: number | undefined): { order: number[]; lrs: number[] } => {
      const order: number[] = [];
      const lrs: number[] = [];
      const model = new Linear(1, 1, { random: seededRandom(3) });
      fit({
        forward: (x) => {
          order.push(x[0] as number);
          return model.forward(x);
        },
        parameters: model.parameters(),
        data,
        loss: mse,
        optimizer: new SGD(model.parameters(), { lr: 0.01 }),
        epochs: 2,
        ...(shuffle === undefined ? {} : { shuffle }),
        schedule: (k) => 0.01 / (k + 1),
        onStep: (info) => lrs.push(info.lr),
      });
      return { order, lrs };
    };
    const a = run(7);
    expect(run(7)).toEqual(a);
    expect(run(undefined).order).toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
    expect(a.order.slice(0, 5).sort()).toEqual([1, 2, 3, 4, 5]);
    expect(a.order).not.toEqual([1, 2, 3, 4, 5, 1, 2, 3, 4, 5]);
    expect(a.lrs).toEqual(Array.from({ length: 10 }, (_, k) => 0.01 / (k + 1)));
  });

  it('rejects bad input with messages naming the argument, and a failed update changes nothing', () => {
    const model = new Linear(1, 1, { random: seededRandom(3) });
    const optimizer = new SGD(model.parameters(), { lr: 0.01 });
    const base = { model, data, loss: mse, optimizer, epochs: 1 };
    expect(() => fit({ ...base, mode: { batchSize: 6 } })).toThrow(
      /batchSize.*\[1, 5\].*received 6/,
    );
    expect(() => fit({ ...base, mode: { batchSize: 0 } })).toThrow(RangeError);
    expect(() => fit({ ...base, mode: 'full' as never })).toThrow(/options\.mode/);
    expect(() => fit({ ...base, epochs: 0 })).toThrow(/epochs.*received 0/);
    expect(() => fit({ ...base, data: { x: [[1], [2]], y: [1] } })).toThrow(
      /2 inputs and 1 targets/,
    );
    expect(() => fit({ ...base, data: { x: [[1, 2]], y: [1] } })).toThrow(
      /length 1.*received length 2/,
    );
    // Both model and forward, or neither: the types reject them (issue 18), and so does fit.
    // @ts-expect-error -- both
    expect(() => fit({ ...base, forward: (x: readonly number[]) => model.forward(x) })).toThrow(
      /exactly one/,
    );
    const { model: _model, ...neither } = base;
    // @ts-expect-error -- neither
    expect(() => fit(neither)).toThrow(/exactly one of options\.model or options\.forward/);
    // @ts-expect-error -- neither, under compile
    expect(() => fit({ ...neither, compile: true })).toThrow(/exactly one/);
    expect(() => fit({ ...base, lr: 0.1 } as never)).toThrow(/unknown option 'lr'/);
    const before = model.parameters().map((p) => p.data);
    expect(() => fit({ ...base, data: { x: [[1e200]], y: [0] } })).toThrow(
      /gradient of parameter 0 \('weight\.0\.0'\)/,
    );
    expect(model.parameters().map((p) => p.data)).toEqual(before);
  });
});

describe('fit checks everything before the first update', () => {
  const data = { x: [[1], [2], [3], [4], [5]], y: [3, 5, 7, 9, 11] };

  /** A Linear(1, 1) at m = 0, c = 5 with its optimizer, to see that nothing moved. */
  function setup(): { model: Linear; optimizer: SGD; unchanged: () => void } {
    const model = new Linear(1, 1);
    model.loadStateDict({ weight: [[0]], bias: [5] });
    const optimizer = new SGD(model.parameters(), { lr: 0.01, momentum: 0.9 });
    const unchanged = (): void => {
      expect(model.parameters().map((p) => p.data)).toEqual([0, 5]);
      expect(optimizer.stepCount).toBe(0);
    };
    return { model, optimizer, unchanged };
  }

  it('a row of another width fails before any update, with or without a model nin', () => {
    const { model, optimizer, unchanged } = setup();
    const bad = { x: [[2], [5], [3, 4]], y: [17, 32, 22] };
    // A forward function declares no nin: rows must all be as wide as data.x[0].
    expect(() =>
      fit({
        forward: (x) => model.forward(x),
        parameters: model.parameters(),
        data: bad,
        loss: mse,
        optimizer,
        epochs: 1,
      }),
    ).toThrow(
      /^fit\(options\.data\.x\[2\]\): every input must have 1 number \(as data\.x\[0\]\), received length 2$/,
    );
    expect(() => fit({ model, data: bad, loss: mse, optimizer, epochs: 1 })).toThrow(
      /options\.data\.x\[2\]\).*1 number \(as data\.x\[0\] and the model's nin\), received length 2/,
    );
    expect(() => fit({ model: new Linear(2, 1), data, loss: mse, optimizer, epochs: 1 })).toThrow(
      /^fit\(options\.data\.x\[0\]\): expected an input of length 2 \(the model's nin\), received length 1$/,
    );
    expect(() => evaluate({ model, data: bad, loss: mse })).toThrow(
      /^evaluate\(options\.data\.x\[2\]\)/,
    );
    unchanged();
  });

  it('a non-finite or non-number input or target fails before any update', () => {
    const { model, optimizer, unchanged } = setup();
    const base = { model, loss: mse, optimizer, epochs: 1 };
    const cases: [Dataset, ErrorConstructor, RegExp][] = [
      [
        { x: [[2], [Number.NaN]], y: [17, 32] },
        RangeError,
        /data\.x\[1\]\[0\]\): expected a finite number, received NaN/,
      ],
      [
        { x: [[2], [Infinity]], y: [17, 32] },
        RangeError,
        /data\.x\[1\]\[0\]\): .*received Infinity/,
      ],
      [
        { x: [[2], ['5' as never]], y: [17, 32] },
        TypeError,
        /data\.x\[1\]\[0\]\): expected a number, received string "5"/,
      ],
      [
        { x: [[2], [5]], y: [17, Number.NaN] },
        RangeError,
        /data\.y\[1\]\): expected a finite number, received NaN/,
      ],
      [
        { x: [[2], [5]], y: [17, null as never] },
        TypeError,
        /data\.y\[1\]\): expected a finite number, received null/,
      ],
    ];
    for (const [bad, type, message] of cases) {
      for (const compile of [false, true]) {
        expect(() => fit({ ...base, data: bad, compile })).toThrow(type);
        expect(() => fit({ ...base, data: bad, compile })).toThrow(message);
      }
      expect(() => evaluate({ model, data: bad, loss: mse })).toThrow(message);
    }
    unchanged();
  });

  it('a schedule of this package that leaves the positive finite numbers within the run fails before any update (closed form: its first and last rates)', () => {
    const { model, optimizer, unchanged } = setup();
    const base = { model, data, loss: mse, optimizer, epochs: 2 }; // 10 updates, k = 0 … 9
    // 0.1·(1 − k/9) is 0 at k = 9; 1·(1e-40)^9 = 1e-360 underflows to 0; 0.1·(1e40)^9 overflows.
    for (const [schedule, last] of [
      [linearDecay(0.1, { steps: 9, endFactor: 0 }), 0],
      [exponentialDecay(1, { gamma: 1e-40 }), 0],
      [exponentialDecay(0.1, { gamma: 1e40 }), Infinity],
    ] as const) {
      expect(() => fit({ ...base, schedule })).toThrow(
        new RangeError(
          `fit(options.schedule): schedule(9) returned ${last}; expected a positive finite learning rate for every step k < 10`,
        ),
      );
    }
    unchanged();
    // Over 10 steps 0.1·(1 − k/10) ends at 0.01: that run trains.
    expect(fit({ ...base, schedule: linearDecay(0.1, { steps: 10, endFactor: 0 }) }).steps).toBe(
      10,
    );
  });

  it('a schedule of your own is checked as each rate is used: a bad rate at update k throws there, the k updates before it made', () => {
    const run = (schedule: (k: number) => number, stopAt?: number) => {
      const { model, optimizer } = setup();
      let error: unknown = null;
      try {
        fit({
          model,
          data,
          loss: mse,
          optimizer,
          epochs: 2,
          schedule,
          ...(stopAt === undefined
            ? {}
            : {
                onStep: (info: StepInfo) => (info.globalStep === stopAt ? info.stop() : undefined),
              }),
        });
      } catch (e) {
        error = e;
      }
      return { error, state: [...model.parameters().map((p) => p.data), optimizer.stepCount] };
    };
    // 0.1·(1 − k/8) reaches 0 at k = 8, the ninth of the ten updates.
    const falling = (k: number): number => 0.1 * (1 - k / 8);
    const bad = run(falling);
    expect(bad.error).toEqual(
      new RangeError(
        'fit(options.schedule): schedule(8) returned 0; expected a positive finite learning rate for every step k < 10 (updates 0 to 7 were made)',
      ),
    );
    // Where the same run stopped after its eighth update is.
    const stopped = run(falling, 8);
    expect(stopped.error).toBe(null);
    expect(bad.state).toEqual(stopped.state);
    expect(stopped.state[2]).toBe(8);
    const text = run((k) => (k === 3 ? ('0.1' as never) : 0.1));
    expect(text.error).toBeInstanceOf(TypeError);
    expect((text.error as Error).message).toMatch(/schedule\(3\) returned string "0\.1"/);
    // 0.1·(1 − k/10) is positive for every k < 10: that run trains.
    expect(run((k) => 0.1 * (1 - k / 10)).state[2]).toBe(10);
  });

  it('a schedule is not evaluated for every step before the first: 10⁹ epochs start at once', () => {
    const { model, optimizer } = setup();
    for (const schedule of [(k: number) => 0.01 / (1 + k), linearDecay(0.01, { steps: 1000 })]) {
      let calls = 0;
      const counted = (k: number): number => {
        calls++;
        return schedule(k);
      };
      const stop = new Error('stop after the first update');
      expect(() =>
        fit({
          model,
          data,
          loss: mse,
          optimizer,
          epochs: 1e9,
          schedule: counted,
          onStep: () => {
            throw stop;
          },
        }),
      ).toThrow(stop);
      // The first update's rate only (a run checked up front would ask 5·10⁹).
      expect(calls).toBe(1);
    }
    // This package's schedule, in closed form: its first and last rates, then the first update's.
    const cosine = cosineDecay(0.01, { steps: 1000, minLr: 1e-4 });
    expect(() =>
      fit({
        model,
        data,
        loss: mse,
        optimizer,
        epochs: 1e9,
        schedule: cosine,
        onStep: (info) => {
          expect(info.lr).toBe(0.01);
          throw new Error('stop');
        },
      }),
    ).toThrow(/^stop$/);
  });

  it('a shuffle seed that is not an integer is named as fit(options.shuffle)', () => {
    const { model, optimizer, unchanged } = setup();
    expect(() => fit({ model, data, loss: mse, optimizer, epochs: 1, shuffle: 1.5 })).toThrow(
      /^fit\(options\.shuffle\): expected true, false, an integer seed or a random source, received 1\.5$/,
    );
    expect(() => fit({ model, data, loss: mse, optimizer, epochs: 1, shuffle: 1.5 })).toThrow(
      RangeError,
    );
    unchanged();
  });
});

describe('fit callbacks', () => {
  const data = { x: [[1], [2], [3], [4], [5]], y: [3, 5, 7, 9, 11] };

  it('onEpoch reads the live history: one array, growing by one loss per epoch', () => {
    const model = new Linear(1, 1, { random: seededRandom(3) });
    const seen: {
      history: readonly number[];
      length: number;
      last: number | undefined;
      loss: number;
    }[] = [];
    const result = fit({
      model,
      data,
      loss: mse,
      optimizer: new SGD(model.parameters(), { lr: 0.01 }),
      epochs: 4,
      onEpoch: (info) =>
        seen.push({
          history: info.history,
          length: info.history.length,
          last: info.history[info.history.length - 1],
          loss: info.loss,
        }),
    });
    expect(seen.map((s) => s.length)).toEqual([1, 2, 3, 4]);
    // Not a copy per epoch: every call sees the array fit returns.
    for (const s of seen) expect(s.history).toBe(result.history);
    for (const s of seen) expect(s.last).toBe(s.loss);
  });

  it('onEpoch still reports an epoch whose last update called stop()', () => {
    for (const mode of ['online', { batchSize: 2 }] as const) {
      const model = new Linear(1, 1, { random: seededRandom(3) });
      const epochs: number[] = [];
      const perEpoch = mode === 'online' ? 5 : 3;
      const result = fit({
        model,
        data,
        loss: mse,
        optimizer: new SGD(model.parameters(), { lr: 0.01 }),
        mode,
        epochs: 5,
        onStep: (info) => {
          if (info.globalStep === 2 * perEpoch) info.stop();
        },
        onEpoch: (info) => epochs.push(info.epoch),
      });
      expect(epochs).toEqual([1, 2]);
      expect(result).toMatchObject({ epochs: 2, steps: 2 * perEpoch, stopped: true });
    }
  });
});

describe('fit with compile', () => {
  type Mode = 'online' | 'batch' | { batchSize: number };
  const MODES: Mode[] = ['online', { batchSize: 2 }, 'batch'];

  interface Run {
    history: number[];
    params: number[];
    losses: number[];
    lrs: number[];
  }

  /** The line y = 5x + 7 on five samples (two of them the notebook's), from m = 0, c = 5. */
  function lineRun(mode: Mode, compile: boolean | 'codegen' | 'interpreter'): Run {
    const xs = [2, 5, -1, 3, 0.5];
    const model = new Linear(1, 1);
    model.loadStateDict({ weight: [[START.m]], bias: [START.c] });
    const losses: number[] = [];
    const lrs: number[] = [];
    const { history } = fit({
      model,
      data: { x: xs.map((x) => [x]), y: xs.map((x) => M_TRUE * x + C_TRUE) },
      loss: (out, y) => mse(out, y, { reduction: 'sum' }),
      optimizer: new SGD(model.parameters(), { lr: 0.01 }),
      mode,
      epochs: 40,
      compile,
      onStep: (info) => {
        losses.push(info.loss);
        lrs.push(info.lr);
      },
    });
    return { history, params: model.parameters().map((p) => p.data), losses, lrs };
  }

  /** A 2-4-4-1 tanh MLP, hinge + L2, momentum, a schedule and shuffling: every path of fit. */
  function mlpRun(mode: Mode, compile: boolean | 'codegen' | 'interpreter'): Run {
    const data = makeMoons(7, 0.1, 5);
    const model = new MLP(2, [4, 4, 1], { activation: 'tanh', random: seededRandom(11) });
    const params = model.parameters();
    const losses: number[] = [];
    const lrs: number[] = [];
    const { history } = fit({
      model,
      data,
      loss: (out, y) => hinge(out, y).add(l2Penalty(params, 1e-3)),
      optimizer: new SGD(params, { lr: 0.1, momentum: 0.9 }),
      schedule: linearDecay(0.1, { steps: 60 }),
      shuffle: 21,
      mode,
      epochs: 15,
      compile,
      onStep: (info) => {
        losses.push(info.loss);
        lrs.push(info.lr);
      },
    });
    return { history, params: params.map((p) => p.data), losses, lrs };
  }

  /** Object.is on every entry: bit for bit (and NaN equal to NaN). */
  function expectIdentical(got: Run, want: Run): void {
    for (const key of ['history', 'params', 'losses', 'lrs'] as const) {
      expect(got[key]).toHaveLength(want[key].length);
      const differing = got[key].filter((v, i) => !Object.is(v, want[key][i]));
      expect(differing, key).toEqual([]);
    }
  }

  for (const [name, run] of [
    ['the line', lineRun],
    ['an MLP', mlpRun],
  ] as const) {
    for (const mode of MODES) {
      it(`${name}, ${typeof mode === 'string' ? mode : `batches of ${mode.batchSize} of 5 or 7`}: history and parameters equal eager fit's bit for bit, in both compile modes`, () => {
        const eager = run(mode, false);
        // The run trained: the parameters moved and the loss fell.
        expect(eager.history[eager.history.length - 1]).toBeLessThan(eager.history[0] as number);
        expectIdentical(run(mode, 'codegen'), eager);
        expectIdentical(run(mode, 'interpreter'), eager);
        expectIdentical(run(mode, true), eager);
      });
    }
  }

  /** A fit run of plain online SGD with no onStep (what runs fused when compiled), and what it left. */
  function plainOnline(
    compile: boolean | 'codegen' | 'interpreter',
    options: {
      model: 'line' | 'mlp';
      lr?: number;
      x?: number[][];
      y?: number[];
      /** Without onEpoch (and on the line, unshuffled) fit copies the samples once, not every pass. */
      quiet?: boolean;
    },
  ) {
    const data =
      options.x !== undefined && options.y !== undefined
        ? { x: options.x, y: options.y }
        : options.model === 'line'
          ? { x: X.map((x) => [x]), y: Y }
          : makeMoons(9, 0.1, 3);
    const model =
      options.model === 'line'
        ? new Linear(1, 1)
        : new MLP(2, [4, 4, 1], { activation: 'tanh', random: seededRandom(5) });
    if (model instanceof Linear) model.loadStateDict({ weight: [[START.m]], bias: [START.c] });
    const params = model.parameters();
    const optimizer = new SGD(params, { lr: options.lr ?? 0.01 });
    const epochs: number[] = [];
    let error: unknown = null;
    let result = null;
    try {
      result = fit({
        model,
        data,
        loss: (out, y) =>
          options.model === 'line' ? mse(out, y, { reduction: 'sum' }) : hinge(out, y),
        optimizer,
        shuffle: options.model === 'mlp' ? 8 : false,
        epochs: 12,
        compile,
        ...(options.quiet === true
          ? {}
          : { onEpoch: (info: EpochInfo) => epochs.push(info.loss, info.globalStep) }),
      });
    } catch (e) {
      error = e;
    }
    return {
      result,
      error,
      epochs,
      stepCount: optimizer.stepCount,
      state: params.flatMap((p) => [p.data, p.grad]),
    };
  }

  it('runs plain online SGD without onStep as whole passes fused in the compiled code, with eager fit’s history, parameters, gradients and step count, bit for bit', () => {
    for (const [model, quiet] of [
      ['line', false],
      ['line', true],
      ['mlp', false],
      ['mlp', true],
    ] as const) {
      const eager = plainOnline(false, { model, quiet });
      expect(eager.result?.fusedEpochs).toBe(0);
      for (const compile of ['codegen', 'interpreter'] as const) {
        const fused = plainOnline(compile, { model, quiet });
        expect(fused.result?.fusedEpochs).toBe(12);
        expect(fused.stepCount).toBe(eager.stepCount);
        expect(fused.result).toMatchObject({ compiled: true });
        expect(eager.result).toMatchObject({ compiled: false, reason: 'compile: false' });
        const { fusedEpochs: _f, compiled: _c, reason: _r, ...same } = eager.result ?? {};
        expect(fused.result).toMatchObject(same);
        for (const key of ['epochs', 'state'] as const) {
          const differing = fused[key].filter((v, i) => !Object.is(v, eager[key][i]));
          expect(differing, `${model} ${compile} ${key}`).toEqual([]);
        }
      }
    }
  });

  it('takes a fused pass that meets a non-finite number again step by step: the error and the parameters of eager fit', () => {
    // x = 1e100 with lr 1: the first update overshoots to about −2e200, the next gradient overflows.
    const diverging = { model: 'line' as const, lr: 1, x: [[1], [1e100], [2]], y: [1, 2, 3] };
    const eager = plainOnline(false, diverging);
    expect(eager.error).toBeInstanceOf(RangeError);
    expect((eager.error as Error).message).toMatch(/^SGD\.step: /);
    for (const compile of ['codegen', 'interpreter'] as const) {
      const fused = plainOnline(compile, diverging);
      expect((fused.error as Error).message).toBe((eager.error as Error).message);
      expect(fused.stepCount).toBe(eager.stepCount);
      const differing = fused.state.filter((v, i) => !Object.is(v, eager.state[i]));
      expect(differing).toEqual([]);
    }
  });

  it('keeps single steps for momentum, weight decay, a schedule, onStep, a subclass of SGD, a replaced step, or an optimizer that moves other leaves', () => {
    class Clipped extends SGD {}
    const variants: ((model: Linear) => Partial<Parameters<typeof fit>[0]>)[] = [
      (m) => ({ optimizer: new SGD(m.parameters(), { lr: 0.01, momentum: 0.5 }) }),
      (m) => ({ optimizer: new SGD(m.parameters(), { lr: 0.01, weightDecay: 0.1 }) }),
      (m) => ({ optimizer: new SGD(m.parameters(), { lr: 0.01 }), schedule: () => 0.01 }),
      (m) => ({ optimizer: new SGD(m.parameters(), { lr: 0.01 }), onStep: () => undefined }),
      (m) => ({ optimizer: new Clipped(m.parameters(), { lr: 0.01 }) }),
      (m) => {
        const optimizer = new SGD(m.parameters(), { lr: 0.01 });
        const step = optimizer.step.bind(optimizer);
        optimizer.step = () => step();
        return { optimizer };
      },
      (m) => ({ optimizer: new SGD(m.parameters().slice(0, 1), { lr: 0.01 }) }),
      // A frozen leaf whose value SGD.step refuses: single steps, which throw as eager fit does.
      (m) => ({
        optimizer: new SGD([...m.parameters(), new Value(Number.NaN, { requiresGrad: false })], {
          lr: 0.01,
        }),
      }),
    ];
    for (const variant of variants) {
      const run = (compile: boolean) => {
        const model = new Linear(1, 1);
        model.loadStateDict({ weight: [[START.m]], bias: [START.c] });
        try {
          const result = fit({
            model,
            data: { x: X.map((x) => [x]), y: Y },
            loss: (out, y) => mse(out, y, { reduction: 'sum' }),
            epochs: 2,
            compile,
            ...variant(model),
          } as Parameters<typeof fit>[0]);
          return { result, state: model.parameters().flatMap((p) => [p.data, p.grad]) };
        } catch (error) {
          return { error: (error as Error).message };
        }
      };
      const compiled = run(true);
      expect(compiled.result?.fusedEpochs ?? 0).toBe(0);
      const eager = run(false);
      // Compiled, not fused, and otherwise eager fit's run: result, parameters, gradients.
      expect(compiled.result?.compiled ?? 'threw').toBe(
        compiled.error === undefined ? true : 'threw',
      );
      expect({ ...compiled.result, compiled: false, reason: 'compile: false' }).toEqual(
        eager.result ?? { compiled: false, reason: 'compile: false' },
      );
      expect({ state: compiled.state, error: compiled.error }).toEqual({
        state: eager.state,
        error: eager.error,
      });
    }
  });

  it('asks again before every pass: a leaf frozen or momentum loaded in onEpoch ends the fused passes, as eager fit would see it', () => {
    const changes: ((model: Linear, optimizer: SGD) => void)[] = [
      (model) => ((model.parameters()[0] as Value).requiresGrad = false),
      (_, optimizer) => optimizer.loadStateDict({ ...optimizer.stateDict(), momentum: 0.9 }),
    ];
    for (const change of changes) {
      const run = (compile: boolean) => {
        const model = new Linear(1, 1);
        model.loadStateDict({ weight: [[START.m]], bias: [START.c] });
        const optimizer = new SGD(model.parameters(), { lr: 0.01 });
        const result = fit({
          model,
          data: { x: X.map((x) => [x]), y: Y },
          loss: (out, y) => mse(out, y, { reduction: 'sum' }),
          optimizer,
          epochs: 4,
          compile,
          onEpoch: (info) => {
            if (info.epoch === 1) change(model, optimizer);
          },
        });
        return { result, data: model.parameters().map((p) => p.data) };
      };
      const fused = run(true);
      expect(fused.result.fusedEpochs).toBe(1);
      const eager = run(false);
      expect(fused.result.history).toEqual(eager.result.history);
      expect(fused.data).toEqual(eager.data);
    }
  });

  it('compiles a forward function given with its parameters, which then receives Values', () => {
    const go = (compile: boolean): number[] => {
      const m = new Value(START.m);
      const c = new Value(START.c);
      const seen: boolean[] = [];
      const { history } = fit({
        forward: (x) => {
          seen.push(x[0] instanceof Value);
          return add(mul(m, x[0] as number | Value), c);
        },
        parameters: [m, c],
        data: { x: X.map((x) => [x]), y: Y },
        loss: (out, y) => mse(out, y, { reduction: 'sum' }),
        optimizer: new SGD([m, c], { lr: LR }),
        epochs: 30,
        compile,
      });
      expect(seen.every((v) => v === compile)).toBe(true);
      return [...history, m.data, c.data];
    };
    const eager = go(false);
    // 30 epochs of the notebook's online updates, in plain arithmetic.
    const want = handDerived('online')[29] as { m: number; c: number };
    expect(Math.abs((eager[30] as number) - want.m)).toBeLessThan(1e-12);
    expect(go(true).every((v, i) => Object.is(v, eager[i]))).toBe(true);
  });

  it('stops early exactly as eager fit does', () => {
    const go = (compile: boolean): number[] => {
      const model = new Linear(1, 1);
      model.loadStateDict({ weight: [[START.m]], bias: [START.c] });
      const result = fit({
        model,
        data: { x: X.map((x) => [x]), y: Y },
        loss: mse,
        optimizer: new SGD(model.parameters(), { lr: LR }),
        epochs: 10,
        compile,
        onStep: (info) => {
          if (info.globalStep === 5) info.stop();
        },
      });
      return [...result.history, result.steps, ...model.parameters().map((p) => p.data)];
    };
    const eager = go(false);
    expect(eager[3]).toBe(5); // epochs 1, 2, then a partial third; 5 steps
    expect(go(true).every((v, i) => Object.is(v, eager[i]))).toBe(true);
  });

  it('rejects a bad compile option, rows of different widths and a graph that branches on .data, changing nothing', () => {
    const model = new Linear(1, 1, { random: seededRandom(3) });
    const before = model.parameters().map((p) => p.data);
    const base = {
      model,
      data: { x: X.map((x) => [x]), y: Y },
      loss: mse,
      optimizer: new SGD(model.parameters(), { lr: 0.01 }),
      epochs: 1,
    };
    expect(() => fit({ ...base, compile: 'fast' as never })).toThrow(
      /fit\(options\.compile\): expected true, false, 'auto', 'codegen' or 'interpreter', received string "fast"/,
    );
    expect(() => fit({ ...base, compile: 1 as never })).toThrow(TypeError);
    expect(() =>
      fit({
        ...base,
        model: new Linear(2, 1),
        data: { x: [[1, 2], [3]], y: [1, 2] },
        compile: true,
      }),
    ).toThrow(/options\.data\.x\[1\].*2 numbers.*received length 1/);
    // The loss reads .data of a node that depends on the target: its graph would be frozen.
    const branching = (out: Value[][], y: (number | Value)[]): Value => {
      const d = add(out[0]?.[0] as Value, 0).sub(y[0] as Value);
      return d.data >= 0 ? d : d.neg();
    };
    expect(() => fit({ ...base, loss: branching, compile: true })).toThrow(
      /fit\(options\.compile\): could not compile the loss over a batch of 1 samples/,
    );
    expect(model.parameters().map((p) => p.data)).toEqual(before);
  });
});
