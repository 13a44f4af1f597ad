/**
 * Turning a user's seed (a number or a string) into a generator's starting
 * state. The seed is reduced to 64 bits, then expanded with SplitMix64, whose
 * output function is a strong bijective mixer: seeds 0, 1, 2, ... land on
 * unrelated, never all-zero states. BigInt is fine here: this runs once per
 * generator, never per draw.
 */
import { describe, showNumber } from './checks.js';

/** A seed: a finite number, or a string (hashed with 64-bit FNV-1a of its UTF-8). */
export type Seed = number | string;

const MASK64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;

/**
 * One step of SplitMix64 (Steele, Lea and Flood 2014; Vigna's `splitmix64.c`):
 * state += 0x9e3779b97f4a7c15, then the output is the mixed state.
 * Returns the new state and the output.
 */
export function splitmix64(state: bigint): [state: bigint, output: bigint] {
  const next = (state + GOLDEN_GAMMA) & MASK64;
  let z = next;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [next, z ^ (z >> 31n)];
}

/** 64-bit FNV-1a over the UTF-8 bytes of a string: the same string seeds the same state anywhere. */
export function fnv1a64(text: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & MASK64;
  }
  return hash;
}

/**
 * The 64 bits a seed stands for. A safe integer is taken modulo 2^64 (so -1 is
 * 2^64 - 1); any other finite number by its IEEE-754 bit pattern; a string by
 * its FNV-1a hash.
 */
export function seedBits(seed: Seed): bigint {
  if (typeof seed === 'string') return fnv1a64(seed);
  if (Number.isSafeInteger(seed)) return BigInt.asUintN(64, BigInt(seed));
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, seed);
  return view.getBigUint64(0);
}

/** Throws unless `value` is a finite number or a string. */
export function checkSeed(value: unknown, name: string): asserts value is Seed {
  if (typeof value === 'string') return;
  if (typeof value !== 'number') {
    throw new TypeError(
      `${name}: expected a finite number or a string, received ${describe(value)}`,
    );
  }
  if (!Number.isFinite(value)) {
    throw new RangeError(
      `${name}: expected a finite number or a string, received ${showNumber(value)}`,
    );
  }
}

/**
 * Four 32-bit words of starting state: two SplitMix64 outputs from the seed's
 * 64 bits, low word first. This is how the Rust `rand_xoshiro` crate's
 * `Xoshiro128StarStar::seed_from_u64` fills its state. Two consecutive outputs
 * come from distinct inputs of a bijection, so they are never both zero.
 */
export function seedState(seed: Seed): [number, number, number, number] {
  const [s1, a] = splitmix64(seedBits(seed));
  const [, b] = splitmix64(s1);
  return [Number(a & 0xffffffffn), Number(a >> 32n), Number(b & 0xffffffffn), Number(b >> 32n)];
}
