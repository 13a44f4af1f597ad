import { describe, expect, it } from 'vitest';
import { detectAnomaly } from './grad-mode.js';
import { dot, sum } from './nary.js';
import { Value } from './value.js';

/** Writes a non-number where TypeScript allows only numbers, as plain JavaScript can. */
function poke(v: Value, field: 'data' | 'grad', x: unknown): void {
  (v as unknown as Record<string, unknown>)[field] = x;
}

// Issue 18: `v.grad = '1'` made backward concatenate strings. data and grad stay
// plain fields (see the README's "data and grad"); backward checks the nodes
// it gives a gradient to.
describe('backward meets a non-number', () => {
  it("a string in a leaf's grad: a TypeError naming the leaf, not a concatenation", () => {
    const w = new Value(2, { label: 'w' });
    poke(w, 'grad', '1');
    expect(() => w.mul(3).backward()).toThrow(TypeError);
    expect(() => w.mul(3).backward()).toThrow(
      /backward\(\): the grad of a leaf \('w'\) is not a number: string "1"/,
    );
    expect(w.grad).toBe('1'); // nothing was added to it
  });

  it('the same in anomaly mode', () => {
    const w = new Value(2, { label: 'w' });
    poke(w, 'grad', '1');
    expect(() => detectAnomaly(() => w.mul(3).backward())).toThrow(/grad of a leaf \('w'\)/);
    expect(w.grad).toBe('1');
  });

  it('a leaf reached only through a sum or a dot of leaves (lists the sort does not walk)', () => {
    const a = new Value(1);
    const b = new Value(2, { label: 'b' });
    poke(b, 'grad', '0');
    expect(() => sum([a, b]).backward()).toThrow(/grad of a leaf \('b'\) is not a number/);
    expect(() => dot([a, b], [3, 4]).backward()).toThrow(/grad of a leaf \('b'\)/);
    expect(() => dot([3, 4], [a, a], b).backward()).toThrow(/grad of a leaf \('b'\)/);
  });

  it('a leaf beside a node made by an op, in a sum or in either list of a dot', () => {
    const a = new Value(1);
    const h = a.mul(2);
    const b = new Value(2, { label: 'b' });
    poke(b, 'grad', '0');
    expect(() => sum([h, b]).backward()).toThrow(/grad of a leaf \('b'\)/);
    expect(() => dot([h, b], [3, 4]).backward()).toThrow(/grad of a leaf \('b'\)/);
    expect(() => dot([3, 4], [h, b]).backward()).toThrow(/grad of a leaf \('b'\)/);
    expect(b.grad).toBe('0');
  });

  it("a string written to a leaf's data after the forward", () => {
    const w = new Value(2, { label: 'w' });
    const y = w.mul(w);
    poke(w, 'data', 'x');
    expect(() => y.backward()).toThrow(
      /backward\(\): the data of a leaf \('w'\) is not a number: string "x"/,
    );
    expect(w.grad).toBe(0);
  });

  it('a leaf root with a string grad', () => {
    const w = new Value(2);
    poke(w, 'grad', '1');
    expect(() => w.backward()).toThrow(TypeError);
    expect(w.grad).toBe('1');
  });

  it('a graph half a million nodes deep checks its leaves first, and clears its marks', () => {
    const w = new Value(1, { label: 'w' });
    let v = w;
    for (let i = 0; i < 530_000; i++) v = v.add(1);
    poke(w, 'grad', '1');
    expect(() => v.backward()).toThrow(/grad of a leaf \('w'\)/);
    w.grad = 0.5;
    v.backward(); // and the marks were cleared: the next pass is right
    expect(w.grad).toBe(1.5);
  }, 60_000);
});
