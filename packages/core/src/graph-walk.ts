/**
 * Every node reachable from a root, operands before the nodes made from them:
 * the forward order that graph export and the graph compiler walk. Iterative,
 * so any depth works; Sets are fine here, off the training hot path.
 */
import { operandsOf, type Value } from './value.js';

export function nodesBelow(root: Value): Value[] {
  const placed = new Set<Value>();
  const entered = new Set<Value>();
  const order: Value[] = [];
  const stack: Value[] = [root];
  while (stack.length > 0) {
    const node = stack[stack.length - 1] as Value;
    if (!entered.has(node)) {
      entered.add(node);
      const operands = operandsOf(node);
      for (let i = operands.length - 1; i >= 0; i--) {
        const operand = operands[i] as Value;
        if (!entered.has(operand)) stack.push(operand);
      }
    } else {
      stack.pop();
      if (!placed.has(node)) {
        placed.add(node);
        order.push(node);
      }
    }
  }
  return order;
}
