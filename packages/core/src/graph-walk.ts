/**
 * Every node reachable from a root, operands before the nodes made from them:
 * the forward order that graph export and the graph compiler walk. Iterative,
 * so any depth works. Like the backward sort, it marks nodes with the VISITED
 * and ORDERED bits of `_f` rather than keeping Sets (Set lookups were
 * most of compile's walks), and clears them before it
 * returns. A frozen Value cannot be marked: meeting one, the walk starts over
 * with Sets.
 */
import { OP_MASK, ORDERED, VISITED } from './flags.js';
import { DOT, FIRST_NARY } from './ops.js';
import { operandsOf, type Value } from './value.js';

const MARKS = VISITED | ORDERED;

export function nodesBelow(root: Value): Value[] {
  try {
    return walk(root);
  } catch (error) {
    // Assigning to a frozen object throws a TypeError in strict code; walk has
    // cleared its marks.
    if (error instanceof TypeError) return walkWithSets(root);
    throw error;
  }
}

/**
 * The walk, with every node's marks in its `_f` and the dispatch on op codes
 * of the backward sort. Operands are pushed last to first, so the first is
 * entered first (operandsOf's order: dot's w₀, x₀, w₁, x₁, …, bias).
 */
// Longer than ~60 lines: the iterative walk with its mark bits, in one loop as in backward.ts (no recursion, no per-node helper calls).
function walk(root: Value): Value[] {
  const order: Value[] = [];
  const stack: Value[] = [root];
  let top = 1;
  try {
    while (top > 0) {
      const node = stack[top - 1] as Value;
      const f = node._f;
      if ((f & VISITED) === 0) {
        node._f = f | VISITED;
        const code = f & OP_MASK;
        if (code === 0) continue; // a leaf
        if (code < FIRST_NARY) {
          const b = node._b as Value | null;
          if (b !== null && (b._f & VISITED) === 0) stack[top++] = b;
          const a = node._a as Value;
          if ((a._f & VISITED) === 0) stack[top++] = a;
        } else if (code === DOT.code) {
          const ws = node._a as readonly Value[];
          const xs = node._b as readonly Value[];
          const n = xs.length;
          if (ws.length > n && ((ws[n] as Value)._f & VISITED) === 0) stack[top++] = ws[n] as Value;
          for (let i = n - 1; i >= 0; i--) {
            const x = xs[i] as Value;
            if ((x._f & VISITED) === 0) stack[top++] = x;
            const w = ws[i] as Value;
            if ((w._f & VISITED) === 0) stack[top++] = w;
          }
        } else {
          const list = node._a as readonly Value[];
          for (let i = list.length - 1; i >= 0; i--) {
            const c = list[i] as Value;
            if ((c._f & VISITED) === 0) stack[top++] = c;
          }
        }
      } else {
        // The node leaves the stack only once it is in the order: whatever
        // throws on the way, one of the two lists holds it for the cleanup.
        if ((f & ORDERED) === 0) {
          order.push(node);
          node._f = f | ORDERED;
        }
        top--;
      }
    }
  } finally {
    // Entered nodes are all placed by the end; after a throw the stack still
    // holds some.
    clearMarks(order);
    for (let i = 0; i < top; i++) {
      const node = stack[i] as Value;
      if (node._f & MARKS) node._f &= ~MARKS;
    }
  }
  return order;
}

/**
 * The same walk for a graph holding a frozen node, which cannot be marked:
 * Sets of the nodes entered and placed instead of marks. Slower, and rare.
 */
function walkWithSets(root: Value): Value[] {
  const entered = new Set<Value>();
  const placed = new Set<Value>();
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

function clearMarks(nodes: readonly Value[]): void {
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i] as Value;
    if (node._f & MARKS) node._f &= ~MARKS;
  }
}
