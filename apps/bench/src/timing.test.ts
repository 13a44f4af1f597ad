import { describe, expect, it } from 'vitest';
import { median, timeInterleaved } from './timing.js';

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('timeInterleaved', () => {
  it('runs every contender once per round, in turn, after the warm-ups', () => {
    const calls: string[] = [];
    const times = timeInterleaved(
      { a: () => calls.push('a'), b: () => calls.push('b') },
      { warmups: 1, rounds: 2 },
    );
    expect(calls).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
    expect(times.a?.seconds).toHaveLength(2);
    expect(times.b?.results).toEqual([4, 6]);
  });
});
