import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { batches } from './batches.js';
import { Rng } from './rng.js';

const indexed = (n: number) => ({
  x: Array.from({ length: n }, (_, i) => [i]),
  y: Array.from({ length: n }, (_, i) => -i),
});

describe('batches', () => {
  it('covers every sample exactly once, in batches of size (the last may be short)', () => {
    fc.assert(
      fc.property(
        fc.nat(200),
        fc.integer({ min: 1, max: 50 }),
        fc.boolean(),
        fc.integer(),
        (n, size, shuffle, seed) => {
          const list = [...batches(indexed(n), { size, shuffle, seed })];
          expect(list).toHaveLength(Math.ceil(n / size));
          list.forEach((b, k) => {
            expect(b.x).toHaveLength(k < list.length - 1 ? size : n - size * (list.length - 1));
            b.x.forEach((row, i) => {
              expect(row[0]).toBe(b.indices[i]);
              expect(b.y[i]).toBe(-b.indices[i]!);
            });
          });
          const seen = list.flatMap((b) => b.indices).sort((a, c) => a - c);
          expect(seen).toEqual(Array.from({ length: n }, (_, i) => i));
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('dropLast leaves out only the n % size samples at the end of the order', () => {
    const list = [...batches(indexed(10), { size: 4, dropLast: true })];
    expect(list.map((b) => b.indices)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect([...batches(indexed(3), { size: 5, dropLast: true })]).toEqual([]);
    expect([...batches(indexed(3), { size: 5 })].map((b) => b.indices)).toEqual([[0, 1, 2]]);
  });

  it('shuffles in the order of the seed’s permutation', () => {
    const order = new Rng(9).permutation(7);
    const list = [...batches(indexed(7), { size: 3, shuffle: true, seed: 9 })];
    expect(list.map((b) => b.indices)).toEqual([
      order.slice(0, 3),
      order.slice(3, 6),
      order.slice(6),
    ]);
  });

  it('gives the same order for a number seed and a new order per epoch for a shared Rng', () => {
    const ids = (seed: number | Rng) =>
      [...batches(indexed(20), { size: 20, shuffle: true, seed })][0]!.indices;
    expect(ids(3)).toEqual(ids(3));
    const rng = new Rng(3);
    const first = ids(rng);
    const second = ids(rng);
    expect(first).toEqual(ids(3));
    expect(second).not.toEqual(first);
  });

  it('rejects a batch size below 1 and other bad input', () => {
    const data = indexed(5);
    expect(() => batches(data, { size: 0 })).toThrow(
      /options\.size: expected a safe integer in \[1, 9007199254740991\], received 0/,
    );
    expect(() => batches(data, { size: 2.5 })).toThrow(RangeError);
    // @ts-expect-error checking the run-time guard
    expect(() => batches(data, { size: '2' })).toThrow(TypeError);
    // @ts-expect-error checking the run-time guard
    expect(() => batches(data)).toThrow(/expected options with a batch size/);
    // @ts-expect-error checking the run-time guard
    expect(() => batches(data, {})).toThrow(/options\.size: .*received undefined/);
    // @ts-expect-error checking the run-time guard
    expect(() => batches(data, { size: 2, droplast: true })).toThrow(/unknown option 'droplast'/);
    expect(() => batches(data, { size: 2, shuffle: true, seed: NaN })).toThrow(/options\.seed/);
  });
});
