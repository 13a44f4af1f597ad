/**
 * The fast path of compile's check: whether a second recording of fn built,
 * node for node, the same graph as the first. Flattening each check recording
 * into a tape of its own cost most of `compile` (two of its three recordings);
 * walking both graphs side by side costs a fraction of one flattening.
 */
import { OP_MASK, REQUIRES_GRAD as RG } from '../flags.js';
import { nodesBelow, numberNodesBelow } from '../graph-walk.js';
import type { Value } from '../value.js';

/** A recorded graph: its output and the placeholders it was recorded over. */
export interface Recording {
  readonly root: Value;
  readonly inputs: readonly Value[];
}

/**
 * The recording that is kept, as its tape was built: its nodes in forward
 * order, and each node's flags and number at that moment. A later recording
 * runs fn again, which may change a Value the recordings share (a leaf's
 * `data`, its `requiresGrad`): the check compares with what the tape holds.
 */
export interface KeptGraph extends Recording {
  readonly nodes: readonly Value[];
  readonly flags: Int32Array;
  readonly data: Float64Array;
}

export function keepGraph(recording: Recording): KeptGraph {
  const nodes = nodesBelow(recording.root);
  const flags = new Int32Array(nodes.length);
  const data = new Float64Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const v = nodes[i] as Value;
    flags[i] = v._f;
    data[i] = v.data;
  }
  return { root: recording.root, inputs: recording.inputs, nodes, flags, data };
}

/**
 * True when `second` is the graph of `first` node for node: in the forward
 * order of both, each pair of nodes has the same op and flags and operands at
 * the same places; placeholders pair with the placeholder of the same index,
 * parameters (leaves that require a gradient, or `declared`) with themselves,
 * and constants (every other leaf, and every node made from constants alone)
 * hold the same number, flags and numbers of `first` taken as they were kept.
 * `buildTape` then makes the tape of `first` of the two, since it reads
 * nothing else.
 *
 * False says only "look closer": two graphs may still flatten alike (a
 * constant computed by another op that gives the same number), so the caller
 * flattens the second recording and compares tapes, which decides and says
 * where they differ.
 */
export function sameGraph(
  first: KeptGraph,
  second: Recording,
  declared: readonly Value[],
): boolean {
  if (first.inputs.length !== second.inputs.length) return false;
  // Each node of the second graph holds its forward position in its grad.
  const saved: number[] = [];
  let ys: Value[];
  try {
    ys = numberNodesBelow(second.root, saved);
  } catch (error) {
    // A frozen node, which holds no position: the tapes will tell.
    if (error instanceof TypeError) return false;
    throw error;
  }
  try {
    return ys.length === first.nodes.length && pairUp(first, second, ys, declared);
  } finally {
    for (let i = 0; i < ys.length; i++) (ys[i] as Value).grad = saved[i] as number;
  }
}

/** sameGraph's comparison, node by node, with the second graph's positions in its grads. */
function pairUp(
  first: KeptGraph,
  second: Recording,
  ys: readonly Value[],
  declared: readonly Value[],
): boolean {
  const { nodes: xs, flags, data } = first;
  const n = xs.length;
  const firstInputs = indexOf(first.inputs);
  const secondInputs = indexOf(second.inputs);
  const declaredSet = new Set(declared);
  // Per forward position: 1 for a constant (a leaf or a node from constants alone).
  const constant = new Uint8Array(n);
  // u's operand p and v's operand q sit at the same place.
  const pairs = (p: Value, q: Value): boolean => xs[q.grad] === p;
  for (let i = 0; i < n; i++) {
    const u = xs[i] as Value;
    const v = ys[i] as Value;
    const f = flags[i] as number;
    if (v._f !== f) return false;
    if ((f & OP_MASK) === 0) {
      const k = firstInputs.get(u);
      if (k !== undefined || secondInputs.has(v)) {
        if (secondInputs.get(v) !== k) return false;
      } else if (f & RG || declaredSet.has(u) || declaredSet.has(v)) {
        if (u !== v) return false;
      } else if (Object.is(data[i], v.data)) {
        constant[i] = 1;
      } else {
        return false;
      }
      continue;
    }
    const a = sameOperands(u._a, v._a, pairs, constant);
    if (a < 0) return false;
    const b = sameOperands(u._b, v._b, pairs, constant);
    if (b < 0) return false;
    // Made from constants alone: its number is baked in, and must agree.
    if (a === 1 && b === 1) {
      if (!Object.is(data[i], v.data)) return false;
      constant[i] = 1;
    }
  }
  return true;
}

const indexOf = (list: readonly Value[]): Map<Value, number> => new Map(list.map((v, i) => [v, i]));

/**
 * One operand field of a pair of nodes: −1 if they differ, else 1 if every
 * operand in it is a constant (an empty field counts as constants), 0 if not.
 */
function sameOperands(
  p: Value | readonly Value[] | null,
  q: Value | readonly Value[] | null,
  pairs: (p: Value, q: Value) => boolean,
  constant: Uint8Array,
): number {
  if (p === null || q === null) return p === q ? 1 : -1;
  const pList = Array.isArray(p);
  if (pList !== Array.isArray(q)) return -1;
  if (!pList) {
    const u = p as Value;
    const v = q as Value;
    return pairs(u, v) ? (constant[v.grad] as number) : -1;
  }
  const us = p as readonly Value[];
  const vs = q as readonly Value[];
  if (us.length !== vs.length) return -1;
  let all = 1;
  for (let j = 0; j < us.length; j++) {
    const v = vs[j] as Value;
    if (!pairs(us[j] as Value, v)) return -1;
    all &= constant[v.grad] as number;
  }
  return all;
}
