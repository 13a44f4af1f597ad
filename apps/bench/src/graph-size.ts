/** Counting the nodes of an eager graph, for the memory figures. */
import type { Value } from '@ag/core';

/**
 * The number of distinct nodes reachable from `root` (the root included),
 * leaving out `existing` (for example the parameters, which outlive a step).
 * Iterative, so any depth works.
 *
 * @example
 * countNodes(x.mul(y).add(x), new Set([x, y])); // 2
 */
export function countNodes(root: Value, existing: ReadonlySet<Value> = new Set()): number {
  const seen = new Set<Value>([root]);
  const stack: Value[] = [root];
  let n = 0;
  while (stack.length > 0) {
    const node = stack.pop() as Value;
    if (!existing.has(node)) n++;
    for (const operand of node.operands) {
      if (!seen.has(operand)) {
        seen.add(operand);
        stack.push(operand);
      }
    }
  }
  return n;
}
