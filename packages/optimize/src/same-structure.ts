/**
 * Whether two recordings of the same function, made at different parameter
 * values, built the same graph: node for node the same op, the same operands
 * in the same places, the same parameter at each parameter leaf and the same
 * number at every other leaf. A function that branched on a parameter's
 * `.data`, or turned it into a plain number, differs between a recording at
 * the start point and one at NaN or at values of the other sign (the probes
 * `compile` itself uses), and cannot be replayed from one recording.
 */
import type { Value } from '@ag/core';

export function sameStructure(
  a: readonly (Value | number)[],
  b: readonly (Value | number)[],
  paramsA: readonly Value[],
  paramsB: readonly Value[],
): boolean {
  if (a.length !== b.length) return false;
  const paramIndex = new Map<Value, number>();
  paramsA.forEach((p, i) => paramIndex.set(p, i));
  paramsB.forEach((p, i) => paramIndex.set(p, i));
  const pairedWith = new Map<Value, Value>();
  const stack: [Value, Value][] = [];
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (typeof x === 'number' || typeof y === 'number') {
      if (typeof x === 'number' && typeof y === 'number' && Object.is(x, y)) continue;
      return false;
    }
    stack.push([x as Value, y as Value]);
  }
  // Iterative, so that a graph of any depth is walked.
  while (stack.length > 0) {
    const [x, y] = stack.pop() as [Value, Value];
    const seen = pairedWith.get(x);
    if (seen !== undefined) {
      if (seen !== y) return false;
      continue;
    }
    pairedWith.set(x, y);
    if (x.op !== y.op) return false;
    if (x.isLeaf) {
      const i = paramIndex.get(x);
      const j = paramIndex.get(y);
      if (i !== j) return false;
      if (i === undefined && !Object.is(x.data, y.data)) return false;
      continue;
    }
    const xs = x.operands;
    const ys = y.operands;
    if (xs.length !== ys.length) return false;
    for (let k = 0; k < xs.length; k++) stack.push([xs[k] as Value, ys[k] as Value]);
  }
  return true;
}
