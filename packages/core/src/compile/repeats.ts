/**
 * Finds a run of identical blocks in a tape: a whole batch recorded as one
 * graph holds one copy of the per-sample graph per sample, each reading its
 * own inputs and the shared parameters. The code generator then writes one
 * block as the body of a loop instead of writing every copy out, so the code
 * stays small enough for the JIT however large the batch.
 *
 * A block run qualifies only if replaying it as a loop performs exactly the
 * same operations in the same order: the same ops on operands whose slots
 * move by a fixed stride from block to block (or stay put), the same
 * constants, and, in the eager backward order, each block's nodes visited as
 * one contiguous run in the same relative order.
 */
import { DOT, SUM } from '../ops.js';
import type { Tape } from './tape.js';

export interface Repeat {
  /** Op node index (k) of block 0's first node. */
  readonly start: number;
  /** Op nodes per block. */
  readonly period: number;
  /** Blocks. */
  readonly count: number;
  /** For an operand slot outside the blocks (as block 0 reads it): its slot in block b is slot + delta·b. */
  readonly delta: ReadonlyMap<number, number>;
  /** Per block position: 1 if some node outside the blocks reads that node. */
  readonly exported: Uint8Array;
  /** Index in tape.backward where the blocks' runs begin. */
  readonly backwardStart: number;
  /** Entries of tape.backward per block. */
  readonly backwardRun: number;
  /** The block visited by the first run, and the step to the next (+1 or −1). */
  readonly firstBlock: number;
  readonly blockStep: number;
}

/** The smallest run worth a loop: below it, straight-line code is as good. */
const MIN_BLOCKS = 4;

/** The operand slots of op node k, in a fixed order (operandAt's). */
function operandSlots(tape: Tape, k: number): number[] {
  return Array.from({ length: operandCount(tape, k) }, (_, i) => operandAt(tape, k, i));
}

/** The slots op node k keeps in args: a sum's terms, a dot's pairs (two each); else none. */
function listLength(tape: Tape, k: number): number {
  const code = tape.op[k] as number;
  const n = tape.n[k] as number;
  return code === DOT.code ? 2 * n : code === SUM.code ? n : 0;
}

/** How many operand slots op node k has. */
function operandCount(tape: Tape, k: number): number {
  const list = listLength(tape, k);
  return (list === 0 ? 1 : list) + ((tape.b[k] as number) >= 0 ? 1 : 0);
}

/**
 * Operand slot i of op node k: a sum's terms, or a dot's pairs interleaved,
 * or a unary or binary op's operands; then b (a dot's bias) if there is one.
 */
function operandAt(tape: Tape, k: number, i: number): number {
  const list = listLength(tape, k);
  if (list === 0) return i === 0 ? (tape.a[k] as number) : (tape.b[k] as number);
  return i < list ? (tape.args[(tape.a[k] as number) + i] as number) : (tape.b[k] as number);
}

/** Candidate runs: the op-node terms of a sum, equally spaced in forward order. */
function candidates(tape: Tape): { start: number; period: number; count: number }[] {
  const found: { start: number; period: number; count: number }[] = [];
  for (let k = 0; k < tape.op.length; k++) {
    if (tape.op[k] !== SUM.code) continue;
    const terms = operandSlots(tape, k).map((s) => s - tape.firstNode);
    if (terms.length < MIN_BLOCKS || (terms[0] as number) < 0) continue;
    const period = (terms[1] as number) - (terms[0] as number);
    if (period < 1 || terms.some((t, i) => t !== (terms[0] as number) + i * period)) continue;
    const start = (terms[0] as number) - period + 1;
    if (start >= 0) found.push({ start, period, count: terms.length });
  }
  return found.sort((x, y) => y.period * y.count - x.period * x.count);
}

/** Found runs by tape: compile asks twice (whether to generate code, then for the code). */
const found = new WeakMap<Tape, Repeat | null>();

/** The best run of identical blocks in the tape, or null. */
export function findRepeat(tape: Tape): Repeat | null {
  let r = found.get(tape);
  if (r === undefined) {
    r = null;
    for (const c of candidates(tape).slice(0, 4)) {
      r = verify(tape, c.start, c.period, c.count);
      if (r !== null) break;
    }
    found.set(tape, r);
  }
  return r;
}

// Longer than ~60 lines: one pass comparing every block with the first, slot by slot; its early exits share the pass state.
function verify(tape: Tape, start: number, period: number, count: number): Repeat | null {
  const { op, n, firstNode, requiresGrad: rg, constants } = tape;
  const firstConstant = tape.nInputs + tape.params.length;
  const blockFirst = firstNode + start;
  const blockEnd = blockFirst + period * count; // slots of all blocks: [blockFirst, blockEnd)
  const inBlock0 = (s: number): boolean => s >= blockFirst && s < blockFirst + period;
  const isConstant = (s: number): boolean => s >= firstConstant && s < firstNode;
  const delta = new Map<number, number>();

  for (let j = 0; j < period; j++) {
    const k0 = start + j;
    const ops0 = operandSlots(tape, k0);
    for (let blk = 1; blk < count; blk++) {
      const k = k0 + blk * period;
      if (op[k] !== op[k0] || n[k] !== n[k0] || rg[firstNode + k] !== rg[firstNode + k0])
        return null;
      if (operandCount(tape, k) !== ops0.length) return null;
      for (let i = 0; i < ops0.length; i++) {
        const o0 = ops0[i] as number;
        const o = operandAt(tape, k, i);
        if (rg[o] !== rg[o0]) return null;
        if (inBlock0(o0)) {
          if (o !== o0 + blk * period) return null; // a node of the same block
        } else if (isConstant(o0)) {
          // Each block has its own constant leaves (add(1, …) makes a new one): same number, same literal.
          if (
            !isConstant(o) ||
            !Object.is(constants[o - firstConstant], constants[o0 - firstConstant])
          )
            return null;
        } else {
          if (o0 >= blockFirst && o0 < blockEnd) return null; // another block's node
          const d = (o - o0) / blk;
          if (!Number.isInteger(d) || (o0 >= firstNode && d !== 0)) return null; // outer op nodes are shared
          const known = delta.get(o0);
          if (known === undefined && blk === 1) delta.set(o0, d);
          else if (known !== d) return null;
        }
      }
    }
    for (const o0 of ops0) if (!inBlock0(o0) && !isConstant(o0) && !delta.has(o0)) delta.set(o0, 0);
  }
  // Leaf strides must stay among the same kind of slot (inputs or parameters).
  for (const [o0, d] of delta) {
    const last = o0 + d * (count - 1);
    const kind = (s: number): number => (s < tape.nInputs ? 0 : s < firstConstant ? 1 : 2);
    if (d !== 0 && (last < 0 || kind(last) !== kind(o0))) return null;
  }

  // Nodes outside the blocks that read block nodes: those block positions are exported.
  const exported = new Uint8Array(period);
  for (let k = 0; k < op.length; k++) {
    if (k >= start && k < start + period * count) continue;
    for (let i = operandCount(tape, k) - 1; i >= 0; i--) {
      const o = operandAt(tape, k, i);
      if (o >= blockFirst && o < blockEnd) exported[(o - blockFirst) % period] = 1;
    }
  }
  if (tape.output >= blockFirst && tape.output < blockEnd) return null;

  // Backward: each block's nodes one contiguous run, the same relative order, blocks in ±1 steps.
  const order = tape.backward;
  const isBlockNode = (k: number): boolean => k >= start && k < start + period * count;
  let first = -1;
  let total = 0;
  for (let i = 0; i < order.length; i++) {
    if (isBlockNode(order[i] as number)) {
      if (first < 0) first = i;
      total++;
    }
  }
  if (first < 0) {
    return {
      start,
      period,
      count,
      delta,
      exported,
      backwardStart: 0,
      backwardRun: 0,
      firstBlock: 0,
      blockStep: 1,
    };
  }
  if (total % count !== 0) return null;
  const run = total / count;
  for (let i = first; i < first + total; i++) if (!isBlockNode(order[i] as number)) return null;
  const blockOf = (i: number): number => Math.floor(((order[i] as number) - start) / period);
  const firstBlock = blockOf(first);
  const blockStep = count === 1 ? 1 : blockOf(first + run) - firstBlock;
  if (blockStep !== 1 && blockStep !== -1) return null;
  for (let r = 0; r < count; r++) {
    const blk = firstBlock + r * blockStep;
    for (let i = 0; i < run; i++) {
      const k = order[first + r * run + i] as number;
      const k0 = order[first + i] as number;
      if (k - blk * period !== k0 - firstBlock * period) return null;
    }
  }
  return {
    start,
    period,
    count,
    delta,
    exported,
    backwardStart: first,
    backwardRun: run,
    firstBlock,
    blockStep,
  };
}
