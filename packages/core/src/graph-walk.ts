/**
 * Every node reachable from a root, operands before the nodes made from them:
 * the forward order that graph export and the graph compiler walk. Iterative,
 * so any depth works. Like the backward sort, it marks nodes with the VISITED
 * and ORDERED bits of `_f` rather than keeping Sets (compile walks its graph
 * three times, and Set lookups were most of that), and clears them before it
 * returns.
 */
import { ORDERED, VISITED } from './flags.js';
import type { Value } from './value.js';

const MARKS = VISITED | ORDERED;

export function nodesBelow(root: Value): Value[] {
  const order: Value[] = [];
  const stack: Value[] = [root];
  try {
    while (stack.length > 0) {
      const node = stack[stack.length - 1] as Value;
      const f = node._f;
      if ((f & VISITED) === 0) {
        node._f = f | VISITED;
        // Operands pushed last to first, so the first is entered first.
        const b = node._b;
        if (b !== null && (b._f & VISITED) === 0) stack.push(b);
        const a = node._a;
        if (Array.isArray(a)) {
          const list = a as readonly Value[];
          for (let i = list.length - 1; i >= 0; i--) {
            const operand = list[i] as Value;
            if ((operand._f & VISITED) === 0) stack.push(operand);
          }
        } else if (a !== null && ((a as Value)._f & VISITED) === 0) {
          stack.push(a as Value);
        }
      } else {
        stack.pop();
        if ((f & ORDERED) === 0) {
          node._f = f | ORDERED;
          order.push(node);
        }
      }
    }
  } finally {
    // Entered nodes are all placed by the end; after a throw (out of memory)
    // the stack still holds some.
    for (let i = 0; i < order.length; i++) (order[i] as Value)._f &= ~MARKS;
    for (let i = 0; i < stack.length; i++) (stack[i] as Value)._f &= ~MARKS;
  }
  return order;
}
