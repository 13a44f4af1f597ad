import { describe, expect, it } from 'vitest';
import { divergence } from './divergence.js';

describe('divergence', () => {
  it('passes a run whose loss fell or stayed within 100 times the first epoch', () => {
    expect(divergence([0.5, 0.1, 0.01])).toBeUndefined();
    expect(divergence([0.5, 50])).toBeUndefined(); // exactly 100 times: not yet
    expect(divergence([0, 0])).toBeUndefined();
    expect(divergence([])).toBeUndefined();
  });

  it('names a final loss that is not finite or more than 100 times the first', () => {
    expect(divergence([0.5, 50.5])).toBe('diverged: final loss 50.500000; try a smaller --lr');
    expect(divergence([2, 1.5e19])).toBe('diverged: final loss 1.5000e+19; try a smaller --lr');
    expect(divergence([2, Number.POSITIVE_INFINITY])).toBe(
      'diverged: final loss Infinity; try a smaller --lr',
    );
    expect(divergence([2, Number.NaN])).toBe('diverged: final loss NaN; try a smaller --lr');
  });
});
