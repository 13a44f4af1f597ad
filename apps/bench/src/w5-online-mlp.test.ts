import { describe, expect, it } from 'vitest';
import { disagreements } from './outcome.js';
import { TFJS_TOLERANCE } from './tfjs-mlp.js';
import {
  fitOnlineMlp,
  floorOnlineMlp,
  tfjsOnlineMlp,
  w5Setup,
  w5Tensors,
  W5_LR,
} from './w5-online-mlp.js';

describe('floorOnlineMlp', () => {
  it('is matched bit for bit by fit: eager, without a compile option, and in generated code', () => {
    const setup = w5Setup(2);
    const floor = floorOnlineMlp(setup);
    for (const how of [false, 'default', 'codegen'] as const) {
      const other = fitOnlineMlp(setup, how);
      expect(other.loss).toBe(floor.loss);
      expect(other.checks).toEqual(floor.checks);
    }
  });

  it('takes the first online step worked out by hand from a net whose hidden units are off', () => {
    // With every weight 0 the score is 0 for every input, the hinge relu(1 − y·0) = 1
    // is active, and ∂loss/∂(output bias) = −y: only that bias moves, by lr·y. The
    // hidden ReLUs output 0, so no other parameter gets a gradient.
    const setup = { ...w5Setup(1), initial: new Float64Array(337) };
    const y0 = setup.data.ys[0] as number;
    const one = floorOnlineMlp({ ...setup, data: { ...setup.data, n: 1 } });
    expect(one.loss).toBe(1);
    expect(one.checks).toEqual({
      'params[0]': 0,
      'params[336]': W5_LR * y0,
      'Σ params': W5_LR * y0,
    });
  });

  it('lowers the epoch loss over the epochs', () => {
    expect(floorOnlineMlp(w5Setup(5)).loss).toBeLessThan(floorOnlineMlp(w5Setup(1)).loss);
  });

  it('is matched by the TensorFlow.js peer within the float32 tolerance, not to 1e-9', () => {
    const setup = w5Setup(2);
    const floor = floorOnlineMlp(setup);
    const tensors = w5Tensors(setup);
    const peer = tfjsOnlineMlp(setup, tensors);
    expect(disagreements(peer, floor, TFJS_TOLERANCE)).toEqual([]);
    expect(disagreements(peer, floor)).not.toEqual([]);
    // One epoch fewer is a different training: the tolerance tells them apart.
    const shorter = tfjsOnlineMlp(w5Setup(1), tensors);
    expect(disagreements(shorter, floor, TFJS_TOLERANCE)).not.toEqual([]);
    for (const t of [...tensors.xs, ...tensors.ys]) t.dispose();
  }, 30_000);
});
