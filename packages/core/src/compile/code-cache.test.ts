/**
 * The cache of generated code: an equal tape reuses its code, and a tape
 * that differs in anything the source is written from gets its own. Each test
 * has a cache of its own, so no made-up source reaches compile's.
 */
import { describe, expect, it } from 'vitest';
import { Value } from '../value.js';
import { compile, record } from './compile.js';
import { layoutOf, type InputSpec } from './inputs.js';
import { CodeCache, type Code } from './code-cache.js';
import type { Tape } from './tape.js';

interface Recorded {
  tape: Tape;
  layout: ReturnType<typeof layoutOf>;
}

/** The tape of `fn` over a weight of its own and the input x, laid out as `inputs` says. */
function recorded(
  fn: (w: Value, x: Value) => Value,
  inputs: InputSpec = { x: 2 },
  rg = true,
): Recorded {
  const w = new Value(0.5, { requiresGrad: rg });
  const layout = layoutOf(inputs, 't');
  const tape = record(
    ({ x }) => fn(w, Array.isArray(x) ? (x[0] as Value) : (x as Value)),
    layout,
    rg ? [] : [w],
    (i) => layout.examples[i] as number,
    't',
  );
  return { tape, layout };
}

const affine = (c: number) => (w: Value, x: Value) => w.mul(x).add(c);

/** Asks `cache` for a source and says whether it had to be written. */
function written(cache: CodeCache<Code>, r: Recorded, style = 'auto'): boolean {
  let wrote = false;
  cache.get(r.tape, r.layout, style, () => {
    wrote = true;
    return { source: 'a source' };
  });
  return wrote;
}

describe('the code cache', () => {
  it('gives an equal tape the source written for the first', () => {
    const cache = new CodeCache<Code>();
    expect(written(cache, recorded(affine(0.25)))).toBe(true);
    expect(written(cache, recorded(affine(0.25)))).toBe(false);
    expect(cache.size).toBe(1);
  });

  it('writes anew for anything the source is written from', () => {
    const cache = new CodeCache<Code>();
    written(cache, recorded(affine(0)));
    expect(written(cache, recorded(affine(0.5)))).toBe(true); // a constant
    expect(written(cache, recorded(affine(-0)))).toBe(true); // −0 is not 0
    expect(written(cache, recorded(affine(0)), 'arrays')).toBe(true); // the style
    expect(written(cache, recorded(affine(0), { x: 2 }, false))).toBe(true); // a leaf needs no gradient
    expect(
      written(
        cache,
        recorded((w, x) => w.add(x).add(0)),
      ),
    ).toBe(true); // an op, the same constants
    expect(written(cache, recorded(affine(0), { x: [2] }))).toBe(true); // a vector input of one: the same tape
    expect(written(cache, recorded(affine(0)))).toBe(false);
  });

  it('tells apart tapes whose hashes collide', () => {
    const cache = new CodeCache<Code>(undefined, () => 7);
    const source = (c: number) => {
      const r = recorded(affine(c));
      return cache.get(r.tape, r.layout, 'auto', () => ({ source: `source for ${c}` })).source;
    };
    expect(source(1.5)).toBe('source for 1.5');
    expect(source(2.5)).toBe('source for 2.5'); // the same hash, another tape: written
    expect(source(2.5)).toBe('source for 2.5');
    expect(cache.size).toBe(1); // the newer took the older's place
    // The same tape over another layout: equal arrays, another head.
    const vector = recorded(affine(2.5), { x: [2] });
    expect(
      cache.get(vector.tape, vector.layout, 'auto', () => ({ source: 'vector source' })).source,
    ).toBe('vector source');
  });

  it('keeps at most so many entries and characters, the least recently used going first', () => {
    const byCount = new CodeCache<Code>({ entries: 2, numbers: 1 << 20, chars: 1 << 20 });
    const [a, b, c] = [1, 2, 3].map((k) => recorded(affine(k))) as [Recorded, Recorded, Recorded];
    written(byCount, a);
    written(byCount, b);
    written(byCount, a); // a is now the most recently used
    written(byCount, c); // b goes
    expect(byCount.size).toBe(2);
    expect(written(byCount, a)).toBe(false);
    expect(written(byCount, b)).toBe(true);

    const byChars = new CodeCache<Code>({ entries: 32, numbers: 1 << 20, chars: 40 });
    const put = (r: Recorded, chars: number) =>
      byChars.get(r.tape, r.layout, 'auto', () => ({ source: 'x'.repeat(chars) }));
    put(a, 11); // over a quarter of the characters: not kept
    expect(byChars.size).toBe(0);
    put(a, 10);
    put(b, 10);
    put(c, 10);
    expect(byChars.size).toBe(3);
    put(recorded(affine(4)), 10);
    put(recorded(affine(5)), 10); // 50 characters: the oldest goes
    expect(byChars.size).toBe(4);
  });

  it("counts the numbers the code holds itself (the passes' slots) against the limit", () => {
    const r = recorded(affine(1));
    const tapeNumbers = 8 * r.tape.op.length; // at least the tape's own arrays
    const cache = new CodeCache<Code>({
      entries: 32,
      numbers: 4 * (tapeNumbers + 100),
      chars: 1 << 20,
    });
    cache.get(r.tape, r.layout, 'auto', () => ({ source: 's', numbers: 4 * (tapeNumbers + 100) }));
    expect(cache.size).toBe(0); // the code alone is the whole limit: not kept
    cache.get(r.tape, r.layout, 'auto', () => ({ source: 's', numbers: 0 }));
    expect(cache.size).toBe(1);
  });

  it('never lets two compiled graphs that differ in a constant share their code', () => {
    const w = new Value(3);
    const f1 = compile(({ x }) => w.mul(x).add(0.25), { inputs: ['x'], mode: 'codegen' });
    const f2 = compile(({ x }) => w.mul(x).add(0.75), { inputs: ['x'], mode: 'codegen' });
    const f3 = compile(({ x }) => w.mul(x).add(0.25), { inputs: ['x'], mode: 'codegen' });
    expect(f1.run({ x: 2 })).toBe(6.25);
    expect(f2.run({ x: 2 })).toBe(6.75);
    expect(f3.run({ x: 2 })).toBe(6.25);
  });
});
