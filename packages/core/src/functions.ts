/**
 * The ops as free functions, so a plain number may stand on either side:
 * what Python's `__radd__`, `__rsub__` and `__rtruediv__` give micrograd.
 */
import * as O from './ops.js';
import { ADD, DIV, MAX, MIN, MUL, POW, SUB, type BinaryOp } from './ops.js';
import {
  asExponent,
  asOperand,
  binary,
  clampValue,
  finiteParameter,
  unary,
  type Value,
} from './value.js';

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

/** A unary op on a Value, or on a number (a constant: the result needs no gradient). */
function free1(op: O.Op, fn: string, x: Value | number): Value {
  return unary(op, asOperand(x, fn, 'x'));
}

/**
 * sin x
 * @example
 * sin(x); // the same as x.sin()
 */
export function sin(x: Value | number): Value {
  return free1(O.SIN, 'sin', x);
}

/**
 * cos x
 * @example
 * cos(x); // the same as x.cos()
 */
export function cos(x: Value | number): Value {
  return free1(O.COS, 'cos', x);
}

/**
 * tan x
 * @example
 * tan(x); // the same as x.tan()
 */
export function tan(x: Value | number): Value {
  return free1(O.TAN, 'tan', x);
}

/**
 * asin x; the derivative is +∞ at ±1
 * @example
 * asin(x); // the same as x.asin()
 */
export function asin(x: Value | number): Value {
  return free1(O.ASIN, 'asin', x);
}

/**
 * acos x; the derivative is −∞ at ±1
 * @example
 * acos(x); // the same as x.acos()
 */
export function acos(x: Value | number): Value {
  return free1(O.ACOS, 'acos', x);
}

/**
 * atan x
 * @example
 * atan(x); // the same as x.atan()
 */
export function atan(x: Value | number): Value {
  return free1(O.ATAN, 'atan', x);
}

/**
 * sinh x
 * @example
 * sinh(x); // the same as x.sinh()
 */
export function sinh(x: Value | number): Value {
  return free1(O.SINH, 'sinh', x);
}

/**
 * cosh x
 * @example
 * cosh(x); // the same as x.cosh()
 */
export function cosh(x: Value | number): Value {
  return free1(O.COSH, 'cosh', x);
}

/**
 * asinh x
 * @example
 * asinh(x); // the same as x.asinh()
 */
export function asinh(x: Value | number): Value {
  return free1(O.ASINH, 'asinh', x);
}

/**
 * acosh x
 * @example
 * acosh(x); // the same as x.acosh()
 */
export function acosh(x: Value | number): Value {
  return free1(O.ACOSH, 'acosh', x);
}

/**
 * atanh x
 * @example
 * atanh(x); // the same as x.atanh()
 */
export function atanh(x: Value | number): Value {
  return free1(O.ATANH, 'atanh', x);
}

/**
 * ln(1 + x)
 * @example
 * log1p(x); // the same as x.log1p()
 */
export function log1p(x: Value | number): Value {
  return free1(O.LOG1P, 'log1p', x);
}

/**
 * eˣ − 1
 * @example
 * expm1(x); // the same as x.expm1()
 */
export function expm1(x: Value | number): Value {
  return free1(O.EXPM1, 'expm1', x);
}

/**
 * log₂ x
 * @example
 * log2(x); // the same as x.log2()
 */
export function log2(x: Value | number): Value {
  return free1(O.LOG2, 'log2', x);
}

/**
 * log₁₀ x
 * @example
 * log10(x); // the same as x.log10()
 */
export function log10(x: Value | number): Value {
  return free1(O.LOG10, 'log10', x);
}

/**
 * the error function
 * @example
 * erf(x); // the same as x.erf()
 */
export function erf(x: Value | number): Value {
  return free1(O.ERF, 'erf', x);
}

/**
 * 1 − erf x
 * @example
 * erfc(x); // the same as x.erfc()
 */
export function erfc(x: Value | number): Value {
  return free1(O.ERFC, 'erfc', x);
}

/**
 * x·Φ(x), exact
 * @example
 * gelu(x); // the same as x.gelu()
 */
export function gelu(x: Value | number): Value {
  return free1(O.GELU, 'gelu', x);
}

/**
 * x·σ(x)
 * @example
 * silu(x); // the same as x.silu()
 */
export function silu(x: Value | number): Value {
  return free1(O.SILU, 'silu', x);
}

/**
 * −1, 0 or 1; sign(0) = 0
 * @example
 * sign(x); // the same as x.sign()
 */
export function sign(x: Value | number): Value {
  return free1(O.SIGN, 'sign', x);
}

/**
 * ⌊x⌋
 * @example
 * floor(x); // the same as x.floor()
 */
export function floor(x: Value | number): Value {
  return free1(O.FLOOR, 'floor', x);
}

/**
 * ⌈x⌉
 * @example
 * ceil(x); // the same as x.ceil()
 */
export function ceil(x: Value | number): Value {
  return free1(O.CEIL, 'ceil', x);
}

/**
 * x rounded, ties to even
 * @example
 * round(x); // the same as x.round()
 */
export function round(x: Value | number): Value {
  return free1(O.ROUND, 'round', x);
}

/**
 * x for x > 0, else slope·x (the left slope at 0).
 * @example
 * leakyRelu(x, 0.2);
 */
export function leakyRelu(x: Value | number, slope = 0.01): Value {
  return binary(
    O.LEAKY_RELU,
    asOperand(x, 'leakyRelu', 'x'),
    finiteParameter(slope, 'leakyRelu', 'slope'),
  );
}

/**
 * x for x > 0, else α(eˣ − 1) (the left slope at 0).
 * @example
 * elu(x, 1);
 */
export function elu(x: Value | number, alpha = 1): Value {
  return binary(O.ELU, asOperand(x, 'elu', 'x'), finiteParameter(alpha, 'elu', 'alpha'));
}

/**
 * min(max(x, min), max); the gradient passes at the bounds, as PyTorch's clamp.
 * @example
 * clamp(x, -1, 1);
 */
export function clamp(x: Value | number, min: number, max: number): Value {
  return clampValue(asOperand(x, 'clamp', 'x'), min, max, 'clamp');
}

/**
 * atan2(y, x): the angle of the point (x, y), as torch.atan2(y, x).
 * @example
 * atan2(1, x);
 */
export function atan2(y: Value | number, x: Value | number): Value {
  return binary(O.ATAN2, asOperand(y, 'atan2', 'y'), asOperand(x, 'atan2', 'x'));
}

/**
 * √(a² + b²) without overflow or underflow.
 * @example
 * hypot(3, x);
 */
export function hypot(a: Value | number, b: Value | number): Value {
  return binary(O.HYPOT, asOperand(a, 'hypot', 'a'), asOperand(b, 'hypot', 'b'));
}
