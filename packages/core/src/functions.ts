/**
 * The ops as free functions, so a plain number may stand on either side:
 * what Python's `__radd__`, `__rsub__` and `__rtruediv__` give micrograd.
 */
import { ADD, DIV, MAX, MIN, MUL, POW, SUB, type BinaryOp } from './ops.js';
import { asExponent, asOperand, binary, type Value } from './value.js';

function free(op: BinaryOp, fn: string, a: Value | number, b: Value | number): Value {
  return binary(op, asOperand(a, fn, 'a'), asOperand(b, fn, 'b'));
}

/**
 * a + b
 * @example
 * add(2, x); // 2 + x
 */
export function add(a: Value | number, b: Value | number): Value {
  return free(ADD, 'add', a, b);
}

/**
 * a − b
 * @example
 * sub(1, x); // 1 − x
 */
export function sub(a: Value | number, b: Value | number): Value {
  return free(SUB, 'sub', a, b);
}

/**
 * a · b
 * @example
 * mul(3, x); // 3·x
 */
export function mul(a: Value | number, b: Value | number): Value {
  return free(MUL, 'mul', a, b);
}

/**
 * a / b
 * @example
 * div(10, x); // 10 / x
 */
export function div(a: Value | number, b: Value | number): Value {
  return free(DIV, 'div', a, b);
}

/**
 * base ** exponent; the exponent must be finite.
 * @example
 * pow(2, x); // 2ˣ, with ∂/∂x = 2ˣ·ln 2
 */
export function pow(base: Value | number, exponent: Value | number): Value {
  return binary(POW, asOperand(base, 'pow', 'base'), asExponent(exponent, 'pow'));
}

/**
 * max(a, b); on a tie each operand gets half the gradient.
 * @example
 * max(0, x); // relu(x), as a binary op
 */
export function max(a: Value | number, b: Value | number): Value {
  return free(MAX, 'max', a, b);
}

/**
 * min(a, b); on a tie each operand gets half the gradient.
 * @example
 * min(x, 1); // clamp from above
 */
export function min(a: Value | number, b: Value | number): Value {
  return free(MIN, 'min', a, b);
}
