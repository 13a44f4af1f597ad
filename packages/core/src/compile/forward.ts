/**
 * `compileJacobian`: forward mode, compiled. A function of a few numbers x to
 * many outputs rᵢ (the residuals of a least-squares fit) recorded once, and
 * replayed as generated code that carries, beside every node's value v, its
 * tangents ∂v/∂xⱼ for each input j the node depends on:
 *
 *   ∂v/∂xⱼ = Σ over operands u of (∂v/∂u)·(∂u/∂xⱼ)
 *
 * with the partials ∂v/∂u of the op table (rule-ir.ts): each op's chain-rule
 * statements, which add partial·g into an operand's gradient, are printed with
 * the operand's tangent in place of g, adding into the node's tangent. One
 * replay gives every output and the whole Jacobian, at a cost of about (1 + n)
 * times the forward pass, where reverse mode needs a pass per output. The
 * tangents are sums of the same partials as reverse mode's, multiplied in
 * another order: equal to its numbers up to rounding, not bit for bit.
 */
import { describe } from '../describe.js';
import { isGradEnabled } from '../grad-mode.js';
import { sum } from '../nary.js';
import { DOT, SUM } from '../ops.js';
import {
  canGenerateCode,
  HELPERS,
  numberLiteral,
  printExpr,
  printStmts,
  RULES,
  type Names,
} from '../rule-ir.js';
import { Value } from '../value.js';
import { forwardUnit, type Naming } from './codegen.js';
import { layoutOf, makePlaceholders } from './inputs.js';
import { buildTape, type Tape } from './tape.js';

/** Inputs forward mode takes at most: a tangent per input and node. */
export const MAX_FORWARD_INPUTS = 32;

/**
 * Outputs and Jacobian of a function of a few numbers, compiled by
 * {@link compileJacobian}.
 *
 * @example
 * const f = compileJacobian(([a, b]) => ts.map((t) => a.mul(b.mul(t).exp())), [1, 0.5]);
 * f.evaluate([2, 0.4], r, J); // r[i] = rᵢ, J[i + count·j] = ∂rᵢ/∂xⱼ
 */
export interface CompiledJacobian {
  /** The number of outputs. */
  readonly count: number;
  /** The number of inputs. */
  readonly inputs: number;
  /**
   * The outputs at x into `values` and the Jacobian into `jacobian`, column
   * after column (Fortran order, as MINPACK keeps it): ∂rᵢ/∂xⱼ at
   * `jacobian[i + rows·j]`, `rows` (default: count) at least count.
   * @example
   * f.evaluate(x, r, J, m); // J[i + m·j] = ∂rᵢ/∂xⱼ
   */
  evaluate(x: ArrayLike<number>, values: Float64Array, jacobian: Float64Array, rows?: number): void;
  /**
   * {@link evaluate} with the Jacobian row after row (C order):
   * ∂rᵢ/∂xⱼ at `jacobian[i·inputs + j]`.
   * @example
   * f.evaluateRows(x, r, J); // J[i·n + j] = ∂rᵢ/∂xⱼ
   */
  evaluateRows(x: ArrayLike<number>, values: Float64Array, jacobian: Float64Array): void;
}

type Evaluate = (
  X: ArrayLike<number>,
  P: readonly Value[],
  R: Float64Array,
  J: Float64Array,
  /** Where ∂rᵢ/∂xⱼ goes: J[i·RI + j·RJ]. */
  RI: number,
  RJ: number,
) => void;

/**
 * Records `fn` once at x0 and compiles its outputs and their Jacobian in
 * forward mode (see the file's comment), for functions of at most
 * 32 inputs (`MAX_FORWARD_INPUTS`). As with `compile`, the graph is frozen as
 * recorded: a JavaScript `if` on an input's `.data` keeps its recorded branch
 * (check the function first, as `@ag/optimize` does); every leaf that requires
 * a gradient is read live, at every call, with a tangent of 0. Needs
 * `new Function` (throws where it is forbidden).
 *
 * @example
 * const f = compileJacobian(([a, b]) => ts.map((t, i) => a.mul(b.mul(-t).exp()).sub(ys[i])), [1, 1]);
 * const r = new Float64Array(f.count), J = new Float64Array(f.count * 2);
 * f.evaluate([3, 0.5], r, J);
 */
export function compileJacobian(
  fn: (x: Value[]) => readonly (Value | number)[],
  x0: readonly number[],
): CompiledJacobian {
  const where = 'compileJacobian(fn, x0)';
  if (typeof fn !== 'function')
    throw new TypeError(`${where}: expected fn to be a function, received ${describe(fn)}`);
  if (!Array.isArray(x0) || x0.length === 0 || !x0.every((v) => typeof v === 'number'))
    throw new TypeError(
      `${where}: expected x0 to be a non-empty array of numbers, received ${describe(x0)}`,
    );
  const n = x0.length;
  if (n > MAX_FORWARD_INPUTS)
    throw new RangeError(
      `${where}: expected at most ${MAX_FORWARD_INPUTS} inputs, received ${n}; use compile (reverse mode) for more`,
    );
  if (!isGradEnabled())
    throw new Error(`${where}: called inside noGrad(), where no graph is recorded`);
  if (!canGenerateCode())
    throw new Error(`${where}: needs new Function, which this environment forbids`);
  const layout = layoutOf({ x: x0 }, where);
  const { flat } = makePlaceholders(layout, (i) => x0[i] as number);
  const outs = fn(flat.slice()) as unknown;
  if (!Array.isArray(outs))
    throw new TypeError(`${where}: expected fn to return an array, received ${describe(outs)}`);
  const list = outs as unknown[];
  list.forEach((r, i) => {
    if (!(r instanceof Value) && typeof r !== 'number')
      throw new TypeError(
        `${where}: expected fn(x)[${i}] to be a Value or a number, received ${describe(r)}`,
      );
  });
  const values = list.filter((r): r is Value => r instanceof Value);
  // One root over every output Value: its sum node's operands are the outputs' slots.
  const tape = values.length === 0 ? null : buildTape(sum(values), flat, []);
  const slots: number[] = [];
  if (tape !== null) {
    const k = tape.output - tape.firstNode;
    if (k >= 0)
      for (let j = 0; j < values.length; j++)
        slots.push(tape.args[(tape.a[k] as number) + j] as number);
    // All constant: the root itself was folded.
    else for (let j = 0; j < values.length; j++) slots.push(-1);
  }
  let next = 0;
  const outputs = list.map((r): number | string =>
    typeof r === 'number'
      ? r
      : (slots[next++] as number) < 0
        ? (r as Value).data
        : `s${slots[next - 1]}`,
  );
  const source = jacobianSource(tape, n, outputs);
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const evaluate = (new Function(...HELPERS.names, source) as (...h: unknown[]) => Evaluate)(
    ...HELPERS.fns,
  );
  const params = tape === null ? [] : tape.params;
  const count = list.length;
  const check = (at: string, x: unknown, r: unknown): void => {
    if (x === null || typeof x !== 'object' || (x as ArrayLike<number>).length !== n)
      throw new TypeError(`${at}: expected x to hold ${n} numbers, received ${describe(x)}`);
    if (!(r instanceof Float64Array) || r.length < count)
      throw new TypeError(
        `${at}: expected values to be a Float64Array of at least ${count} numbers`,
      );
  };
  const checkJacobian = (at: string, J: unknown, size: number): void => {
    if (!(J instanceof Float64Array) || J.length < size)
      throw new TypeError(
        `${at}: expected jacobian to be a Float64Array of at least ${size} numbers`,
      );
  };
  return {
    count,
    inputs: n,
    evaluate(x, r, J, rows = count) {
      const at = 'evaluate(x, values, jacobian, rows)';
      check(at, x, r);
      if (!Number.isInteger(rows) || rows < count)
        throw new RangeError(
          `${at}: expected rows to be an integer of at least ${count}, received ${describe(rows)}`,
        );
      checkJacobian(at, J, rows * n);
      evaluate(x, params, r, J, 1, rows);
    },
    evaluateRows(x, r, J) {
      const at = 'evaluateRows(x, values, jacobian)';
      check(at, x, r);
      checkJacobian(at, J, count * n);
      evaluate(x, params, r, J, n, 1);
    },
  };
}

/** Lines per generated function: V8 optimizes a few short functions far sooner than one long one. */
const CHUNK_LINES = 200;

/**
 * The generated `evaluate(X, P, R, J, RI, RJ)`: values and tangents node by
 * node in forward order, then the outputs (`outputs[i]`: a number, or
 * `s‹slot›`). The nodes are cut into functions of about {@link CHUNK_LINES}
 * lines (a 100-residual problem's 1,300 lines in one function took V8's
 * optimizing compiler about a second, longer than the benchmark's every
 * evaluation); within one, values and tangents are locals, and those read by a
 * later one are stored in the arrays V and T on its way out.
 */
// Longer than ~60 lines: one pass over the op nodes printing values and tangents, with the naming they share.
function jacobianSource(
  tape: Tape | null,
  n: number,
  outputs: readonly (number | string)[],
): string {
  const head = (name: string): string[] => {
    const h = [`function ${name}(X, P) {`];
    for (let j = 0; j < n; j++) h.push(`const x${j} = X[${j}];`);
    tape?.params.forEach((_, i) => h.push(`const p${i} = P[${i}].data;`));
    return h;
  };
  const chunks: string[][] = [];
  const last: string[] = [];
  const nSlots = tape === null ? 0 : tape.nSlots;
  if (tape !== null) {
    const { nInputs, params, constants, firstNode, op, a, b, n: count, args } = tape;
    const firstConstant = nInputs + params.length;
    // Per slot, the inputs it depends on, one bit each.
    const dep = new Int32Array(nSlots);
    for (let s = 0; s < nInputs; s++) dep[s] = 1 << s;
    // The function each op node is computed in (−1: not yet), the one being printed (−2: the outputs).
    const chunkOf = new Int32Array(nSlots).fill(-1);
    let current = 0;
    const exportedV = new Set<number>();
    const exportedT = new Set<number>();
    const val = (s: number): string => {
      // The outputs are written outside the functions with the locals.
      if (s < nInputs) return current === -2 ? `X[${s}]` : `x${s}`;
      if (s < firstConstant) return current === -2 ? `P[${s - nInputs}].data` : `p${s - nInputs}`;
      if (s < firstNode) return numberLiteral(constants[s - firstConstant] as number);
      if (chunkOf[s] === current) return `v${s}`;
      exportedV.add(s);
      return `V[${s}]`;
    };
    // Per slot and input: which node's tangent it is (−1: the input itself,
    // whose tangent is 1; another node's where it is passed on unchanged, an
    // add or a subtracted constant); absent where it is 0.
    const owners = new Map<number, number>();
    for (let j = 0; j < nInputs; j++) owners.set(j * n + j, -1);
    const tangent = (s: number, j: number): string | null => {
      const owner = owners.get(s * n + j);
      if (owner === undefined) return null;
      if (owner < 0) return '1';
      if (chunkOf[owner] === current) return `t${owner}_${j}`;
      exportedT.add(owner * n + j);
      return `T[${owner * n + j}]`;
    };
    const nm: Naming = {
      val,
      grad: () => null,
      define: (s, expr) => `const v${s} = ${expr};`,
    };
    let lines: string[] = [];
    for (let k = 0; k < op.length; k++) {
      if (lines.length >= CHUNK_LINES) {
        chunks.push(lines);
        lines = [];
        current++;
      }
      const s = firstNode + k;
      // The root is the sum made to hold the outputs together: nobody reads it.
      if (s === tape.output) continue;
      chunkOf[s] = current;
      lines.push(forwardUnit(tape, k, nm));
      const code = op[k] as number;
      const ia = a[k] as number;
      const ib = b[k] as number;
      const stmts = (RULES[code] as (typeof RULES)[number]).stmts;
      // (operand whose tangent is read, statements, the rule's a and b)
      const terms: [number, (typeof stmts)[number] | undefined, number, number][] = [];
      if (code === SUM.code) {
        for (let i = ia; i < ia + (count[k] as number); i++) {
          const t = args[i] as number;
          terms.push([t, stmts[0], t, t]);
        }
      } else if (code === DOT.code) {
        for (let i = ia; i < ia + 2 * (count[k] as number); i += 2) {
          const w = args[i] as number;
          const x = args[i + 1] as number;
          terms.push([w, stmts[0], w, x], [x, stmts[1], w, x]);
        }
        if (ib >= 0) terms.push([ib, stmts[2], ib, ib]);
      } else {
        terms.push([ia, stmts[0], ia, ib]);
        if (ib >= 0) terms.push([ib, stmts[1], ia, ib]);
      }
      let d = 0;
      for (const [u] of terms) d |= dep[u] as number;
      dep[s] = d;
      for (let j = 0; j < n; j++) {
        if (!(d & (1 << j))) continue;
        const name = `t${s}_${j}`;
        // The terms added (or subtracted) unconditionally, and the branches.
        const sums: string[] = [];
        const branches: string[] = [];
        let alias = -2;
        for (const [u, st, ra, rb] of terms) {
          const tu = tangent(u, j);
          if (tu === null || st === undefined) continue;
          const names: Names = (role) =>
            role === 'a' ? val(ra) : role === 'b' ? val(rb) : role === 'v' ? val(s) : tu;
          for (const stmt of st) {
            if (stmt.k !== 'acc') {
              branches.push(printStmts([stmt], name, names));
              continue;
            }
            const term = printExpr(stmt.term, names);
            if (sums.length === 0 && !stmt.neg && term === tu)
              alias = owners.get(u * n + j) as number;
            sums.push(
              sums.length === 0
                ? stmt.neg
                  ? `-(${term})`
                  : term
                : `${stmt.neg ? '-' : '+'} ${term}`,
            );
          }
        }
        // Passed on unchanged: the operand's tangent is the node's (0 + t is t but for −0).
        if (alias !== -2 && sums.length === 1 && branches.length === 0) {
          owners.set(s * n + j, alias);
          continue;
        }
        owners.set(s * n + j, s);
        lines.push(`let ${name} = ${sums.length === 0 ? '0' : sums.join(' ')};`, ...branches);
      }
    }
    chunks.push(lines);
    current = -2;
    outputs.forEach((o, i) => {
      if (typeof o !== 'string') return;
      const s = Number(o.slice(1));
      last.push(`R[${i}] = ${val(s)};`);
      for (let j = 0; j < n; j++) last.push(`J[${i} * RI + ${j} * RJ] = ${tangent(s, j) ?? '0'};`);
    });
    // What later functions read, stored on the way out of the function that computed it.
    for (const s of exportedV) (chunks[chunkOf[s] as number] as string[]).push(`V[${s}] = v${s};`);
    for (const key of exportedT) {
      const owner = Math.floor(key / n);
      (chunks[chunkOf[owner] as number] as string[]).push(`T[${key}] = t${owner}_${key % n};`);
    }
  }
  outputs.forEach((o, i) => {
    if (typeof o !== 'number') return;
    last.push(`R[${i}] = ${numberLiteral(o)};`);
    for (let j = 0; j < n; j++) last.push(`J[${i} * RI + ${j} * RJ] = 0;`);
  });
  return [
    '"use strict";',
    `const V = new Float64Array(${nSlots}), T = new Float64Array(${nSlots * n});`,
    ...chunks.flatMap((c, i) => [...head(`c${i}`), ...c, '}']),
    'return function evaluate(X, P, R, J, RI, RJ) {',
    ...chunks.map((_, i) => `c${i}(X, P);`),
    ...last,
    '};',
  ].join('\n');
}
