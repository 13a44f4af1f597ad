/**
 * The language the op table's rules are written in. A rule (ops.ts) states an
 * op's local partial derivatives once, as a function of an algebra `A`; each
 * consumer supplies its own algebra and so reads the same rule its own way:
 *
 * - rule-ir.ts builds a small expression tree (`Expr`), which is printed as
 *   JavaScript (eager backward, compiled code, interpreter) or evaluated;
 * - higher-order.ts evaluates that tree over `Value`s, so the derivative is a
 *   graph that can be differentiated again (derivatives of any order), and over
 *   numbers for forward mode.
 *
 * `T` is what the algebra computes with (an expression, a number, a Value);
 * `B` is its truth value (a comparison), read only by `select`. Every op of the
 * table is reachable as `A.apply(op, …)`; the ones rules use have a name here.
 */
import {
  ADD,
  COS,
  COSH,
  DIV,
  ERFC,
  EXP,
  EXPM1,
  HYPOT,
  LOG,
  MUL,
  NEG,
  POW,
  SIGMOID,
  SIN,
  SINH,
  SQRT,
  SQUARE,
  SUB,
  type Op,
} from './ops.js';

export type Relation = '>' | '>=' | '<' | '<=' | '===';

export abstract class Algebra<T, B> {
  /** A constant. */
  abstract num(x: number): T;
  /** The op applied to its operands (one or two). */
  abstract apply(op: Op, a: T, b?: T): T;
  /** a REL b, on the operands' numbers. */
  abstract compare(rel: Relation, a: T, b: T): B;
  /** Both conditions. */
  abstract and(c: B, d: B): B;
  /** `then` where c holds, else `otherwise` (a piecewise rule; not differentiated through c). */
  abstract select(c: B, then: T | number, otherwise: T | number): T;

  lift(x: T | number): T {
    return typeof x === 'number' ? this.num(x) : x;
  }
  private app(op: Op, a: T | number, b?: T | number): T {
    return b === undefined
      ? this.apply(op, this.lift(a))
      : this.apply(op, this.lift(a), this.lift(b));
  }

  add(a: T | number, b: T | number): T {
    return this.app(ADD, a, b);
  }
  sub(a: T | number, b: T | number): T {
    return this.app(SUB, a, b);
  }
  mul(a: T | number, b: T | number): T {
    return this.app(MUL, a, b);
  }
  div(a: T | number, b: T | number): T {
    return this.app(DIV, a, b);
  }
  pow(a: T | number, b: T | number): T {
    return this.app(POW, a, b);
  }
  hypot(a: T | number, b: T | number): T {
    return this.app(HYPOT, a, b);
  }
  neg(a: T | number): T {
    return this.app(NEG, a);
  }
  square(a: T | number): T {
    return this.app(SQUARE, a);
  }
  sqrt(a: T | number): T {
    return this.app(SQRT, a);
  }
  exp(a: T | number): T {
    return this.app(EXP, a);
  }
  expm1(a: T | number): T {
    return this.app(EXPM1, a);
  }
  log(a: T | number): T {
    return this.app(LOG, a);
  }
  sin(a: T | number): T {
    return this.app(SIN, a);
  }
  cos(a: T | number): T {
    return this.app(COS, a);
  }
  sinh(a: T | number): T {
    return this.app(SINH, a);
  }
  cosh(a: T | number): T {
    return this.app(COSH, a);
  }
  sigmoid(a: T | number): T {
    return this.app(SIGMOID, a);
  }
  erfc(a: T | number): T {
    return this.app(ERFC, a);
  }
  gt(a: T | number, b: T | number): B {
    return this.compare('>', this.lift(a), this.lift(b));
  }
  ge(a: T | number, b: T | number): B {
    return this.compare('>=', this.lift(a), this.lift(b));
  }
  lt(a: T | number, b: T | number): B {
    return this.compare('<', this.lift(a), this.lift(b));
  }
  le(a: T | number, b: T | number): B {
    return this.compare('<=', this.lift(a), this.lift(b));
  }
  eq(a: T | number, b: T | number): B {
    return this.compare('===', this.lift(a), this.lift(b));
  }
}
