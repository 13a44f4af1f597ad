import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { programFor } from './code-export.js';
import type { PlaygroundState } from './playground-state.js';
import { DEFAULT_STATE } from './playground-state.js';
import { TrainingSession } from './training-session.js';

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Write the program into the app (so @ag/* resolve in the workspace), run it, read its loss. */
function run(source: string, name: string): number {
  const dir = join(appRoot, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, source);
  const out = execFileSync(process.execPath, ['--conditions=@ag/source', '--import', 'tsx', file], {
    cwd: appRoot,
    encoding: 'utf8',
  });
  const match = /train loss (\S+)/.exec(out);
  return Number(match?.[1]);
}

describe('programFor', () => {
  const cases: [string, PlaygroundState, number][] = [
    ['default moons, Adam, L2', { ...DEFAULT_STATE, hidden: [8, 8] }, 25],
    [
      'spirals with every feature, online SGD, L1',
      {
        ...DEFAULT_STATE,
        dataset: 'spirals',
        noise: 0.02,
        hidden: [6],
        features: ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'],
        optimizer: 'sgd',
        mode: 'online',
        learningRate: 0.05,
        regularization: 'l1',
        l2: 0.003,
        loss: 'bce',
      },
      40,
    ],
    [
      'Gaussians regression, whole batches spread over chunks',
      { ...DEFAULT_STATE, dataset: 'gaussians', loss: 'huber', mode: 'batch', hidden: [40, 40] },
      3,
    ],
  ];

  it.each(cases)(
    'prints the loss the page reaches: %s',
    (_, state, steps) => {
      const session = new TrainingSession(state);
      for (let i = 0; i < steps; i++) session.step();
      const expected = session.metrics().trainLoss;
      const printed = run(
        programFor(state, steps, session.model.parameterCount),
        `copied-${steps}.ts`,
      );
      expect(printed).toBe(expected);
    },
    60_000,
  );
});
