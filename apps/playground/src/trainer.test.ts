import type { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { gridPoint } from './network-grids.js';
import { DEFAULT_STATE } from './playground-state.js';
import type { PlaygroundState } from './playground-state.js';
import type { FrameMessage, TrainerMessage } from './trainer-protocol.js';
import { Trainer, mapResolution } from './trainer.js';
import { TrainingSession } from './training-session.js';

function harness(state: PlaygroundState) {
  const messages: TrainerMessage[] = [];
  const tasks: (() => void)[] = [];
  const trainer = new Trainer(
    (m) => messages.push(m),
    (t) => tasks.push(t),
  );
  trainer.handle({ type: 'reset', state });
  const frames = () => messages.filter((m): m is FrameMessage => m.type === 'frame');
  return { trainer, messages, tasks, frames };
}

describe('Trainer', () => {
  const state: PlaygroundState = {
    ...DEFAULT_STATE,
    hidden: [3, 2],
    features: ['x1', 'x2', 'x1x2'],
  };

  it('sends the data, then a frame; Step makes one update', () => {
    const { trainer, messages, frames } = harness(state);
    expect(messages.map((m) => m.type)).toEqual(['data', 'frame']);
    trainer.handle({ type: 'drawn' });
    trainer.handle({ type: 'step' });
    expect(frames().at(-1)?.steps).toBe(1);
  });

  it("paints each neuron's map with that neuron's value in the @ag/nn model at the cell's centre", () => {
    const { messages, frames } = harness(state);
    const data = messages[0];
    if (data?.type !== 'data') throw new Error('no data message');
    const frame = frames()[0] as FrameMessage;
    const { resolution } = frame.thumbnails;
    const reference = new TrainingSession(state);
    const cells = resolution * resolution;
    for (const [row, col] of [
      [0, 0],
      [7, 13],
      [19, 2],
    ] as const) {
      const point = gridPoint(data.domain, resolution, row, col);
      let x: readonly (number | Value)[] = reference.inputsOf(point);
      frame.thumbnails.inputs.forEach((grid, i) =>
        expect(grid[row * resolution + col]).toBe(Math.fround(x[i] as number)),
      );
      reference.model.layers.forEach((layer, l) => {
        const values = layer.forward(x);
        values.forEach((v, j) =>
          expect(frame.thumbnails.layers[l]?.[j * cells + row * resolution + col]).toBe(
            Math.fround(v.data),
          ),
        );
        x = values;
      });
    }
  });

  it('trains while playing, in slices it schedules itself, until paused', () => {
    const { trainer, tasks, frames } = harness(state);
    trainer.handle({ type: 'play' });
    for (let i = 0; i < 3; i++) {
      trainer.handle({ type: 'drawn' });
      tasks.shift()?.();
    }
    trainer.handle({ type: 'pause' });
    const last = frames().at(-1) as FrameMessage;
    expect(last.playing).toBe(false);
    expect(last.steps).toBeGreaterThan(0);
    tasks.shift()?.();
    expect(frames().at(-1)?.steps).toBe(last.steps);
  });

  it('applies a typed weight: the next frame has it', () => {
    const { trainer, frames } = harness(state);
    trainer.handle({ type: 'setWeight', layer: 1, neuron: 0, input: 2, value: 0.75 });
    expect(frames().at(-1)?.weights[1]?.w[2]).toBe(0.75);
  });

  it('reports a bad weight as an error message instead of throwing', () => {
    const { trainer, messages } = harness(state);
    trainer.handle({ type: 'setWeight', layer: 9, neuron: 0, input: 0, value: 1 });
    expect(messages.filter((m) => m.type === 'error')).toHaveLength(1);
  });

  it('uses 64² cells for a small model and 24² for a 6 × 64 one', () => {
    expect(mapResolution(337)).toBe(64);
    expect(mapResolution(21057)).toBe(24);
  });
});
