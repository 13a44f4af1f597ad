/**
 * The cache of generated sources: an equal tape reuses its source, and a tape
 * that differs in anything the source is written from gets its own.
 */
import { describe, expect, it } from 'vitest';
import { Value } from '../value.js';
import { compile, record } from './compile.js';
import { layoutOf } from './inputs.js';
import { cachedSource } from './source-cache.js';

/** The tape of w·x + c over input x, for a constant c and a weight w of its own. */
function tapeOf(c: number, rg = true) {
  const w = new Value(0.5, { requiresGrad: rg });
  const layout = layoutOf({ x: 2 }, 't');
  const tape = record(
    ({ x }) => w.mul(x as Value).add(c),
    layout,
    rg ? [] : [w],
    (i) => layout.examples[i] as number,
    't',
  );
  return { tape, layout };
}

/** Asks the cache for a tape's source and says whether it had to be written. */
function written(t: ReturnType<typeof tapeOf>, style = 'auto'): boolean {
  let wrote = false;
  cachedSource(t.tape, t.layout, style, () => {
    wrote = true;
    return `source of ${Math.random()}`;
  });
  return wrote;
}

describe('the source cache', () => {
  it('gives an equal tape the source written for the first', () => {
    // A constant no other test uses, so the first lookup writes.
    expect(written(tapeOf(0.123456789))).toBe(true);
    expect(written(tapeOf(0.123456789))).toBe(false);
  });

  it('writes anew for another constant, −0 against 0, another style, or a leaf that needs no gradient', () => {
    expect(written(tapeOf(0.987654321))).toBe(true);
    expect(written(tapeOf(0.987654322))).toBe(true);
    written(tapeOf(0)); // now cached, if it was not
    expect(written(tapeOf(-0))).toBe(true);
    expect(written(tapeOf(0.987654321), 'arrays')).toBe(true);
    expect(written(tapeOf(0.987654321, false))).toBe(true);
  });

  it('tells apart tapes whose hashes collide', () => {
    const collide = (): number => 7;
    const source = (c: number) => {
      const t = tapeOf(c);
      return cachedSource(t.tape, t.layout, 'auto', () => `source for ${c}`, collide);
    };
    expect(source(1.5)).toBe('source for 1.5');
    expect(source(2.5)).toBe('source for 2.5'); // same hash, another tape: written
    expect(source(2.5)).toBe('source for 2.5');
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
