import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ClassificationDataset } from '../dataset.js';
import { Rng } from '../rng.js';
import { blobs } from './blobs.js';
import { circles } from './circles.js';
import { classSizes, linspace } from './classification.js';
import { moons } from './moons.js';
import { spirals } from './spirals.js';
import { xor } from './xor.js';
import { yinYang } from './yin-yang.js';

type Generator = (options?: Record<string, unknown>) => ClassificationDataset;
const generators: [string, Generator][] = [
  ['moons', moons],
  ['circles', circles],
  ['blobs', (o) => blobs({ centers: 2, ...o })],
  ['spirals', spirals],
  ['xor', xor],
  ['yinYang', yinYang],
];

const key = (row: number[], label: number) => `${row.join(',')}|${label}`;

describe.each(generators)('%s: shared behaviour', (_name, make) => {
  it('gives n two-feature rows, balanced classes, labels 0/1 by default', () => {
    for (const samples of [0, 1, 2, 7, 100]) {
      const data = make({ samples, noise: 0.05 });
      expect(data.x).toHaveLength(samples);
      expect(data.y).toHaveLength(samples);
      for (const row of data.x) expect(row).toHaveLength(2);
      const ones = data.y.filter((v) => v === 1).length;
      const zeros = data.y.filter((v) => v === 0).length;
      expect(zeros + ones).toBe(samples);
      // One class gets floor(n / 2), the other the rest.
      expect([Math.floor(samples / 2), Math.ceil(samples / 2)]).toContain(zeros);
      expect(data.classes).toBe(2);
      expect(data.labels).toBe('01');
    }
  });

  it("labels 'pm1' map class 0 to -1 and class 1 to +1, point by point", () => {
    const a = make({ samples: 40, noise: 0.1, seed: 3 });
    const b = make({ samples: 40, noise: 0.1, seed: 3, labels: 'pm1' });
    expect(b.x).toEqual(a.x);
    expect(b.y).toEqual(a.y.map((v) => 2 * v - 1));
    expect(b.labels).toBe('pm1');
  });

  it('shuffling reorders the samples without changing them', () => {
    const shuffled = make({ samples: 60, noise: 0.1, seed: 8 });
    const ordered = make({ samples: 60, noise: 0.1, seed: 8, shuffle: false });
    const ks = (d: ClassificationDataset) => d.x.map((r, i) => key(r, d.y[i]!)).sort();
    expect(ks(shuffled)).toEqual(ks(ordered));
    expect(shuffled.y).not.toEqual(ordered.y);
    // Unshuffled, the samples come class by class.
    expect(ordered.y).toEqual([...ordered.y].sort((p, q) => p - q));
  });

  it('is the same for the same seed and differs for different seeds', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.string()), (seed) => {
        expect(make({ samples: 20, noise: 0.1, seed })).toEqual(
          make({ samples: 20, noise: 0.1, seed }),
        );
      }),
      { seed: 42, numRuns: 20 },
    );
    const seeds = [0, 1, 2, 'a'];
    const outputs = seeds.map((seed) => JSON.stringify(make({ samples: 20, noise: 0.1, seed }).x));
    expect(new Set(outputs).size).toBe(seeds.length);
  });

  it('rejects bad input, naming the argument and the value, and leaves a given Rng as it was', () => {
    expect(() => make({ samples: -1 })).toThrow(/options\.samples: .*received -1/);
    expect(() => make({ samples: 1.5 })).toThrow(RangeError);
    // 2^53 is past the last safe integer; the message names that bound.
    expect(() => make({ samples: 2 ** 53 })).toThrow(
      'options.samples: expected a safe integer in [0, 9007199254740991], received 9007199254740992',
    );
    expect(() => make({ samples: '5' })).toThrow(TypeError);
    expect(() => make({ noise: -1 })).toThrow(/options\.noise: .*received -1/);
    expect(() => make({ shuffle: 'yes' })).toThrow(/options\.shuffle: .*received string "yes"/);
    expect(() => make({ labels: '+-1' })).toThrow(/options\.labels: .*received string "\+-1"/);
    expect(() => make({ seed: NaN })).toThrow(/options\.seed: .*received NaN/);
    expect(() => make({ seed: [1] })).toThrow(TypeError);
    expect(() => make({ noize: 0.1 })).toThrow(/unknown option 'noize'/);
    const rng = new Rng(4);
    const before = rng.getState();
    expect(() => make({ seed: rng, samples: -3 })).toThrow(RangeError);
    expect(rng.getState()).toEqual(before);
  });
});

describe('classification helpers', () => {
  it('classSizes gives n // k each and one more to the first n % k', () => {
    expect(classSizes(10, 3)).toEqual([4, 3, 3]);
    expect(classSizes(2, 3)).toEqual([1, 1, 0]);
    expect(classSizes(9, 3)).toEqual([3, 3, 3]);
  });

  it('linspace matches numpy', () => {
    expect(linspace(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(linspace(0, 1, 4, false)).toEqual([0, 0.25, 0.5, 0.75]);
    expect(linspace(2, 3, 1)).toEqual([2]);
    expect(linspace(2, 3, 0)).toEqual([]);
  });
});

describe('sizes past MAX_LENGTH fail at once (issue 18)', () => {
  it('samples and arms above 2^24 are RangeErrors naming the size', () => {
    expect(() => moons({ samples: 1e10 })).toThrow(RangeError);
    expect(() => moons({ samples: 2 ** 24 + 1 })).toThrow(
      /options\.samples: expected at most 16777216.*received 16777217/,
    );
    expect(() => spirals({ arms: 1e10 })).toThrow(/options\.arms: expected at most 16777216/);
  });
});
