/**
 * The tape: a recorded graph flattened into typed arrays. Every node is a
 * slot; slots are laid out as
 *
 *   [ inputs | parameters | constants | op nodes in forward order ]
 *
 * Inputs are the placeholders, filled from each sample. Parameters are the
 * leaves read live at every call (their `data`), and those that require a
 * gradient receive it (into their `grad`). Constants are the other leaves and
 * every node computed from constants alone: their numbers are baked in.
 *
 * The backward schedule lists the op nodes in the very order the eager
 * `backward()` visits them, so that each gradient is the same sum of the same
 * terms added in the same order: floating-point addition is not associative,
 * and only the same order gives the same bits.
 */
import { OP_MASK, REQUIRES_GRAD as RG } from '../flags.js';
import { DOT, OPS, SUM, type Op } from '../ops.js';
import { backwardOrder } from '../backward.js';
import { nodesBelow } from '../graph-walk.js';
import { operandsOf, type Value } from '../value.js';

export interface Tape {
  readonly nInputs: number;
  /** The live leaves, in slot order (slot = nInputs + index). */
  readonly params: readonly Value[];
  /** Per parameter: 1 if it requires a gradient. */
  readonly paramRequiresGrad: Uint8Array;
  /** The baked numbers (slot = nInputs + params.length + index). */
  readonly constants: Float64Array;
  /** First slot of the op nodes: node k lives in slot firstNode + k. */
  readonly firstNode: number;
  readonly nSlots: number;
  /** Op code per op node, in forward order (operands come first). */
  readonly op: Uint8Array;
  /**
   * Operands. Unary and binary ops: slots a[k] and b[k] (b is −1 for unary).
   * sum: args[a[k] … a[k] + n[k] − 1]; dot: the pairs interleaved in
   * args[a[k] … a[k] + 2n[k] − 1] and the bias slot in b[k] (−1 for none).
   */
  readonly a: Int32Array;
  readonly b: Int32Array;
  readonly n: Int32Array;
  readonly args: Int32Array;
  /** Per slot: 1 if the slot requires a gradient. */
  readonly requiresGrad: Uint8Array;
  /** The op nodes that backward visits, in eager `backward()`'s visiting order. */
  readonly backward: Int32Array;
  /** The output's slot. */
  readonly output: number;
}

const isOpNode = (v: Value): boolean => (v._f & OP_MASK) !== 0;

/**
 * Flattens the graph below `root`. `inputs` are the placeholders (slot i for
 * inputs[i]); `declared` are leaves to read live even if they need no
 * gradient; every other leaf that requires a gradient is read live too.
 */
export function buildTape(root: Value, inputs: readonly Value[], declared: readonly Value[]): Tape {
  const slotOf = new Map<Value, number>();
  inputs.forEach((v, i) => slotOf.set(v, i));
  const declaredSet = new Set(declared);
  const all = nodesBelow(root);

  const params: Value[] = [];
  const constants: number[] = [];
  const constantNodes: Value[] = [];
  const opNodes: Value[] = [];
  const isConstant = new Set<Value>();
  for (const v of all) {
    if (slotOf.has(v)) continue;
    if (!isOpNode(v)) {
      if (declaredSet.has(v) || v._f & RG) params.push(v);
      else {
        isConstant.add(v);
        constantNodes.push(v);
      }
    } else if (operandsOf(v).every((c) => isConstant.has(c))) {
      // Computed from constants alone: its recorded number is the number.
      isConstant.add(v);
      constantNodes.push(v);
    } else {
      opNodes.push(v);
    }
  }
  const nInputs = inputs.length;
  params.forEach((v, i) => slotOf.set(v, nInputs + i));
  constantNodes.forEach((v, i) => {
    slotOf.set(v, nInputs + params.length + i);
    constants.push(v.data);
  });
  const firstNode = nInputs + params.length + constantNodes.length;
  opNodes.forEach((v, k) => slotOf.set(v, firstNode + k));
  const nSlots = firstNode + opNodes.length;
  const slot = (v: Value): number => slotOf.get(v) as number;

  const requiresGrad = new Uint8Array(nSlots);
  const paramRequiresGrad = new Uint8Array(params.length);
  params.forEach((v, i) => {
    paramRequiresGrad[i] = v._f & RG ? 1 : 0;
    requiresGrad[nInputs + i] = paramRequiresGrad[i];
  });

  const K = opNodes.length;
  const op = new Uint8Array(K);
  const a = new Int32Array(K);
  const b = new Int32Array(K).fill(-1);
  const n = new Int32Array(K);
  const args: number[] = [];
  opNodes.forEach((v, k) => {
    const code = v._f & OP_MASK;
    op[k] = code;
    requiresGrad[firstNode + k] = v._f & RG ? 1 : 0;
    if (code === SUM.code || code === DOT.code) {
      const list = v._a as readonly Value[];
      a[k] = args.length;
      n[k] = code === DOT.code ? list.length / 2 : list.length;
      for (const c of list) args.push(slot(c));
    } else {
      a[k] = slot(v._a as Value);
    }
    // A binary op's second operand, or dot's bias.
    if (v._b !== null) b[k] = slot(v._b);
  });

  const backward = backwardOrder(root).map((v) => slot(v) - firstNode);
  return {
    nInputs,
    params,
    paramRequiresGrad,
    constants: Float64Array.from(constants),
    firstNode,
    nSlots,
    op,
    a,
    b,
    n,
    args: Int32Array.from(args),
    requiresGrad,
    backward: Int32Array.from(backward),
    output: slot(root),
  };
}

/** The op's name, for messages. */
export const opName = (code: number): string => (OPS[code] as Op).name;

const sameNumber = (x: number, y: number): boolean => Object.is(x, y);

/**
 * Where two recordings of the same function differ, or null if they are the
 * same graph: the same ops on the same slots, the same constants. The caller
 * (compile.ts, checkRecording) has already compared the parameters, with a
 * message of its own.
 */
export function tapeDifference(t: Tape, u: Tape): string | null {
  if (t.output !== u.output) return 'the output is a different node';
  if (t.constants.length !== u.constants.length || t.op.length !== u.op.length) {
    return `the number of nodes differs (${t.op.length} and ${u.op.length} ops)`;
  }
  for (let k = 0; k < t.op.length; k++) {
    if (t.op[k] !== u.op[k] || t.a[k] !== u.a[k] || t.b[k] !== u.b[k] || t.n[k] !== u.n[k]) {
      return `op node ${k} is '${opName(t.op[k] as number)}' in one and '${opName(u.op[k] as number)}' in the other`;
    }
  }
  for (let i = 0; i < t.args.length; i++) {
    if (t.args[i] !== u.args[i]) return 'the operands of a sum or dot node differ';
  }
  for (let i = 0; i < t.constants.length; i++) {
    if (!sameNumber(t.constants[i] as number, u.constants[i] as number)) {
      return `a constant is ${t.constants[i]} in one and ${u.constants[i]} in the other`;
    }
  }
  return null;
}
