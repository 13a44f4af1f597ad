/**
 * Replays a tape over typed arrays: the fallback where generating code is
 * forbidden (a Content-Security-Policy without 'unsafe-eval'), and the path
 * for tapes too large to be worth compiling. Its two loops are derived from
 * the op table's rules (rule-ir.ts), as the eager rules and the compiled code
 * are, so the numbers are the eager engine's, bit for bit: printed as one
 * `switch` over the op codes where `new Function` is allowed, evaluated over
 * numbers where it is not.
 */
import { DOT, OPS, SUM } from '../ops.js';
import {
  canGenerateCode,
  HELPERS,
  NUMBERS,
  printApply,
  printExpr,
  printStmts,
  RULES,
  runStmts,
  type Env,
  type Names,
  type Stmt,
} from '../rule-ir.js';
import type { Value } from '../value.js';
import type { GeneratedFunctions } from './codegen.js';
import { checkSamples, readSample, type InputLayout, type KeyCount } from './inputs.js';
import { dotFusedSlots, type Tape } from './tape.js';

type ForwardLoop = (tape: Tape, d: Float64Array) => void;
/**
 * `safe` 1: a dot whose gradient is 0 and whose value is finite is skipped,
 * which changes no bit where no gradient in `g` is −0 (see ZERO_SAFE_FLAG in
 * codegen.ts); 0: every rule runs.
 */
type BackwardLoop = (tape: Tape, d: Float64Array, g: Float64Array, safe: number) => void;
/**
 * descend's backward loop: the backward loop with the dots skipped where
 * that changes nothing, and the parameters marked in `fused` (used by one dot
 * alone) stepped by lr in that dot (see descendDotUnit in codegen.ts).
 * `skipped[k]` says whether dot k was skipped: its parameters' gradients
 * are then 0, which {@link TapeMachine.descendFast} writes after the last
 * step rather than at every skip.
 */
type DescendLoop = (
  tape: Tape,
  d: Float64Array,
  g: Float64Array,
  lr: number,
  fused: Uint8Array,
  skipped: Uint8Array,
) => void;

/** The forward loop's source: one case per op, each the op's forward on d[ia], d[ib]. */
function forwardSource(): string {
  const cases = OPS.filter((op) => op.arity === 1 || op.arity === 2).map(
    (op) =>
      `case ${op.code}: r = ${printApply(op, op.arity === 1 ? ['d[ia]'] : ['d[ia]', 'd[ib]'])}; break;`,
  );
  return `return function forward(tape, d) {
const { op, a, b, n, args, firstNode } = tape;
const K = op.length;
for (let k = 0; k < K; k++) {
  const ia = a[k], ib = b[k];
  let r;
  switch (op[k]) {
    ${cases.join('\n    ')}
    case ${SUM.code}: { // ((v₀ + v₁) + v₂) + …
      const end = ia + n[k];
      r = d[args[ia]];
      for (let i = ia + 1; i < end; i++) r = r + d[args[i]];
      break;
    }
    case ${DOT.code}: { // ((w₀x₀ + w₁x₁) + …) + bias
      const end = ia + 2 * n[k];
      r = d[args[ia]] * d[args[ia + 1]];
      for (let i = ia + 2; i < end; i += 2) r = r + d[args[i]] * d[args[i + 1]];
      if (ib >= 0) r += d[ib];
      break;
    }
    default: throw new Error("compile: no interpreter rule for op code " + op[k]);
  }
  d[firstNode + k] = r;
}
};`;
}

/**
 * descend's dot: skipped where its gradient is 0 and its value finite (every
 * term then ±0, which changes no gradient that starts at +0), and marked so in
 * `skipped`; a parameter
 * marked in `fused` gets its gradient as 0 + term, as p.grad = 0 receives it,
 * and its step p − lr·g at once. Both values of a pair are read before either
 * is stepped.
 */
function descendDotSource(): string {
  const dot = RULES[DOT.code]?.stmts ?? [];
  const names =
    (a: string, b: string): Names =>
    (role) =>
      role === 'a' ? a : role === 'b' ? b : 'go';
  const into = (stmts: readonly Stmt[] | undefined, slot: string, value: string, nm: Names) => {
    const only = stmts?.[0];
    const plain = printStmts(stmts ?? [], `g[${slot}]`, nm);
    if (stmts?.length !== 1 || only?.k !== 'acc') return `if (rg[${slot}]) { ${plain} }`;
    const term = printExpr(only.term, nm);
    return `if (fused[${slot}]) { const u = 0 ${only.neg ? '-' : '+'} ${term}; g[${slot}] = u; d[${slot}] = ${value} - lr * u; } else if (rg[${slot}]) { ${plain} }`;
  };
  return `case ${DOT.code}: {
      const end = ia + 2 * n[k];
      if (go === 0 && d[out] - d[out] === 0) {
        skipped[k] = 1;
        break;
      }
      skipped[k] = 0;
      for (let j = ia; j < end; j += 2) {
        const w = args[j], x = args[j + 1], dw = d[w], dx = d[x];
        ${into(dot[0], 'w', 'dw', names('dw', 'dx'))}
        ${into(dot[1], 'x', 'dx', names('dw', 'dx'))}
      }
      if (ib >= 0) { const db = d[ib]; ${into(dot[2], 'ib', 'db', names('db', 'db'))} }
      break;
    }`;
}

/**
 * The backward loop's source: per op, its chain-rule statements into
 * g[operand]; for descend, with its own dot (see {@link descendDotSource}).
 */
function backwardSource(descend: boolean): string {
  const at =
    (a: string, b: string, v: string): Names =>
    (role) =>
      role === 'a' ? `d[${a}]` : role === 'b' ? `d[${b}]` : role === 'v' ? `d[${v}]` : 'go';
  const into = (stmts: readonly Stmt[] | undefined, slot: string, names: Names): string => {
    const body = printStmts(stmts ?? [], `g[${slot}]`, names);
    return body === '' ? '' : `if (rg[${slot}]) { ${body} }`;
  };
  const cases = RULES.filter(({ op }) => op.arity === 1 || op.arity === 2).map(({ op, stmts }) => {
    const names = at('ia', 'ib', 'out');
    const second = op.arity === 2 ? into(stmts[1], 'ib', names) : '';
    return `case ${op.code}: ${into(stmts[0], 'ia', names)} ${second} break;`;
  });
  const sum = RULES[SUM.code]?.stmts ?? [];
  const dot = RULES[DOT.code]?.stmts ?? [];
  const dotCase = descend
    ? descendDotSource()
    : `case ${DOT.code}: {
      if (safe !== 0 && go === 0 && d[out] - d[out] === 0) break;
      const end = ia + 2 * n[k];
      for (let j = ia; j < end; j += 2) {
        const w = args[j], x = args[j + 1];
        ${into(dot[0], 'w', at('w', 'x', 'out'))} ${into(dot[1], 'x', at('w', 'x', 'out'))}
      }
      if (ib >= 0) { ${into(dot[2], 'ib', at('ib', 'ib', 'out'))} }
      break;
    }`;
  return `return function backward(tape, d, g${descend ? ', lr, fused, skipped' : ', safe'}) {
const { op, a, b, n, args, firstNode, requiresGrad: rg, backward: order } = tape;
for (let i = 0; i < order.length; i++) {
  const k = order[i], ia = a[k], ib = b[k], out = firstNode + k, go = g[out];
  switch (op[k]) {
    ${cases.join('\n    ')}
    case ${SUM.code}: {
      const end = ia + n[k];
      for (let j = ia; j < end; j++) { const t = args[j]; ${into(sum[0], 't', at('t', 't', 'out'))} }
      break;
    }
    ${dotCase}
    default: throw new Error("compile: no interpreter rule for op code " + op[k]);
  }
}
};`;
}

interface Loops {
  forward: ForwardLoop;
  backward: BackwardLoop;
  /** null: descend runs `backward` and steps every parameter after it. */
  descend: DescendLoop | null;
}

function generatedLoops(): Loops {
  const make = (source: string): unknown =>
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    (new Function(...HELPERS.names, `"use strict"; ${source}`) as (...f: unknown[]) => unknown)(
      ...HELPERS.fns,
    );
  return {
    forward: make(forwardSource()) as ForwardLoop,
    backward: make(backwardSource(false)) as BackwardLoop,
    descend: make(backwardSource(true)) as DescendLoop,
  };
}

// ---- the same loops evaluating the rules (no `new Function`) -----------------

const env: Env<number> = { a: 0, b: 0, v: 0, g: 0 };

const evaluatedForward: ForwardLoop = (tape, d) => {
  const { op, a, b, n, args, firstNode } = tape;
  for (let k = 0; k < op.length; k++) {
    const code = op[k] as number;
    const ia = a[k] as number;
    const ib = b[k] as number;
    let r: number;
    if (code === SUM.code) {
      r = d[args[ia] as number] as number;
      for (let i = ia + 1; i < ia + (n[k] as number); i++) r = r + (d[args[i] as number] as number);
    } else if (code === DOT.code) {
      const end = ia + 2 * (n[k] as number);
      r = (d[args[ia] as number] as number) * (d[args[ia + 1] as number] as number);
      for (let i = ia + 2; i < end; i += 2)
        r = r + (d[args[i] as number] as number) * (d[args[i + 1] as number] as number);
      if (ib >= 0) r += d[ib] as number;
    } else {
      r = (OPS[code] as (typeof OPS)[number]).forward(
        d[ia] as number,
        ib >= 0 ? (d[ib] as number) : 0,
      );
    }
    d[firstNode + k] = r;
  }
};

const evaluatedBackward: BackwardLoop = (tape, d, g, safe) => {
  const { op, a, b, n, args, firstNode, requiresGrad: rg, backward: order } = tape;
  let slot = 0;
  const add = (neg: boolean, term: number): void => {
    g[slot] = neg ? (g[slot] as number) - term : (g[slot] as number) + term;
  };
  const into = (stmts: readonly Stmt[] | undefined, s: number): void => {
    if (stmts === undefined || !rg[s]) return;
    slot = s;
    runStmts(NUMBERS, stmts, env, add);
  };
  for (let i = 0; i < order.length; i++) {
    const k = order[i] as number;
    const code = op[k] as number;
    const ia = a[k] as number;
    const ib = b[k] as number;
    const out = firstNode + k;
    const stmts = (RULES[code] as (typeof RULES)[number]).stmts;
    env.v = d[out] as number;
    env.g = g[out] as number;
    if (code === SUM.code) {
      for (let j = ia; j < ia + (n[k] as number); j++) {
        env.a = d[args[j] as number] as number;
        into(stmts[0], args[j] as number);
      }
    } else if (code === DOT.code) {
      if (safe !== 0 && env.g === 0 && env.v - env.v === 0) continue;
      for (let j = ia; j < ia + 2 * (n[k] as number); j += 2) {
        env.a = d[args[j] as number] as number;
        env.b = d[args[j + 1] as number] as number;
        into(stmts[0], args[j] as number);
        into(stmts[1], args[j + 1] as number);
      }
      if (ib >= 0) into(stmts[2], ib);
    } else {
      env.a = d[ia] as number;
      env.b = ib >= 0 ? (d[ib] as number) : 0;
      into(stmts[0], ia);
      if (ib >= 0) into(stmts[1], ib);
    }
  }
};

const evaluated: Loops = { forward: evaluatedForward, backward: evaluatedBackward, descend: null };
let loops: Loops | null = null;
/** The loops, made on first use: printed where `new Function` works, else evaluated. */
function theLoops(): Loops {
  return (loops ??= canGenerateCode() ? generatedLoops() : evaluated);
}
/** @internal For tests: force the evaluated loops (as where `new Function` is forbidden), or go back. */
export function useEvaluatedLoops(on: boolean): void {
  loops = on ? evaluated : null;
}

/** descendFast's trained slots: see {@link TapeMachine.fusedSlots}. */
interface Split {
  readonly fused: Uint8Array;
  readonly rest: Int32Array;
  /** Per op node: 1 if the last step skipped it (a dot). */
  readonly skipped: Uint8Array;
}

/**
 * The tape's numbers: one value and one gradient per slot, allocated once (or
 * given: the WebAssembly replay's memory), and their traffic with the Values.
 */
export class TapeMachine {
  readonly tape: Tape;
  readonly data: Float64Array;
  readonly grad: Float64Array;

  constructor(
    tape: Tape,
    data = new Float64Array(tape.nSlots),
    grad = new Float64Array(tape.nSlots),
  ) {
    this.tape = tape;
    this.data = data;
    this.grad = grad;
    this.data.set(tape.constants, tape.nInputs + tape.params.length);
  }

  /** Reads every parameter's `data` into its slot. */
  loadParams(): void {
    const { params, nInputs } = this.tape;
    const data = this.data;
    for (let i = 0; i < params.length; i++)
      data[nInputs + i] = (params[i] as { data: number }).data;
  }

  /**
   * Whether {@link backward} may skip a dot whose gradient is 0 (see
   * BackwardLoop): 0 while a loaded parameter gradient is −0.
   */
  private safe = 1;

  /**
   * Reads the gradients of the parameters that require one: backward adds to
   * them. Returns 1 if none is −0, else 0 (see {@link safe}).
   */
  loadParamGrads(): number {
    const { params, nInputs, paramRequiresGrad } = this.tape;
    const grad = this.grad;
    let safe = 1;
    for (let i = 0; i < params.length; i++)
      if (paramRequiresGrad[i]) {
        const q = (params[i] as { grad: number }).grad;
        grad[nInputs + i] = q;
        if (q === 0 && 1 / q < 0) safe = 0;
      }
    this.safe = safe;
    return safe;
  }

  /** Writes the accumulated gradients back into the parameters. */
  storeParamGrads(): void {
    const { params, nInputs, paramRequiresGrad } = this.tape;
    const grad = this.grad;
    for (let i = 0; i < params.length; i++)
      if (paramRequiresGrad[i]) (params[i] as { grad: number }).grad = grad[nInputs + i] as number;
  }

  /**
   * Whether a trained parameter's slot holds a non-finite number: Σ x − x is
   * 0 when every x is finite, else NaN (see {@link descendFast}).
   */
  poisoned(): boolean {
    const d = this.data;
    let poison = 0;
    for (const s of this.trainedSlots()) {
      const x = d[s] as number;
      poison = poison + (x - x);
    }
    return poison !== 0;
  }

  /** Writes the trained parameters' slots back into their Values. */
  storeParams(): void {
    const { params, nInputs } = this.tape;
    const d = this.data;
    for (const s of this.trainedSlots()) (params[s - nInputs] as Value).data = d[s] as number;
  }

  /**
   * `descend` of compile.ts, checked at every step: for each sample, forward,
   * backward from gradients of 0 and p ← p − lr·g for the trained parameters,
   * held in the slots; each output goes to `losses`, their sum is returned, and
   * the Values are written once, after the last step. A step
   * with a non-finite gradient or parameter throws, and nothing is written.
   */
  descend(
    layout: InputLayout,
    columns: readonly ArrayLike<number>[],
    count: number,
    lr: number,
    losses: Float64Array,
  ): number {
    if (count === 0) return 0;
    const { sizes, offsets } = layout;
    const trained = this.trainedSlots();
    const next = new Float64Array(trained.length);
    const d = this.data;
    const g = this.grad;
    let total = 0;
    this.loadParams();
    for (let k = 0; k < count; k++) {
      loadSample(d, columns, sizes, offsets, k);
      for (let j = 0; j < trained.length; j++) g[trained[j] as number] = 0;
      const out = this.forward();
      losses[k] = out;
      total += out;
      this.backward();
      for (const s of trained) {
        if (!Number.isFinite(g[s]))
          throw this.fault(k, `the gradient of ${this.nameOf(s)} is ${g[s]}`);
      }
      for (let j = 0; j < trained.length; j++) {
        const s = trained[j] as number;
        next[j] = (d[s] as number) - lr * (g[s] as number);
        if (!Number.isFinite(next[j]))
          throw this.fault(
            k,
            `the update would make ${this.nameOf(s)} ${next[j]}`,
            ' (is lr too large?)',
          );
      }
      for (let j = 0; j < trained.length; j++) d[trained[j] as number] = next[j] as number;
    }
    this.storeParams();
    this.storeParamGrads();
    return total;
  }

  /**
   * {@link descend} without a check per step: each step's new values go into
   * the slots at once (the step's gradient is complete by then), and after
   * the last step every trained parameter x adds x − x into `poison` (0 if x
   * is finite, else NaN). A step the checked loop refuses leaves a non-finite
   * parameter behind: a non-finite gradient makes x − lr·g non-finite (lr is
   * positive and finite), and a non-finite x stays so. A poisoned pass has
   * written only slots, never a Value nor `losses`' caller: it runs again
   * checked, from the Values, and throws at the step that failed. With the
   * printed loops, the parameters one dot alone uses are stepped in that dot
   * (DescendLoop), the others after the pass.
   */
  descendFast(
    layout: InputLayout,
    columns: readonly ArrayLike<number>[],
    count: number,
    lr: number,
    losses: Float64Array,
  ): number {
    if (count === 0) return 0;
    const { firstNode, backward: order, output } = this.tape;
    const { sizes, offsets } = layout;
    const loop = theLoops().descend;
    const { fused, rest, skipped } = this.fusedSlots(loop !== null);
    const d = this.data;
    const g = this.grad;
    let total = 0;
    this.loadParams();
    for (let k = 0; k < count; k++) {
      loadSample(d, columns, sizes, offsets, k);
      for (let j = 0; j < rest.length; j++) g[rest[j] as number] = 0;
      const out = this.forward();
      losses[k] = out;
      total += out;
      if (loop === null || output < firstNode) this.backward();
      else {
        for (let i = 0; i < order.length; i++) g[firstNode + (order[i] as number)] = 0;
        g[output] = 1;
        loop(this.tape, d, g, lr, fused, skipped);
      }
      for (let j = 0; j < rest.length; j++) {
        const s = rest[j] as number;
        d[s] = (d[s] as number) - lr * (g[s] as number);
      }
    }
    if (this.poisoned()) return this.descend(layout, columns, count, lr, losses);
    if (loop !== null) this.zeroSkipped(fused, skipped);
    this.storeParams();
    this.storeParamGrads();
    return total;
  }

  /**
   * descendFast's split of the trained slots: `fused` marks those a single
   * dot uses (stepped by the descend loop), `rest` lists the others. Made on
   * first use; without the descend loop, nothing is fused.
   */
  private readonly splits: (Split | null)[] = [null, null];
  private fusedSlots(loop: boolean): Split {
    return (this.splits[loop ? 1 : 0] ??= this.splitTrained(loop));
  }

  /** The last step's gradient of the parameters of the dots it skipped: 0 (see DescendLoop). */
  private zeroSkipped(fused: Uint8Array, skipped: Uint8Array): void {
    const { a, b, n, args } = this.tape;
    const g = this.grad;
    for (let k = 0; k < skipped.length; k++) {
      if (skipped[k] === 0) continue;
      const ia = a[k] as number;
      for (let j = ia; j < ia + 2 * (n[k] as number); j++)
        if (fused[args[j] as number]) g[args[j] as number] = 0;
      const ib = b[k] as number;
      if (ib >= 0 && fused[ib]) g[ib] = 0;
    }
  }

  private splitTrained(loop: boolean): Split {
    const tape = this.tape;
    const fused = loop ? dotFusedSlots(tape) : new Uint8Array(tape.nSlots);
    return {
      fused,
      rest: this.trainedSlots().filter((s) => fused[s] === 0),
      skipped: new Uint8Array(tape.op.length),
    };
  }

  /** The slots of the parameters that require a gradient, made on first use. */
  private trained: Int32Array | null = null;
  private trainedSlots(): Int32Array {
    const { nInputs, params, paramRequiresGrad } = this.tape;
    return (this.trained ??= Int32Array.from(
      params.flatMap((_, i) => (paramRequiresGrad[i] ? [nInputs + i] : [])),
    ));
  }

  /** The parameter in `slot`, as `f.parameters` lists it, with its label if it has one. */
  private nameOf(slot: number): string {
    const i = slot - this.tape.nInputs;
    const label = (this.tape.params[i] as Value).label;
    return label === undefined ? `f.parameters[${i}]` : `f.parameters[${i}] ('${label}')`;
  }

  /** The error of descend's step k. */
  private fault(k: number, what: string, hint = ''): RangeError {
    return new RangeError(
      `descend(data, lr, losses): at sample ${k}, ${what}; nothing was changed${hint}`,
    );
  }

  /** Computes every op node from its operands; returns the output. */
  forward(): number {
    theLoops().forward(this.tape, this.data);
    return this.data[this.tape.output] as number;
  }

  /**
   * Adds ∂output/∂slot into the gradient of every slot that requires one,
   * visiting the op nodes in eager `backward()`'s order. The caller has loaded
   * the parameters' gradients (they accumulate) and run forward.
   */
  backward(): void {
    const { firstNode, backward: order, output } = this.tape;
    const g = this.grad;
    if (output < firstNode) {
      g[output] = (g[output] as number) + 1; // a leaf output: ∂root/∂root = 1, accumulated
      return;
    }
    // Op nodes' gradients start from 0 on every pass, the output's at 1.
    for (let i = 0; i < order.length; i++) g[firstNode + (order[i] as number)] = 0;
    g[output] = 1;
    theLoops().backward(this.tape, this.data, g, this.safe);
  }
}

/**
 * The interpreter behind the calls generated code makes: `compile`'s mode
 * 'interpreter', and a generated function's call made while another call of
 * its shape is using the shared slots.
 */
export function interpret(
  tape: Tape,
  layout: InputLayout,
  noGradient: (where: string) => never,
): GeneratedFunctions {
  const m = new TapeMachine(tape);
  const scratch = new Float64Array(layout.width);
  const trainable = tape.requiresGrad[tape.output] === 1;
  const counted: KeyCount = { last: null };
  return {
    run(sample: unknown): number {
      readSample(layout, sample, m.data, 0, 'run(inputs)', counted);
      m.loadParams();
      return m.forward();
    },
    backward(sample: unknown): number {
      if (!trainable) noGradient('backward(inputs)');
      readSample(layout, sample, m.data, 0, 'backward(inputs)', counted);
      m.loadParams();
      m.loadParamGrads();
      const out = m.forward();
      m.backward();
      m.storeParamGrads();
      return out;
    },
    accumulate(samples: unknown): number {
      if (!trainable) noGradient('accumulate(samples)');
      checkSamples(samples, 'accumulate(samples)');
      for (let i = 0; i < samples.length; i++)
        readSample(layout, samples[i], scratch, 0, i, counted);
      m.loadParams();
      m.loadParamGrads();
      let total = 0;
      for (let i = 0; i < samples.length; i++) {
        readSample(layout, samples[i], m.data, 0, i);
        total += m.forward();
        m.backward();
      }
      m.storeParamGrads();
      return total;
    },
    descend: (columns, count, lr, losses) => m.descendFast(layout, columns, count, lr, losses),
  };
}

/** Sample k of `columns` into the input slots of `d` (a vector input's numbers lie sample after sample). */
export function loadSample(
  d: Float64Array,
  columns: readonly ArrayLike<number>[],
  sizes: ArrayLike<number>,
  offsets: ArrayLike<number>,
  k: number,
): void {
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as ArrayLike<number>;
    const size = sizes[i] as number;
    const at = offsets[i] as number;
    if (size < 0) d[at] = column[k] as number;
    else for (let j = 0; j < size; j++) d[at + j] = column[k * size + j] as number;
  }
}
