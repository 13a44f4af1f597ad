import { describe, expect, it } from 'vitest';
import { formatNumber } from './number-format.js';

describe('formatNumber', () => {
  it('prints four decimals, as micrograd does', () => {
    expect(formatNumber(138.83381924198252)).toBe('138.8338');
    expect(formatNumber(-4)).toBe('-4.0000');
    expect(formatNumber(0)).toBe('0.0000');
  });

  it('switches to exponent form where four decimals would hide the number', () => {
    expect(formatNumber(1.5e-7)).toBe('1.500e-7');
    expect(formatNumber(-2.5e9)).toBe('-2.500e+9');
    expect(formatNumber(Infinity)).toBe('Infinity');
    expect(formatNumber(NaN)).toBe('NaN');
  });
});
