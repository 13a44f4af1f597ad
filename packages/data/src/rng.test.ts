import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng, toRng, type RngState } from './rng.js';
import { splitmix64 } from './seed.js';

const at = (state: [number, number, number, number]): Rng =>
  Rng.fromState({ algorithm: 'xoshiro128**', state });

/**
 * An independent, deliberately plain xoshiro128** written from the paper's
 * definition with BigInt arithmetic (no 32-bit tricks), used to check the fast
 * implementation on random states.
 */
function referenceXoshiro128ss(state: bigint[], count: number): bigint[] {
  const M = 0xffffffffn;
  const rotl = (x: bigint, k: bigint) => ((x << k) | (x >> (32n - k))) & M;
  const s = state.slice();
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    out.push((rotl((s[1]! * 5n) & M, 7n) * 9n) & M);
    const t = (s[1]! << 9n) & M;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11n);
  }
  return out;
}

describe('Rng core: xoshiro128** against published vectors', () => {
  it('matches the reference C implementation from state [1, 2, 3, 4]', () => {
    // Published in the Rust rand_xoshiro crate, `xoshiro128starstar.rs` test
    // `reference`: "These values were produced with the reference
    // implementation (v1.1): http://xoshiro.di.unimi.it/xoshiro128starstar.c".
    const expected = [
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597,
      4258142804,
    ];
    const rng = at([1, 2, 3, 4]);
    expect(expected.map(() => rng.nextUint32())).toEqual(expected);
  });

  // Vectors from edorfaus/xoshiro-6502, test-rom/testdata.asm, generated with
  // the C reference implementation from the seed bytes 0C 4A 4D 96 ... (words
  // little-endian): the output before each step, the state after each step,
  // and the states after 1..4 successive jump() and long_jump() calls.
  const SEED: [number, number, number, number] = [0x964d4a0c, 0xd40ab895, 0xad7fdecb, 0x3006f0f0];

  it('matches C-reference outputs and states of a second published sequence', () => {
    const rng = at(SEED);
    const outputs = [0xf1391922, 0x6fe53806, 0xa5be2840, 0xf510ee70];
    const states = [
      [0x72410269, 0xef382c52, 0x2e43bec7, 0x62432f20],
      [0xff3a011b, 0xb33a90fc, 0x2c5a18ae, 0xd81b946b],
      [0x941b058c, 0x605a8949, 0xa641e1b5, 0x0824bb59],
      [0xfc65379c, 0x52006d70, 0x87487639, 0xf1908343],
    ];
    for (let i = 0; i < 4; i++) {
      expect(rng.nextUint32()).toBe(outputs[i]);
      expect(rng.getState().state).toEqual(states[i]);
    }
  });

  it('jump() and longJump() match the C reference states', () => {
    const jumps = [
      [0x2a6dd50d, 0x01177499, 0xd7eb7d01, 0xddc48284],
      [0x5efdee5a, 0x3aa13c3d, 0x8cc77479, 0xeb10a58f],
      [0x2ca76937, 0x14c9006e, 0x34097ea8, 0xfdd876ea],
      [0x01b72c9a, 0xa78174aa, 0x1cc317be, 0x888235b2],
    ];
    const longJumps = [
      [0x2564e401, 0x3319cf31, 0xbdbb52e4, 0x3401980c],
      [0x9c99646b, 0x52b8802b, 0x592cb24e, 0x8d36d8cc],
      [0xebc4340c, 0x85d398cb, 0xd5f5856b, 0x0b662ea3],
      [0xaa2620a3, 0xa137523e, 0x7d75a27f, 0xb89be680],
    ];
    const a = at(SEED);
    for (const s of jumps) expect(a.jump().getState().state).toEqual(s);
    const b = at(SEED);
    for (const s of longJumps) expect(b.longJump().getState().state).toEqual(s);
  });

  it('agrees with a plain BigInt reference on random states', () => {
    const word = fc.integer({ min: 0, max: 0xffffffff });
    fc.assert(
      fc.property(fc.tuple(word, word, word, word), (state) => {
        fc.pre(state.some((w) => w !== 0));
        const rng = at(state);
        const got = Array.from({ length: 20 }, () => BigInt(rng.nextUint32()));
        expect(got).toEqual(referenceXoshiro128ss(state.map(BigInt), 20));
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('Rng seeding', () => {
  it('gives the same stream for the same seed and different ones for different seeds', () => {
    const draw = (seed: number | string) => {
      const rng = new Rng(seed);
      return Array.from({ length: 8 }, () => rng.nextUint32());
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw('run-a')).toEqual(draw('run-a'));
    const streams = [0, 1, 2, 3, 'a', 'b', 0.5].map((s) => draw(s).join(','));
    expect(new Set(streams).size).toBe(streams.length);
  });

  it('defaults to seed 0', () => {
    expect(new Rng().next()).toBe(new Rng(0).next());
  });

  it('rejects seeds that are not finite numbers or strings', () => {
    expect(() => new Rng(NaN)).toThrow(RangeError);
    expect(() => new Rng(-Infinity)).toThrow(
      /seed: expected a finite number or a string, received -Infinity/,
    );
    // @ts-expect-error checking the run-time guard
    expect(() => new Rng(null)).toThrow(TypeError);
    // @ts-expect-error checking the run-time guard
    expect(() => new Rng([1])).toThrow(/received an array/);
  });

  it('toRng uses a given Rng as is and seeds otherwise', () => {
    const rng = new Rng(5);
    expect(toRng('options.seed', rng)).toBe(rng);
    expect(toRng('options.seed', 5).next()).toBe(new Rng(5).next());
    expect(toRng('options.seed', undefined).next()).toBe(new Rng(0).next());
    expect(() => toRng('options.seed', NaN)).toThrow(/options\.seed/);
  });
});

describe('Rng.next and uniform', () => {
  it('builds a 53-bit double from the top 27 and 26 bits of two draws', () => {
    const a = at([1, 2, 3, 4]);
    // First two published outputs: 11520 and 0.
    expect(a.next()).toBe(((11520 >>> 5) * 2 ** 26 + (0 >>> 6)) / 2 ** 53);
    const b = at([1, 2, 3, 4]);
    b.next();
    expect(b.next()).toBe(((5927040 >>> 5) * 2 ** 26 + (70819200 >>> 6)) / 2 ** 53);
  });

  it('has the moments of U(0, 1) and passes a chi-square test', () => {
    const rng = new Rng(2024);
    const n = 100_000;
    const bins = new Array<number>(20).fill(0);
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      sumSq += u * u;
      bins[Math.floor(u * 20)]!++;
    }
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    // Standard error of the mean is sqrt(1/12/n) ~ 0.0009; allow 5 of them.
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.0046);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
    const expected = n / 20;
    const chi2 = bins.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    // 19 degrees of freedom: P(chi2 > 43.8) = 0.001.
    expect(chi2).toBeLessThan(43.8);
  });

  it('uniform(a, b) stays in [a, b) and has mean (a + b) / 2', () => {
    const rng = new Rng(3);
    let sum = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const x = rng.uniform(-2, 6);
      expect(x >= -2 && x < 6).toBe(true);
      sum += x;
    }
    // sd of U(-2, 6) is 8/sqrt(12) ~ 2.31; standard error ~ 0.016.
    expect(Math.abs(sum / n - 2)).toBeLessThan(0.08);
    expect(rng.uniform(3, 3)).toBe(3);
  });

  it('uniform rejects bad bounds without drawing', () => {
    const rng = new Rng(3);
    const before = rng.getState();
    expect(() => rng.uniform(1, 0)).toThrow(/low <= high.*received low 1, high 0/);
    expect(() => rng.uniform(NaN, 1)).toThrow(/low: expected a finite number, received NaN/);
    // @ts-expect-error checking the run-time guard
    expect(() => rng.uniform('0', 1)).toThrow(TypeError);
    expect(() => rng.uniform(-Number.MAX_VALUE, Number.MAX_VALUE)).toThrow(RangeError);
    expect(rng.getState()).toEqual(before);
  });
});

describe('Rng.int', () => {
  it('is uniform over [low, high) by a chi-square test', () => {
    const rng = new Rng(11);
    const counts = new Array<number>(6).fill(0);
    const n = 60_000;
    for (let i = 0; i < n; i++) {
      const k = rng.int(1, 7);
      expect(Number.isInteger(k) && k >= 1 && k <= 6).toBe(true);
      counts[k - 1]!++;
    }
    const chi2 = counts.reduce((acc, c) => acc + (c - n / 6) ** 2 / (n / 6), 0);
    // 5 degrees of freedom: P(chi2 > 20.5) = 0.001.
    expect(chi2).toBeLessThan(20.5);
  });

  it('has no modulo bias where plain `u % n` would have a large one', () => {
    // n = 3 * 2^30: with u % n, values below 2^30 would come up with
    // probability 1/2 instead of 1/3.
    const rng = new Rng(12);
    const n = 3 * 2 ** 30;
    let low = 0;
    const draws = 30_000;
    for (let i = 0; i < draws; i++) if (rng.int(0, n) < 2 ** 30) low++;
    // Standard error sqrt(1/3 * 2/3 / 30000) ~ 0.0027.
    expect(Math.abs(low / draws - 1 / 3)).toBeLessThan(0.014);
  });

  it('handles ranges wider than 2^32 and negative bounds', () => {
    const rng = new Rng(13);
    let sum = 0;
    const n = 5_000;
    for (let i = 0; i < n; i++) {
      const k = rng.int(-(2 ** 40), 2 ** 40);
      expect(Number.isInteger(k) && k >= -(2 ** 40) && k < 2 ** 40).toBe(true);
      sum += k / 2 ** 40;
    }
    // Scaled values are ~U(-1, 1), sd 0.577, standard error ~ 0.008.
    expect(Math.abs(sum / n)).toBeLessThan(0.04);
    expect(rng.int(5, 6)).toBe(5);
  });

  it('rejects empty or non-integer ranges', () => {
    const rng = new Rng(1);
    expect(() => rng.int(3, 3)).toThrow(/low < high.*received low 3, high 3/);
    expect(() => rng.int(0, 2.5)).toThrow(/high: expected a safe integer/);
    expect(() => rng.int(0, 2 ** 60)).toThrow(RangeError);
  });

  it('names the safe-integer bound of low and high', () => {
    const rng = new Rng(1);
    expect(() => rng.int(0, 2 ** 53)).toThrow(
      'high: expected a safe integer in [-9007199254740991, 9007199254740991], received 9007199254740992',
    );
    expect(() => rng.int(-(2 ** 53), 0)).toThrow(/low: expected a safe integer/);
  });

  it('rejects a width that a double cannot hold exactly', () => {
    const rng = new Rng(1);
    const state = rng.getState();
    // The width 2^53 + 1 rounds to 2^53, so 1 could never come out: refuse it.
    expect(() => rng.int(-(2 ** 53 - 1), 2)).toThrow(
      'int(low, high): expected a width high - low of at most 2^53, received low -9007199254740991, high 2 (width 9007199254740993)',
    );
    expect(() => rng.int(-(2 ** 53 - 1), 2 ** 53 - 1)).toThrow(RangeError);
    expect(rng.getState()).toEqual(state);
    // Exactly 2^53 wide is fine.
    const k = rng.int(-1, 2 ** 53 - 1);
    expect(Number.isInteger(k) && k >= -1 && k < 2 ** 53 - 1).toBe(true);
  });
});

describe('Rng.normal', () => {
  it('has the moments of N(mean, std^2)', () => {
    const rng = new Rng(7);
    const n = 100_000;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let within1 = 0;
    for (let i = 0; i < n; i++) {
      const z = (rng.normal(10, 2) - 10) / 2;
      s1 += z;
      s2 += z * z;
      s3 += z ** 3;
      s4 += z ** 4;
      if (Math.abs(z) < 1) within1++;
    }
    // Standard errors for n = 1e5: mean 0.0032, variance 0.0045, skewness
    // 0.0077, kurtosis 0.015; allow about 5 of each.
    expect(Math.abs(s1 / n)).toBeLessThan(0.016);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.023);
    expect(Math.abs(s3 / n)).toBeLessThan(0.04);
    expect(Math.abs(s4 / n - 3)).toBeLessThan(0.08);
    // P(|Z| < 1) = erf(1/sqrt 2) = 0.682689; standard error 0.0015.
    expect(Math.abs(within1 / n - 0.682689)).toBeLessThan(0.0075);
  });

  it('is the Box-Muller transform of two uniform draws', () => {
    const a = new Rng(8);
    const b = new Rng(8);
    const u1 = 1 - b.next();
    const u2 = b.next();
    expect(a.normal(1, 3)).toBe(
      1 + 3 * (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)),
    );
  });

  it('rejects a negative or non-finite std', () => {
    const rng = new Rng(1);
    expect(() => rng.normal(0, -1)).toThrow(/std: expected a number >= 0, received -1/);
    expect(() => rng.normal(0, Infinity)).toThrow(RangeError);
    expect(rng.normal(4, 0)).toBe(4);
  });
});

describe('Rng shuffle, permutation, choice', () => {
  it('shuffle copies; shuffleInPlace mutates; both keep the elements', () => {
    const rng = new Rng(1);
    const input = Object.freeze([1, 2, 3, 4, 5, 6, 7, 8]);
    const out = rng.shuffle(input);
    expect(out).not.toBe(input);
    expect([...out].sort()).toEqual([...input]);
    const arr = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(rng.shuffleInPlace(arr)).toBe(arr);
    expect([...arr].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('is the Fisher-Yates shuffle driven by int(0, i + 1)', () => {
    const a = new Rng(99);
    const b = new Rng(99);
    const expected = ['a', 'b', 'c', 'd', 'e'];
    for (let i = expected.length - 1; i > 0; i--) {
      const j = b.int(0, i + 1);
      [expected[i], expected[j]] = [expected[j]!, expected[i]!];
    }
    expect(a.shuffle(['a', 'b', 'c', 'd', 'e'])).toEqual(expected);
  });

  it('makes all 6 orders of 3 items equally likely', () => {
    const rng = new Rng(21);
    const counts = new Map<string, number>();
    const n = 30_000;
    for (let i = 0; i < n; i++) {
      const key = rng.shuffle([0, 1, 2]).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    const chi2 = [...counts.values()].reduce((acc, c) => acc + (c - n / 6) ** 2 / (n / 6), 0);
    expect(chi2).toBeLessThan(20.5); // 5 degrees of freedom, p = 0.001
  });

  it('permutation(n) holds every index once', () => {
    fc.assert(
      fc.property(fc.nat(200), fc.integer(), (n, seed) => {
        const p = new Rng(seed).permutation(n);
        expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('choice picks each element about equally often and rejects []', () => {
    const rng = new Rng(5);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 9000; i++) counts[rng.choice(['a', 'b', 'c'] as const)]++;
    for (const c of Object.values(counts)) expect(Math.abs(c - 3000)).toBeLessThan(250);
    expect(() => rng.choice([])).toThrow(/non-empty array, received an array of length 0/);
    // @ts-expect-error checking the run-time guard
    expect(() => rng.shuffle('abc')).toThrow(/array: expected an array, received string "abc"/);
  });
});

describe('Rng fork, clone, toFunction, state', () => {
  it('fork seeds the child with SplitMix64 of four parent draws', () => {
    const parent = new Rng(42);
    const reference = parent.clone();
    const child = parent.fork();
    const [a, b, c, d] = [0, 1, 2, 3].map(() => BigInt(reference.nextUint32())) as [
      bigint,
      bigint,
      bigint,
      bigint,
    ];
    const [, z1] = splitmix64(a * 2n ** 32n + b);
    const [, z2] = splitmix64(c * 2n ** 32n + d);
    expect(child.getState().state).toEqual(
      [z1 % 2n ** 32n, z1 / 2n ** 32n, z2 % 2n ** 32n, z2 / 2n ** 32n].map(Number),
    );
    // The parent moved on by exactly those four draws.
    expect(parent.getState()).toEqual(reference.getState());
  });

  it('forks, forks of forks and their parents all give distinct streams', () => {
    // A tree of depth 3, forking twice at every node, as nested generators do.
    const streams: Rng[] = [];
    const grow = (rng: Rng, depth: number) => {
      if (depth === 0) return;
      const left = rng.fork();
      const right = rng.split();
      grow(left, depth - 1);
      grow(right, depth - 1);
      streams.push(rng, left, right);
    };
    grow(new Rng(0), 3);
    const heads = new Set(
      streams.map((r) => r.clone()).map((r) => [0, 1, 2, 3].map(() => r.nextUint32()).join(',')),
    );
    // Distinct generator objects (nodes appear several times in `streams`).
    const unique = new Set(streams);
    expect(heads.size).toBe(unique.size);
  });

  it('drawing from a fork does not shift the parent', () => {
    const a = new Rng(1);
    const fa = a.fork();
    for (let i = 0; i < 100; i++) fa.next();
    const b = new Rng(1);
    b.fork();
    expect(a.next()).toBe(b.next());
  });

  it('toFunction draws from the same stream as next()', () => {
    const rng = new Rng(6);
    const twin = rng.clone();
    const random = rng.toFunction();
    for (let i = 0; i < 5; i++) expect(random()).toBe(twin.next());
  });

  it('getState/setState resume exactly, through JSON', () => {
    const rng = new Rng('resume');
    for (let i = 0; i < 10; i++) rng.next();
    const saved = JSON.stringify(rng.getState());
    const after = Array.from({ length: 5 }, () => rng.next());
    const resumed = Rng.fromState(JSON.parse(saved) as RngState);
    expect(Array.from({ length: 5 }, () => resumed.next())).toEqual(after);
    rng.setState(JSON.parse(saved) as RngState);
    expect(rng.next()).toBe(after[0]);
  });

  it('setState checks everything first and changes nothing on error', () => {
    const rng = new Rng(3);
    const before = rng.getState();
    const bad: unknown[] = [
      null,
      { algorithm: 'sfc32', state: [1, 2, 3, 4] },
      { algorithm: 'xoshiro128**', state: [1, 2, 3] },
      { algorithm: 'xoshiro128**', state: [1, 2, 3, 2 ** 32] },
      { algorithm: 'xoshiro128**', state: [1, 2, -3, 4] },
      { algorithm: 'xoshiro128**', state: [0, 0, 0, 0] },
    ];
    for (const state of bad) {
      expect(() => rng.setState(state as RngState)).toThrow();
      expect(rng.getState()).toEqual(before);
    }
    expect(() => rng.setState(bad[3] as RngState)).toThrow(
      /state\.state\[3\].*received 4294967296/,
    );
  });
});

describe('holes in arrays (issue 18)', () => {
  it('Rng.fromState rejects a state with holes rather than making an all-zero generator', () => {
    const words = new Array<number>(4); // [ , , , ]: four holes
    expect(() => Rng.fromState({ algorithm: 'xoshiro128**', state: words } as RngState)).toThrow(
      TypeError,
    );
    const some = [1, 2, 3, 4];
    // eslint-disable-next-line @typescript-eslint/no-array-delete
    delete some[2];
    const rng = new Rng(5);
    const before = rng.getState();
    expect(() => rng.setState({ algorithm: 'xoshiro128**', state: some } as RngState)).toThrow(
      /state\.state\[2\] is missing \(a hole in a sparse array\)/,
    );
    expect(rng.getState()).toEqual(before);
  });

  it('shuffle and choice reject holes', () => {
    const rng = new Rng(1);
    expect(() => rng.shuffle(new Array<number>(3))).toThrow(/array\[0\] is missing/);
    expect(() => rng.choice(new Array<number>(3))).toThrow(/array\[0\] is missing/);
  });
});

describe('sizes past MAX_LENGTH fail at once (issue 18)', () => {
  it('permutation(1e10) is a RangeError naming n and the limit, not "Invalid array length"', () => {
    const rng = new Rng(1);
    const before = rng.getState();
    expect(() => rng.permutation(1e10)).toThrow(RangeError);
    expect(() => rng.permutation(1e10)).toThrow(
      /n: expected at most 16777216 \(2\^24.*received 10000000000/,
    );
    expect(rng.getState()).toEqual(before);
  });
});
