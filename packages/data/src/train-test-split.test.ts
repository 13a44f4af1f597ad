import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { moons } from './generators/moons.js';
import { Rng } from './rng.js';
import { trainTestSplit } from './train-test-split.js';

const indexed = (n: number) => ({
  x: Array.from({ length: n }, (_, i) => [i, -i]),
  y: Array.from({ length: n }, (_, i) => i * 10),
});

describe('trainTestSplit', () => {
  it('puts every sample in exactly one part, ceil(testSize · n) in test', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 300 }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.integer(),
        fc.boolean(),
        (n, testSize, seed, shuffle) => {
          const data = indexed(n);
          const { train, test, trainIndices, testIndices } = trainTestSplit(data, {
            testSize,
            seed,
            shuffle,
          });
          expect(test.x).toHaveLength(Math.ceil(testSize * n));
          expect(train.x.length + test.x.length).toBe(n);
          const all = [...trainIndices, ...testIndices].sort((a, b) => a - b);
          expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
          // Rows and targets stay paired, and match the reported indices.
          train.x.forEach((row, k) => {
            expect(row).toEqual([trainIndices[k], -trainIndices[k]!]);
            expect(train.y[k]).toBe(trainIndices[k]! * 10);
          });
          test.x.forEach((row, k) => expect(row[0]).toBe(testIndices[k]));
        },
      ),
      { seed: 42, numRuns: 150 },
    );
  });

  it('without shuffling takes the last samples as the test set', () => {
    const { trainIndices, testIndices } = trainTestSplit(indexed(10), {
      shuffle: false,
      testSize: 0.3,
    });
    expect(trainIndices).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(testIndices).toEqual([7, 8, 9]);
  });

  it('with shuffling takes the first indices of the seed’s permutation', () => {
    const { testIndices, trainIndices } = trainTestSplit(indexed(8), { seed: 5, testSize: 0.25 });
    const order = new Rng(5).permutation(8);
    expect(testIndices).toEqual(order.slice(0, 2));
    expect(trainIndices).toEqual(order.slice(2));
  });

  it('keeps other fields of the data set and is deterministic per seed', () => {
    const data = moons({ samples: 50 });
    const a = trainTestSplit(data, { seed: 'x' });
    expect(a.train.classes).toBe(2);
    expect(a.test.labels).toBe('01');
    expect(trainTestSplit(data, { seed: 'x' })).toEqual(a);
    expect(trainTestSplit(data, { seed: 'y' }).testIndices).not.toEqual(a.testIndices);
  });

  it('rejects a ratio outside (0, 1) and other bad input, changing nothing', () => {
    const data = indexed(10);
    for (const testSize of [0, 1, -0.2, 1.5, NaN]) {
      expect(() => trainTestSplit(data, { testSize })).toThrow(RangeError);
    }
    expect(() => trainTestSplit(data, { testSize: 1 })).toThrow(
      /options\.testSize: expected a number in \(0, 1\), received 1/,
    );
    // @ts-expect-error checking the run-time guard
    expect(() => trainTestSplit(data, { testSize: '0.2' })).toThrow(TypeError);
    expect(() => trainTestSplit({ x: [[1]], y: [] })).toThrow(
      /same length, received 1 rows and 0 targets/,
    );
    // @ts-expect-error checking the run-time guard
    expect(() => trainTestSplit([1, 2])).toThrow(/data\.x: expected an array/);
    expect(() => trainTestSplit(indexed(1), { testSize: 0.5 })).toThrow(
      /leaves no training sample/,
    );
    const rng = new Rng(1);
    const before = rng.getState();
    expect(() => trainTestSplit(data, { seed: rng, testSize: 2 })).toThrow(RangeError);
    expect(rng.getState()).toEqual(before);
  });
});
