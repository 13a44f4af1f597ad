/**
 * The backward pass: order the nodes that need a gradient so that every node
 * comes after all the nodes computed from it, then run each op's backward rule
 * once, from the root down. No recursion (a graph a million nodes deep works)
 * and no Set: a node's VISITED and ORDERED bits mark it, and are cleared again
 * as the pass goes.
 */
import { OP_MASK, ORDERED, REQUIRES_GRAD as RG, TRACED, VISITED } from './flags.js';
import { AnomalyError, anomalyEnabled } from './grad-mode.js';
import { BACKWARD } from './eager-rules.js';
import { DOT, FIRST_NARY, OPS, type Op } from './ops.js';
import { describe } from './describe.js';
import { operandsOf, type Value } from './value.js';

const MARKS = VISITED | ORDERED;

// Reused across calls so a small graph's backward allocates nothing; each slot
// is emptied as it is consumed so no graph is kept alive, and arrays grown past
// KEEP by a huge graph are let go.
const stack: (Value | undefined)[] = [];
const order: (Value | undefined)[] = [];
const KEEP = 1 << 16;

/**
 * The first leaf met by the sort whose grad or data is not a number (a string
 * written to it would make += concatenate); runBackward throws on it before
 * any rule runs. Checked where the sort reads the leaf's flags anyway.
 */
let badLeaf: Value | null = null;

/**
 * A leaf that will receive a gradient and holds a non-number. A compile
 * input (TRACED) is skipped: its number is hidden while fn is recorded, and
 * `gradients()` inside fn walks it.
 */
function isBadLeaf(x: Value): boolean {
  return (
    (x._f & (RG | OP_MASK | TRACED)) === RG &&
    (typeof x.grad !== 'number' || typeof x.data !== 'number')
  );
}

/** Only interior nodes that need a gradient are ordered; leaves just receive. */
function pending(node: Value): boolean {
  const f = node._f;
  return (f & (RG | VISITED)) === RG && (f & OP_MASK) !== 0;
}

/**
 * Depth-first post-order without recursion. A node is expanded (its pending
 * operands pushed) the first time it is on top of the stack and placed in the
 * order the second time; a node pushed twice is placed once.
 */
// Longer than ~60 lines: the hot loop of every backward pass, kept in one piece so V8 optimizes it as one loop (a helper per op kind costs a call per node).
function topologicalOrder(root: Value, zeroGrads: boolean): number {
  let n = 0;
  let top = 0;
  stack[top++] = root;
  try {
    while (top > 0) {
      const node = stack[top - 1] as Value;
      const f = node._f;
      if ((f & VISITED) === 0) {
        node._f = f | VISITED;
        const code = f & OP_MASK;
        if (code < FIRST_NARY) {
          // Unary and binary ops, by far the most nodes.
          const a = node._a as Value;
          if (pending(a)) stack[top++] = a;
          else if (isBadLeaf(a)) badLeaf = a;
          const b = node._b as Value | null;
          if (b !== null) {
            if (pending(b)) stack[top++] = b;
            else if (isBadLeaf(b)) badLeaf = b;
          }
        } else if (code === DOT.code) {
          // dot: the weights, then the inputs, then the bias.
          const ws = node._a as readonly Value[];
          const xs = node._b as readonly Value[];
          const pairs = xs.length;
          for (let i = 0; i < pairs; i++) {
            const c = ws[i] as Value;
            if (pending(c)) stack[top++] = c;
            else if (isBadLeaf(c)) badLeaf = c;
          }
          for (let i = 0; i < pairs; i++) {
            const c = xs[i] as Value;
            if (pending(c)) stack[top++] = c;
            else if (isBadLeaf(c)) badLeaf = c;
          }
          const bias = ws.length > pairs ? (ws[pairs] as Value) : null;
          if (bias !== null) {
            if (pending(bias)) stack[top++] = bias;
            else if (isBadLeaf(bias)) badLeaf = bias;
          }
        } else {
          // sum: the terms.
          const list = node._a as readonly Value[];
          for (let i = 0; i < list.length; i++) {
            const c = list[i] as Value;
            if (pending(c)) stack[top++] = c;
            else if (isBadLeaf(c)) badLeaf = c;
          }
        }
      } else {
        stack[--top] = undefined;
        if ((f & ORDERED) === 0) {
          node._f = f | ORDERED;
          if (zeroGrads) node.grad = 0;
          order[n++] = node;
        }
      }
    }
  } catch (error) {
    // Only a frozen Value can make a mark fail to be written: the nodes marked
    // so far must not keep their marks, or the next backward would skip them.
    const marking = top > 0 ? (stack[top - 1] as Value) : null;
    clearMarks(stack, top);
    clearMarks(order, n);
    badLeaf = null;
    throw explainFrozen(error, marking === null ? [] : [marking]);
  }
  // Nothing else after the loop (the caller trims the stack): code here, never
  // reached while V8 compiled the loop on the first long pass, made the loop's
  // compiled code give up at its exit on every later call.
  return n;
}

/** Lets go of arrays a huge graph grew past KEEP. */
function trim(): void {
  if (stack.length > KEEP) stack.length = 0;
  if (order.length > KEEP) order.length = 0;
}

/**
 * data and grad are plain fields (a setter that checked every write would slow
 * every read): a non-number written to a leaf is found by the pass that meets it.
 */
function notANumber(node: Value, field: 'data' | 'grad', x: unknown): TypeError {
  const op = node.isLeaf ? 'a leaf' : `a '${node.op}' node`;
  const label = node.label === undefined ? '' : ` ('${node.label}')`;
  return new TypeError(
    `backward(): the ${field} of ${op}${label} is not a number: ${describe(x)}; ` +
      'data and grad must be numbers',
  );
}

/**
 * A frozen Value among `suspects` (the node being marked, or the operands of
 * the node whose rule ran) explains a TypeError: V8's own message names only
 * a field. Any other error is returned as it is.
 */
function explainFrozen(error: unknown, suspects: readonly Value[]): unknown {
  if (!(error instanceof TypeError) || error.message.startsWith('backward(): ')) return error;
  const frozen = suspects.find((v) => Object.isFrozen(v));
  if (frozen === undefined) return error;
  const label = frozen.label === undefined ? '' : ` ('${frozen.label}')`;
  return new TypeError(
    `backward(): a Value that needs a gradient is frozen (Object.freeze)${label}: its gradient ` +
      'and the marks of the backward pass cannot be written to it. Freeze only Values that need ' +
      'no gradient (constants, or leaves with requiresGrad false).',
    { cause: error },
  );
}

/** Clears the marks of the first `count` nodes of `list` and empties their slots. */
function clearMarks(list: (Value | undefined)[], count: number): void {
  for (let i = 0; i < count; i++) {
    const node = list[i] as Value;
    list[i] = undefined;
    if (node._f & MARKS) node._f &= ~MARKS;
  }
}

export function runBackward(root: Value): void {
  if ((root._f & RG) === 0) {
    throw new Error(
      'backward(): this Value does not require a gradient: it was computed from constants or ' +
        'leaves with requiresGrad false only, or inside noGrad()',
    );
  }
  if ((root._f & OP_MASK) === 0) {
    if (typeof root.grad !== 'number') throw notANumber(root, 'grad', root.grad);
    root.grad += 1; // a leaf root: ∂root/∂root = 1, accumulated like any leaf
    return;
  }
  const n = topologicalOrder(root, true);
  root.grad = 1;
  if (badLeaf !== null) {
    const x = badLeaf;
    badLeaf = null;
    clearMarks(order, n);
    throw typeof x.grad === 'number'
      ? notANumber(x, 'data', x.data)
      : notANumber(x, 'grad', x.grad);
  }
  if (anomalyEnabled) checkedPass(n);
  else runRules(n);
  trim();
}

/**
 * Runs the rules of the first n ordered nodes, the last placed first. Apart
 * from runBackward so that this loop returns as soon as it ends (see
 * topologicalOrder).
 */
function runRules(n: number): void {
  // The op rules are plain arithmetic; only writing the grad of a frozen Value
  // can throw, and then the nodes not yet reached must lose their marks.
  let i = n - 1;
  let node: Value | null = null;
  try {
    for (; i >= 0; i--) {
      node = order[i] as Value;
      order[i] = undefined;
      node._f &= ~MARKS;
      (BACKWARD[node._f & OP_MASK] as (out: Value) => void)(node);
    }
  } catch (error) {
    clearMarks(order, i);
    throw explainFrozen(error, node === null ? [] : operandsOf(node));
  }
}

/** The pass of anomaly mode: checks every gradient, and on a throw restores the leaves. */
function checkedPass(n: number): void {
  const saved = leafGradients(n);
  let i = n - 1;
  try {
    for (; i >= 0; i--) {
      const node = order[i] as Value;
      node._f &= ~MARKS;
      const op = OPS[node._f & OP_MASK] as Op;
      (BACKWARD[op.code] as (out: Value) => void)(node);
      checkGradients(node, op);
    }
  } catch (error) {
    // A frozen leaf kept its gradient: it is the one that could not be written.
    for (const [leaf, grad] of saved) if (!Object.isFrozen(leaf)) leaf.grad = grad;
    throw explainFrozen(error, i >= 0 ? operandsOf(order[i] as Value) : []);
  } finally {
    // After a throw the rest still carry marks: clear them.
    for (; i >= 0; i--) (order[i] as Value)._f &= ~MARKS;
    order.length = 0;
  }
}

/** The trainable leaves fed by the first n ordered nodes, with their gradients now. */
function leafGradients(n: number): Map<Value, number> {
  const saved = new Map<Value, number>();
  for (let k = 0; k < n; k++) {
    for (const operand of operandsOf(order[k] as Value)) {
      if (operand.isLeaf && operand.requiresGrad) saved.set(operand, operand.grad);
    }
  }
  return saved;
}

function checkGradients(node: Value, op: Op): void {
  const operands = operandsOf(node);
  for (const operand of operands) {
    if (!Number.isFinite(operand.grad)) {
      throw new AnomalyError(
        op.name,
        'backward',
        operands.map((v) => v.data),
        `a gradient of ${operand.grad}`,
      );
    }
  }
}

/**
 * @internal The nodes whose backward rules `root.backward()` runs, in the order
 * it runs them. The graph compiler replays them in this order, so that every
 * gradient is summed from the same terms in the same order. Changes nothing.
 */
export function backwardOrder(root: Value): Value[] {
  if ((root._f & RG) === 0 || (root._f & OP_MASK) === 0) return [];
  const n = topologicalOrder(root, false);
  badLeaf = null;
  if (stack.length > KEEP) stack.length = 0;
  const result: Value[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const node = order[i] as Value;
    order[i] = undefined;
    node._f &= ~MARKS;
    result.push(node);
  }
  return result;
}
