import { Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { Linear } from './linear.js';
import { hinge } from './losses.js';

describe('evaluate', () => {
  it('evaluate computes loss and accuracy without building a graph', () => {
    const model = new Linear(2, 1);
    model.loadStateDict({ weight: [[1, -1]], bias: [0] });
    const x = [
      [2, 1],
      [0, 3],
      [1, 0.5],
      [1, 2],
    ];
    const y = [1, -1, -1, 1]; // scores 1, −3, 0.5, −1: right, right, wrong, wrong
    let root: Value | undefined;
    const result = evaluate({
      model,
      data: { x, y },
      loss: (out, t) => {
        root = hinge(out, t);
        return root;
      },
    });
    expect(result.accuracy).toBe(0.5);
    // hinge terms relu(1 − y·s): 0, 0, 1.5, 2 → mean 0.875
    expect(result.loss).toBe(0.875);
    expect(root?.isLeaf).toBe(true);
    expect(root?.requiresGrad).toBe(false);
    const multi = evaluate({
      forward: (v) => [new Value(v[0] as number), new Value(v[1] as number)],
      data: { x, y: [0, 1, 0, 1] },
      loss: () => new Value(0),
    });
    expect(multi.accuracy).toBe(1); // argmax 0, 1, 0, 1
  });
});

describe('evaluate without a loss (issue 18)', () => {
  it('returns the accuracy only, and never calls a loss', () => {
    const model = new Linear(2, 1);
    model.loadStateDict({ weight: [[1, -1]], bias: [0] });
    // scores 1, −3, 0.5: right, right, wrong
    const result = evaluate({
      model,
      data: {
        x: [
          [2, 1],
          [0, 3],
          [1, 0.5],
        ],
        y: [1, -1, -1],
      },
    });
    expect(result).toEqual({ accuracy: 2 / 3 });
    expect('loss' in result).toBe(false);
    expect(() => evaluate({ model, data: { x: [[1, 1]], y: [1] }, loss: 3 as never })).toThrow(
      /evaluate\(options\.loss\): expected a function/,
    );
  });
});
