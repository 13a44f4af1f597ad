import fc from 'fast-check';
import { describe, it } from 'vitest';
import { BACKWARD, evaluatedBackward, type BackwardRule } from './eager-rules.js';
import { compile } from './compile/compile.js';
import { useEvaluatedLoops } from './compile/interpreter.js';
import { eager, expectSameBits, finite, step } from './compile/random-graphs.test-support.js';
import { build } from './compile/random-graphs.test-support.js';
import { Value } from './value.js';

// Where `new Function` is forbidden, the rules are evaluated from the same
// trees instead of printed: these tests swap the evaluated ones in.
const graphs = fc.record({
  steps: fc.array(step, { minLength: 1, maxLength: 25 }),
  params: fc.array(finite, { minLength: 4, maxLength: 4 }),
  xs: fc.array(finite, { minLength: 3, maxLength: 3 }),
});

function withEvaluatedRules<T>(fn: () => T): T {
  const printed = BACKWARD.slice();
  const rules = BACKWARD as BackwardRule[];
  rules.splice(0, rules.length, ...evaluatedBackward());
  try {
    return fn();
  } finally {
    rules.splice(0, rules.length, ...printed);
  }
}

describe('the op rules without new Function: the same bits as the printed rules', () => {
  it('eager backward, on random graphs over every op', () => {
    fc.assert(
      fc.property(graphs, ({ steps, params, xs }) => {
        const zeros = params.map(() => 0);
        const printed = eager(
          steps,
          params.map((p) => new Value(p)),
          xs,
          [0.75],
          zeros,
        );
        const evaluated = withEvaluatedRules(() =>
          eager(
            steps,
            params.map((p) => new Value(p)),
            xs,
            [0.75],
            zeros,
          ),
        );
        expectSameBits([evaluated.out, ...evaluated.grads], [printed.out, ...printed.grads]);
      }),
      { seed: 7, numRuns: 150 },
    );
  });
  it('the interpreter, on random graphs over every op', () => {
    useEvaluatedLoops(true);
    try {
      fc.assert(
        fc.property(graphs, ({ steps, params, xs }) => {
          const ps = params.map((p) => new Value(p));
          const e = eager(
            steps,
            ps,
            xs,
            [0.75],
            params.map(() => 0),
          );
          const f = compile(({ x }) => build(steps, ps, x as Value[], [0.75]), {
            inputs: { x: [0.5, -0.25, 1.5] },
            mode: 'interpreter',
          });
          ps.forEach((p) => (p.grad = 0));
          expectSameBits([f.backward({ x: xs }), ...ps.map((p) => p.grad)], [e.out, ...e.grads]);
        }),
        { seed: 8, numRuns: 100 },
      );
    } finally {
      useEvaluatedLoops(false);
    }
  });
});
