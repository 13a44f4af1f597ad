import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PlaygroundState } from './playground-state.js';
import {
  ACTIVATIONS,
  CLASSIFICATION_LOSSES,
  DATASETS,
  DEFAULT_STATE,
  LIMITS,
  MODES,
  OPTIMIZERS,
  REGRESSION_LOSSES,
  VIEWS,
  FEATURES,
  REGULARIZATIONS,
  isRegression,
} from './playground-state.js';
import { decodeState, encodeState } from './url-state.js';

const doubleIn = (min: number, max: number) =>
  fc
    .double({ min, max, noNaN: true, noDefaultInfinity: true })
    .map((x) => (Object.is(x, -0) ? 0 : x));

const stateArb: fc.Arbitrary<PlaygroundState> = fc
  .record({
    dataset: fc.constantFrom(...DATASETS),
    samples: fc.integer(LIMITS.samples),
    noise: doubleIn(LIMITS.noise.min, LIMITS.noise.max),
    seed: fc.integer(LIMITS.seed),
    testRatio: doubleIn(LIMITS.testRatio.min, LIMITS.testRatio.max),
    m: doubleIn(LIMITS.coefficient.min, LIMITS.coefficient.max),
    c: doubleIn(LIMITS.coefficient.min, LIMITS.coefficient.max),
    hidden: fc.array(fc.integer(LIMITS.width), { maxLength: LIMITS.hiddenLayers.max }),
    activation: fc.constantFrom(...ACTIVATIONS),
    lossIndex: fc.nat(2),
    optimizer: fc.constantFrom(...OPTIMIZERS),
    mode: fc.constantFrom(...MODES),
    batchSize: fc.integer(LIMITS.batchSize),
    learningRate: doubleIn(LIMITS.learningRate.min, LIMITS.learningRate.max),
    regularization: fc.constantFrom(...REGULARIZATIONS),
    l2: doubleIn(LIMITS.l2.min, LIMITS.l2.max),
    features: fc.subarray([...FEATURES], { minLength: 1 }),
    showTest: fc.boolean(),
    discretize: fc.boolean(),
    view: fc.constantFrom(...VIEWS),
    // Any text at all, including newlines, '&', '=', '#', '%' and non-ASCII.
    expression: fc.string({ unit: 'grapheme', maxLength: 200 }),
  })
  .map(({ lossIndex, ...rest }) => {
    const losses = isRegression(rest.dataset) ? REGRESSION_LOSSES : CLASSIFICATION_LOSSES;
    return { ...rest, loss: losses[lossIndex] ?? 'mse' };
  });

describe('URL state', () => {
  it('round-trips the default state', () => {
    expect(decodeState(encodeState(DEFAULT_STATE))).toEqual({ state: DEFAULT_STATE, problems: [] });
  });

  it('round-trips every valid state exactly, numbers bit for bit', () => {
    fc.assert(
      fc.property(stateArb, (state) => {
        const decoded = decodeState(`?${encodeState(state)}`);
        expect(decoded.problems).toEqual([]);
        expect(decoded.state).toEqual(state);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  it('reads a hand-written link, filling missing keys from the defaults', () => {
    const { state, problems } = decodeState(
      '?data=spirals&n=300&hidden=8-8-4&act=relu&lr=0.003&mode=online',
    );
    expect(problems).toEqual([]);
    expect(state).toEqual({
      ...DEFAULT_STATE,
      dataset: 'spirals',
      samples: 300,
      hidden: [8, 8, 4],
      activation: 'relu',
      learningRate: 0.003,
      mode: 'online',
    });
  });

  it('reads an empty hidden list as a plain linear model and decodes %-escapes in the expression', () => {
    const { state } = decodeState('data=line&loss=mse&hidden=&expr=x%20%3D%202%0Ax**2');
    expect(state.hidden).toEqual([]);
    expect(state.expression).toBe('x = 2\nx**2');
  });

  it('replaces each bad value by its default and names the key, the value and what was expected', () => {
    const { state, problems } = decodeState(
      'n=-3&noise=abc&lr=0&data=swirl&hidden=8-0&seed=1.5&view=3d',
    );
    expect(state).toEqual(DEFAULT_STATE);
    expect(problems).toEqual([
      'data: expected one of moons, circles, spirals, xor, blobs, line, plane, gaussians, received "swirl"',
      'n: expected an integer in [10, 1000], received "-3"',
      'noise: expected a number in [0, 2], received "abc"',
      'seed: expected an integer in [0, 4294967295], received "1.5"',
      'hidden: expected up to 6 widths in [1, 64] joined by \'-\', received "8-0"',
      'lr: expected a number in [0.000001, 10], received "0"',
      'view: expected one of train, graph, received "3d"',
    ]);
  });

  it('replaces a loss that does not fit the task', () => {
    const { state, problems } = decodeState('data=line&loss=hinge');
    expect(state.loss).toBe('mse');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^loss: hinge does not fit the line data set/);
  });

  it('does not let an empty number field read as 0', () => {
    const { state, problems } = decodeState('noise=&l2=%20');
    expect(state.noise).toBe(DEFAULT_STATE.noise);
    expect(state.l2).toBe(DEFAULT_STATE.l2);
    expect(problems).toHaveLength(2);
  });
});

describe('URL state of the controls added after the first links were shared', () => {
  it('reads a link from before them as the run it made then: L2 at its rate, inputs x1 and x2', () => {
    const { state, problems } = decodeState(
      'data=moons&n=200&noise=0.1&seed=1&test=0.25&m=5&c=7&hidden=16-16&act=tanh&loss=hinge&opt=adam&mode=minibatch&batch=16&lr=0.01&l2=0.001&view=train',
    );
    expect(problems).toEqual([]);
    expect(state.regularization).toBe('l2');
    expect(state.l2).toBe(0.001);
    expect(state.features).toEqual(['x1', 'x2']);
    expect([state.showTest, state.discretize]).toEqual([true, false]);
  });

  it('reads features in any order into the canonical order, and rejects unknown or repeated ones', () => {
    expect(decodeState('feat=sinx2-x1-x1x2').state.features).toEqual(['x1', 'x1x2', 'sinx2']);
    expect(decodeState('feat=x1-x1').problems).toHaveLength(1);
    expect(decodeState('feat=x3').problems).toHaveLength(1);
    expect(decodeState('feat=').problems).toHaveLength(1);
    expect(decodeState('reg=l1&showtest=0&disc=1').state).toMatchObject({
      regularization: 'l1',
      showTest: false,
      discretize: true,
    });
    expect(decodeState('showtest=yes').problems).toEqual([
      'showtest: expected 1 or 0, received "yes"',
    ]);
  });
});

describe('decodeState on hostile links', () => {
  it('quotes at most 80 characters of a rejected value and says how long it was', () => {
    // 5,000 layers of width 1: "1-1-…-1" is 9,999 characters.
    const hidden = Array.from({ length: 5000 }, () => '1').join('-');
    const { problems } = decodeState(`hidden=${hidden}`);
    expect(problems).toHaveLength(1);
    const message = problems[0] ?? '';
    expect(message.length).toBeLessThan(300);
    expect(message).toContain('"1-1-1-1');
    expect(message).toContain('(9999 characters)');
    expect(message).not.toContain(hidden.slice(0, 200));
  });

  it('quotes a short rejected value in full', () => {
    expect(decodeState('n=-3').problems).toEqual([
      'n: expected an integer in [10, 1000], received "-3"',
    ]);
  });
});
