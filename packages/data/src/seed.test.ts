import { describe, expect, it } from 'vitest';
import { checkSeed, fnv1a64, seedBits, seedState, splitmix64 } from './seed.js';

describe('splitmix64', () => {
  it('matches the reference implementation splitmix64.c', () => {
    // Published vectors: the Rust rand_xoshiro crate's `splitmix64.rs` test
    // `reference`, "produced with the reference implementation
    // http://xoshiro.di.unimi.it/splitmix64.c" (seed 1477776061723855037).
    const expected = [
      1985237415132408290n,
      2979275885539914483n,
      13511426838097143398n,
      8488337342461049707n,
      15141737807933549159n,
      17093170987380407015n,
      16389528042912955399n,
      13177319091862933652n,
      10841969400225389492n,
      17094824097954834098n,
    ];
    let state = 1477776061723855037n;
    for (const e of expected) {
      const [next, out] = splitmix64(state);
      state = next;
      expect(out).toBe(e);
    }
  });
});

describe('fnv1a64', () => {
  it('matches the published FNV-1a 64-bit vectors', () => {
    // Standard FNV-1a 64 test values (offset basis for "", and e.g. Go's hash/fnv golden64a).
    expect(fnv1a64('')).toBe(0xcbf29ce484222325n);
    expect(fnv1a64('a')).toBe(0xaf63dc4c8601ec8cn);
    expect(fnv1a64('ab')).toBe(0x089c4407b545986an);
    expect(fnv1a64('abc')).toBe(0xe71fa2190541574bn);
  });

  it('hashes UTF-8 bytes, not UTF-16 code units', () => {
    // "é" is the two UTF-8 bytes C3 A9: fold them by hand.
    const prime = 0x100000001b3n;
    const mask = (1n << 64n) - 1n;
    let h = 0xcbf29ce484222325n;
    h = ((h ^ 0xc3n) * prime) & mask;
    h = ((h ^ 0xa9n) * prime) & mask;
    expect(fnv1a64('é')).toBe(h);
  });
});

describe('seedBits', () => {
  it('takes safe integers modulo 2^64', () => {
    expect(seedBits(0)).toBe(0n);
    expect(seedBits(42)).toBe(42n);
    expect(seedBits(-1)).toBe(2n ** 64n - 1n);
    expect(seedBits(-0)).toBe(0n);
  });

  it('takes other numbers by their IEEE-754 bits', () => {
    expect(seedBits(0.5)).toBe(0x3fe0000000000000n);
    expect(seedBits(2 ** 60)).toBe(0x43b0000000000000n);
  });
});

describe('seedState', () => {
  it('is two SplitMix64 outputs of the seed bits, low word first', () => {
    // Written out from the definition: z1 = mix(seed + g), z2 = mix(seed + 2g).
    const [, z1] = splitmix64(7n);
    const [, z2] = splitmix64((7n + 0x9e3779b97f4a7c15n) % 2n ** 64n);
    const words = [z1 % 2n ** 32n, z1 >> 32n, z2 % 2n ** 32n, z2 >> 32n].map(Number);
    expect(seedState(7)).toEqual(words);
  });

  it('gives unrelated states for consecutive seeds', () => {
    const states = [0, 1, 2, 3].map(seedState);
    for (let i = 0; i < states.length; i++) {
      for (let j = i + 1; j < states.length; j++) {
        // Count differing bits over the 128-bit states: unrelated states differ in about 64.
        let diff = 0;
        for (let k = 0; k < 4; k++) {
          let x = (states[i]![k]! ^ states[j]![k]!) >>> 0;
          while (x) {
            diff += x & 1;
            x >>>= 1;
          }
        }
        expect(diff).toBeGreaterThan(40);
        expect(diff).toBeLessThan(88);
      }
    }
  });
});

describe('checkSeed', () => {
  it('accepts finite numbers and strings', () => {
    expect(() => checkSeed(0, 'seed')).not.toThrow();
    expect(() => checkSeed(-3.5, 'seed')).not.toThrow();
    expect(() => checkSeed('', 'seed')).not.toThrow();
  });

  it('rejects the rest, naming the argument and the value', () => {
    expect(() => checkSeed(NaN, 'seed')).toThrow(RangeError);
    expect(() => checkSeed(Infinity, 'seed')).toThrow(/seed: .*received Infinity/);
    expect(() => checkSeed(null, 'options.seed')).toThrow(TypeError);
    expect(() => checkSeed({}, 'options.seed')).toThrow(/options\.seed: .*received an object/);
    expect(() => checkSeed(1n, 'seed')).toThrow(/received bigint 1/);
  });
});
