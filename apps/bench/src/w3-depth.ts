/**
 * W3, depth: a chain of `ops` binary nodes, alternately v·a and v + b, from a
 * leaf x; forward and backward. The backward pass must not recurse, so a
 * million levels work; the run reports its time and its peak heap.
 *
 * The floor keeps the chain's values in a `Float64Array` and walks it back:
 * for v·a, ∂/∂v = a and ∂/∂a += v; for v + b, ∂/∂v = 1 and ∂/∂b += 1, the
 * gradients of a and b summed from the top of the chain down, as the engine
 * sums them.
 */
import { compile, Value } from '@ag/core';
import { heapUsed } from './heap.js';
import type { Outcome } from './outcome.js';
import { type ResultRow } from './result-row.js';
import { runTimedWorkload } from './timed-workload.js';
import type { TimingPlan } from './timing.js';

const X0 = 2;
// v ← v·a + b has its fixed point at b / (1 − a) = 1: the values stay near 1.
const A = 0.999999;
const B = 1e-6;

export function floorChain(ops: number): Outcome {
  const base = heapUsed();
  const v = new Float64Array(ops + 1);
  v[0] = X0;
  for (let i = 0; i < ops; i++)
    v[i + 1] = i % 2 === 0 ? (v[i] as number) * A : (v[i] as number) + B;
  const peak = heapUsed() - base;
  let g = 1;
  let ga = 0;
  let gb = 0;
  for (let i = ops - 1; i >= 0; i--) {
    if (i % 2 === 0) {
      ga += (v[i] as number) * g;
      g = A * g;
    } else {
      gb += g;
    }
  }
  return {
    loss: v[ops] as number,
    checks: { 'a.grad': ga, 'b.grad': gb, 'x.grad': g },
    memory: { peakHeapBytes: peak, nodes: ops },
  };
}

export function eagerChain(ops: number): Outcome {
  const base = heapUsed();
  const x = new Value(X0);
  const a = new Value(A);
  const b = new Value(B);
  let v = x;
  for (let i = 0; i < ops; i++) v = i % 2 === 0 ? v.mul(a) : v.add(b);
  const afterForward = heapUsed() - base;
  v.backward();
  const afterBackward = heapUsed() - base;
  return {
    loss: v.data,
    checks: { 'a.grad': a.grad, 'b.grad': b.grad, 'x.grad': x.grad },
    memory: { peakHeapBytes: Math.max(afterForward, afterBackward), nodes: ops },
  };
}

/**
 * The same chain through `compile`, from x as a vector input, then one
 * `f.backward` from x = 2; returns the root's value and the gradients of a and
 * b (an input has no gradient to read). The run times the compilation and
 * that one call.
 */
export function compiledChain(ops: number): Outcome {
  const a = new Value(A);
  const b = new Value(B);
  const f = compile(
    ({ x }) => {
      let v = x;
      for (let i = 0; i < ops; i++) v = i % 2 === 0 ? v.mul(a) : v.add(b);
      return v;
    },
    { inputs: ['x'] },
  );
  const loss = f.backward({ x: X0 });
  return { loss, checks: { 'a.grad': a.grad, 'b.grad': b.grad } };
}

/** The floor's outcome without x's gradient, for the compiled chain. */
function withoutX(out: Outcome): Outcome {
  const { 'x.grad': _x, ...checks } = out.checks ?? {};
  return { loss: out.loss, checks };
}

/** Target of the compiled chain: seconds, not a ratio (issue 17: under 3 s for 10⁶ nodes). */
const COMPILE_SECONDS = 3;

/**
 * The rows of W3.
 *
 * @example
 * const rows = runW3({ ops: 1_000_000, plan: { warmups: 1, rounds: 5 }, compilePlan: { warmups: 0, rounds: 3 } });
 */
export function runW3(options: {
  ops: number;
  plan: TimingPlan;
  compilePlan: TimingPlan;
}): ResultRow[] {
  const { ops } = options;
  const chain = `chain of ${ops.toLocaleString('en')} mul/add`;
  const compiledRows = runTimedWorkload(
    'W3',
    { 'Float64Array chain': () => withoutX(floorChain(ops)) },
    [
      {
        name: ops === 1_000_000 ? 'W3 compile 10⁶ chain' : `W3 compile ${chain}`,
        floor: 'Float64Array chain',
        run: () => compiledChain(ops),
        target: {
          text: `time < ${COMPILE_SECONDS} s`,
          met: (row) => (row.medianSeconds === null ? null : row.medianSeconds < COMPILE_SECONDS),
        },
        note: `compile() of the ${chain} from a vector input x, and one f.backward; median of ${options.compilePlan.rounds} run(s), no warm-up`,
      },
    ],
    options.compilePlan,
  );
  return [...eagerRows(options), ...compiledRows];
}

function eagerRows(options: { ops: number; plan: TimingPlan }): ResultRow[] {
  const { ops } = options;
  return runTimedWorkload(
    'W3',
    { 'Float64Array chain': () => floorChain(ops) },
    [
      {
        name: `chain of ${ops.toLocaleString('en')} mul/add`,
        floor: 'Float64Array chain',
        run: () => eagerChain(ops),
        target: { text: 'finishes', met: () => true },
      },
    ],
    { ...options.plan, collectBeforeEachRun: true },
  );
}
