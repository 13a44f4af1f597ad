/**
 * Generates straight-line JavaScript for a tape: every slot a local variable,
 * every constant a literal, the forward and backward rules of ops.ts written
 * out node by node in the engine's order. One function runs one sample
 * (forward, or forward and backward); `accumulate` loops over samples with
 * the parameters and their gradients held in locals, written back once.
 */
import { DOT, OPS, SUM, type Op } from '../ops.js';
import {
  canGenerateCode,
  HELPERS,
  numberLiteral,
  printApply,
  printExpr,
  printStmts,
  RULES,
  type Names,
  type Role,
  type Stmt,
} from '../rule-ir.js';
import type { Value } from '../value.js';
import { checkSamples, readSample, type InputLayout } from './inputs.js';
import { interpret, TapeMachine } from './interpreter.js';
import { wasmReplay } from './wasm-replay.js';
import { findRepeat, type Repeat } from './repeats.js';
import { CodeCache, WorkCounter, type Code } from './code-cache.js';
import { dotFusedSlots, type Tape } from './tape.js';

/** What the generated code does for one tape. */
export interface GeneratedFunctions {
  readonly run: (sample: unknown) => number;
  readonly backward: (sample: unknown) => number;
  readonly accumulate: (samples: unknown) => number;
  /**
   * Online gradient descent over checked columns (see `descend` in compile.ts):
   * writes each step's output into `losses` and returns their sum.
   */
  readonly descend: (
    columns: readonly ArrayLike<number>[],
    count: number,
    lr: number,
    losses: Float64Array,
  ) => number;
}

export { canGenerateCode, numberLiteral };

/** An op's forward rule applied to operand expressions, as the op table's `js` form writes it. */
function forwardExpr(code: number, a: string, b: string | null): string {
  return printApply(OPS[code] as Op, b === null ? [a] : [a, b]);
}

/**
 * A backward statement: `to += term;` (or `-=`), kept apart so that
 * {@link foldFirstTerms} can rewrite the first term into a local as data, or
 * any other code with the gradient locals it assigns.
 */
type Line =
  | { readonly k: 'acc'; readonly to: string; readonly neg: boolean; readonly term: string }
  | { readonly k: 'code'; readonly text: string; readonly assigns: readonly string[] };
/** The statements of one step of the backward pass. */
type Unit = readonly Line[];

const codeUnit = (text: string): Unit => [{ k: 'code', text, assigns: [] }];

const printLine = (line: Line): string =>
  line.k === 'code' ? line.text : `${line.to} ${line.neg ? '-' : '+'}= ${line.term};`;
const printUnit = (unit: Unit): string => unit.map(printLine).join('\n');
const printUnits = (units: readonly Unit[]): string[] =>
  units.map(printUnit).filter((u) => u !== '');

/**
 * The chain-rule statements of one operand (rule-ir.ts) adding into the
 * gradient `to` (null: it needs none, and nothing is printed). Names are
 * asked for only as they are printed.
 */
function ruleLines(stmts: readonly Stmt[] | undefined, to: string | null, names: Names): Line[] {
  if (to === null || stmts === undefined) return [];
  return stmts.map((st): Line => {
    if (st.k === 'acc') {
      return { k: 'acc', to, neg: st.neg, term: printExpr(st.term, names) };
    }
    return { k: 'code', text: printStmts([st], to, names), assigns: [to] };
  });
}

/** Terms per statement of a long sum or dot: keeps each expression shallow for the parser. */
const TERMS = 32;
/**
 * Up to this many statements, op nodes' values and gradients live in locals of
 * one function per pass. Beyond it they live in the typed arrays and the code
 * is cut into functions of at most {@link STATEMENTS_PER_FUNCTION} lines.
 * V8's optimizing compiler takes time that grows faster than the function:
 * the 740-line descend of a 2-16-16-1 MLP in locals took it 0.8–1 s (its graph
 * builder and load elimination alone 22 MB), and every compiled function of
 * the shape had it compiled again (each makes its own closures); cut into
 * functions of the arrays, shared by every function of the source, the same
 * tape is optimized piece by piece, once per source, and replays faster
 * (0.3–0.4 ms an epoch of 200 samples, the locals 0.4 once optimized at last).
 */
const LOCALS_LIMIT = 300;
/**
 * Lines per function in arrays mode (a unit, such as a long sum, is never
 * split). TurboFan's time grows faster than a function's length: one 400-line
 * backward chunk of an MLP 8-32-32-1 took it 849 ms, during which the code
 * ran unoptimized (11 ms an epoch of 200 samples, the interpreter 4). Cut into
 * 100 lines, the same tape is optimized within 3 epochs and then runs at 2.5
 * ms; W5's 2-16-16-1 (744 statements) costs 340 ms of CPU over its first
 * 20,000 samples instead of 625–690, and the same 2.8 ms per 1,000 after.
 */
const STATEMENTS_PER_FUNCTION = 100;
/**
 * Up to this many statements `auto` generates code at once (see {@link tiered}):
 * a function this small, its values in locals, is optimized within a few
 * hundred calls, and its source costs about as much as the interpreter's setup.
 */
const AT_ONCE = 128;
/**
 * What one statement of generated code costs until V8 has optimized it, in
 * statements of the tape interpreter: the price `auto` weighs replays against
 * (see {@link tiered}). Measured in fresh processes (CPU time, this 2-core
 * machine, 100-line functions), the extra cost of generated code over the
 * interpreter until both run steadily, divided by the interpreter's time per
 * statement (5–7 ns) and by the generated statements: W5's online 2-16-16-1
 * (744 statements, straight-line) 195 ms, 40,000; an 8-32-32-1 online (2,886)
 * 1.2 s, 55,000; W1's batch of 100 rolled into a loop (767) 120 ms by wall
 * time, 45,000 (500 ms by CPU time, which counts the optimizing compiler's
 * thread too: 130,000).
 */
const WARM_UP = 50000;
/**
 * A block of repeats written as a loop is one function, however long: beyond
 * this many statements V8 did not optimize it (an 8-32-32-1 tanh MLP's block
 * of 2,900: 4 ms a replay of 32 samples in code, 0.5 in the interpreter, for
 * 600 replays), so `auto` keeps such a tape in the interpreter. W1's block of
 * 750 runs optimized after 150 replays.
 */
const BLOCK_LIMIT = 1500;
/**
 * In arrays mode, a sum of at least this many terms, or a run of at least this
 * many nodes of one unary op, is written as a loop over a table of slots: code
 * run once per call stays in the interpreter for hundreds of calls, and a
 * loop is optimized within a few.
 */
const MIN_LOOP = 8;
/**
 * In arrays mode, descend writes the pairs of a dot of at least this many as
 * a loop over two slot tables (descendDotUnit). Measured on issue 17's MLPs:
 * straight-line pairs made the 64-64-64-10 MLP's code 3.5 times as slow to
 * get going (60 steps of 600 compiling), and a loop over W5's 16 pairs took
 * 1.5 times the straight-line code's time a step, warm.
 */
const DOT_LOOP = 32;
/** Up to this many parameters, one sample's `backward` keeps them in locals too. */
const LOCAL_PARAMS_LIMIT = 64;
/** Beyond this many statements `auto` mode prefers the interpreter: the code would cost more to compile than it saves. */
const CODEGEN_LIMIT = 20000;
/**
 * Up to this many statements `auto` may move a tape to WebAssembly (each of
 * its functions some 25 bytes a statement, within V8's 7.6 MB for a function
 * body, and compiled by Liftoff in well under a second).
 */
const WASM_LIMIT = 100000;
/**
 * What compiling a tape to WebAssembly costs, in statements of the
 * interpreter per statement of the tape: `auto` interprets until the shape's
 * work reaches this many times its statements, then compiles (the ski
 * rental of {@link tiered} again, with a price some 250 times lower). Measured
 * in fresh processes: an MLP 64-64-64-10's step (18,212 statements) costs
 * 45–60 ms to write, compile and run its first calls, about 100 of its
 * samples in the interpreter (27 ns a statement); W5's 2-16-16-1 (742) costs
 * 2–4 ms beyond the writer's own first run (~13 ms, once a process).
 */
const WASM_WARM_UP = 200;

/**
 * About how many statements the code generated for a tape has, and how many
 * of them are one rolled block's, which is one function (0: none). In locals
 * mode, all of them ({@link statementCount}); in arrays mode, what `passes`
 * writes out: a run of repeated blocks (repeats.ts) as one block, and a long
 * sum or a run of one op ({@link MIN_LOOP}) as a loop, a statement a pass.
 * @internal Exported for tests.
 */
export function generatedSize(tape: Tape): { size: number; block: number } {
  if (!slotsInArrays(tape)) return { size: statementCount(tape), block: 0 };
  const { op, n } = tape;
  const r = findRepeat(tape);
  const blocksEnd = r === null ? -1 : r.start + r.period * r.count;
  // A node's forward and backward statements, and its list's terms.
  const written = (k: number): number =>
    2 + (op[k] === DOT.code ? 2 * (n[k] as number) : op[k] === SUM.code ? (n[k] as number) : 0);
  const listed = (k: number): boolean => op[k] === SUM.code || op[k] === DOT.code;
  let size = 0;
  let block = 0;
  for (let k = 0; k < op.length; k++) {
    if (r !== null && k >= r.start && k < blocksEnd) {
      if (k < r.start + r.period) block += written(k);
      continue;
    }
    let end = k + 1;
    if (!listed(k)) while (end < op.length && end !== r?.start && op[end] === op[k]) end++;
    if (end - k >= MIN_LOOP || (op[k] === SUM.code && (n[k] as number) >= MIN_LOOP)) {
      size += 2;
      k = end - 1;
    } else size += written(k);
  }
  return { size: size + block, block };
}

/** How big the generated code for a tape would be without rolling repeats, in statements: what one replay does. */
const statementCount = (tape: Tape): number =>
  tape.op.length + tape.backward.length + tape.args.length;

/** Where each slot's value and gradient live in one generated pass. */
interface Placement {
  /** Op nodes and inputs in V and G (else locals v‹slot›, g‹slot›). */
  inArrays: boolean;
  /** Parameters in locals (else in V and G). */
  paramsInLocals: boolean;
  /** Write a run of identical blocks as a loop (with inArrays). */
  repeat: Repeat | null;
  /**
   * The backward pass of `descend` (parameters in V and G, no repeat): dots
   * skipped where that changes nothing, and the parameters each used once
   * updated as their dot is visited (see {@link descendDotUnit}). No forward
   * statements: descend runs the batch pass's.
   */
  descend?: boolean;
}

/** How a pass names slots: a value expression, a gradient variable (null: none), a definition. */
export interface Naming {
  readonly val: (s: number) => string;
  readonly grad: (s: number) => string | null;
  readonly define: (s: number, expr: string) => string;
}

/** Op node k's forward statement(s). */
export function forwardUnit(tape: Tape, k: number, nm: Naming): string {
  const { firstNode, op, a, b, n, args } = tape;
  const code = op[k] as number;
  const s = firstNode + k;
  const ia = a[k] as number;
  if (code === SUM.code) {
    // ((v₀ + v₁) + v₂) + …
    return chunkedSum(
      s,
      Array.from(args.subarray(ia, ia + (n[k] as number)), (t) => nm.val(t)),
      '',
      nm.define,
    );
  }
  if (code === DOT.code) {
    // ((w₀x₀ + w₁x₁) + …) + bias
    const terms: string[] = [];
    for (let j = ia; j < ia + 2 * (n[k] as number); j += 2)
      terms.push(`${nm.val(args[j] as number)} * ${nm.val(args[j + 1] as number)}`);
    return chunkedSum(s, terms, (b[k] as number) >= 0 ? nm.val(b[k] as number) : '', nm.define);
  }
  const ib = b[k] as number;
  return nm.define(s, forwardExpr(code, nm.val(ia), ib >= 0 ? nm.val(ib) : null));
}

/**
 * The generated variable that lets a pass skip a dot (1) or not (0). A dot
 * whose gradient g is 0 and whose value v is finite adds only ±0: v finite
 * means every product w·x and the bias are finite (a non-finite one makes the
 * sum ±∞ or NaN; `v − v` is 0 exactly for finite v), so every term g·x, g·w, g
 * is ±0. Adding ±0 changes no gradient that is not −0: x + (±0) is x for
 * every x but −0 (−0 + 0 is +0). Op nodes' gradients start each pass at +0
 * (the output's at 1), and a sum that starts at +0 is never −0 (x + y is −0
 * only when both are). Parameters' gradients start where the user left them
 * and add up over the samples of `accumulate`: where none is −0 when loaded,
 * none becomes −0 later, so `backward` and `accumulate` set the flag to 1
 * exactly when no loaded gradient is −0 (see `loadGrads`); descend, whose
 * gradients start every step at +0, sets it to 1.
 */
const ZERO_SAFE_FLAG = 'zsafe';

/** Op node k's backward statements: the op's chain rule (rule-ir.ts) into its operands' gradients. */
function backwardUnit(tape: Tape, k: number, nm: Naming): Unit {
  const { firstNode, op, a, b, n, args } = tape;
  const code = op[k] as number;
  const s = firstNode + k;
  const g = nm.grad(s) as string;
  const ia = a[k] as number;
  const ib = b[k] as number;
  const stmts = (RULES[code] as (typeof RULES)[number]).stmts;
  const names =
    (slotA: number, slotB: number): Names =>
    (role: Role) =>
      role === 'a' ? nm.val(slotA) : role === 'b' ? nm.val(slotB) : role === 'v' ? nm.val(s) : g;
  const out: Line[] = [];
  if (code === SUM.code) {
    for (let j = ia; j < ia + (n[k] as number); j++) {
      const t = args[j] as number;
      out.push(...ruleLines(stmts[0], nm.grad(t), names(t, t)));
    }
  } else if (code === DOT.code) {
    // Skipped where that changes no bit (see ZERO_SAFE_FLAG).
    out.push(
      codeUnit(
        `if (${ZERO_SAFE_FLAG} === 0 || ${g} !== 0 || ${nm.val(s)} - ${nm.val(s)} !== 0) {`,
      )[0] as Line,
    );
    for (let j = ia; j < ia + 2 * (n[k] as number); j += 2) {
      const w = args[j] as number;
      const x = args[j + 1] as number;
      out.push(...ruleLines(stmts[0], nm.grad(w), names(w, x)));
      out.push(...ruleLines(stmts[1], nm.grad(x), names(w, x)));
    }
    if (ib >= 0) out.push(...ruleLines(stmts[2], nm.grad(ib), names(ib, ib)));
    out.push(codeUnit('}')[0] as Line);
  } else {
    out.push(...ruleLines(stmts[0], nm.grad(ia), names(ia, ib)));
    if (ib >= 0) out.push(...ruleLines(stmts[1], nm.grad(ib), names(ia, ib)));
  }
  return out;
}

/** The forward and backward statements for a tape: one unit (a statement or a few, or a loop) per step. */
// Longer than ~60 lines: one straight sequence of decisions for the forward pass, then the backward pass, over a dozen shared locals (naming, tables, the repeat); split, they would all travel as parameters. Sections are commented.
function passes(
  tape: Tape,
  placement: Placement,
): {
  fwd: string[];
  bwd: string[];
  units: Unit[];
  helpers: string[];
  val: (s: number) => string;
  /** descend: the parameters whose dot updates them (the rest wait for the end of the step). */
  fused: number[];
  /** descend: statements that zero those of the dots the last step skipped (flagged in Z). */
  unskip: string[];
} {
  const { nInputs, params, constants, firstNode, op, requiresGrad, backward, output } = tape;
  const descend = placement.descend === true;
  const firstConstant = nInputs + params.length;
  const isConstant = (s: number): boolean => s >= firstConstant && s < firstNode;
  const isParam = (s: number): boolean => s >= nInputs && s < firstConstant;
  const inArray = (s: number): boolean =>
    isParam(s) ? !placement.paramsInLocals : placement.inArrays;
  const literal = (s: number): string => numberLiteral(constants[s - firstConstant] as number);
  const nm: Naming = {
    val: (s) => (isConstant(s) ? literal(s) : inArray(s) ? `V[${s}]` : `v${s}`),
    grad: (s) => (requiresGrad[s] ? (inArray(s) ? `G[${s}]` : `g${s}`) : null),
    define: (s, expr) => (inArray(s) ? `V[${s}] = ${expr};` : `const v${s} = ${expr};`),
  };
  const r = placement.inArrays ? placement.repeat : null;
  const blockEnd = r === null ? 0 : r.start + r.period * r.count;
  const inBlocks = (k: number): boolean => r !== null && k >= r.start && k < blockEnd;

  const fwd: string[] = [];
  const helpers: string[] = [];
  // Arrays only: long sums and runs of one unary op become loops over slot
  // tables (see MIN_LOOP).
  const loops = placement.inArrays;
  const table = (slots: readonly number[]): string => {
    // descend's tables sit beside the batch pass's: their own names.
    const name = `${descend ? 'D' : ''}K${helpers.length}`;
    helpers.push(`const ${name} = new Int32Array([${slots.join(', ')}]);`);
    return name;
  };
  const { a, b, n, args } = tape;
  // A unary or binary op on slots held in V (not literals).
  const loopable = (k: number): boolean =>
    !inBlocks(k) &&
    op[k] !== SUM.code &&
    op[k] !== DOT.code &&
    !isConstant(a[k] as number) &&
    ((b[k] as number) < 0 || !isConstant(b[k] as number));
  for (let k = 0; k < (descend ? 0 : op.length); k++) {
    if (r !== null && k === r.start) {
      const rolled = rolledForward(tape, r, literal);
      fwd.push(rolled.loop);
      helpers.push(rolled.helper);
    }
    if (inBlocks(k)) continue;
    if (loops && op[k] === SUM.code && (n[k] as number) >= MIN_LOOP) {
      const terms = Array.from(args.subarray(a[k] as number, (a[k] as number) + (n[k] as number)));
      if (!terms.some(isConstant)) {
        fwd.push(loopedSum(firstNode + k, table(terms), terms.length));
        continue;
      }
    }
    if (loops && loopable(k)) {
      let end = k + 1;
      while (end < op.length && op[end] === op[k] && loopable(end)) end++;
      if (end - k >= MIN_LOOP) {
        const A = table(Array.from(a.subarray(k, end)));
        const binary = (b[k] as number) >= 0;
        const B = binary ? table(Array.from(b.subarray(k, end))) : '';
        const expr = forwardExpr(op[k] as number, `V[${A}[i]]`, binary ? `V[${B}[i]]` : null);
        fwd.push(`for (let i = 0; i < ${end - k}; i++) V[${firstNode + k} + i] = ${expr};`);
        k = end - 1;
        continue;
      }
    }
    fwd.push(forwardUnit(tape, k, nm));
  }

  const bwd: Unit[] = [];
  if (output < firstNode) {
    const g = nm.grad(output);
    // A leaf output: ∂root/∂root = 1, accumulated.
    if (g !== null) bwd.push([{ k: 'acc', to: g, neg: false, term: '1' }]);
    return { fwd, bwd: printUnits(bwd), units: bwd, helpers, val: nm.val, fused: [], unskip: [] };
  }
  // Op nodes' gradients start at 0 on every pass, the output's at 1; each is
  // complete before its node is visited.
  const init = Array.from(backward)
    .filter((k) => !inBlocks(k))
    .map((k) => [firstNode + k, firstNode + k === output ? 1 : 0] as const);
  if (placement.inArrays) {
    const zeros = init.filter(([, g0]) => g0 === 0).map(([s]) => s);
    if (zeros.length >= MIN_LOOP) {
      bwd.push(codeUnit(`for (let i = 0; i < ${zeros.length}; i++) G[${table(zeros)}[i]] = 0;`));
      for (const [s, g0] of init) if (g0 !== 0) bwd.push(codeUnit(`G[${s}] = ${g0};`));
    } else for (const [s, g0] of init) bwd.push(codeUnit(`G[${s}] = ${g0};`));
  } else
    for (let i = 0; i < init.length; i += TERMS)
      bwd.push(
        // Declarations: the starting values foldFirstTerms is told of.
        codeUnit(
          `let ${init
            .slice(i, i + TERMS)
            .map(([s, g0]) => `g${s} = ${g0}`)
            .join(', ')};`,
        ),
      );
  const rolled = r !== null && r.backwardRun > 0 ? rolledBackward(tape, r, literal) : null;
  const dotFused = descend ? dotFusedSlots(tape) : new Uint8Array(0);
  const fused: number[] = [];
  const unskip: string[] = [];
  if (rolled !== null) {
    bwd.push(...rolled.init.map(codeUnit));
    helpers.push(rolled.helper);
  }
  // ...whose operands and result all require a gradient (a unary op's operand does whenever its node does).
  const gradLoopable = (k: number): boolean =>
    loopable(k) &&
    nm.grad(a[k] as number) !== null &&
    nm.grad(firstNode + k) !== null &&
    ((b[k] as number) < 0 || nm.grad(b[k] as number) !== null);
  for (let i = 0; i < backward.length; i++) {
    const k = backward[i] as number;
    if (rolled !== null && i === (r as Repeat).backwardStart) bwd.push(codeUnit(rolled.loop));
    if (inBlocks(k)) continue;
    if (loops && op[k] === SUM.code && (n[k] as number) >= MIN_LOOP) {
      const terms = Array.from(args.subarray(a[k] as number, (a[k] as number) + (n[k] as number)));
      if (!terms.some(isConstant)) {
        const receiving = terms.filter((t) => nm.grad(t) !== null);
        // The sum's rule into every term that needs it, in order.
        if (receiving.length > 0) {
          const T = table(receiving);
          const rule = printStmts(sumRule, `G[${T}[i]]`, (role) =>
            role === 'g' ? 'g' : role === 'v' ? `V[${firstNode + k}]` : `V[${T}[i]]`,
          );
          bwd.push(
            codeUnit(
              `{ const g = G[${firstNode + k}]; for (let i = 0; i < ${receiving.length}; i++) { ${rule} } }`,
            ),
          );
        }
        continue;
      }
    }
    if (loops && gradLoopable(k)) {
      let end = i + 1;
      while (
        end < backward.length &&
        op[backward[end] as number] === op[k] &&
        gradLoopable(backward[end] as number) &&
        !(rolled !== null && end === (r as Repeat).backwardStart)
      )
        end++;
      if (end - i >= MIN_LOOP) {
        const run = Array.from(backward.subarray(i, end));
        const N = table(run.map((j) => firstNode + j));
        const A = table(run.map((j) => a[j] as number));
        const binary = (b[k] as number) >= 0;
        const B = binary ? table(run.map((j) => b[j] as number)) : '';
        const stmts = (RULES[op[k] as number] as (typeof RULES)[number]).stmts;
        const names: Names = (role) =>
          role === 'a'
            ? `V[${A}[i]]`
            : role === 'b'
              ? `V[${B}[i]]`
              : role === 'v'
                ? `V[${N}[i]]`
                : `G[${N}[i]]`;
        const body = [
          printStmts(stmts[0] ?? [], `G[${A}[i]]`, names),
          binary ? printStmts(stmts[1] ?? [], `G[${B}[i]]`, names) : '',
        ].join(' ');
        bwd.push(codeUnit(`for (let i = 0; i < ${end - i}; i++) { ${body} }`));
        i = end - 1;
        continue;
      }
    }
    if (descend && op[k] === DOT.code) {
      bwd.push(
        descendDotUnit(tape, k, nm, (s) => dotFused[s] === 1, fused, unskip, loops ? table : null),
      );
      continue;
    }
    bwd.push(backwardUnit(tape, k, nm));
  }
  return { fwd, bwd: printUnits(bwd), units: bwd, helpers, val: nm.val, fused, unskip };
}

const sumRule = (RULES[SUM.code] as (typeof RULES)[number]).stmts[0] ?? [];

/**
 * descend's step for dot node k (its rule from rule-ir.ts, as backwardUnit
 * prints it), with two shortcuts that give the same doubles:
 *
 * - Skipped where its gradient g is 0 (an inactive ReLU above it) and its
 *   value v is finite. Then every term it would add is w·0, x·0 or 0, which
 *   is ±0 for finite w and x, and all of them are finite exactly when v is
 *   (a non-finite w, x or bias makes its product, and so the sum, ±∞ or NaN;
 *   `v − v` is 0 for finite v, else NaN). Adding ±0 changes no gradient of
 *   descend's pass: each starts at +0 (the output's at 1), and a sum that
 *   starts at +0 is never −0, since x + y is −0 only when both are.
 * - A trained parameter used by no other node (`fusable`) receives its whole
 *   gradient here, 0 + t as the engine adds t into p.grad = 0, and takes its
 *   step p − lr·g at once: no later step of the pass reads its value. Where
 *   the dot is skipped its gradient is 0 and its value stays (p − lr·0 is p).
 *   Such parameters are added to `fused`. Only the last step's gradients
 *   outlive the run, so a skipped dot just sets its flag Z[k], and `unskip`
 *   gets the statement that zeroes its gradients after the last step.
 *
 * A dot of at least {@link DOT_LOOP} pairs is a loop over tables of its
 * weights' and inputs' slots (`table`, arrays mode) where its pairs are alike.
 */
function descendDotUnit(
  tape: Tape,
  k: number,
  nm: Naming,
  fusable: (s: number) => boolean,
  fused: number[],
  unskip: string[],
  table: ((slots: readonly number[]) => string) | null,
): Unit {
  const { firstNode, a, b, n, args } = tape;
  const s = firstNode + k;
  const stmts = (RULES[DOT.code] as (typeof RULES)[number]).stmts;
  const lines: string[] = [];
  const zeros: string[] = [];
  const assigns: string[] = [];
  let next = 0;
  // Whether o takes its step here: its rule a single addition.
  const steps = (o: DotOperand, rule: readonly Stmt[] | undefined): boolean =>
    o.grad !== null && o.fused && rule?.length === 1 && rule[0]?.k === 'acc';
  /**
   * One pair (w, x), or the bias (as w = x): first the rules of the operands
   * that are not stepped here, then `p -= lr * (gp = 0 + term)` for those
   * that are, each reading p before it changes; where both are stepped, their
   * values are read into locals first. Returns which of the two were stepped.
   */
  const pair = (
    w: DotOperand,
    x: DotOperand,
    rules: readonly (readonly Stmt[] | undefined)[],
  ): boolean[] => {
    const operands = rules.length === 1 ? [w] : [w, x];
    const stepped = operands.map((o, i) => steps(o, rules[i]));
    let [wv, xv] = [w.val, x.val];
    if (stepped.every((on) => on) && operands.length === 2) {
      [wv, xv] = [`o${next++}`, `o${next++}`];
      lines.push(`const ${wv} = ${w.val}, ${xv} = ${x.val};`);
    }
    const names: Names = (role) => (role === 'a' ? wv : role === 'b' ? xv : 'g');
    const after: string[] = [];
    operands.forEach((o, i) => {
      const rule = ruleLines(rules[i], o.grad, names);
      const only = rule[0];
      if (stepped[i] && only?.k === 'acc') {
        after.push(
          `${o.val} -= lr * (${o.grad as string} = 0 ${only.neg ? '-' : '+'} ${only.term});`,
        );
        return;
      }
      for (const line of rule) {
        lines.push(printLine(line));
        assigns.push(...(line.k === 'acc' ? [line.to] : line.assigns));
      }
    });
    lines.push(...after);
    return stepped;
  };
  const operand = (t: number): DotOperand => ({
    val: nm.val(t),
    grad: nm.grad(t),
    fused: fusable(t),
  });
  const ia = a[k] as number;
  const ws: number[] = [];
  const xs: number[] = [];
  for (let j = ia; j < ia + 2 * (n[k] as number); j += 2) {
    ws.push(args[j] as number);
    xs.push(args[j + 1] as number);
  }
  // Pairs alike (values in V, each operand stepped here or not, with or without a gradient): a loop.
  const alike = (slots: readonly number[]): boolean => {
    const first = operand(slots[0] as number);
    return slots.every((t) => {
      const o = operand(t);
      return (
        o.val.startsWith('V[') &&
        o.fused === first.fused &&
        (o.grad === null) === (first.grad === null)
      );
    });
  };
  if (table !== null && ws.length >= DOT_LOOP && alike(ws) && alike(xs)) {
    const W = table(ws);
    const X = table(xs);
    const looped = (slots: readonly number[], at: string): DotOperand => {
      const first = operand(slots[0] as number);
      return { val: `V[${at}]`, grad: first.grad === null ? null : `G[${at}]`, fused: first.fused };
    };
    lines.push(`for (let i = 0; i < ${ws.length}; i++) { const sw = ${W}[i], sx = ${X}[i];`);
    const [wStepped, xStepped] = pair(looped(ws, 'sw'), looped(xs, 'sx'), [stmts[0], stmts[1]]);
    lines.push('}');
    for (const [on, T, slots] of [
      [wStepped, W, ws],
      [xStepped, X, xs],
    ] as const) {
      if (on !== true) continue;
      zeros.push(`for (let i = 0; i < ${slots.length}; i++) G[${T}[i]] = 0;`);
      fused.push(...slots);
    }
  } else {
    ws.forEach((wt, i) => {
      const xt = xs[i] as number;
      const w = operand(wt);
      const x = operand(xt);
      const stepped = pair(w, x, [stmts[0], stmts[1]]);
      [
        [wt, w],
        [xt, x],
      ].forEach(([t, o], j) => {
        if (stepped[j] !== true) return;
        zeros.push(`${(o as DotOperand).grad as string} = 0;`);
        fused.push(t as number);
      });
    });
  }
  const bias = b[k] as number;
  if (bias >= 0) {
    const o = operand(bias);
    if (pair(o, o, [stmts[2]])[0] === true) {
      zeros.push(`${o.grad as string} = 0;`);
      fused.push(bias);
    }
  }
  // Skipped, its parameters' gradients are 0: written once, after the last step, if it was skipped there.
  if (zeros.length > 0) unskip.push(`if (Z[${k}] === 1) { ${zeros.join(' ')} }`);
  const guard =
    zeros.length > 0
      ? `if (g === 0 && v - v === 0) Z[${k}] = 1; else { Z[${k}] = 0;`
      : 'if (g !== 0 || v - v !== 0) {';
  const text = [
    `{ const g = ${nm.grad(s) as string}, v = ${nm.val(s)};`,
    guard,
    ...lines,
    '} }',
  ].join('\n');
  return [{ k: 'code', text, assigns }];
}

/** An operand of a dot as descendDotUnit prints it: where its value and gradient live, and whether it may take its step there. */
interface DotOperand {
  readonly val: string;
  readonly grad: string | null;
  readonly fused: boolean;
}

/**
 * Block slots as seen from inside the loop over blocks b: block 0's slot s is
 * slot s + period·b in block b; an outer slot s is s + delta·b.
 *
 * Values read from V are read once per block into a local (`r‹i›`), declared
 * just before the first statement that reads it ({@link BlockNaming.reads}
 * hands out the declarations): stores into V and G may alias any element of
 * V for the optimizing compiler, so without the local every use of an input
 * or a forward value would be loaded (and bounds-checked) again. A block
 * never writes a slot it reads from V (forward: outer slots; backward: V is
 * not written at all), so the earlier read sees the same number.
 */
interface BlockNaming extends Naming {
  /**
   * Declarations of the locals the unit just printed reads first, in order.
   * Rules ask for a name only as they print it, so each was used.
   */
  readonly reads: () => string[];
}

function blockNaming(
  tape: Tape,
  r: Repeat,
  literal: (s: number) => string,
  pass: 'forward' | 'backward',
): BlockNaming {
  const base = tape.firstNode + r.start;
  const P = r.period;
  const firstConstant = tape.nInputs + tape.params.length;
  const inBlock = (s: number): boolean => s >= base && s < base + P;
  const shifted = (s: number, d: number): string => (d === 0 ? `${s}` : `${s} + ${d} * b`);
  const outer = (array: string, s: number): string =>
    `${array}[${shifted(s, r.delta.get(s) ?? 0)}]`;
  const locals = new Map<string, string>();
  let pending: [name: string, expr: string][] = [];
  let next = 0;
  const read = (expr: string): string => {
    let name = locals.get(expr);
    if (name === undefined) {
      name = `r${next++}`;
      locals.set(expr, name);
      pending.push([name, expr]);
    }
    return name;
  };
  return {
    val: (s) => {
      if (s >= firstConstant && s < tape.firstNode) return literal(s);
      if (!inBlock(s)) return read(outer('V', s));
      // Forward: the block's own values in locals; backward: read back from V.
      return pass === 'forward' ? `w${s - base}` : read(`V[${shifted(s, P)}]`);
    },
    grad: (s) => {
      if (!tape.requiresGrad[s]) return null;
      if (!inBlock(s)) return outer('G', s);
      return r.exported[s - base] ? `G[${shifted(s, P)}]` : `h${s - base}`;
    },
    define: (s, expr) => `const w${s - base} = ${expr}; V[${shifted(s, P)}] = w${s - base};`,
    reads: () => {
      const out = pending.map(([name, expr]) => `const ${name} = ${expr};`);
      pending = [];
      return out;
    },
  };
}

/** The blocks' forward pass: a loop calling `helper` (a top-level function) per block. */
function rolledForward(
  tape: Tape,
  r: Repeat,
  literal: (s: number) => string,
): { loop: string; helper: string } {
  const nm = blockNaming(tape, r, literal, 'forward');
  const body: string[] = [];
  for (let j = 0; j < r.period; j++) {
    const unit = forwardUnit(tape, r.start + j, nm);
    body.push(...nm.reads(), unit);
  }
  // One function per block, called in a loop: called often, it is optimized early.
  return {
    loop: `for (let b = 0; b < ${r.count}; b++) blockForward(b);`,
    helper: `function blockForward(b) {\n${body.join('\n')}\n}`,
  };
}

/**
 * The blocks' backward pass: `init` zeroes the gradients of the nodes read
 * outside the blocks (they receive from outside the loop, so they live in G),
 * `loop` visits the blocks in eager order.
 */
function rolledBackward(
  tape: Tape,
  r: Repeat,
  literal: (s: number) => string,
): { init: string[]; loop: string; helper: string } {
  const nm = blockNaming(tape, r, literal, 'backward');
  const base = tape.firstNode + r.start;
  const run = Array.from(
    tape.backward.subarray(r.backwardStart, r.backwardStart + r.backwardRun),
    (k) => k - r.firstBlock * r.period,
  );
  const exported = run.filter((k) => r.exported[k - r.start]);
  const local = run.filter((k) => !r.exported[k - r.start]);
  const init: string[] = [];
  if (exported.length > 0) {
    init.push(
      `for (let b = 0; b < ${r.count}; b++) { ${exported.map((k) => `G[${base + k - r.start} + ${r.period} * b] = 0;`).join(' ')} }`,
    );
  }
  const body: string[] = [];
  if (local.length > 0) body.push(`let ${local.map((k) => `h${k - r.start} = 0`).join(', ')};`);
  for (const k of run) {
    const unit = printUnit(backwardUnit(tape, k, nm));
    body.push(...nm.reads(), unit);
  }
  return {
    init,
    loop: `for (let i = 0; i < ${r.count}; i++) blockBackward(${r.firstBlock} + ${r.blockStep} * i);`,
    helper: `function blockBackward(b) {\n${body.join('\n')}\n}`,
  };
}

/**
 * Gradients start at 0 and receive their terms with `+=`, as in the engine. The
 * first term t of a local that is still 0 needs no addition: 0 + t is t, except
 * that it turns −0 into +0, so it is written `t === 0 ? 0 : t` (and 0 − t as
 * `t === 0 ? 0 : -t`), the same doubles with one dependent addition fewer. A
 * term that is itself an op node's gradient is copied as it is: such a
 * gradient starts at +0 (or 1) and a sum that starts at +0 is never −0. Only
 * `acc` lines are rewritten; after any other code, the locals it assigns are no
 * longer known to be 0. Returns the units printed.
 */
function foldFirstTerms(
  units: readonly Unit[],
  fresh: ReadonlySet<string>,
  nodeGradients: ReadonlySet<string>,
): string[] {
  const zero = new Set(fresh);
  const fold = (line: Line): string => {
    if (line.k === 'code') {
      for (const g of line.assigns) zero.delete(g);
      return line.text;
    }
    const { to, neg, term } = line;
    if (!zero.has(to)) return printLine(line);
    zero.delete(to);
    if (!neg && nodeGradients.has(term)) return `${to} = ${term};`;
    return `{ const first = ${term}; ${to} = first === 0 ? 0 : ${neg ? '-first' : 'first'}; }`;
  };
  return units.map((unit) => unit.map(fold).join('\n')).filter((u) => u !== '');
}

interface FoldSets {
  zeros: Set<string>;
  nodes: Set<string>;
}

/** The locals of the op nodes' gradients: each pass starts them at 0, the output's at 1. */
function nodeGradients(tape: Tape): Set<string> {
  return new Set(Array.from(tape.backward, (k) => `g${tape.firstNode + k}`));
}

/** Those of them that start at 0: all but the output's. */
function zeroGradients(tape: Tape): Set<string> {
  const fresh = nodeGradients(tape);
  fresh.delete(`g${tape.output}`);
  return fresh;
}

/** Statements reading sample k's inputs from the columns c0, c1, … into slots. */
function columnLoads(layout: InputLayout, put: (slot: number, expr: string) => string): string[] {
  const loads: string[] = [];
  layout.names.forEach((_, i) => {
    const size = layout.sizes[i] as number;
    const at = layout.offsets[i] as number;
    if (size < 0) loads.push(put(at, `c${i}[k]`));
    else for (let j = 0; j < size; j++) loads.push(put(at + j, `c${i}[k * ${size} + ${j}]`));
  });
  return loads;
}

/** Whether the code for a tape keeps every slot in the typed arrays (else op nodes in locals). */
const slotsInArrays = (tape: Tape, style?: 'locals' | 'arrays'): boolean =>
  style === undefined ? statementCount(tape) > LOCALS_LIMIT : style === 'arrays';

/**
 * The source of the functions for a tape; exported for inspection in tests.
 * `style` forces where node values live (default: locals for small tapes).
 */
// Longer than ~60 lines: the source file in order (slots, sample checks, entry points); each section is commented, and the large pieces (passes, descendSource, foldFirstTerms) are functions of their own.
export function generateSource(
  tape: Tape,
  layout: InputLayout,
  style?: 'locals' | 'arrays',
): string {
  const { nInputs, params, paramRequiresGrad, requiresGrad, output } = tape;
  const inArrays = slotsInArrays(tape, style);
  const repeat = inArrays ? findRepeat(tape) : null;
  const batch = passes(tape, { inArrays, paramsInLocals: false, repeat });
  // One sample's backward with few parameters: them too in locals, read from
  // and written back to the Values directly.
  const single =
    !inArrays && params.length <= LOCAL_PARAMS_LIMIT
      ? passes(tape, { inArrays: false, paramsInLocals: true, repeat: null })
      : null;
  const trained = params.map((_, i) => i).filter((i) => paramRequiresGrad[i]);
  // descend's own backward pass, where the parameters live in V and G (a
  // tape written with a loop over repeated blocks keeps the batch pass's).
  const fast =
    requiresGrad[output] === 1 && single === null && repeat === null
      ? passes(tape, { inArrays, paramsInLocals: false, repeat: null, descend: true })
      : null;
  // The sets folding needs (code in locals only: in arrays a loop zeroes the gradients).
  const folding = inArrays ? null : { zeros: zeroGradients(tape), nodes: nodeGradients(tape) };
  if (folding !== null) {
    batch.bwd = foldFirstTerms(batch.units, folding.zeros, folding.nodes);
    if (fast !== null) fast.bwd = foldFirstTerms(fast.units, folding.zeros, folding.nodes);
  }

  // ---- samples: checked in generated code; on failure the generic check explains ----
  const checks: string[] = [
    'if (s === null || typeof s !== "object" || Array.isArray(s)) fail(s, where);',
  ];
  const loads: string[] = [];
  layout.names.forEach((name, i) => {
    const key = JSON.stringify(name);
    const size = layout.sizes[i] as number;
    const at = layout.offsets[i] as number;
    const put = (slot: number, expr: string): string =>
      inArrays ? `V[${slot}] = ${expr};` : `const v${slot} = ${expr};`;
    // Each number is read from the sample once, checked, and kept in IN, which
    // the passes load from: a getter read twice could pass the check with a
    // number and then hand the pass something else.
    if (size < 0) {
      checks.push(
        `{ const q = s[${key}]; if (typeof q !== "number") fail(s, where); IN[${at}] = q; }`,
      );
      loads.push(put(at, `IN[${at}]`));
    } else {
      checks.push(
        `{ const q = s[${key}]; if (q === null || typeof q !== "object" || q.length !== ${size}) fail(s, where);`,
      );
      // Long vectors in loops: straight-line code run once per call is slow to be optimized.
      if (size >= MIN_LOOP)
        checks.push(
          `for (let j = 0; j < ${size}; j++) { const e = q[j]; if (typeof e !== "number") fail(s, where); IN[${at} + j] = e; }`,
        );
      else
        for (let j = 0; j < size; j++)
          checks.push(
            `{ const e = q[${j}]; if (typeof e !== "number") fail(s, where); IN[${at + j}] = e; }`,
          );
      checks.push('}');
      if (inArrays && size >= MIN_LOOP)
        loads.push(`for (let j = 0; j < ${size}; j++) V[${at} + j] = IN[${at} + j];`);
      else for (let j = 0; j < size; j++) loads.push(put(at + j, `IN[${at + j}]`));
    }
  });
  // Unknown names: counted the first time an object is seen (a caller that
  // refills one sample object pays for the count once).
  checks.push(
    `if (s !== counted) { let keys = 0; for (const _ in s) keys++; if (keys !== ${layout.names.length}) fail(s, where); counted = s; }`,
  );

  const outVal = batch.val(output);
  // The slots, and the passes, which read and write nothing but the slots.
  // For a large tape (in arrays) they are made once per source (see
  // makeInstances) and shared by every compiled function of the tape, so V8
  // optimizes them once and keeps that code for as long as the source is
  // cached. A small tape's are made per function, as the rest: its code is
  // optimized again within a few calls, so sharing would buy nothing, and
  // functions that share no slots cannot disturb each other.
  const slots = [
    `const V = new Float64Array(${tape.nSlots}), G = new Float64Array(${tape.nSlots});`,
    // The sample's numbers as check() read them, once each (see the loads above).
    `const IN = new Float64Array(${Math.max(1, layout.width)});`,
    // Whether a call is using the slots: a call made meanwhile (from a getter
    // on a sample or a parameter) runs in the interpreter instead.
    'let busy = false;',
    // descend: per op node, 1 if the last step skipped it (see descendDotUnit).
    `const Z = new Uint8Array(${Math.max(1, tape.op.length)});`,
    // backward, accumulate: whether a dot may be skipped (see ZERO_SAFE_FLAG).
    `let ${ZERO_SAFE_FLAG} = 1;`,
    // Its own function: in descend, straight-line code run once a call would slow the loop's optimization.
    ...(fast !== null && fast.unskip.length > 0
      ? [`function unskip() {\n${fast.unskip.join('\n')}\n}`]
      : []),
  ];
  if (inArrays) {
    const forwardParts = cut(batch.fwd, 'f');
    const backwardParts = cut(batch.bwd, 'b');
    slots.push(
      `function inputs(s) {\n${loads.join('\n')}\n}`,
      ...batch.helpers,
      ...forwardParts.functions,
      ...backwardParts.functions,
    );
    slots.push(`function forward(s) { inputs(s); ${forwardParts.calls} return ${outVal}; }`);
    slots.push(
      `function step(s) { inputs(s); ${forwardParts.calls} ${backwardParts.calls} return ${outVal}; }`,
      `function pass() { ${forwardParts.calls} ${backwardParts.calls} return ${outVal}; }`,
    );
    if (fast !== null) {
      const descendParts = cut(fast.bwd, 'd', 'lr');
      slots.push(
        ...fast.helpers,
        ...descendParts.functions,
        `function descendPass(lr) { ${forwardParts.calls} ${descendParts.calls} return ${outVal}; }`,
      );
    }
  } else {
    slots.push(
      `function forward(s) {\n${loads.join('\n')}\n${batch.fwd.join('\n')}\nreturn ${outVal};\n}`,
    );
    slots.push(
      `function step(s) {\n${loads.join('\n')}\n${batch.fwd.join('\n')}\n${batch.bwd.join('\n')}\nreturn ${outVal};\n}`,
    );
  }
  const shared = ['"use strict";', ...(inArrays ? slots : [])];
  // Made per compiled function: what reads or writes its parameters, or
  // checks its samples (and a small tape's slots and passes).
  const lines = [
    'return function instance(P, fail, checkSamples, noGradient, checkedDescend, again) {',
    ...(inArrays ? [] : slots),
    ...params.map((_, i) => `const p${i} = P[${i}];`),
    `const T = [${trained.join(', ')}];`,
    'let counted = null;',
    `function loadParams() { for (let i = 0; i < ${params.length}; i++) V[${nInputs} + i] = P[i].data; }`,
    // A dot may be skipped unless a gradient loaded is −0 (see ZERO_SAFE_FLAG).
    `function loadGrads() { let safe = 1; for (let j = 0; j < T.length; j++) { const i = T[j]; const q = P[i].grad; G[${nInputs} + i] = q; if (q === 0 && 1 / q < 0) safe = 0; } ${ZERO_SAFE_FLAG} = safe; }`,
    `function storeGrads() { for (let j = 0; j < T.length; j++) { const i = T[j]; P[i].grad = G[${nInputs} + i]; } }`,
    `function check(s, where) {\n${checks.join('\n')}\n}`,
  ];
  const trainable = requiresGrad[output] === 1;
  let backwardFn =
    'function backward(s) { check(s, "backward(inputs)"); loadParams(); loadGrads(); const out = step(s); storeGrads(); return out; }';
  if (single !== null) {
    const slot = (i: number): number => nInputs + i;
    backwardFn = [
      'function backward(s) {',
      'check(s, "backward(inputs)");',
      ...loads,
      ...params.map((_, i) => `const v${slot(i)} = p${i}.data;`),
      ...trained.map((i) => `let g${slot(i)} = p${i}.grad;`),
      // Its own flag (see ZERO_SAFE_FLAG): 0 if a gradient loaded is −0.
      `const ${ZERO_SAFE_FLAG} = ${trained.length === 0 ? '1' : `${trained.map((i) => `(g${slot(i)} === 0 && 1 / g${slot(i)} < 0)`).join(' || ')} ? 0 : 1`};`,
      ...single.fwd,
      ...foldFirstTerms(single.units, (folding as FoldSets).zeros, (folding as FoldSets).nodes),
      ...trained.map((i) => `p${i}.grad = g${slot(i)};`),
      `return ${single.val(output)};`,
      '}',
    ].join('\n');
  }
  // The calls that use the slots, each behind a guard: `own` is the call itself.
  const guarded = (name: string, args: string): string =>
    `function ${name}(${args}) { if (busy) return again().${name}(${args}); busy = true; try { return own.${name}(${args}); } finally { busy = false; } }`;
  // One sample's backward and descend with few parameters keep everything in
  // locals: they need no guard.
  const usesSlots = ['run', ...(trainable ? ['accumulate'] : [])];
  if (trainable && single === null) usesSlots.push('backward', 'descend');
  const argsOf: Record<string, string> = {
    run: 's',
    backward: 's',
    accumulate: 'S',
    descend: 'C, count, lr, L',
  };
  lines.push(
    'function run(s) { check(s, "run(inputs)"); loadParams(); return forward(s); }',
    trainable ? backwardFn : 'function backward() { noGradient("backward(inputs)"); }',
    trainable
      ? `function accumulate(S) {
  checkSamples(S, "accumulate(samples)");
  const count = S.length;
  for (let i = 0; i < count; i++) check(S[i], i);
  loadParams(); loadGrads();
  let total = 0;
  // Each sample read again (once) as its step loads it: every check passed above.
  for (let i = 0; i < count; i++) { check(S[i], i); total += step(S[i]); }
  storeGrads();
  return total;
}`
      : 'function accumulate() { noGradient("accumulate(samples)"); }',
    trainable
      ? descendSource(tape, layout, trained, single, batch, fast, inArrays, outVal)
      : 'function descend() { noGradient("descend(data, lr)"); }',
    'const own = { run, backward, accumulate, descend };',
    'return {',
    ...['run', 'backward', 'accumulate', 'descend'].map((name) =>
      usesSlots.includes(name) ? `${name}: ${guarded(name, argsOf[name] as string)},` : `${name},`,
    ),
    '};',
    '};',
  );
  return [...shared, ...lines].join('\n');
}

type Passes = ReturnType<typeof passes>;

/**
 * `descend(C, count, lr, L)`: for each sample k of the columns C, forward,
 * backward from gradients of 0, then p ← p − lr·∂out/∂p for every trained
 * parameter, as `zeroGrad(); backward(); step()` of plain SGD does; each step's
 * output (taken before its update) goes to L[k], and their sum is returned. Small tapes keep the
 * parameters in locals across the steps, larger ones in V and G; the Values
 * are written once, at the end. Rather than a branch per step, the run
 * checks once, after the last step, that every trained parameter is finite:
 * x − x is 0 for finite x, else NaN. That catches every step the eager loop
 * would refuse: a non-finite gradient g makes x − lr·g non-finite (lr is
 * positive and finite), and a non-finite x stays so at every later step
 * (∞ − lr·g is ±∞ or NaN). A poisoned run writes nothing and is run again by
 * `checkedDescend`, which finds the step and names what failed. With V and G,
 * the parameters that one dot alone uses take their step in that dot's
 * backward (`fast`, see descendDotUnit); the rest after the pass.
 */
// Longer than ~60 lines: two variants of one generated function (parameters in locals, or in V and G), written side by side so that they stay the same loop.
function descendSource(
  tape: Tape,
  layout: InputLayout,
  trained: readonly number[],
  single: Passes | null,
  batch: Passes,
  fast: Passes | null,
  inArrays: boolean,
  outVal: string,
): string {
  const { nInputs, params } = tape;
  const slot = (i: number): number => nInputs + i;
  const head = [
    'function descend(C, count, lr, L) {',
    ...layout.names.map((_, i) => `const c${i} = C[${i}];`),
    'if (count === 0) return 0;',
    'let poison = 0, total = 0;',
  ];
  const poisoned = 'if (poison !== 0) return checkedDescend(C, count, lr, L);';
  if (single !== null) {
    // Here the parameters' gradients, too, start every step at 0.
    const fresh = zeroGradients(tape);
    for (const i of trained) fresh.add(`g${slot(i)}`);
    const g = (i: number): string => `g${slot(i)}`;
    const next = (i: number): string => `n${slot(i)}`;
    const finite = trained.map((i) => `(v${slot(i)} - v${slot(i)})`);
    return [
      ...head,
      ...params.map((_, i) => `let v${slot(i)} = p${i}.data;`),
      `let ${trained.map((i) => `${g(i)} = 0`).join(', ')};`,
      // No dot skipped here (its own flag, 0, which V8 folds away): on a tape
      // this small the guard cost more than it saved, W2's default fit
      // (Linear(1,1), 13 passes a call) going from 1.7 to 2.9–3.5 × its
      // floor with it, the fused descend row alone unchanged.
      `const ${ZERO_SAFE_FLAG} = 0;`,
      'for (let k = 0; k < count; k++) {',
      ...columnLoads(layout, (s, expr) => `const v${s} = ${expr};`),
      ...single.fwd,
      `${trained.map((i) => `${g(i)} = 0`).join('; ')};`,
      ...foldFirstTerms(single.units, fresh, nodeGradients(tape)),
      ...trained.map((i) => `const ${next(i)} = v${slot(i)} - lr * ${g(i)};`),
      // The output before the update (it may be a parameter itself).
      `L[k] = ${single.val(tape.output)};`,
      'total += L[k];',
      ...trained.map((i) => `v${slot(i)} = ${next(i)};`),
      '}',
      `poison = ${finite.join(' + ')};`,
      poisoned,
      ...trained.map((i) => `p${i}.data = v${slot(i)}; p${i}.grad = ${g(i)};`),
      'return total;',
      '}',
    ].join('\n');
  }
  // Parameters in V and G: the body is a pass (arrays) or the statements inline (locals).
  const body = inArrays
    ? [
        ...columnLoads(layout, (s, expr) => `V[${s}] = ${expr};`),
        `const out = ${fast === null ? 'pass()' : 'descendPass(lr)'};`,
      ]
    : [
        ...columnLoads(layout, (s, expr) => `const v${s} = ${expr};`),
        ...batch.fwd,
        ...(fast ?? batch).bwd,
        `const out = ${outVal};`,
      ];
  // The parameters the pass does not update itself: gradients from 0, a step after the pass.
  const fused = new Set(fast?.fused ?? []);
  const rest = trained.map(slot).filter((s) => !fused.has(s));
  const R = `[${rest.join(', ')}]`;
  return [
    ...head,
    `const R = ${R};`,
    // Gradients from +0: a dot may be skipped (see ZERO_SAFE_FLAG).
    `${ZERO_SAFE_FLAG} = 1;`,
    'loadParams();',
    'for (let k = 0; k < count; k++) {',
    ...(rest.length > 0 ? ['for (let j = 0; j < R.length; j++) G[R[j]] = 0;'] : []),
    '{',
    ...body,
    'L[k] = out;',
    'total += out;',
    '}',
    ...(rest.length > 0
      ? ['for (let j = 0; j < R.length; j++) { const s = R[j]; V[s] = V[s] - lr * G[s]; }']
      : []),
    '}',
    `for (let j = 0; j < T.length; j++) { const s = ${nInputs} + T[j]; poison = poison + (V[s] - V[s]); }`,
    poisoned,
    ...(fast !== null && fast.unskip.length > 0 ? ['unskip();'] : []),
    `for (let j = 0; j < T.length; j++) P[T[j]].data = V[${nInputs} + T[j]];`,
    'storeGrads();',
    'return total;',
    '}',
  ].join('\n');
}

/** V[s] = ((V[T[0]] + V[T[1]]) + V[T[2]]) + …: the terms of a sum, added left to right in a loop. */
const loopedSum = (s: number, T: string, count: number): string =>
  `{ let t = V[${T}[0]]; for (let i = 1; i < ${count}; i++) t = t + V[${T}[i]]; V[${s}] = t; }`;

/** `define(s, expr)` for a sum of many terms, added left to right in statements of {@link TERMS} terms. */
function chunkedSum(
  s: number,
  terms: readonly string[],
  last: string,
  define: (s: number, expr: string) => string,
): string {
  const tail = last === '' ? '' : ` + ${last}`;
  if (terms.length <= TERMS) return define(s, `${terms.join(' + ')}${tail}`);
  const t = `t${s}`;
  const lines = [`let ${t} = ${terms.slice(0, TERMS).join(' + ')};`];
  for (let i = TERMS; i < terms.length; i += TERMS)
    lines.push(`${t} = ${t} + ${terms.slice(i, i + TERMS).join(' + ')};`);
  lines.push(define(s, `${t}${tail}`));
  return lines.join('\n');
}

/** Statements cut into functions `prefix0(params)`, `prefix1(params)`, …, and the calls that run them in order. */
function cut(
  units: readonly string[],
  prefix: string,
  params = '',
): { functions: string[]; calls: string } {
  const functions: string[] = [];
  const calls: string[] = [];
  let part: string[] = [];
  let lines = 0;
  const flush = (): void => {
    if (part.length === 0) return;
    const name = `${prefix}${functions.length}`;
    functions.push(`function ${name}(${params}) {\n${part.join('\n')}\n}`);
    calls.push(`${name}(${params});`);
    part = [];
    lines = 0;
  };
  for (const unit of units) {
    const count = unit.split('\n').length;
    if (lines > 0 && lines + count > STATEMENTS_PER_FUNCTION) flush();
    part.push(unit);
    lines += count;
  }
  flush();
  return { functions, calls: calls.join(' ') };
}

/** Makes a compiled function's functions: what the source's `instance` is. */
type Instances = (
  P: readonly Value[],
  fail: (sample: unknown, where: string | number) => never,
  checkSamples: (samples: unknown, where: string) => void,
  noGradient: (where: string) => never,
  checkedDescend: GeneratedFunctions['descend'],
  /** The same function in the interpreter, for a call made while the slots are in use. */
  again: () => GeneratedFunctions,
) => GeneratedFunctions;

/** A tape's source and what running it once made (see code-cache.ts). */
interface GeneratedCode extends Code {
  readonly instances: Instances;
}

/**
 * The code of recent tapes. Running a source once makes its shared passes and
 * its `instance`; everything a compiled function owns (its parameters, its
 * sample checks) is passed to `instance` or made by it.
 */
const codes = new CodeCache<GeneratedCode>();

/** @internal How many tapes' code is cached (for tests). */
export const cachedCodeCount = (): number => codes.size;

function makeInstances(source: string): Instances {
  // The ops' forward rules that are functions of ours (rule-ir.ts's HELPERS), by name.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const run = new Function(...HELPERS.names, source) as (...helpers: unknown[]) => Instances;
  const instances = run(...HELPERS.fns);
  // One instance made and thrown away at once, so that no compiled function
  // is ever the only instance of this code. V8 specializes the optimized code
  // of a function that has had one closure to that closure's variables, and a
  // second closure of it starts over in the interpreter. Measured on W2's
  // fit, which compiles a fresh function per call: without it, a later
  // function's descend was still in the baseline tier after its 200 calls in
  // some processes (entering optimized code mid-loop each time), and the row
  // read 3.1–3.4 times the floor in 4 of 7 runs; with it, its descend runs
  // optimized from its first call, 1.49–1.61 in 10 of 10. Nothing reads P here.
  const never = (): never => {
    throw new Error('unreachable: a throwaway instance is never called');
  };
  instances([], never, never, never, never, never);
  return instances;
}

/**
 * Builds the functions for a tape with `new Function`. `noGradient` is called
 * by backward and accumulate when the output needs no gradient.
 */
export function generate(
  tape: Tape,
  layout: InputLayout,
  noGradient: (where: string) => never,
  style?: 'locals' | 'arrays',
): GeneratedFunctions {
  const { instances } = codes.get(tape, layout, style ?? 'auto', () => {
    const source = generateSource(tape, layout, style);
    // A large tape's slots are made once, with its code (see generateSource).
    const numbers = slotsInArrays(tape, style) ? 2 * tape.nSlots : 0;
    return { source, instances: makeInstances(source), numbers };
  });
  const scratch = new Float64Array(layout.width);
  // A descend that met a non-finite number runs again, checked step by step, in
  // the interpreter (the same numbers), which names the step and throws.
  let machine: TapeMachine | null = null;
  const checkedDescend: GeneratedFunctions['descend'] = (columns, count, lr, losses) =>
    (machine ??= new TapeMachine(tape)).descend(layout, columns, count, lr, losses);
  const fail = (sample: unknown, where: string | number): never => {
    readSample(layout, sample, scratch, 0, where);
    // The generated check and readSample test the same things: the sample
    // passed here what it failed there, so its reads give different answers.
    const call = typeof where === 'number' ? `accumulate(samples[${where}])` : where;
    throw new TypeError(
      `${call}: the sample's inputs changed between two reads (a getter that returns a different value each time?)`,
    );
  };
  let interpreted: GeneratedFunctions | null = null;
  const again = (): GeneratedFunctions => (interpreted ??= interpret(tape, layout, noGradient));
  return instances(tape.params, fail, checkSamples, noGradient, checkedDescend, again);
}

/** Replay work per tape shape in this process (see {@link tiered}). */
const work = new WorkCounter();

/** What {@link tiered} returns: the four calls, and which replay runs them now. */
export interface TieredFunctions extends GeneratedFunctions {
  readonly mode: 'codegen' | 'interpreter' | 'wasm';
}

/**
 * @internal The work, in statements replayed, after which `auto` moves a
 * tape's shape to generated code (see {@link tiered}): 0, at once; Infinity,
 * never.
 */
export function promotionBudget(tape: Tape): number {
  const { size, block } = generatedSize(tape);
  if (size > CODEGEN_LIMIT || block > BLOCK_LIMIT) return Infinity;
  return size <= AT_ONCE ? 0 : WARM_UP * size;
}

/**
 * `auto` mode: the interpreter for a tape until the work its shape has done
 * in this process (this tape, or an equal one compiled before: statements
 * replayed, a tape's {@link statementCount} per sample or per replay) reaches
 * what generating its code would cost ({@link promotionBudget}); then
 * generated code. A shape that has done that much is given generated code at
 * once, which the code cache has kept, optimized. A tape too large to be
 * worth its code ({@link CODEGEN_LIMIT}, {@link BLOCK_LIMIT}) stays
 * interpreted; one of at most {@link AT_ONCE} statements gets code at once.
 *
 * Why: V8 runs new code in its bytecode interpreter and baseline compiler,
 * every double boxed, until its optimizing compiler has compiled it, which it
 * does once a function has run about 450 times its bytecode size (3 ticks of
 * its 66 KB interrupt budget plus one per 150 bytes) and its concurrent
 * compile, longer the longer the function, is done. Until then every
 * statement costs 10–40 times what it costs in the tape interpreter, whose
 * loops are a few small functions shared by every tape and optimized within
 * the first calls. So what code costs before it pays is about proportional to
 * its size: the statements written out, a rolled loop's body once (its
 * iterations run it often enough for on-stack replacement within a few
 * replays). Both replays give the same numbers, bit for bit, so moving
 * between calls changes nothing but the speed.
 *
 * The rule is the ski rental's: pay rent (interpret) until the rent paid
 * equals the price of buying (the code's extra cost until it is optimized,
 * {@link WARM_UP} per generated statement), then buy. Whatever the number of
 * replays to come, that costs at most about twice what the better choice
 * made in advance would have. Counting statements rather than samples is
 * what lets a batch tape promote: W1's 100 moons in one graph (74,500
 * statements a replay, 767 once rolled) after about 520 replays, where
 * counting each replay as one sample never reached 50,000; W5's one-sample
 * tape (744, straight-line) after 50,000 samples, as before. The first `fit`
 * of either (100 replays, 6,000 samples) stays in the interpreter, which is
 * the faster there.
 */
export function tiered(
  tape: Tape,
  layout: InputLayout,
  noGradient: (where: string) => never,
): TieredFunctions {
  const budget = promotionBudget(tape);
  if (budget === 0) return { ...generate(tape, layout, noGradient), mode: 'codegen' };
  const perSample = statementCount(tape);
  // WebAssembly after the work its compilation costs (see WASM_WARM_UP).
  const wasmBudget = perSample <= WASM_LIMIT ? WASM_WARM_UP * perSample : Infinity;
  if (budget === Infinity && wasmBudget === Infinity)
    return { ...interpret(tape, layout, noGradient), mode: 'interpreter' };
  const key = work.keyOf(tape, layout);
  let impl: GeneratedFunctions | null = null;
  let mode: TieredFunctions['mode'] = 'interpreter';
  let wasm: GeneratedFunctions | null = null;
  let wasmTried = false;
  const tryWasm = (): GeneratedFunctions | null => {
    if (!wasmTried && work.get(key) >= wasmBudget) {
      wasmTried = true;
      wasm = wasmReplay(tape, layout, noGradient);
    }
    return wasm;
  };
  // Moves on as far as the shape's work pays for. descend: WebAssembly (see
  // WASM_WARM_UP). The other calls: generated JavaScript, at its own price,
  // which replays a batch tape's repeated blocks as a loop (W1's 100 samples:
  // 33 µs a backward, against 450 in WebAssembly, whose loops Liftoff keeps
  // in memory and whose one long function V8 optimizes late); WebAssembly only
  // for a tape generated JavaScript would not take (BLOCK_LIMIT, CODEGEN_LIMIT:
  // W6's mini-batches of a 2-32-32-1 MLP, 1.39 × the floor instead of 1.89).
  const promote = (): void => {
    if (mode !== 'interpreter') return;
    if (budget === Infinity) {
      const replay = tryWasm();
      if (replay !== null) {
        impl = replay;
        mode = 'wasm';
      }
    } else if (work.get(key) >= budget) {
      impl = generate(tape, layout, noGradient);
      mode = 'codegen';
    }
  };
  promote();
  let now: GeneratedFunctions = impl ?? interpret(tape, layout, noGradient);
  // After a call that succeeded: count its work, and move on once the shape has done enough.
  const done = (samples: number): void => {
    work.add(key, samples * perSample);
    promote();
    if (impl !== null) now = impl;
  };
  return {
    get mode() {
      return mode;
    },
    run(sample) {
      const out = now.run(sample);
      // The forward pass: about half the statements.
      done(0.5);
      return out;
    },
    backward(sample) {
      const out = now.backward(sample);
      done(1);
      return out;
    },
    accumulate(samples) {
      const out = now.accumulate(samples);
      done((samples as readonly unknown[]).length);
      return out;
    },
    descend(columns, count, lr, losses) {
      const fast = tryWasm();
      if (fast !== null) return fast.descend(columns, count, lr, losses);
      const out = now.descend(columns, count, lr, losses);
      done(count);
      return out;
    },
  };
}
