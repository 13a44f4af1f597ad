/**
 * The backward pass: order the nodes that need a gradient so that every node
 * comes after all the nodes computed from it, then run each op's backward rule
 * once, from the root down. No recursion (a graph a million nodes deep works)
 * and no Set: a node's VISITED and ORDERED bits mark it, and are cleared again
 * as the pass goes.
 */
import { KEPT_ROW, OP_MASK, ORDERED, REQUIRES_GRAD as RG, TRACED, VISITED } from './flags.js';
import { AnomalyError, anomalyEnabled } from './grad-mode.js';
import { BACKWARD } from './eager-rules.js';
import { ADD, DOT, FIRST_NARY, MUL, NEG, OPS, RELU, SUB, SUM, type Op } from './ops.js';
import { describe } from './describe.js';
import { operandsOf, type Value } from './value.js';

const MARKS = VISITED | ORDERED;

// Reused across calls so a small graph's backward allocates nothing; each slot
// is emptied as it is consumed so no graph is kept alive, and arrays grown past
// KEEP by a huge graph are let go.
const stack: (Value | undefined)[] = [];
const order: (Value | undefined)[] = [];
/** The trainable leaves the eager sort marked VISITED (each checked once a pass). */
const leaves: (Value | undefined)[] = [];
let leafCount = 0;
const KEEP = 1 << 16;

/**
 * The kept weight arrays (KEPT_ROW dots) whose every element the sort has met
 * in pass `pass`: a neuron's row is the same array in every sample's node, so
 * its second and later nodes in a pass skip the elements (each already
 * visited, or checked as a constant). Weak: a row lives as long as its neuron.
 * A new map when the pass number wraps, so that no entry of an old pass can
 * match a new pass's number.
 */
let settledRows = new WeakMap<readonly Value[], number>();
let pass = 0;
const LAST_PASS = 0x3fff_ffff;

/** @internal For tests: makes `n` the number of the last pass, as if `n` passes had run. */
export function setSortPass(n: number): void {
  pass = n;
}

/**
 * The first leaf met by the sort whose grad or data is not a number (a string
 * written to it would make += concatenate); runBackward throws on it before
 * any rule runs. Checked where the sort first meets the leaf in a pass.
 */
let badLeaf: Value | null = null;

/**
 * Whether runRules may skip the rule of a node whose gradient is 0 and whose
 * op is ZERO_SAFE, found by the sort: every number a rule could read (the data
 * of every node and operand it met) is finite, and no trainable leaf holds a
 * gradient of −0. Then such a rule would add g·(finite) = ±0 into gradients
 * that are not −0, which leaves every one of them as it is: x + ±0 = x for any
 * x ≠ 0 (NaN included), +0 + ±0 = +0, and an interior node's gradient, which
 * starts at +0 and only has numbers added or subtracted, is never −0. So the
 * skip changes no bit, and a ReLU network, where most of the graph below an
 * inactive unit or hinge term gets gradient 0, skips most of its rules.
 */
let zeroSkip = true;

/**
 * @internal The ops whose every backward term is g, −g, or an operand's data times g
 * (rule-ir.ts): with finite data and g = ±0, each term is ±0 (backward.test.ts
 * checks each). Indexed by op code.
 */
export const ZERO_SAFE = new Uint8Array(OP_MASK + 1);
for (const op of [ADD, SUB, NEG, MUL, RELU, SUM, DOT]) ZERO_SAFE[op.code] = 1;

/** A finite number (a string, NaN or ±∞ is not). */
function finite(x: unknown): boolean {
  return typeof x === 'number' && x - x === 0;
}

/**
 * Whether the sort must expand operand c: an interior node that needs a
 * gradient and is not yet visited. The eager sort (runBackward's) checks
 * every other operand on the way: a trainable leaf the first time it is met
 * in the pass (marked VISITED, listed in `leaves`), a node that needs no
 * gradient every time (its data is read by its consumer's rule).
 */
function meet(c: Value, eager: boolean): boolean {
  const f = c._f;
  if ((f & (RG | VISITED)) === RG) {
    if ((f & OP_MASK) !== 0) return true;
    if (eager) meetLeaf(c, f);
  } else if (eager && (f & RG) === 0) {
    // A compile input (TRACED) hides its number: no skip then, and no read.
    if (f & TRACED || !finite(c.data)) zeroSkip = false;
  }
  return false;
}

/**
 * A trainable leaf met for the first time in this pass. A compile input
 * (TRACED) is not checked: its number is hidden while fn is recorded.
 */
function meetLeaf(c: Value, f: number): void {
  // Throws on a frozen leaf, before any rule ran (topologicalOrder explains it).
  c._f = f | VISITED;
  leaves[leafCount++] = c;
  if (f & TRACED) {
    zeroSkip = false;
    return;
  }
  const g = c.grad;
  const d = c.data;
  if (typeof g !== 'number' || typeof d !== 'number') {
    badLeaf ??= c;
    zeroSkip = false;
  } else if (d - d !== 0 || (g === 0 && 1 / g < 0)) {
    zeroSkip = false;
  }
}

/** Clears the VISITED marks of the leaves the eager sort met. */
function clearLeaves(): void {
  clearMarks(leaves, leafCount);
  leafCount = 0;
  if (leaves.length > KEEP) leaves.length = 0;
}

/**
 * Depth-first post-order without recursion. A node is expanded (its pending
 * operands pushed) the first time it is on top of the stack and placed in the
 * order the second time; a node pushed twice is placed once.
 */
// Longer than ~60 lines: the hot loop of every backward pass, kept in one piece so V8 optimizes it as one loop (a helper per op kind costs a call per node).
function topologicalOrder(root: Value, eager: boolean): number {
  if (pass === LAST_PASS) {
    pass = 0;
    settledRows = new WeakMap();
  }
  pass++;
  let n = 0;
  let top = 0;
  // The last input array of a dot whose scan pushed nothing: every element
  // was visited or met (and checked) already, so a later scan in this pass,
  // which would find the same, is skipped. A layer's neurons share one input
  // array (affine), and the sort expands them one after the other.
  let settled: readonly Value[] | null = null;
  stack[top++] = root;
  try {
    while (top > 0) {
      const node = stack[top - 1] as Value;
      let f = node._f;
      if ((f & VISITED) === 0) {
        f |= VISITED;
        node._f = f;
        const below = top;
        const code = f & OP_MASK;
        if (code < FIRST_NARY) {
          // Unary and binary ops, by far the most nodes.
          const a = node._a as Value;
          if (meet(a, eager)) stack[top++] = a;
          const b = node._b as Value | null;
          if (b !== null && meet(b, eager)) stack[top++] = b;
        } else if (code === DOT.code) {
          // dot: the weights, then the inputs, then the bias.
          const ws = node._a as readonly Value[];
          const xs = node._b as readonly Value[];
          const pairs = xs.length;
          // A kept row (KEPT_ROW) met in full earlier in this pass is skipped.
          const kept = (f & KEPT_ROW) !== 0;
          const unsettled = !kept || settledRows.get(ws) !== pass;
          let rowPushed = false;
          if (unsettled) {
            for (let i = 0; i < pairs; i++) {
              const c = ws[i] as Value;
              if (meet(c, eager)) {
                stack[top++] = c;
                rowPushed = true;
              }
            }
          }
          if (xs !== settled) {
            const pushed = top;
            for (let i = 0; i < pairs; i++) {
              const c = xs[i] as Value;
              if (meet(c, eager)) stack[top++] = c;
            }
            if (top === pushed) settled = xs;
          }
          if (unsettled) {
            const bias = ws.length > pairs ? (ws[pairs] as Value) : null;
            if (bias !== null && meet(bias, eager)) stack[top++] = bias;
            // Settled only if this node met the whole array: a kept array may
            // have grown since an older node was made over its first elements.
            else if (kept && !rowPushed && ws.length === pairs + 1) settledRows.set(ws, pass);
          }
        } else {
          // sum: the terms.
          const list = node._a as readonly Value[];
          for (let i = 0; i < list.length; i++) {
            const c = list[i] as Value;
            if (meet(c, eager)) stack[top++] = c;
          }
        }
        // A node that waits for no operand is placed now, as the next turn would.
        if (top !== below) continue;
      }
      stack[--top] = undefined;
      if ((f & ORDERED) === 0) {
        node._f = f | ORDERED;
        if (eager) {
          node.grad = 0;
          // Its data is read by its own rule and its consumers'.
          if (f & TRACED || !finite(node.data)) zeroSkip = false;
        }
        order[n++] = node;
      }
    }
  } catch (error) {
    // Only a frozen Value can make a mark fail to be written: the nodes marked
    // so far must not keep their marks, or the next backward would skip them.
    // (or a trainable leaf among the operands of the node being expanded,
    // which lies below the operands it pushed so far).
    let suspects: Value[] = [];
    for (let i = top - 1; i >= 0 && !suspects.some((v) => Object.isFrozen(v)); i--) {
      const node = stack[i] as Value;
      suspects = [node, ...operandsOf(node)];
    }
    clearMarks(stack, top);
    clearMarks(order, n);
    clearLeaves();
    badLeaf = null;
    throw explainFrozen(error, suspects);
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
  zeroSkip = true;
  const n = topologicalOrder(root, true);
  clearLeaves();
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
  else runRules(n, zeroSkip);
  trim();
}

/**
 * Runs the rules of the first n ordered nodes, the last placed first; with
 * `skip`, not those that would change nothing (see zeroSkip). Apart from
 * runBackward so that this loop returns as soon as it ends (see
 * topologicalOrder).
 */
function runRules(n: number, skip: boolean): void {
  // The op rules are plain arithmetic; only writing the grad of a frozen Value
  // can throw, and then the nodes not yet reached must lose their marks.
  let i = n - 1;
  let node: Value | null = null;
  try {
    for (; i >= 0; i--) {
      node = order[i] as Value;
      order[i] = undefined;
      const f = node._f & ~MARKS;
      node._f = f;
      const code = f & OP_MASK;
      if (skip && node.grad === 0 && ZERO_SAFE[code] === 1) continue;
      (BACKWARD[code] as (out: Value) => void)(node);
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
