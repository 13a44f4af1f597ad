/**
 * The seeded random generator: xoshiro128** 1.1 (Blackman and Vigna 2018,
 * https://prng.di.unimi.it/xoshiro128starstar.c). 128 bits of state, period
 * 2^128 - 1, passes BigCrush; all arithmetic is 32-bit (`Math.imul`, `>>> 0`),
 * so the stream is bit-identical on every JavaScript engine.
 */
import {
  checkCount,
  checkDense,
  checkFinite,
  checkInteger,
  describe,
  showNumber,
} from './checks.js';
import { checkSeed, seedState, splitmix64, type Seed } from './seed.js';

export type { Seed } from './seed.js';

/** A generator's complete state as plain JSON, for `getState()` / `setState()`. */
export interface RngState {
  /** The generator the state belongs to. */
  algorithm: 'xoshiro128**';
  /** The four 32-bit state words, each an integer in [0, 2^32), not all zero. */
  state: [number, number, number, number];
}

// Jump polynomials of the reference implementation: `jump()` is 2^64 calls of
// next, `longJump()` 2^96.
const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b] as const;
const LONG_JUMP = [0xb523952e, 0x0b6f099f, 0xccf5a0ef, 0x1c580662] as const;

const TWO_POW_32 = 0x1_0000_0000;
const TWO_POW_53 = 2 ** 53;

/**
 * A seeded pseudo-random generator (xoshiro128**). The same seed gives the same
 * stream on every run; seeds are mixed through SplitMix64, so nearby seeds
 * (0, 1, 2, ...) give unrelated streams. Not for cryptography.
 *
 * @example
 * const rng = new Rng(42);
 * const u = rng.next(); // in [0, 1), the same every run
 */
export class Rng {
  // The state words, kept as int32 (what Math.imul and the bit operators produce).
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /**
   * @param seed a finite number or a string (default 0). Throws a TypeError or
   * RangeError for anything else.
   * @example
   * const a = new Rng('experiment-1');
   * const b = new Rng(7);
   */
  constructor(seed: Seed = 0) {
    checkSeed(seed, 'seed');
    const [a, b, c, d] = seedState(seed);
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
  }

  /**
   * A generator that continues from a saved state.
   * @example
   * const saved = rng.getState();
   * const resumed = Rng.fromState(saved); // draws what rng would draw next
   */
  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }

  /**
   * The next raw 32-bit output, an integer in [0, 2^32).
   * @example
   * const rng = new Rng(1);
   * const word = rng.nextUint32();
   */
  nextUint32(): number {
    const s0 = this.s0;
    const s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    // result = rotl(s1 * 5, 7) * 9
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    this.s1 = s1 ^ s2;
    this.s0 = s0 ^ s3;
    this.s2 = s2 ^ t;
    this.s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  }

  /**
   * A uniform double in [0, 1) with 53 random bits (two 32-bit draws: the top
   * 27 bits of the first and the top 26 of the second), so every multiple of
   * 2^-53 in [0, 1) is equally likely.
   * @example
   * const rng = new Rng(3);
   * const u = rng.next(); // 0 <= u < 1
   */
  next(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 0x4000000 + low) / TWO_POW_53;
  }

  /**
   * A uniform double in [low, high) (default [0, 1)). If rounding of
   * `low + (high - low) * u` ever lands on `high`, it draws again.
   * @example
   * const rng = new Rng(3);
   * const angle = rng.uniform(0, 2 * Math.PI);
   */
  uniform(low = 0, high = 1): number {
    checkFinite(low, 'low');
    checkFinite(high, 'high');
    const width = high - low;
    if (!(width >= 0) || !Number.isFinite(width)) {
      throw new RangeError(
        `uniform(low, high): expected low <= high with a finite width, received low ${showNumber(low)}, high ${showNumber(high)}`,
      );
    }
    if (width === 0) return low;
    for (;;) {
      const r = low + width * this.next();
      if (r < high) return r;
    }
  }

  /**
   * A uniform integer in [low, high) (high excluded, like `uniform`), without
   * modulo bias: raw draws in the incomplete last block are rejected. Ranges up
   * to 2^32 wide take one 32-bit draw per try; wider ones (up to 2^53) take a
   * 53-bit draw.
   * @example
   * const rng = new Rng(5);
   * const die = rng.int(1, 7); // 1..6
   */
  int(low: number, high: number): number {
    checkInteger(low, 'low', Number.MIN_SAFE_INTEGER);
    checkInteger(high, 'high', Number.MIN_SAFE_INTEGER);
    const n = high - low;
    if (!(n >= 1)) {
      throw new RangeError(
        `int(low, high): expected low < high, received low ${showNumber(low)}, high ${showNumber(high)}`,
      );
    }
    // A width past 2^53 may round (-(2^53 - 1) to 2 gives 2^53, not 2^53 + 1), and then
    // some values could never be drawn: the width must be exact, so low + n lands on high.
    if (n > TWO_POW_53 || low + n !== high) {
      throw new RangeError(
        `int(low, high): expected a width high - low of at most 2^53, received low ${showNumber(low)}, high ${showNumber(high)} (width ${BigInt(high) - BigInt(low)})`,
      );
    }
    return low + this.below(n);
  }

  /** A uniform integer in [0, n) for an integer 1 <= n <= 2^53, unchecked. */
  private below(n: number): number {
    if (n <= TWO_POW_32) {
      // Accept u < limit, the largest multiple of n that fits in 2^32 draws.
      const limit = TWO_POW_32 - (TWO_POW_32 % n);
      for (;;) {
        const u = this.nextUint32();
        if (u < limit) return u % n;
      }
    }
    const limit = TWO_POW_53 - (TWO_POW_53 % n);
    for (;;) {
      const u = this.next() * TWO_POW_53; // an integer in [0, 2^53), exactly
      if (u < limit) return u % n;
    }
  }

  /**
   * A normal (Gaussian) draw by the Box–Muller transform:
   * z = sqrt(-2 ln u1) · cos(2π u2), with u1 in (0, 1] and u2 in [0, 1).
   * Two uniform draws per call (the sine partner is not cached, so the state
   * stays four words). Uses Math.log/cos, so it is bit-identical on a given
   * engine, not necessarily across engines.
   * @example
   * const rng = new Rng(9);
   * const height = rng.normal(170, 10);
   */
  normal(mean = 0, std = 1): number {
    checkFinite(mean, 'mean');
    checkFinite(std, 'std');
    if (std < 0) throw new RangeError(`std: expected a number >= 0, received ${showNumber(std)}`);
    return mean + std * this.standardNormal();
  }

  /**
   * A standard normal draw, N(0, 1): `normal(0, 1)` without the argument checks.
   * @example
   * const rng = new Rng(9);
   * const z = rng.standardNormal();
   */
  standardNormal(): number {
    const u1 = 1 - this.next();
    const u2 = this.next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /**
   * A shuffled copy of `array` (Fisher–Yates); the input is left as it was.
   * @example
   * const rng = new Rng(2);
   * const deck = rng.shuffle([1, 2, 3, 4]);
   */
  shuffle<T>(array: readonly T[]): T[] {
    checkArray(array, 'array');
    return this.shuffleInPlace(array.slice());
  }

  /**
   * Shuffles `array` in place (Fisher–Yates: for i from n-1 down to 1, swap
   * a[i] with a[j], j uniform in [0, i]) and returns it.
   * @example
   * const rng = new Rng(2);
   * const order = rng.shuffleInPlace([0, 1, 2, 3]);
   */
  shuffleInPlace<T>(array: T[]): T[] {
    checkArray(array, 'array');
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const tmp = array[i] as T;
      array[i] = array[j] as T;
      array[j] = tmp;
    }
    return array;
  }

  /**
   * A random ordering of 0, 1, ..., n-1: `shuffleInPlace` of the identity.
   * @example
   * const rng = new Rng(2);
   * const order = rng.permutation(10);
   */
  permutation(n: number): number[] {
    checkCount(n, 'n');
    const order = Array.from({ length: n }, (_, i) => i);
    return this.shuffleInPlace(order);
  }

  /**
   * One element of a non-empty array, each equally likely.
   * @example
   * const rng = new Rng(4);
   * const color = rng.choice(['red', 'green', 'blue']);
   */
  choice<T>(array: readonly T[]): T {
    checkArray(array, 'array');
    if (array.length === 0)
      throw new RangeError(
        'choice(array): expected a non-empty array, received an array of length 0',
      );
    return array[this.below(array.length)] as T;
  }

  /**
   * An independent generator for a separate purpose (shuffling, weight
   * initialization, ...), so that drawing from one does not shift the other.
   * The child's state is two SplitMix64 outputs of four draws of this
   * generator (which advances by those four draws): a fresh pseudo-random
   * point of the 2^128 - 1 cycle, so forks of forks do not line up with one
   * another (a jump-based fork would: the parent's and the child's own forks
   * would land on the same state). Forking is deterministic: the same sequence
   * of calls gives the same children.
   * @example
   * const rng = new Rng(42);
   * const shuffleRng = rng.fork();
   */
  fork(): Rng {
    const a = BigInt(this.nextUint32());
    const b = BigInt(this.nextUint32());
    const c = BigInt(this.nextUint32());
    const d = BigInt(this.nextUint32());
    const [, z1] = splitmix64((a << 32n) | b);
    const [, z2] = splitmix64((c << 32n) | d);
    const child = new Rng(0);
    child.s0 = Number(z1 & 0xffffffffn) | 0;
    child.s1 = Number(z1 >> 32n) | 0;
    child.s2 = Number(z2 & 0xffffffffn) | 0;
    child.s3 = Number(z2 >> 32n) | 0;
    // All four words zero would freeze the generator; SplitMix64 maps only one
    // input to 0, so this needs two specific inputs at once, but stay safe.
    if ((child.s0 | child.s1 | child.s2 | child.s3) === 0) child.s0 = 1;
    return child;
  }

  /**
   * Alias of `fork()`, the name used by JAX and by Java's SplittableRandom.
   * @example
   * const rng = new Rng(42);
   * const initRng = rng.split();
   */
  split(): Rng {
    return this.fork();
  }

  /**
   * An exact copy: the copy and this generator draw the same numbers.
   * @example
   * const rng = new Rng(1);
   * const twin = rng.clone();
   */
  clone(): Rng {
    const copy = new Rng(0);
    copy.s0 = this.s0;
    copy.s1 = this.s1;
    copy.s2 = this.s2;
    copy.s3 = this.s3;
    return copy;
  }

  /**
   * Advances the state by 2^64 draws (the reference `jump()`); returns this.
   * Copies of one generator, each jumped a different number of times, give
   * non-overlapping streams of 2^64 draws.
   * @example
   * const rng = new Rng(1);
   * rng.jump();
   */
  jump(): this {
    this.applyJump(JUMP);
    return this;
  }

  /**
   * Advances the state by 2^96 draws (the reference `long_jump()`); returns this.
   * @example
   * const rng = new Rng(1);
   * rng.longJump();
   */
  longJump(): this {
    this.applyJump(LONG_JUMP);
    return this;
  }

  private applyJump(poly: readonly number[]): void {
    let a = 0;
    let b = 0;
    let c = 0;
    let d = 0;
    for (const word of poly) {
      for (let bit = 0; bit < 32; bit++) {
        if ((word >>> bit) & 1) {
          a ^= this.s0;
          b ^= this.s1;
          c ^= this.s2;
          d ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = a;
    this.s1 = b;
    this.s2 = c;
    this.s3 = d;
  }

  /**
   * A plain `() => number` in [0, 1) that draws from this generator, for
   * libraries that take a random source (such as `@ag/nn`).
   * @example
   * const rng = new Rng(42);
   * const random = rng.toFunction(); // random() draws from rng: seeded, in [0, 1)
   */
  toFunction(): () => number {
    return () => this.next();
  }

  /**
   * The complete state as plain JSON.
   * @example
   * const saved = JSON.stringify(rng.getState());
   * const resumed = Rng.fromState(JSON.parse(saved));
   */
  getState(): RngState {
    return {
      algorithm: 'xoshiro128**',
      state: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
    };
  }

  /**
   * Restores a state from `getState()`. It is checked first; on error nothing changes.
   * @example
   * const saved = rng.getState();
   * rng.next(); rng.setState(saved); // the same draw again
   */
  setState(state: RngState): void {
    if (typeof state !== 'object' || state === null) {
      throw new TypeError(`state: expected an object from getState(), received ${describe(state)}`);
    }
    const { algorithm, state: words } = state as { algorithm?: unknown; state?: unknown };
    if (algorithm !== 'xoshiro128**') {
      throw new RangeError(
        `state.algorithm: expected 'xoshiro128**', received ${describe(algorithm)}`,
      );
    }
    if (!Array.isArray(words) || words.length !== 4) {
      throw new TypeError(
        `state.state: expected an array of 4 integers, received ${describe(words)}`,
      );
    }
    checkDense(words, 'state.state');
    (words as unknown[]).forEach((w, i) => {
      checkInteger(w, `state.state[${i}]`, 0, TWO_POW_32 - 1);
    });
    const [a, b, c, d] = words as [number, number, number, number];
    if (a === 0 && b === 0 && c === 0 && d === 0) {
      throw new RangeError(
        'state.state: expected not all zero (xoshiro would output only zeros), received [0, 0, 0, 0]',
      );
    }
    this.s0 = a | 0;
    this.s1 = b | 0;
    this.s2 = c | 0;
    this.s3 = d | 0;
  }
}

function checkArray(value: unknown, name: string): asserts value is unknown[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`${name}: expected an array, received ${describe(value)}`);
  }
  checkDense(value, name);
}

/**
 * The generator a `seed` option stands for: an `Rng` is used as given (and
 * advanced), a number or string seeds a new one.
 */
export function toRng(name: string, seed: Seed | Rng | undefined): Rng {
  if (seed instanceof Rng) return seed;
  if (seed === undefined) return new Rng(0);
  checkSeed(seed, name);
  return new Rng(seed);
}
