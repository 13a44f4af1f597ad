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

/** Pushes a node not yet entered. */
function push(stack: Value[], node: Value): void {
  if ((node._f & VISITED) === 0) stack.push(node);
}

export function nodesBelow(root: Value): Value[] {
  const order: Value[] = [];
  const stack: Value[] = [root];
  try {
    while (stack.length > 0) {
      const node = stack[stack.length - 1] as Value;
      const f = node._f;
      if ((f & VISITED) === 0) {
        node._f = f | VISITED;
        // Operands pushed last to first, so the first is entered first
        // (operandsOf's order: dot's w₀, x₀, w₁, x₁, …, bias).
        const a = node._a;
        const b = node._b;
        if (Array.isArray(b)) {
          const ws = a as readonly Value[];
          const xs = b as readonly Value[];
          const n = xs.length;
          if (ws.length > n) push(stack, ws[n] as Value);
          for (let i = n - 1; i >= 0; i--) {
            push(stack, xs[i] as Value);
            push(stack, ws[i] as Value);
          }
        } else if (Array.isArray(a)) {
          const list = a as readonly Value[];
          for (let i = list.length - 1; i >= 0; i--) push(stack, list[i] as Value);
        } else {
          if (b !== null) push(stack, b as Value);
          if (a !== null) push(stack, a as Value);
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
