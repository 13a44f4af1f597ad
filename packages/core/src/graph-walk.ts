/**
 * Every node reachable from a root, operands before the nodes made from them:
 * the forward order that graph export and the graph compiler walk. Iterative,
 * so any depth works. Like the backward sort, it marks nodes with the VISITED
 * and ORDERED bits of `_f` rather than keeping Sets (compile walks its graph
 * three times, and Set lookups were most of that), and clears them before it
 * returns. A frozen Value cannot be marked: it is tracked in a Map instead.
 */
import { ORDERED, VISITED } from './flags.js';
import type { Value } from './value.js';

const MARKS = VISITED | ORDERED;

export function nodesBelow(root: Value): Value[] {
  const order: Value[] = [];
  const stack: Value[] = [root];
  // Frozen nodes (rare): VISITED or MARKS as the bits would be.
  let frozen: Map<Value, number> | null = null;
  const marksOf = (node: Value): number => {
    const bits = node._f & MARKS;
    return bits === 0 && frozen !== null ? (frozen.get(node) ?? 0) : bits;
  };
  const mark = (node: Value, bits: number): void => {
    try {
      node._f = (node._f & ~MARKS) | bits;
    } catch {
      // Assigning to a frozen object throws in strict code.
      (frozen ??= new Map()).set(node, bits);
    }
  };
  const push = (node: Value): void => {
    if ((node._f & VISITED) === 0 && (frozen === null || !frozen.has(node))) stack.push(node);
  };
  try {
    while (stack.length > 0) {
      const node = stack[stack.length - 1] as Value;
      const marks = marksOf(node);
      if ((marks & VISITED) === 0) {
        mark(node, VISITED);
        // Operands pushed last to first, so the first is entered first
        // (operandsOf's order: dot's w₀, x₀, w₁, x₁, …, bias).
        const a = node._a;
        const b = node._b;
        if (Array.isArray(b)) {
          const ws = a as readonly Value[];
          const xs = b as readonly Value[];
          const n = xs.length;
          if (ws.length > n) push(ws[n] as Value);
          for (let i = n - 1; i >= 0; i--) {
            push(xs[i] as Value);
            push(ws[i] as Value);
          }
        } else if (Array.isArray(a)) {
          const list = a as readonly Value[];
          for (let i = list.length - 1; i >= 0; i--) push(list[i] as Value);
        } else {
          if (b !== null) push(b as Value);
          if (a !== null) push(a as Value);
        }
      } else {
        stack.pop();
        if ((marks & ORDERED) === 0) {
          mark(node, MARKS);
          order.push(node);
        }
      }
    }
  } finally {
    // Entered nodes are all placed by the end; after a throw (out of memory)
    // the stack still holds some. Frozen nodes carry no bits to clear.
    clearMarks(order);
    clearMarks(stack);
  }
  return order;
}

function clearMarks(nodes: readonly Value[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as Value;
    if (node._f & MARKS) node._f &= ~MARKS;
  }
}
