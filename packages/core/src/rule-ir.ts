/**
 * The op table's rules as data. Each op's partials (ops.ts) are read once, at
 * module load, through {@link ExprAlgebra} into a tiny expression tree over
 * the roles a (first operand's number), b (second), v (the result) and g (the
 * result's gradient). The chain rule turns each partial into statements that
 * add `partial·g` into an operand's gradient ({@link chain}).
 *
 * Every consumer reads those trees, none re-states a derivative:
 * - {@link printExpr}/{@link printStmts} write them as JavaScript (eager
 *   backward where `new Function` is allowed, the interpreter's loops, and the
 *   compiler's code);
 * - {@link evalExpr}/{@link runStmts} evaluate them over any algebra: numbers
 *   (the same arithmetic as the printed code, operation for operation, so the
 *   same bits: the fallback where `new Function` is forbidden, and forward
 *   mode) or `Value`s (differentiable backward, higher-order derivatives).
 *
 * The trees are a few nodes deep, so recursion over them is harmless; no
 * graph is ever walked recursively.
 */
import { Algebra, type Relation } from './algebra.js';
import { MUL, NEG, OPS, type Op } from './ops.js';

export type Role = 'a' | 'b' | 'v' | 'g';

export type Expr =
  | { readonly k: 'num'; readonly v: number }
  | { readonly k: 'ref'; readonly role: Role }
  | { readonly k: 'app'; readonly op: Op; readonly args: readonly Expr[] }
  | { readonly k: 'sel'; readonly c: Cond; readonly t: Expr; readonly f: Expr };

export type Cond =
  | { readonly k: 'cmp'; readonly rel: Relation; readonly a: Expr; readonly b: Expr }
  | { readonly k: 'and'; readonly c: Cond; readonly d: Cond };

/** Add (or subtract, `neg`) `term` into the operand's gradient; or branch. */
export type Stmt =
  | { readonly k: 'acc'; readonly neg: boolean; readonly term: Expr }
  | {
      readonly k: 'if';
      readonly c: Cond;
      readonly then: readonly Stmt[];
      readonly else: readonly Stmt[];
    };

/** The algebra whose values are expressions: running a rule over it records the rule. */
export class ExprAlgebra extends Algebra<Expr, Cond> {
  num(v: number): Expr {
    return { k: 'num', v };
  }
  apply(op: Op, a: Expr, b?: Expr): Expr {
    return { k: 'app', op, args: b === undefined ? [a] : [a, b] };
  }
  compare(rel: Relation, a: Expr, b: Expr): Cond {
    return { k: 'cmp', rel, a, b };
  }
  and(c: Cond, d: Cond): Cond {
    return { k: 'and', c, d };
  }
  select(c: Cond, t: Expr | number, f: Expr | number): Expr {
    return { k: 'sel', c, t: this.lift(t), f: this.lift(f) };
  }
}

const ref = (role: Role): Expr => ({ k: 'ref', role });
const G = ref('g');

/**
 * The chain rule for one operand: statements adding partial·g into its
 * gradient. A constant 0 adds nothing (in each branch of a select), 1 adds g
 * itself, −1 subtracts it, −q subtracts q·g: each the same double as the
 * product, one operation fewer.
 */
export function chain(p: Expr): Stmt[] {
  if (p.k === 'num') {
    if (p.v === 0) return [];
    if (p.v === 1) return [{ k: 'acc', neg: false, term: G }];
    if (p.v === -1) return [{ k: 'acc', neg: true, term: G }];
  }
  if (p.k === 'sel') {
    const then = chain(p.t);
    const otherwise = chain(p.f);
    return then.length === 0 && otherwise.length === 0
      ? []
      : [{ k: 'if', c: p.c, then, else: otherwise }];
  }
  if (p.k === 'app' && p.op === NEG) {
    const q = p.args[0] as Expr;
    if (q.k !== 'sel') return [{ k: 'acc', neg: true, term: times(q) }];
  }
  return [{ k: 'acc', neg: false, term: times(p) }];
}

const times = (q: Expr): Expr =>
  q.k === 'num' && q.v === 1 ? G : { k: 'app', op: MUL, args: [q, G] };

export interface Rule {
  readonly op: Op;
  /** One partial per operand (n-ary: see `Partials` in ops.ts). */
  readonly partials: readonly Expr[];
  /** Per operand, the statements of the chain rule. */
  readonly stmts: readonly (readonly Stmt[])[];
}

const EXPR = new ExprAlgebra();

/** Every op's rule as trees, indexed by op code; read once. */
export const RULES: readonly Rule[] = OPS.map((op) => {
  const partials = op.partials(EXPR, ref('a'), ref('b'), ref('v')).map((p) => EXPR.lift(p));
  return { op, partials, stmts: partials.map(chain) };
});

// ---- evaluation ----------------------------------------------------------------

export interface Env<T> {
  a: T;
  b: T;
  v: T;
  g: T;
}

export function evalExpr<T, B>(A: Algebra<T, B>, e: Expr, env: Env<T>): T {
  switch (e.k) {
    case 'num':
      return A.num(e.v);
    case 'ref':
      return env[e.role];
    case 'app': {
      const x = evalExpr(A, e.args[0] as Expr, env);
      return e.args.length === 1
        ? A.apply(e.op, x)
        : A.apply(e.op, x, evalExpr(A, e.args[1] as Expr, env));
    }
    case 'sel':
      // Only the chosen branch is evaluated, as the printed `c ? t : f`.
      return evalCond(A, e.c, env) ? evalExpr(A, e.t, env) : evalExpr(A, e.f, env);
  }
}

/** A condition's truth: algebras over numbers and Values both answer with a boolean. */
function evalCond<T, B>(A: Algebra<T, B>, c: Cond, env: Env<T>): B {
  if (c.k === 'and') return A.and(evalCond(A, c.c, env), evalCond(A, c.d, env));
  return A.compare(c.rel, evalExpr(A, c.a, env), evalExpr(A, c.b, env));
}

/** Runs a chain rule's statements: `add(neg, term)` for each term that applies. */
export function runStmts<T, B>(
  A: Algebra<T, B>,
  stmts: readonly Stmt[],
  env: Env<T>,
  add: (neg: boolean, term: T) => void,
): void {
  for (const s of stmts) {
    if (s.k === 'acc') add(s.neg, evalExpr(A, s.term, env));
    else runStmts(A, evalCond(A, s.c, env) ? s.then : s.else, env, add);
  }
}

/** Numbers: each op's own `forward`, the same function generated code calls. */
export class NumberAlgebra extends Algebra<number, boolean> {
  num(x: number): number {
    return x;
  }
  apply(op: Op, a: number, b?: number): number {
    return op.forward(a, b as number);
  }
  compare(rel: Relation, a: number, b: number): boolean {
    switch (rel) {
      case '>':
        return a > b;
      case '>=':
        return a >= b;
      case '<':
        return a < b;
      case '<=':
        return a <= b;
      case '===':
        return a === b;
    }
  }
  and(c: boolean, d: boolean): boolean {
    return c && d;
  }
  select(c: boolean, t: number, f: number): number {
    return c ? t : f;
  }
}

export const NUMBERS = new NumberAlgebra();

// ---- printing ------------------------------------------------------------------

/** A JavaScript literal for x that reads back as the same double (−0, NaN and ±∞ included). */
export function numberLiteral(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '(-Infinity)';
  if (Object.is(x, -0)) return '(-0)';
  // String(x) is the shortest decimal that round-trips (ECMA-262 Number::toString).
  return x < 0 ? `(${String(x)})` : String(x);
}

/** The name generated code knows an op's `forward` by (a parameter, see {@link HELPERS}). */
export const helperName = (op: Op): string =>
  /^[A-Za-z]\w*$/.test(op.name) ? `h_${op.name}` : `h_op${op.code}`;

/** The ops whose forward generated code calls as a function passed in: names and functions. */
export const HELPERS: {
  readonly names: string[];
  readonly fns: ((a: number, b: number) => number)[];
} = {
  names: OPS.filter((op) => op.js.kind === 'helper' && op.arity !== 0 && op.arity !== 'n').map(
    helperName,
  ),
  fns: OPS.filter((op) => op.js.kind === 'helper' && op.arity !== 0 && op.arity !== 'n').map(
    (op) => op.forward,
  ),
};

/** Names of the roles in the code being written; called only for the roles printed. */
export type Names = (role: Role) => string;

/** An op applied to printed operands, as its `js` form says. */
export function printApply(op: Op, args: readonly string[]): string {
  const [x, y] = args as [string, string];
  switch (op.js.kind) {
    case 'infix':
      return `(${x} ${op.js.symbol} ${y})`;
    case 'negate':
      return `(-${x})`;
    case 'square':
      return `(${x} * ${x})`;
    case 'call':
      return `${op.js.name}(${args.join(', ')})`;
    case 'helper':
      return `${helperName(op)}(${args.join(', ')})`;
  }
}

export function printExpr(e: Expr, names: Names): string {
  switch (e.k) {
    case 'num':
      return numberLiteral(e.v);
    case 'ref':
      return names(e.role);
    case 'app':
      return printApply(
        e.op,
        e.args.map((x) => printExpr(x, names)),
      );
    case 'sel':
      return `(${printCond(e.c, names)} ? ${printExpr(e.t, names)} : ${printExpr(e.f, names)})`;
  }
}

export function printCond(c: Cond, names: Names): string {
  if (c.k === 'and') return `(${printCond(c.c, names)} && ${printCond(c.d, names)})`;
  return `(${printExpr(c.a, names)} ${c.rel} ${printExpr(c.b, names)})`;
}

/** The statements adding into `target` (an assignable expression), as JavaScript. */
export function printStmts(stmts: readonly Stmt[], target: string, names: Names): string {
  return stmts
    .map((s) => {
      if (s.k === 'acc') return `${target} ${s.neg ? '-' : '+'}= ${printExpr(s.term, names)};`;
      const then = printStmts(s.then, target, names);
      const otherwise = printStmts(s.else, target, names);
      const c = printCond(s.c, names);
      if (then === '') return `if (!${c}) { ${otherwise} }`;
      return otherwise === ''
        ? `if (${c}) { ${then} }`
        : `if (${c}) { ${then} } else { ${otherwise} }`;
    })
    .join(' ');
}

/** Whether `new Function` works here (a Content-Security-Policy without 'unsafe-eval' forbids it). */
export function canGenerateCode(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return (new Function('return 1') as () => number)() === 1;
  } catch {
    return false;
  }
}
