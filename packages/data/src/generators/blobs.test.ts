import { describe, expect, it } from 'vitest';
import { blobs } from './blobs.js';

describe('blobs', () => {
  it('draws each blob around its center with the given std', () => {
    const centers = [
      [0, 0],
      [5, -3],
      [-4, 6],
    ];
    const clusterStd = [0.5, 1, 2];
    const data = blobs({ samples: 3000, centers, clusterStd, seed: 1 });
    expect(data.classes).toBe(3);
    expect(data.centers).toEqual(centers);
    for (let j = 0; j < 3; j++) {
      const rows = data.x.filter((_, i) => data.y[i] === j);
      expect(rows).toHaveLength(1000);
      for (let d = 0; d < 2; d++) {
        const values = rows.map((r) => r[d]!);
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
        // Standard errors: mean std/sqrt(1000), sd std/sqrt(2000); allow 5.
        expect(Math.abs(mean - centers[j]![d]!)).toBeLessThan(
          (5 * clusterStd[j]!) / Math.sqrt(1000),
        );
        expect(Math.abs(sd - clusterStd[j]!)).toBeLessThan((5 * clusterStd[j]!) / Math.sqrt(2000));
      }
    }
  });

  it('draws random centers inside centerBox, in the requested number of features', () => {
    const data = blobs({ samples: 10, centers: 4, features: 3, centerBox: [-1, 1] });
    expect(data.centers).toHaveLength(4);
    for (const c of data.centers) {
      expect(c).toHaveLength(3);
      for (const v of c) expect(v >= -1 && v < 1).toBe(true);
    }
    for (const row of data.x) expect(row).toHaveLength(3);
    // 10 samples over 4 blobs: 3, 3, 2, 2.
    expect([0, 1, 2, 3].map((j) => data.y.filter((v) => v === j).length)).toEqual([3, 3, 2, 2]);
  });

  it('with std 0 puts every point on its center', () => {
    const data = blobs({
      samples: 6,
      centers: [
        [1, 2],
        [3, 4],
      ],
      clusterStd: 0,
    });
    data.x.forEach((row, i) => expect(row).toEqual(data.y[i] === 0 ? [1, 2] : [3, 4]));
  });

  it('rejects bad centers and stds', () => {
    expect(() => blobs({ centers: 0 })).toThrow(
      /options\.centers: expected a safe integer in \[1, 9007199254740991\], received 0/,
    );
    expect(() => blobs({ centers: [] })).toThrow(TypeError);
    expect(() => blobs({ centers: [[1, 2], [3]] })).toThrow(/options\.centers\[1\]/);
    expect(() => blobs({ centers: [[1, NaN]] })).toThrow(
      /options\.centers\[0\]\[1\]: .*received NaN/,
    );
    expect(() => blobs({ centers: 2, clusterStd: [1] })).toThrow(/one std per center/);
    expect(() => blobs({ clusterStd: -1 })).toThrow(/options\.clusterStd: .*received -1/);
    expect(() => blobs({ centerBox: [1, -1] })).toThrow(/options\.centerBox/);
    expect(() => blobs({ centers: 3, labels: 'pm1' })).toThrow(
      /'pm1' expects exactly 2 classes, received 3/,
    );
  });
});

describe('holes in arrays (issue 18)', () => {
  it('blobs rejects holes in centers, a center and clusterStd', () => {
    const centers = [
      [0, 0],
      [1, 1],
      [2, 2],
    ];
    // eslint-disable-next-line @typescript-eslint/no-array-delete
    delete centers[1];
    expect(() => blobs({ centers })).toThrow(/options\.centers\[1\] is missing/);
    const row = [0, 0];
    // eslint-disable-next-line @typescript-eslint/no-array-delete
    delete row[1];
    expect(() => blobs({ centers: [[1, 1], row] })).toThrow(
      /options\.centers\[1\]\[1\] is missing/,
    );
    expect(() => blobs({ centers: 2, clusterStd: new Array<number>(2) })).toThrow(
      /options\.clusterStd\[0\] is missing/,
    );
  });
});

describe('sizes past MAX_LENGTH fail at once (issue 18)', () => {
  it('samples, centers and features are bounded, and so is their product', () => {
    expect(() => blobs({ samples: 1e10 })).toThrow(/options\.samples: expected at most 16777216/);
    expect(() => blobs({ centers: 1e10 })).toThrow(/options\.centers: expected at most 16777216/);
    expect(() => blobs({ features: 1e9 })).toThrow(/options\.features: expected at most 16777216/);
    // 2^24 samples × 3 features = 50331648 > 2^25 = 33554432
    expect(() => blobs({ samples: 2 ** 24, features: 3 })).toThrow(
      /at most 33554432 numbers.*16777216 × 3/,
    );
  });
});
