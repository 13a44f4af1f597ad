import { afterEach, describe, expect, it } from 'vitest';
import {
  AnomalyError,
  detectAnomaly,
  isAnomalyDetectionEnabled,
  isGradEnabled,
  noGrad,
  setAnomalyDetection,
  sum,
  Value,
} from './index.js';

afterEach(() => setAnomalyDetection(false));

describe('noGrad', () => {
  it('computes the same numbers without recording a graph', () => {
    const w = new Value(3);
    const y = noGrad(() => w.mul(2).add(1).tanh());
    expect(y.data).toBe(Math.tanh(7));
    expect(y.isLeaf).toBe(true);
    expect(y.requiresGrad).toBe(false);
    expect(y.operands).toEqual([]);
    expect(noGrad(() => sum([w, w])).isLeaf).toBe(true);
  });

  it('restores the previous mode, also after a throw', () => {
    expect(isGradEnabled()).toBe(true);
    expect(() =>
      noGrad(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
    noGrad(() => noGrad(() => expect(isGradEnabled()).toBe(false)));
    expect(isGradEnabled()).toBe(true);
  });
});

describe('anomaly mode', () => {
  it('is off by default: NaN flows through', () => {
    expect(new Value(-1).log().data).toBeNaN();
  });

  it('names the op and operands that made a NaN in the forward pass, and adds no node', () => {
    setAnomalyDetection(true);
    expect(isAnomalyDetectionEnabled()).toBe(true);
    const a = new Value(-1);
    let caught: unknown;
    try {
      a.log();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AnomalyError);
    const err = caught as AnomalyError;
    expect(err.op).toBe('log');
    expect(err.pass).toBe('forward');
    expect(err.operands).toEqual([-1]);
    expect(err.message).toMatch(/log produced NaN in the forward pass from operand -1/);
  });

  it('catches an infinite gradient in the backward pass, and clears its marks', () => {
    const x = new Value(0);
    const y = x.sqrt(); // sqrt(0) = 0 is fine forward, but d/dx = 1/(2·0) = Infinity
    expect(() => detectAnomaly(() => y.backward())).toThrow(
      /sqrt produced a gradient of Infinity in the backward pass/,
    );
    expect(isAnomalyDetectionEnabled()).toBe(false);
    expect(x.grad).toBe(0); // the failed pass left the leaf as it was
    // The graph is usable again after the throw.
    const z = new Value(4);
    const w = z.sqrt().mul(x);
    w.backward();
    expect(z.grad).toBe(0.25 * 0);
    expect(x.grad).toBe(2);
  });

  it('names n-ary ops too', () => {
    expect(() => detectAnomaly(() => sum([1e308, 1e308]))).toThrow(/sum produced Infinity/);
  });

  it('validates its argument', () => {
    expect(() => setAnomalyDetection('yes' as unknown as boolean)).toThrow(TypeError);
  });
});
