import { describe, expect, it } from 'vitest';
import { Standardizer } from './standardizer.js';

describe('Standardizer', () => {
  it('learns the column means and population stds (worked by hand)', () => {
    // Column 0: 1, 3, 5 -> mean 3, var (4 + 0 + 4) / 3 = 8/3. Column 1: 10, 10, 40 -> mean 20, var 200.
    const s = new Standardizer().fit([
      [1, 10],
      [3, 10],
      [5, 40],
    ]);
    expect(s.mean).toEqual([3, 20]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 15);
    expect(s.std[1]).toBeCloseTo(Math.sqrt(200), 13);
    const z = s.transform([[3 + Math.sqrt(8 / 3), 20]]);
    expect(z[0]![0]).toBeCloseTo(1, 14);
    expect(z[0]![1]).toBe(0);
  });

  it('gives columns of mean 0 and std 1, and inverts', () => {
    const x = Array.from({ length: 50 }, (_, i) => [Math.sin(i) * 7 + 2, i * i]);
    const s = new Standardizer();
    const z = s.fitTransform(x);
    for (let j = 0; j < 2; j++) {
      const col = z.map((r) => r[j]!);
      const mean = col.reduce((a, b) => a + b, 0) / col.length;
      const variance = col.reduce((a, b) => a + (b - mean) ** 2, 0) / col.length;
      expect(mean).toBeCloseTo(0, 12);
      expect(variance).toBeCloseTo(1, 12);
    }
    s.inverseTransform(z).forEach((row, i) => {
      expect(row[0]).toBeCloseTo(x[i]![0]!, 12);
      expect(row[1]).toBeCloseTo(x[i]![1]!, 9);
    });
  });

  it('applies the training parameters to new data and does not change its input', () => {
    const s = new Standardizer().fit([[0], [2]]); // mean 1, std 1
    const input = [[5], [-1]];
    expect(s.transform(input)).toEqual([[4], [-2]]);
    expect(input).toEqual([[5], [-1]]);
  });

  it('only centers a constant column', () => {
    const s = new Standardizer().fit([
      [4, 1],
      [4, 3],
    ]);
    expect(s.std).toEqual([0, 1]);
    expect(s.transform([[6, 2]])).toEqual([[2, 0]]);
  });

  it('round-trips through JSON', () => {
    const s = new Standardizer().fit([
      [1, 2],
      [3, 8],
    ]);
    const again = Standardizer.fromJSON(
      JSON.parse(JSON.stringify(s)) as ReturnType<Standardizer['toJSON']>,
    );
    expect(again.transform([[2, 5]])).toEqual(s.transform([[2, 5]]));
  });

  it('rejects bad input and use before fit', () => {
    const s = new Standardizer();
    expect(s.isFitted).toBe(false);
    expect(() => s.transform([[1]])).toThrow(/call fit\(x\) first/);
    expect(() => s.fit([])).toThrow(/at least one row/);
    expect(() => s.fit([[1, 2], [3]])).toThrow(/x\[1\]: expected 2 features, received 1/);
    expect(() => s.fit([[1, NaN]])).toThrow(/x\[0\]\[1\]: expected a finite number, received NaN/);
    s.fit([[1, 2]]);
    expect(() => s.transform([[1]])).toThrow(/x\[0\]: expected 2 features/);
    expect(() => Standardizer.fromJSON({ mean: [0], std: [-1] })).toThrow(
      /state\.std\[0\]: expected a number >= 0/,
    );
    expect(() => Standardizer.fromJSON({ mean: [0], std: [1, 2] })).toThrow(RangeError);
  });
});

describe('holes in arrays (issue 18)', () => {
  it('fromJSON and fit reject holes, naming them', () => {
    const std = [1, 2];
    // eslint-disable-next-line @typescript-eslint/no-array-delete
    delete std[1];
    expect(() => Standardizer.fromJSON({ mean: [0, 0], std })).toThrow(
      /state\.std\[1\] is missing \(a hole in a sparse array\)/,
    );
    expect(() => Standardizer.fromJSON({ mean: new Array<number>(2), std: [1, 1] })).toThrow(
      /state\.mean\[0\] is missing/,
    );
    const rows = [[1], [2], [3]];
    // eslint-disable-next-line @typescript-eslint/no-array-delete
    delete rows[1];
    expect(() => new Standardizer().fit(rows)).toThrow(/x\[1\] is missing/);
  });
});
