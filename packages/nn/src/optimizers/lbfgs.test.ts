import { sum, Value } from '@ag/core';
import { describe, expect, it } from 'vitest';
import reference from './fixtures/torch-lbfgs.json' with { type: 'json' };
import { LBFGS, type LBFGSOptions } from './lbfgs.js';

/** Σ 100·(p_{i+1} − p_i²)² + (1 − p_i)², as the reference script writes it. */
const rosenbrock = (p: readonly Value[]): Value =>
  sum(
    p
      .slice(0, -1)
      .map((a, i) => p[i + 1]!.sub(a.square()).square().mul(100).add(a.neg().add(1).square())),
  );

/** torch's keyword arguments as ours. */
function optionsOf(o: Record<string, unknown>): LBFGSOptions {
  const out: LBFGSOptions = {};
  if (o.lr !== undefined) out.lr = o.lr as number;
  if (o.max_iter !== undefined) out.maxIter = o.max_iter as number;
  if (o.max_eval !== undefined) out.maxEval = o.max_eval as number;
  if (o.history_size !== undefined) out.historySize = o.history_size as number;
  if (o.line_search_fn === 'strong_wolfe') out.lineSearch = 'strongWolfe';
  return out;
}

describe('LBFGS', () => {
  for (const c of reference.cases) {
    it(`takes torch.optim.LBFGS's iterates on Rosenbrock (${c.name}) to 1e-9 relative`, () => {
      const params = c.start.map((v) => new Value(v));
      const optimizer = new LBFGS(params, optionsOf(c.options));
      let evaluations = 0;
      const closure = () => {
        evaluations++;
        optimizer.zeroGrad();
        const loss = rosenbrock(params);
        loss.backward();
        return loss;
      };
      for (const expected of c.steps) {
        const loss = optimizer.step(closure);
        expect(Math.abs(loss - expected.loss)).toBeLessThanOrEqual(1e-9 * Math.abs(expected.loss));
        params.forEach((p, i) =>
          expect(Math.abs(p.data - expected.params[i]!)).toBeLessThanOrEqual(
            1e-9 * Math.abs(expected.params[i]!),
          ),
        );
        expect(evaluations).toBe(expected.evaluations);
      }
    });
  }

  it('returns at once, after one evaluation, where the gradient is already below toleranceGrad', () => {
    const p = new Value(1);
    const optimizer = new LBFGS([p]);
    let calls = 0;
    const loss = optimizer.step(() => {
      calls++;
      optimizer.zeroGrad();
      const l = p.sub(1).square().add(2);
      l.backward();
      return l;
    });
    expect(loss).toBe(2);
    expect(calls).toBe(1);
    expect(p.data).toBe(1);
  });

  it('restores the parameters and its state, and throws, where the loss turns non-finite mid-step', () => {
    const p = new Value(0.5);
    const optimizer = new LBFGS([p], { lr: 1 });
    // log p + p²: g = 1/p + 2p = 3 at 0.5; the first step, t·d = −g/‖g‖₁ = −1, lands on −0.5: NaN.
    const closure = () => {
      optimizer.zeroGrad();
      const l = p.log().add(p.square());
      l.backward();
      return l;
    };
    expect(() => optimizer.step(closure)).toThrow(RangeError);
    expect(() => optimizer.step(closure)).toThrow(/restored/);
    expect(p.data).toBe(0.5);
    expect(optimizer.iterations).toBe(0);
    expect(optimizer.evaluations).toBe(0);
  });

  it('throws on bad input', () => {
    const p = new Value(1);
    expect(() => new LBFGS('p' as never)).toThrow(TypeError);
    expect(() => new LBFGS([])).toThrow(RangeError);
    expect(() => new LBFGS([p, p])).toThrow(/twice/);
    expect(() => new LBFGS([p.add(1)])).toThrow(RangeError);
    expect(() => new LBFGS([p], { lr: 0 })).toThrow(RangeError);
    expect(() => new LBFGS([p], { maxIter: 1.5 })).toThrow(RangeError);
    expect(() => new LBFGS([p], { historySize: 0 })).toThrow(RangeError);
    expect(() => new LBFGS([p], { lineSearch: 'wolfe' as never })).toThrow(RangeError);
    expect(() => new LBFGS([p], { line_search_fn: 'strong_wolfe' } as never)).toThrow(TypeError);
    const optimizer = new LBFGS([p]);
    expect(() => optimizer.step(undefined as never)).toThrow(TypeError);
    expect(() => optimizer.step((() => 'x') as never)).toThrow(/return a Value or a number/);
    expect(() => {
      optimizer.lr = -1;
    }).toThrow(RangeError);
  });
});
