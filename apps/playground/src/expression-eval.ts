import { Value, add, div, mul, pow, sub } from '@ag/core';
import type { Expr, FunctionName, Program } from './expression-parser.js';
import { ExpressionSyntaxError, parseProgram } from './expression-parser.js';

/** The result of running a program: its root after `backward()`, and every named variable. */
export interface EvaluatedProgram {
  root: Value;
  variables: Map<string, Value | number>;
}

type Scalar = Value | number;

// Plain numbers stay plain numbers (constants, no node) until they meet a Value, as in micrograd.
const NUMERIC: Record<FunctionName, (x: number) => number> = {
  relu: (x) => (x > 0 ? x : 0),
  tanh: Math.tanh,
  exp: Math.exp,
  log: Math.log,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  abs: Math.abs,
  sqrt: Math.sqrt,
};

function applyFunction(fn: FunctionName, x: Scalar): Scalar {
  if (typeof x === 'number') return NUMERIC[fn](x);
  switch (fn) {
    case 'relu':
      return x.relu();
    case 'tanh':
      return x.tanh();
    case 'exp':
      return x.exp();
    case 'log':
      return x.log();
    case 'sigmoid':
      return x.sigmoid();
    case 'abs':
      return x.abs();
    case 'sqrt':
      return x.sqrt();
  }
}

function applyBinary(op: '+' | '-' | '*' | '/' | '**', a: Scalar, b: Scalar): Scalar {
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return a / b;
      case '**':
        return a ** b;
    }
  }
  switch (op) {
    case '+':
      return add(a, b);
    case '-':
      return sub(a, b);
    case '*':
      return mul(a, b);
    case '/':
      return div(a, b);
    case '**':
      return pow(a, b);
  }
}

function evaluateExpr(expr: Expr, variables: Map<string, Scalar>, source: string): Scalar {
  // An explicit stack instead of recursion, so a long chain like `x+x+...+x` cannot overflow.
  type Frame = { expr: Expr; stage: number };
  const stack: Frame[] = [{ expr, stage: 0 }];
  const results: Scalar[] = [];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame;
    const e = frame.expr;
    switch (e.kind) {
      case 'number':
        results.push(e.value);
        stack.pop();
        break;
      case 'variable': {
        const v = variables.get(e.name);
        if (v === undefined) {
          throw new ExpressionSyntaxError(`'${e.name}' is not defined`, source, e.index);
        }
        results.push(v);
        stack.pop();
        break;
      }
      case 'negate':
      case 'call':
        if (frame.stage === 0) {
          frame.stage = 1;
          stack.push({ expr: e.arg, stage: 0 });
        } else {
          const x = results.pop() as Scalar;
          if (e.kind === 'negate') results.push(typeof x === 'number' ? -x : x.neg());
          else results.push(applyFunction(e.fn, x));
          stack.pop();
        }
        break;
      case 'binary':
        if (frame.stage === 0) {
          frame.stage = 1;
          stack.push({ expr: e.right, stage: 0 }, { expr: e.left, stage: 0 });
        } else {
          // Left was pushed last so it ran first: it sits below the right on the results stack.
          const b = results.pop() as Scalar;
          const a = results.pop() as Scalar;
          results.push(applyBinary(e.op, a, b));
          stack.pop();
        }
        break;
    }
  }
  return results[0] as Scalar;
}

/**
 * Run a parsed program: build the graph of `Value`s and call `backward()` on its result
 * (the last expression, or the variable the last statement assigned).
 * @example
 *   const { root, variables } = evaluateProgram(parseProgram('a = 3, b = 2; a * b + a'));
 *   root.data; // 9, and (variables.get('a') as Value).grad === 3
 */
export function evaluateProgram(program: Program, source = ''): EvaluatedProgram {
  const variables = new Map<string, Scalar>();
  let last: Scalar | undefined;
  let lastIndex = 0;
  for (const statement of program.statements) {
    lastIndex = statement.index;
    const result = evaluateExpr(statement.expr, variables, source);
    if (statement.kind === 'expression') {
      last = result;
      continue;
    }
    let assigned: Scalar;
    if (statement.op === '=') {
      // `a = -4` makes a leaf, as micrograd's `a = Value(-4.0)` does.
      assigned = typeof result === 'number' ? new Value(result, { label: statement.name }) : result;
    } else {
      const previous = variables.get(statement.name);
      if (previous === undefined) {
        throw new ExpressionSyntaxError(
          `'${statement.name}' is not defined`,
          source,
          statement.index,
        );
      }
      const op = statement.op.charAt(0) as '+' | '-' | '*' | '/';
      assigned = applyBinary(op, previous, result);
    }
    if (assigned instanceof Value && assigned.label === undefined) assigned.label = statement.name;
    variables.set(statement.name, assigned);
    last = assigned;
  }
  if (!(last instanceof Value)) {
    throw new ExpressionSyntaxError(
      'the result is a constant: use a variable (for example `x = 2; x**2`) so there is something to differentiate',
      source,
      lastIndex,
    );
  }
  last.backward();
  return { root: last, variables };
}

/**
 * Parse and run an expression program, returning its root after `backward()`.
 * @example
 *   const { root } = runExpression('a = -4, b = 2; (a * b).relu() + b**3');
 *   root.data; // 8
 */
export function runExpression(source: string): EvaluatedProgram {
  return evaluateProgram(parseProgram(source), source);
}
