import { describe, expect, it } from 'vitest';
import { parseWidths } from './controls.js';

describe('parseWidths', () => {
  it('reads widths separated by spaces, commas or dashes', () => {
    expect(parseWidths('16 16')).toEqual([16, 16]);
    expect(parseWidths(' 8, 4-2 ')).toEqual([8, 4, 2]);
    expect(parseWidths('')).toEqual([]);
  });

  it('refuses widths outside 1..64, non-integers and more than six layers', () => {
    expect(parseWidths('0')).toBeUndefined();
    expect(parseWidths('65')).toBeUndefined();
    expect(parseWidths('2.5')).toBeUndefined();
    expect(parseWidths('a b')).toBeUndefined();
    expect(parseWidths('1 1 1 1 1 1 1')).toBeUndefined();
    expect(parseWidths('1 1 1 1 1 1')).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
