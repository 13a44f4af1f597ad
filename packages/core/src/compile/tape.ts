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
import { EPOCH_SHIFT, OP_MASK, REQUIRES_GRAD as RG, TRACED } from '../flags.js';
import { ADD, DOT, SUM } from '../ops.js';
import { RULES } from '../rule-ir.js';
import { backwardOrder } from '../backward.js';
import { nodesBelow } from '../graph-walk.js';
import type { Value } from '../value.js';

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

/**
 * While a tape is built, each node's `grad` holds its slot: a field read where
 * a Map lookup per operand (60,000 of them in W1's batch graph) cost most of
 * the time. Before the slots are handed out it holds UNSEEN, or CONSTANT for a
 * leaf or node whose number will be baked in. The grads are saved first and
 * put back before buildTape returns, whatever happens. A frozen Value's grad
 * cannot be written: its slot is kept in a Map instead.
 */
const UNSEEN = -2;
const CONSTANT = -1;

class Slots {
  private frozen: Map<Value, number> | null = null;

  get(v: Value): number {
    const m = this.frozen;
    return m !== null && m.has(v) ? (m.get(v) as number) : v.grad;
  }

  set(v: Value, slot: number): void {
    const m = this.frozen;
    if (m !== null && m.has(v)) {
      m.set(v, slot);
      return;
    }
    try {
      v.grad = slot;
    } catch {
      // Assigning to a frozen object throws in strict code.
      (this.frozen ??= new Map()).set(v, slot);
    }
  }

  /** Whether v's grad was left alone (it is frozen). */
  isFrozen(v: Value): boolean {
    return this.frozen !== null && this.frozen.has(v);
  }
}

/** Whether `test` holds for every operand of op node v (in no particular order; stops at the first false). */
const everyOperand = (v: Value, test: (u: Value) => boolean): boolean =>
  everyIn(v._a, test) && everyIn(v._b, test);

function everyIn(field: Value | readonly Value[] | null, test: (u: Value) => boolean): boolean {
  if (!Array.isArray(field)) return field === null || test(field as Value);
  const list = field as readonly Value[];
  for (let i = 0; i < list.length; i++) if (!test(list[i] as Value)) return false;
  return true;
}

/** Whether every operand of op node v is a constant. */
const fromConstantsOnly = (v: Value, slots: Slots): boolean =>
  everyOperand(v, (u) => slots.get(u) === CONSTANT);

/**
 * Flattens the graph below `root`. `inputs` are the placeholders (slot i for
 * inputs[i]); `declared` are leaves to read live even if they need no
 * gradient; every other leaf that requires a gradient is read live too.
 * `refuse`, if given, is shown every other leaf that carries TRACED or an
 * epoch (traced.ts) and may throw (compile's check).
 */
export function buildTape(
  root: Value,
  inputs: readonly Value[],
  declared: readonly Value[],
  refuse: ((leaf: Value) => void) | null = null,
): Tape {
  const all = nodesBelow(root);
  // Saved as they are (a plain array keeps whatever a grad holds).
  const savedGrads: number[] = new Array<number>(all.length);
  const savedInputGrads: number[] = new Array<number>(inputs.length);
  for (let i = 0; i < all.length; i++) savedGrads[i] = (all[i] as Value).grad;
  for (let i = 0; i < inputs.length; i++) savedInputGrads[i] = (inputs[i] as Value).grad;
  const slots = new Slots();
  try {
    for (let i = 0; i < all.length; i++) slots.set(all[i] as Value, UNSEEN);
    for (let i = 0; i < inputs.length; i++) slots.set(inputs[i] as Value, i);
    return flatten(root, inputs, declared, all, refuse, slots);
  } finally {
    for (let i = 0; i < all.length; i++) {
      const v = all[i] as Value;
      if (!slots.isFrozen(v)) v.grad = savedGrads[i] as number;
    }
    for (let i = 0; i < inputs.length; i++) {
      const v = inputs[i] as Value;
      if (!slots.isFrozen(v)) v.grad = savedInputGrads[i] as number;
    }
  }
}

/** buildTape's work, with every node's slot kept in `slots` (see UNSEEN). */
// Longer than ~60 lines: one pass over the recorded nodes writing every typed array of the tape; its counters are shared by every case.
function flatten(
  root: Value,
  inputs: readonly Value[],
  declared: readonly Value[],
  all: readonly Value[],
  refuse: ((leaf: Value) => void) | null,
  slots: Slots,
): Tape {
  const declaredSet = declared.length > 0 ? new Set(declared) : null;
  const params: Value[] = [];
  const constantNodes: Value[] = [];
  let opNodes: Value[] = [];
  let nArgs = 0;
  for (let i = 0; i < all.length; i++) {
    const v = all[i] as Value;
    if (slots.get(v) >= 0) continue; // an input
    if ((v._f & OP_MASK) === 0) {
      if (refuse !== null && (v._f & TRACED || v._f >>> EPOCH_SHIFT !== 0)) refuse(v);
      if ((declaredSet !== null && declaredSet.has(v)) || v._f & RG) {
        params.push(v);
      } else {
        slots.set(v, CONSTANT);
        constantNodes.push(v);
      }
    } else if (fromConstantsOnly(v, slots)) {
      // Computed from constants alone: its recorded number is the number.
      slots.set(v, CONSTANT);
      constantNodes.push(v);
    } else {
      opNodes.push(v);
      // sum: its terms; dot: two slots per pair (the bias has its own field).
      if (Array.isArray(v._b)) nArgs += 2 * (v._b as readonly Value[]).length;
      else if (Array.isArray(v._a)) nArgs += (v._a as readonly Value[]).length;
    }
  }
  // Long running sums written as chains of binary adds become sum nodes.
  // The eager visiting order: the schedule, and the check that a chain may go.
  let order: Value[] | null = null;
  const visitsOf = (): Value[] => (order ??= backwardOrder(root));
  const chains = addChains(root, opNodes, visitsOf, slots);
  // Per op node kept: the terms of the sum it becomes, if it tops a chain.
  let sumTerms: (readonly Value[] | undefined)[] | null = null;
  if (chains !== null) {
    const kept: Value[] = [];
    sumTerms = [];
    for (const v of opNodes) {
      const mark = slots.get(v);
      if (mark === ABSORBED) continue;
      const terms = mark >= TOP && mark < TOP + chains.length ? chains[mark - TOP] : undefined;
      kept.push(v);
      sumTerms.push(terms);
      if (terms !== undefined) nArgs += terms.length;
    }
    opNodes = kept;
  }
  const nInputs = inputs.length;
  const nParams = params.length;
  const requiresGradOfParam = new Uint8Array(nParams);
  for (let i = 0; i < nParams; i++) {
    const v = params[i] as Value;
    slots.set(v, nInputs + i);
    requiresGradOfParam[i] = v._f & RG ? 1 : 0;
  }
  const constants = new Float64Array(constantNodes.length);
  for (let i = 0; i < constantNodes.length; i++) {
    const v = constantNodes[i] as Value;
    slots.set(v, nInputs + nParams + i);
    constants[i] = v.data;
  }
  const firstNode = nInputs + nParams + constantNodes.length;
  const K = opNodes.length;
  for (let k = 0; k < K; k++) slots.set(opNodes[k] as Value, firstNode + k);
  const nSlots = firstNode + K;

  const requiresGrad = new Uint8Array(nSlots);
  requiresGrad.set(requiresGradOfParam, nInputs);
  const op = new Uint8Array(K);
  const a = new Int32Array(K);
  const b = new Int32Array(K).fill(-1);
  const n = new Int32Array(K);
  const args = new Int32Array(nArgs);
  let at = 0;
  for (let k = 0; k < K; k++) {
    const v = opNodes[k] as Value;
    const code = v._f & OP_MASK;
    op[k] = code;
    requiresGrad[firstNode + k] = v._f & RG ? 1 : 0;
    const terms = sumTerms?.[k];
    if (terms !== undefined) {
      // The top of a chain of adds: a sum of the chain's terms (see addChains).
      op[k] = SUM.code;
      a[k] = at;
      n[k] = terms.length;
      for (let j = 0; j < terms.length; j++) args[at++] = slots.get(terms[j] as Value);
    } else if (code === DOT.code) {
      // The pairs interleaved, the bias in b.
      const ws = v._a as readonly Value[];
      const xs = v._b as readonly Value[];
      a[k] = at;
      n[k] = xs.length;
      for (let j = 0; j < xs.length; j++) {
        args[at++] = slots.get(ws[j] as Value);
        args[at++] = slots.get(xs[j] as Value);
      }
      if (ws.length > xs.length) b[k] = slots.get(ws[xs.length] as Value);
    } else if (code === SUM.code) {
      const list = v._a as readonly Value[];
      a[k] = at;
      n[k] = list.length;
      for (let j = 0; j < list.length; j++) args[at++] = slots.get(list[j] as Value);
    } else {
      a[k] = slots.get(v._a as Value);
      // A binary op's second operand.
      if (v._b !== null) b[k] = slots.get(v._b as Value);
    }
  }

  const scheduled =
    chains === null ? visitsOf() : visitsOf().filter((v) => slots.get(v) !== ABSORBED);
  const backward = new Int32Array(scheduled.length);
  for (let i = 0; i < scheduled.length; i++)
    backward[i] = slots.get(scheduled[i] as Value) - firstNode;
  return {
    nInputs,
    params,
    paramRequiresGrad: requiresGradOfParam,
    constants,
    firstNode,
    nSlots,
    op,
    a,
    b,
    n,
    args,
    requiresGrad,
    backward,
    output: slots.get(root),
  };
}

/** A chain shorter than this stays as it is: a sum only pays off as a loop. */
const MIN_CHAIN = 8;
/**
 * Marks in the slots while chains are looked for (see UNSEEN): an op node
 * read by c op nodes holds COUNTED − c; an add already walked, WALKED; after
 * the search, a chain's top holds TOP + its index in the returned list and its
 * other adds ABSORBED, until slots are handed out.
 */
const COUNTED = -10;
const WALKED = -5;
const ABSORBED = -6;
const TOP = -(2 ** 30);

/**
 * Finds the running sums written as chains of binary adds,
 * `A₁ = t₀ + t₁, A₂ = A₁ + t₂, …, Aₘ = Aₘ₋₁ + tₘ` (micrograd's `sum(losses)`,
 * its neurons' `act = act + wᵢ·xᵢ`, or `s = s.add(l)` in a loop), so the tape
 * can hold one sum node of t₀ … tₘ in place of Aₘ and leave out A₁ … Aₘ₋₁:
 * a sum node is what the code generator turns into a loop over samples. That
 * is exact:
 *
 * - forward, a sum adds its terms left to right: the same additions;
 * - backward, every Aᵢ passes its gradient on unchanged (0 + g, which differs
 *   from g only for g = −0), and each term receives it once. A term here is an
 *   op node read by its add alone, so its gradient is 0 + that, the same
 *   double for ±0, and it receives nothing else;
 * - eager `backward()` visits Aₘ, Aₘ₋₁, …, A₁ one after another (each is
 *   placed in its depth-first order as soon as the one below it is), and then
 *   the terms' subgraphs in the order a sum node's visit reaches them: when
 *   Aₖ is entered it pushes Aₖ₋₁ and then tₖ; tₖ's subgraph cannot reach
 *   Aₖ₋₁, whose one reader is Aₖ, so Aₖ₋₁ is next, and each add is placed
 *   right after the one below it. The schedule keeps the sum where Aₘ was.
 *   This is checked on the eager order anyway, and a chain whose adds are
 *   not visited so is left alone.
 *
 * Each Aᵢ below the top must be read by the next add alone and not be the
 * output. Returns the chains' terms (t₀ … tₘ, forward order), indexed as the
 * TOP marks say, or null when no chain of MIN_CHAIN terms or more goes.
 */
// Longer than ~60 lines: one pass that merges chains of additions, with its bookkeeping shared across cases.
function addChains(
  root: Value,
  opNodes: readonly Value[],
  visitsOf: () => readonly Value[],
  slots: Slots,
): Value[][] | null {
  if (opNodes.length < MIN_CHAIN) return null;
  let adds = 0;
  for (const v of opNodes) if ((v._f & OP_MASK) === ADD.code) adds++;
  if (adds < MIN_CHAIN - 1) return null;
  // Consumers, counted among the op nodes (inputs, parameters and constants hold other marks).
  for (const v of opNodes) slots.set(v, COUNTED);
  const isOp = (u: Value): boolean => slots.get(u) <= COUNTED;
  const read = (u: Value): boolean => {
    if (isOp(u)) slots.set(u, slots.get(u) - 1);
    return true;
  };
  for (const v of opNodes) everyOperand(v, read);
  const isTerm = (u: Value): boolean => slots.get(u) === COUNTED - 1 && u !== root;
  const continues = (u: Value): boolean => isTerm(u) && (u._f & OP_MASK) === ADD.code;

  // Candidates, top first: from the last node back, so a chain's top is met
  // before the adds below it, which the walk marks WALKED.
  const chains: Value[][] = [];
  const termLists: Value[][] = [];
  for (let k = opNodes.length - 1; k >= 0; k--) {
    const top = opNodes[k] as Value;
    if ((top._f & OP_MASK) !== ADD.code || slots.get(top) === WALKED) continue;
    // Down the chain: each add's second operand is a term, its first the add below.
    const chain: Value[] = [top];
    const terms: Value[] = [];
    let cur = top;
    for (;;) {
      const below = cur._a as Value;
      const term = cur._b as Value;
      if (!isTerm(term)) {
        // cur cannot join: it is the chain's first term instead.
        chain.pop();
        terms.push(cur);
        break;
      }
      terms.push(term);
      if (continues(below)) {
        chain.push(below);
        cur = below;
        continue;
      }
      if (isTerm(below)) terms.push(below);
      else {
        chain.pop();
        terms.pop();
        terms.push(cur);
      }
      break;
    }
    for (const v of chain) slots.set(v, WALKED);
    if (chain.length > 0 && terms.length >= MIN_CHAIN) {
      slots.set(top, TOP + chains.length);
      chains.push(chain);
      termLists.push(terms.reverse());
    }
  }
  const accepted = chains.map(() => true);
  if (chains.length > 0) checkVisits(chains, accepted, visitsOf(), slots);
  // Reset every mark but an accepted chain's, for the slots to come.
  for (const v of opNodes) slots.set(v, UNSEEN);
  let any = false;
  chains.forEach((chain, c) => {
    if (!accepted[c]) return;
    any = true;
    slots.set(chain[0] as Value, TOP + c);
    for (let i = 1; i < chain.length; i++) slots.set(chain[i] as Value, ABSORBED);
  });
  return any ? termLists : null;
}

/**
 * Clears `accepted[c]` for a chain (adds, top first) whose adds eager
 * backward does not visit one after another, top first, or visits in part
 * other than a prefix. An add is visited when it requires a gradient.
 */
function checkVisits(
  chains: readonly Value[][],
  accepted: boolean[],
  visits: readonly Value[],
  slots: Slots,
): void {
  const seen = chains.map(() => false);
  for (let i = 0; i < visits.length; i++) {
    const mark = slots.get(visits[i] as Value);
    if (mark < TOP || mark >= TOP + chains.length) continue;
    const c = mark - TOP;
    const chain = chains[c] as Value[];
    seen[c] = true;
    let j = 0;
    while (j < chain.length && visits[i + j] === chain[j]) j++;
    // The rest must be unvisited: none of them requires a gradient.
    for (let r = j; r < chain.length; r++) if ((chain[r] as Value)._f & RG) accepted[c] = false;
  }
  // A top that is not visited: none of its adds may be.
  chains.forEach((chain, c) => {
    if (!seen[c] && chain.some((v) => v._f & RG)) accepted[c] = false;
  });
}

/**
 * How many times each slot is an operand of an op node: a dot's weights,
 * inputs and bias, a sum's terms, an op's a and b. A trained parameter used
 * once receives one term per backward pass.
 */
export function operandUses(tape: Tape): Int32Array {
  const { op, a, b, n, args } = tape;
  const uses = new Int32Array(tape.nSlots);
  for (let k = 0; k < op.length; k++) {
    const code = op[k] as number;
    const ia = a[k] as number;
    const list =
      code === DOT.code ? 2 * (n[k] as number) : code === SUM.code ? (n[k] as number) : 0;
    if (list === 0) uses[ia] = (uses[ia] as number) + 1;
    for (let j = ia; j < ia + list; j++) {
      const t = args[j] as number;
      uses[t] = (uses[t] as number) + 1;
    }
    const ib = b[k] as number;
    if (ib >= 0) uses[ib] = (uses[ib] as number) + 1;
  }
  return uses;
}

/**
 * Per slot, 1 for a trained parameter that one dot alone uses (its only use,
 * its rule there one addition): descend steps it inside that dot, as
 * p − lr·(0 + term), the interpreter's descend loop and the WebAssembly step alike.
 */
export function dotFusedSlots(tape: Tape): Uint8Array {
  const { nInputs, params, paramRequiresGrad, op, a, b, n, args } = tape;
  const uses = operandUses(tape);
  const rules = (RULES[DOT.code] as (typeof RULES)[number]).stmts;
  const single = rules.map((rule) => rule?.length === 1 && rule[0]?.k === 'acc');
  const fused = new Uint8Array(tape.nSlots);
  const mark = (s: number, side: number): void => {
    const i = s - nInputs;
    if (i >= 0 && i < params.length && paramRequiresGrad[i] === 1 && uses[s] === 1)
      fused[s] = single[side] === true ? 1 : 0;
  };
  for (let k = 0; k < op.length; k++) {
    if (op[k] !== DOT.code) continue;
    const ia = a[k] as number;
    for (let j = ia; j < ia + 2 * (n[k] as number); j += 2) {
      mark(args[j] as number, 0);
      mark(args[j + 1] as number, 1);
    }
    if ((b[k] as number) >= 0) mark(b[k] as number, 2);
  }
  return fused;
}
