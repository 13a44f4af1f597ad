/**
 * The NIST StRD nonlinear regression problems (the 27 of
 * https://www.itl.nist.gov/div898/strd/nls/nls_main.shtml), read from NIST's
 * own `.dat` files in `packages/optimize/nist/`, with their models written in
 * the engine's ops. Used by the tests and by `pnpm bench --only solvers`.

 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Value } from '@ag/core';
import { leastSquares, type LeastSquaresOptions } from '../least-squares.js';

export interface NistProblem {
  readonly name: string;
  /** NIST's level of difficulty. */
  readonly difficulty: 'lower' | 'average' | 'higher';
  readonly starts: readonly [readonly number[], readonly number[]];
  readonly certified: readonly number[];
  readonly certifiedRss: number;
  /** One row per observation: y, then the predictors. */
  readonly data: readonly (readonly number[])[];
  /** The residuals y − f(b; x) of every observation. */
  readonly residuals: (b: Value[]) => Value[];
  /** The same residuals in plain numbers (to check the certified values). */
  readonly residualsOf: (b: readonly number[]) => number[];
}

export const NIST_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../nist');

/** Value-or-number arithmetic for writing each model once. */
interface Ops<T> {
  c(x: number): T;
  add(a: T, b: T): T;
  sub(a: T, b: T): T;
  mul(a: T, b: T): T;
  div(a: T, b: T): T;
  pow(a: T, b: T): T;
  exp(a: T): T;
  log(a: T): T;
  cos(a: T): T;
  sin(a: T): T;
  atan(a: T): T;
}

const numbers: Ops<number> = {
  c: (x) => x,
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  exp: Math.exp,
  log: Math.log,
  cos: Math.cos,
  sin: Math.sin,
  atan: Math.atan,
};

/** A Value-typed `Ops` whose constants are plain numbers, which every op accepts. */
const values: Ops<Value> = {
  c: (x) => x as unknown as Value,
  add: (a, b) => (typeof a === 'number' ? b.add(a) : a.add(b)),
  sub: (a, b) => (typeof a === 'number' ? b.neg().add(a) : a.sub(b)),
  mul: (a, b) => (typeof a === 'number' ? b.mul(a) : a.mul(b)),
  div: (a, b) => (typeof a === 'number' ? b.pow(-1).mul(a) : a.div(b)),
  pow: (a, b) => {
    if (typeof a === 'number') throw new Error('no model raises a constant to a power');
    return a.pow(b);
  },
  exp: (a) => a.exp(),
  log: (a) => a.log(),
  cos: (a) => a.cos(),
  sin: (a) => a.sin(),
  atan: (a) => a.atan(),
};

type Model = <T>(o: Ops<T>, b: readonly T[], x: readonly number[]) => T;

const rational =
  (p: number, q: number): Model =>
  (o, b, [x = 0]) => {
    // (b1 + b2·x + … ) / (1 + b_{p+1}·x + …)
    let num = b[0] as (typeof b)[number];
    for (let k = 1; k < p; k++) num = o.add(num, o.mul(b[k] as (typeof b)[number], o.c(x ** k)));
    let den = o.c(1);
    for (let k = 1; k <= q; k++)
      den = o.add(den, o.mul(b[p + k - 1] as (typeof b)[number], o.c(x ** k)));
    return o.div(num, den);
  };

const misra1a: Model = (o, [b1, b2], [x = 0]) =>
  o.mul(b1!, o.sub(o.c(1), o.exp(o.mul(o.c(-x), b2!))));

const MODELS: Record<string, Model> = {
  Misra1a: misra1a,
  Chwirut1: (o, [b1, b2, b3], [x = 0]) =>
    o.div(o.exp(o.mul(o.c(-x), b1!)), o.add(b2!, o.mul(b3!, o.c(x)))),
  Lanczos3: (o, b, [x = 0]) =>
    o.add(
      o.add(o.mul(b[0]!, o.exp(o.mul(o.c(-x), b[1]!))), o.mul(b[2]!, o.exp(o.mul(o.c(-x), b[3]!)))),
      o.mul(b[4]!, o.exp(o.mul(o.c(-x), b[5]!))),
    ),
  Gauss1: (o, b, [x = 0]) => {
    const bump = (h: (typeof b)[number], m: (typeof b)[number], w: (typeof b)[number]) =>
      o.mul(h, o.exp(o.sub(o.c(0), o.pow(o.div(o.sub(o.c(x), m), w), o.c(2)))));
    return o.add(
      o.add(o.mul(b[0]!, o.exp(o.mul(o.c(-x), b[1]!))), bump(b[2]!, b[3]!, b[4]!)),
      bump(b[5]!, b[6]!, b[7]!),
    );
  },
  // x^b2 written as e^(b2·ln x): the engine's pow takes a Value base.
  DanWood: (o, [b1, b2], [x = 0]) => o.mul(b1!, o.exp(o.mul(b2!, o.c(Math.log(x))))),
  Misra1b: (o, [b1, b2], [x = 0]) => {
    const t = o.add(o.c(1), o.mul(b2!, o.c(x / 2)));
    return o.mul(b1!, o.sub(o.c(1), o.div(o.c(1), o.mul(t, t))));
  },
  Kirby2: rational(3, 2),
  Hahn1: rational(4, 3),
  Nelson: (o, [b1, b2, b3], [x1 = 0, x2 = 0]) =>
    o.sub(b1!, o.mul(o.mul(b2!, o.c(x1)), o.exp(o.mul(o.c(-x2), b3!)))),
  MGH17: (o, b, [x = 0]) =>
    o.add(
      o.add(b[0]!, o.mul(b[1]!, o.exp(o.mul(o.c(-x), b[3]!)))),
      o.mul(b[2]!, o.exp(o.mul(o.c(-x), b[4]!))),
    ),
  Lanczos1: (o, b, x) => MODELS.Lanczos3!(o, b, x),
  Lanczos2: (o, b, x) => MODELS.Lanczos3!(o, b, x),
  Gauss2: (o, b, x) => MODELS.Gauss1!(o, b, x),
  Gauss3: (o, b, x) => MODELS.Gauss1!(o, b, x),
  Misra1c: (o, [b1, b2], [x = 0]) =>
    o.mul(b1!, o.sub(o.c(1), o.pow(o.add(o.c(1), o.mul(b2!, o.c(2 * x))), o.c(-0.5)))),
  Misra1d: (o, [b1, b2], [x = 0]) =>
    o.div(o.mul(o.mul(b1!, b2!), o.c(x)), o.add(o.c(1), o.mul(b2!, o.c(x)))),
  Roszman1: (o, [b1, b2, b3, b4], [x = 0]) =>
    o.sub(
      o.sub(b1!, o.mul(b2!, o.c(x))),
      o.div(o.atan(o.div(b3!, o.sub(o.c(x), b4!))), o.c(Math.PI)),
    ),
  ENSO: (o, b, [x = 0]) => {
    const w = (2 * Math.PI * x) / 12;
    let y = o.add(o.add(b[0]!, o.mul(b[1]!, o.c(Math.cos(w)))), o.mul(b[2]!, o.c(Math.sin(w))));
    for (const [p, cb, sb] of [
      [3, 4, 5],
      [6, 7, 8],
    ] as const) {
      const arg = o.div(o.c(2 * Math.PI * x), b[p]!);
      y = o.add(y, o.add(o.mul(b[cb]!, o.cos(arg)), o.mul(b[sb]!, o.sin(arg))));
    }
    return y;
  },
  MGH09: (o, [b1, b2, b3, b4], [x = 0]) =>
    o.div(
      o.mul(b1!, o.add(o.c(x * x), o.mul(o.c(x), b2!))),
      o.add(o.add(o.c(x * x), o.mul(o.c(x), b3!)), b4!),
    ),
  Thurber: rational(4, 3),
  BoxBOD: misra1a,
  Rat42: (o, [b1, b2, b3], [x = 0]) =>
    o.div(b1!, o.add(o.c(1), o.exp(o.sub(b2!, o.mul(b3!, o.c(x)))))),
  MGH10: (o, [b1, b2, b3], [x = 0]) => o.mul(b1!, o.exp(o.div(b2!, o.add(o.c(x), b3!)))),
  Eckerle4: (o, [b1, b2, b3], [x = 0]) => {
    const z = o.div(o.sub(o.c(x), b3!), b2!);
    return o.mul(o.div(b1!, b2!), o.exp(o.mul(o.c(-0.5), o.mul(z, z))));
  },
  Rat43: (o, [b1, b2, b3, b4], [x = 0]) =>
    o.div(b1!, o.pow(o.add(o.c(1), o.exp(o.sub(b2!, o.mul(b3!, o.c(x))))), o.div(o.c(1), b4!))),
  Bennett5: (o, [b1, b2, b3], [x = 0]) =>
    o.mul(b1!, o.pow(o.add(b2!, o.c(x)), o.div(o.c(-1), b3!))),
};

/** NIST's order: by level of difficulty, then as listed on its page. */
const ORDER: [string, NistProblem['difficulty']][] = [
  ['Misra1a', 'lower'],
  ['Chwirut2', 'lower'],
  ['Chwirut1', 'lower'],
  ['Lanczos3', 'lower'],
  ['Gauss1', 'lower'],
  ['Gauss2', 'lower'],
  ['DanWood', 'lower'],
  ['Misra1b', 'lower'],
  ['Kirby2', 'average'],
  ['Hahn1', 'average'],
  ['Nelson', 'average'],
  ['MGH17', 'average'],
  ['Lanczos1', 'average'],
  ['Lanczos2', 'average'],
  ['Gauss3', 'average'],
  ['Misra1c', 'average'],
  ['Misra1d', 'average'],
  ['Roszman1', 'average'],
  ['ENSO', 'average'],
  ['MGH09', 'higher'],
  ['Thurber', 'higher'],
  ['BoxBOD', 'higher'],
  ['Rat42', 'higher'],
  ['MGH10', 'higher'],
  ['Eckerle4', 'higher'],
  ['Rat43', 'higher'],
  ['Bennett5', 'higher'],
];
MODELS.Chwirut2 = MODELS.Chwirut1 as Model;

/** Parses one NIST `.dat` file. */
export function parseNist(
  text: string,
): Pick<NistProblem, 'starts' | 'certified' | 'certifiedRss' | 'data'> {
  const lines = text.split(/\r?\n/);
  const start1: number[] = [];
  const start2: number[] = [];
  const certified: number[] = [];
  let certifiedRss = Number.NaN;
  let dataAt = -1;
  lines.forEach((line, i) => {
    const b = /^\s*b\d+\s*=\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/.exec(line);
    if (b !== null) {
      start1.push(Number(b[1]));
      start2.push(Number(b[2]));
      certified.push(Number(b[3]));
    }
    const rss = /^Residual Sum of Squares:\s+(\S+)/.exec(line);
    if (rss !== null) certifiedRss = Number(rss[1]);
    if (/^\s*Data:\s+y\b/.test(line)) dataAt = i;
  });
  const data = lines
    .slice(dataAt + 1)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => l.split(/\s+/).map(Number));
  for (const v of [...start1, ...start2, ...certified, certifiedRss, ...data.flat()]) {
    if (!Number.isFinite(v)) throw new Error(`parseNist: a number did not parse`);
  }
  return { starts: [start1, start2], certified, certifiedRss, data };
}

/** Every problem, in NIST's order. */
export function loadNistProblems(): NistProblem[] {
  return ORDER.map(([name, difficulty]) => {
    const parsed = parseNist(readFileSync(join(NIST_DIR, `${name}.dat`), 'utf8'));
    const model = MODELS[name] as Model;
    // Nelson's response is log y.
    const response = (row: readonly number[]): number =>
      name === 'Nelson' ? Math.log(row[0] as number) : (row[0] as number);
    return {
      name,
      difficulty,
      ...parsed,
      residuals: (b) =>
        parsed.data.map((row) =>
          values.sub(values.c(response(row)), model(values, b, row.slice(1))),
        ),
      residualsOf: (b) => parsed.data.map((row) => response(row) - model(numbers, b, row.slice(1))),
    };
  });
}

/** Log relative error: −log10 |x − c| / |c| (|x − c| where c = 0), at most 15. */
export function logRelativeError(x: number, c: number): number {
  if (x === c) return 15;
  const e = c === 0 ? Math.abs(x) : Math.abs(x - c) / Math.abs(c);
  return Number.isFinite(e) ? Math.min(15, -Math.log10(e)) : 0;
}

/** One solve of a NIST problem from one start. */
export interface NistRun {
  problem: string;
  start: 1 | 2;
  /** The smallest log relative error over the parameters (≥ 6: solved). */
  lre: number;
  evaluations: number;
  jacobianEvaluations: number;
  status: number;
  x: number[];
}

/** Solves every problem from both starts with `leastSquares` and the options given. */
export function solveNist(
  problems: readonly NistProblem[],
  options: LeastSquaresOptions | ((p: NistProblem) => LeastSquaresOptions),
): NistRun[] {
  const runs: NistRun[] = [];
  for (const p of problems) {
    for (const start of [1, 2] as const) {
      const r = leastSquares(
        p.residuals,
        [...(p.starts[start - 1] as readonly number[])],
        typeof options === 'function' ? options(p) : options,
      );
      runs.push({
        problem: p.name,
        start,
        lre: Math.min(...r.x.map((x, j) => logRelativeError(x, p.certified[j] as number))),
        evaluations: r.evaluations,
        jacobianEvaluations: r.jacobianEvaluations,
        status: r.status,
        x: r.x,
      });
    }
  }
  return runs;
}

/** SciPy's runs, stored by scripts/scipy-reference.py. */
export interface ScipyNistRun {
  x: number[];
  nfev: number;
  njev: number;
  lre: number;
}

export type ScipyNistReference = {
  problems: {
    name: string;
    runs: Record<
      | 'leastsq_tight'
      | 'leastsq_tight_long'
      | 'leastsq_default'
      | 'least_squares_default'
      | 'least_squares_tight',
      ScipyNistRun
    >[];
  }[];
};

/** The stored SciPy results. */
export function loadScipyNist(): ScipyNistReference {
  return JSON.parse(
    readFileSync(join(NIST_DIR, 'scipy-minpack.json'), 'utf8'),
  ) as ScipyNistReference;
}
