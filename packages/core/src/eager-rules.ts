/**
 * The eager backward rule of every op, derived at module load from the op
 * table's partials (rule-ir.ts): `BACKWARD[code](out)` adds out.grad × ∂out/∂x
 * into every operand x that requires a gradient.
 *
 * Where `new Function` is allowed, each rule is printed as a small specialized
 * function, as fast as a hand-written one (one function per op, so a node
 * still stores only its op code). Where it is forbidden, the same trees are
 * evaluated over numbers: the same operations in the same order, so the same
 * bits, only slower.
 */
import { REQUIRES_GRAD as RG } from './flags.js';
import { DOT, SUM } from './ops.js';
import {
  canGenerateCode,
  HELPERS,
  NUMBERS,
  printStmts,
  RULES,
  runStmts,
  type Env,
  type Names,
  type Rule,
} from './rule-ir.js';
import type { Value } from './value.js';

export type BackwardRule = (out: Value) => void;

// Operand numbers, as the printed rules name them.
const NODE_NAMES: Names = (role) =>
  role === 'a' ? 'a.data' : role === 'b' ? 'b.data' : role === 'v' ? 'out.data' : 'g';

/** The source of one op's backward rule, a function of the node. */
function ruleSource(rule: Rule): string {
  const { op, stmts } = rule;
  const grads = (i: number, node: string, names: Names): string => {
    const body = printStmts(stmts[i] ?? [], `${node}.grad`, names);
    return body === '' ? '' : `if (${node}._f & ${RG}) { ${body} }`;
  };
  if (op === SUM) {
    const names: Names = (role) => (role === 'a' ? 't.data' : NODE_NAMES(role));
    return `function (out) { const terms = out._a, g = out.grad;
for (let i = 0; i < terms.length; i++) { const t = terms[i]; ${grads(0, 't', names)} } }`;
  }
  if (op === DOT) {
    // Pairs (wᵢ, xᵢ) in _a and _b; the bias, if any, after the weights.
    const pair: Names = (role) =>
      role === 'a' ? 'w.data' : role === 'b' ? 'x.data' : NODE_NAMES(role);
    return `function (out) { const ws = out._a, xs = out._b, g = out.grad, n = xs.length;
for (let i = 0; i < n; i++) { const w = ws[i], x = xs[i]; ${grads(0, 'w', pair)} ${grads(1, 'x', pair)} }
if (ws.length > n) { const bias = ws[n]; ${grads(2, 'bias', NODE_NAMES)} } }`;
  }
  if (op.arity === 0) return 'function () {}';
  const b = op.arity === 2 ? ', b = out._b' : '';
  return `function (out) { const a = out._a${b}, g = out.grad; ${grads(0, 'a', NODE_NAMES)} ${op.arity === 2 ? grads(1, 'b', NODE_NAMES) : ''} }`;
}

function generated(): BackwardRule[] {
  const source = `"use strict"; return [\n${RULES.map(ruleSource).join(',\n')}\n];`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  return (new Function(...HELPERS.names, source) as (...fns: unknown[]) => BackwardRule[])(
    ...HELPERS.fns,
  );
}

// ---- the same rules evaluated over numbers (no `new Function`) ----------------

const env: Env<number> = { a: 0, b: 0, v: 0, g: 0 };
let target: Value | null = null;
const addInto = (neg: boolean, term: number): void => {
  const t = target as Value;
  if (neg) t.grad -= term;
  else t.grad += term;
};

function receive(stmts: readonly Stmt[] | undefined, x: Value): void {
  if (stmts === undefined || stmts.length === 0 || (x._f & RG) === 0) return;
  target = x;
  runStmts(NUMBERS, stmts, env, addInto);
}
type Stmt = Rule['stmts'][number][number];

function evaluated(rule: Rule): BackwardRule {
  const { op, stmts } = rule;
  if (op === SUM)
    return (out) => {
      const terms = out._a as readonly Value[];
      for (const t of terms) {
        env.a = t.data;
        env.v = out.data;
        env.g = out.grad;
        receive(stmts[0], t);
      }
    };
  if (op === DOT)
    return (out) => {
      const ws = out._a as readonly Value[];
      const xs = out._b as readonly Value[];
      for (let i = 0; i < xs.length; i++) {
        const w = ws[i] as Value;
        const x = xs[i] as Value;
        Object.assign(env, { a: w.data, b: x.data, v: out.data, g: out.grad });
        receive(stmts[0], w);
        receive(stmts[1], x);
      }
      if (ws.length > xs.length) {
        env.g = out.grad;
        receive(stmts[2], ws[xs.length] as Value);
      }
    };
  return (out) => {
    const a = out._a as Value;
    const b = out._b as Value | null;
    Object.assign(env, { a: a.data, b: b === null ? 0 : b.data, v: out.data, g: out.grad });
    receive(stmts[0], a);
    if (b !== null) receive(stmts[1], b);
  };
}

/** Each op's backward rule, indexed by op code. */
export const BACKWARD: readonly BackwardRule[] = canGenerateCode()
  ? generated()
  : RULES.map(evaluated);

/** @internal The evaluated rules, for tests that compare them with the generated ones. */
export const evaluatedBackward = (): BackwardRule[] => RULES.map(evaluated);
