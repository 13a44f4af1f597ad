import { describe, expect, it } from 'vitest';
import { formatLoss } from './format-loss.js';

describe('formatLoss', () => {
  it('prints six decimals in the readable range and scientific notation outside it', () => {
    expect(formatLoss(0)).toBe('0.000000');
    expect(formatLoss(0.5)).toBe('0.500000');
    expect(formatLoss(1e-4)).toBe('0.000100');
    expect(formatLoss(1.5e-7)).toBe('1.5000e-7');
    expect(formatLoss(999999.5)).toBe('999999.500000');
    expect(formatLoss(1.5e19)).toBe('1.5000e+19');
    expect(formatLoss(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(formatLoss(Number.NaN)).toBe('NaN');
  });
});
