import { describe, expect, it } from 'vitest';
import { formatEpoch, handDerivedFit } from './notebook-gradient.js';

// y = 3x + 4 at x = 2 and 5: targets 10 and 19; start m = c = 0, lr 0.02.
const setup = { xs: [2, 5], ys: [10, 19], m: 0, c: 0, lr: 0.02, epochs: 500 } as const;

describe('handDerivedFit', () => {
  it('online: the first epoch worked by hand', () => {
    // x=2: error 10, loss 100, ∂m = -40, ∂c = -20 → m = 0.8, c = 0.4
    // x=5: ŷ = 4.4, error 14.6, loss 213.16, ∂m = -146, ∂c = -29.2 → m = 3.72, c = 0.984
    const [first] = handDerivedFit({ ...setup, epochs: 1, mode: 'online' });
    expect(first?.loss).toBeCloseTo(313.16, 10);
    expect(first?.m).toBeCloseTo(3.72, 12);
    expect(first?.c).toBeCloseTo(0.984, 12);
  });

  it('batch: the first epoch worked by hand', () => {
    // errors 10 and 19, loss 461, ∂m = -2(2·10 + 5·19) = -230, ∂c = -2(10 + 19) = -58
    const [first] = handDerivedFit({ ...setup, epochs: 1, mode: 'batch' });
    expect(first?.loss).toBeCloseTo(461, 10);
    expect(first?.m).toBeCloseTo(4.6, 12);
    expect(first?.c).toBeCloseTo(1.16, 12);
  });

  it.each(['online', 'batch'] as const)(
    '%s reaches the line through both points by epoch 500',
    (mode) => {
      const log = handDerivedFit({ ...setup, mode });
      expect(log).toHaveLength(500);
      const last = log[499];
      expect(last?.m).toBeCloseTo(3, 1);
      expect(last?.c).toBeCloseTo(4, 1);
      expect(last?.loss).toBeLessThan(1e-3);
    },
  );
});

describe('formatEpoch', () => {
  it('prints the notebook line', () => {
    expect(formatEpoch({ epoch: 100, loss: 0.5, m: 2.9, c: 4.25 })).toBe(
      'Epoch: 100, Loss: 0.500000, m: 2.900000, c: 4.250000',
    );
    expect(formatEpoch({ epoch: 500, loss: 1.5e-7, m: 3, c: 4 })).toBe(
      'Epoch: 500, Loss: 1.5000e-7, m: 3.000000, c: 4.000000',
    );
  });
});
