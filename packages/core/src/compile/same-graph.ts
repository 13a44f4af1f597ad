/**
 * The fast path of compile's check: whether a second recording of fn built,
 * node for node, the same graph as the first. Flattening each check recording
 * into a tape of its own cost most of `compile` (two of its three recordings);
 * walking both graphs side by side costs a fraction of one flattening.
 */
import { OP_MASK, REQUIRES_GRAD as RG } from '../flags.js';
import { nodesBelow, numberNodesBelow, putGradsBack } from '../graph-walk.js';
import type { Value } from '../value.js';

/** A recorded graph: its output and the placeholders it was recorded over. */
export interface Recording {
  readonly root: Value;
  readonly inputs: readonly Value[];
}

/**
 * The recording that is kept, as its tape was built: each node's flags,
 * number and operands (as positions in forward order) at that moment, and
 * the leaves. A later recording runs fn again, which may change what the
 * recordings share: a leaf's `data` or `requiresGrad`, an array that
 * `affine` keeps. The check compares with what the tape holds. The op nodes
 * themselves are not kept, so the graph can be let go while fn runs again.
 */
export interface KeptGraph {
  readonly inputs: readonly Value[];
  /** Per forward position: the leaf there, or null for an op node. */
  readonly leaves: readonly (Value | null)[];
  readonly flags: Int32Array;
  readonly data: Float64Array;
  /** The operands, or null if the graph could not be numbered (a frozen node): then nothing pairs. */
  readonly operands: KeptOperands | null;
}

/**
 * Per op node i: what `_a` and `_b` held (NULL, ONE Value, or an array of
 * that many), and from `start[i]` in `positions`, the forward positions of
 * `_a`'s operands and then of `_b`'s.
 */
interface KeptOperands {
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly start: Int32Array;
  readonly positions: Int32Array;
}

const NULL = -2;
const ONE = -1;
const kindOf = (field: Value | readonly Value[] | null): number =>
  field === null ? NULL : Array.isArray(field) ? (field as readonly Value[]).length : ONE;
const widthOf = (kind: number): number => (kind === NULL ? 0 : kind === ONE ? 1 : kind);

/** The recording's nodes in forward order (for `buildTape`), and what the check keeps of them. */
export function keepGraph(recording: Recording): { nodes: Value[]; kept: KeptGraph } {
  const { root, inputs } = recording;
  const saved: number[] = [];
  let nodes: Value[];
  let operands: KeptOperands | null = null;
  try {
    nodes = numberNodesBelow(root, saved);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    nodes = nodesBelow(root);
  }
  if (saved.length > 0) {
    try {
      operands = operandPositions(nodes);
    } finally {
      putGradsBack(nodes, saved);
    }
  }
  const leaves = nodes.map((v) => ((v._f & OP_MASK) === 0 ? v : null));
  return { nodes, kept: { inputs, leaves, ...numbers(nodes), operands } };
}

function numbers(nodes: readonly Value[]): { flags: Int32Array; data: Float64Array } {
  const flags = new Int32Array(nodes.length);
  const data = new Float64Array(nodes.length);
  for (let i = 0; i < nodes.length; i++) {
    const v = nodes[i] as Value;
    flags[i] = v._f;
    data[i] = v.data;
  }
  return { flags, data };
}

/** The operands of every node, with each node's forward position in its grad. */
function operandPositions(nodes: readonly Value[]): KeptOperands {
  const n = nodes.length;
  const a = new Int32Array(n);
  const b = new Int32Array(n);
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = nodes[i] as Value;
    a[i] = kindOf(v._a);
    b[i] = kindOf(v._b);
    start[i + 1] = (start[i] as number) + widthOf(a[i] as number) + widthOf(b[i] as number);
  }
  const positions = new Int32Array(start[n] as number);
  let at = 0;
  const put = (field: Value | readonly Value[] | null): void => {
    if (field === null) return;
    if (!Array.isArray(field)) {
      positions[at++] = (field as Value).grad;
      return;
    }
    for (const u of field as readonly Value[]) positions[at++] = u.grad;
  };
  for (const v of nodes) {
    put(v._a);
    put(v._b);
  }
  return { a, b, start, positions };
}

/**
 * True when `second` is the graph of `first` node for node: in the forward
 * order of both, each pair of nodes has the same op and flags and operands at
 * the same places; placeholders pair with the placeholder of the same index,
 * parameters (leaves that require a gradient, or `declared`) with themselves,
 * and constants (every other leaf, and every node made from constants alone)
 * hold the same number; `first` as it was kept. `buildTape` made the tape of
 * `first` from nothing else, so it would make the same tape of `second`.
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
  const kept = first.operands;
  if (kept === null || first.inputs.length !== second.inputs.length) return false;
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
    return ys.length === first.leaves.length && pairUp(first, kept, second, ys, declared);
  } finally {
    putGradsBack(ys, saved);
  }
}

/** sameGraph's comparison, node by node, with the second graph's positions in its grads. */
function pairUp(
  first: KeptGraph,
  kept: KeptOperands,
  second: Recording,
  ys: readonly Value[],
  declared: readonly Value[],
): boolean {
  const { leaves, flags, data } = first;
  const n = leaves.length;
  const firstInputs = indexOf(first.inputs);
  const secondInputs = indexOf(second.inputs);
  const declaredSet = new Set(declared);
  // Per forward position: 1 for a constant (a leaf or a node from constants alone).
  const constant = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = ys[i] as Value;
    const f = flags[i] as number;
    if (v._f !== f) return false;
    if ((f & OP_MASK) === 0) {
      const u = leaves[i] as Value;
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
    const kindA = kept.a[i] as number;
    const at = kept.start[i] as number;
    const a = sameField(v._a, kindA, kept.positions, at, constant);
    if (a < 0) return false;
    const b = sameField(v._b, kept.b[i] as number, kept.positions, at + widthOf(kindA), constant);
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
 * One operand field of the second graph's node against the kept one (its
 * kind, and its operands' positions from `at`): −1 if they differ, else 1 if
 * every operand in it is a constant (an empty field counts as constants), 0
 * if not.
 */
function sameField(
  field: Value | readonly Value[] | null,
  kind: number,
  positions: Int32Array,
  at: number,
  constant: Uint8Array,
): number {
  if (kindOf(field) !== kind) return -1;
  if (kind === NULL) return 1;
  if (kind === ONE) {
    const p = (field as Value).grad;
    return p === positions[at] ? (constant[p] as number) : -1;
  }
  const list = field as readonly Value[];
  let all = 1;
  for (let j = 0; j < kind; j++) {
    const p = (list[j] as Value).grad;
    if (p !== positions[at + j]) return -1;
    all &= constant[p] as number;
  }
  return all;
}
