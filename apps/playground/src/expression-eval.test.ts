import { Value, toGraph } from '@ag/core';
import { describe, expect, it } from 'vitest';
import { EXPRESSION_EXAMPLES, MICROGRAD_EXPRESSION } from './expression-examples.js';
import { runExpression } from './expression-eval.js';
import { ExpressionSyntaxError } from './expression-parser.js';

function leaf(variables: Map<string, Value | number>, name: string): Value {
  const v = variables.get(name);
  if (!(v instanceof Value)) throw new Error(`${name} is not a Value`);
  return v;
}

describe('runExpression', () => {
  it('computes a product rule by hand: f = a·b + a at a = 3, b = 2', () => {
    const { root, variables } = runExpression('a = 3, b = 2; a*b + a');
    expect(root.data).toBe(9);
    expect(leaf(variables, 'a').grad).toBe(3); // ∂f/∂a = b + 1
    expect(leaf(variables, 'b').grad).toBe(3); // ∂f/∂b = a
  });

  it('sums both paths when a node is used twice', () => {
    const { root, variables } = runExpression('a = 3\nb = a + a');
    expect(root.data).toBe(6);
    expect(leaf(variables, 'a').grad).toBe(2);
  });

  it('handles /, negative powers and cubes: f = a/b + b**-1 + a**3 at a = 2, b = 4', () => {
    const { root, variables } = runExpression('a = 2, b = 4; a / b + b**-1 + a**3');
    expect(root.data).toBe(8.75); // 0.5 + 0.25 + 8
    expect(leaf(variables, 'a').grad).toBe(12.25); // 1/b + 3a² = 0.25 + 12
    expect(leaf(variables, 'b').grad).toBe(-0.1875); // −a/b² − 1/b² = −2/16 − 1/16
  });

  it('differentiates tanh, exp and log', () => {
    const t = runExpression('x = 0.5; tanh(x)');
    const th = Math.tanh(0.5);
    expect(t.root.data).toBeCloseTo(th, 15);
    expect(leaf(t.variables, 'x').grad).toBeCloseTo(1 - th * th, 15);

    // log(exp(x)·x) = x + ln x, so the slope is 1 + 1/x = 1.5 at x = 2.
    const l = runExpression('x = 2; log(exp(x) * x)');
    expect(l.root.data).toBeCloseTo(2 + Math.LN2, 14);
    expect(leaf(l.variables, 'x').grad).toBeCloseTo(1.5, 14);
  });

  it('differentiates relu on both sides of zero, as a call and as a method', () => {
    // At x = −1: relu(x) is flat, relu(−x)·3 = −3x has slope −3.
    const { root, variables } = runExpression('x = -1; relu(x) + (-x).relu() * 3');
    expect(root.data).toBe(3);
    expect(leaf(variables, 'x').grad).toBe(-3);
  });

  it("reproduces micrograd's published results for its README expression", () => {
    const { root, variables } = runExpression(MICROGRAD_EXPRESSION);
    expect(root.data.toFixed(4)).toBe('24.7041');
    // micrograd prints these with full precision in its test_more_ops; our `/` divides directly where
    // micrograd multiplies by a reciprocal, so allow a few units in the last place.
    expect(leaf(variables, 'a').grad).toBeCloseTo(138.83381924198252, 9);
    expect(leaf(variables, 'b').grad).toBeCloseTo(645.5772594752187, 9);
  });

  it('labels every assigned node and keeps constants as constants', () => {
    const { root } = runExpression('x = 2\ny = x * (3 + 4)\ny += 1');
    const { nodes } = toGraph(root);
    // x, the folded constant 7, y = x·7, the constant 1 and y + 1.
    expect(nodes.map((n) => [n.label ?? '', n.op, n.data, n.requiresGrad])).toEqual([
      ['x', '', 2, true],
      ['', '', 7, false],
      ['y', '*', 14, true],
      ['', '', 1, false],
      ['y', '+', 15, true],
    ]);
  });

  it('runs every example in the menu', () => {
    for (const { source } of EXPRESSION_EXAMPLES) {
      expect(Number.isFinite(runExpression(source).root.data)).toBe(true);
    }
  });

  it('reports an undefined variable and a constant result with their positions', () => {
    expect(() => runExpression('a = 1\nb = a + z')).toThrow(
      new ExpressionSyntaxError("'z' is not defined", 'a = 1\nb = a + z', 14),
    );
    expect(() => runExpression('q += 1')).toThrow(/^'q' is not defined \(line 1, column 1\)/);
    expect(() => runExpression('2 * 3')).toThrow(/the result is a constant/);
  });
});
