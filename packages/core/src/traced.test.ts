import { describe, expect, it } from 'vitest';
import { affine, compile, dot, gradients, noGrad, sum, TraceError, Value } from './index.js';

/** The TraceError compile throws for fn, or a failed expectation. */
function traceErrorOf(run: () => unknown): TraceError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(TraceError);
    return error as TraceError;
  }
  throw new Error('expected a TraceError, none was thrown');
}

describe('the read trap while compile records fn', () => {
  it('names the node read, its label and the input it was computed from', () => {
    const w = new Value(0.5);
    const error = traceErrorOf(() =>
      compile(
        ({ x }) => {
          const h = w.mul(x[3] as Value).tanh();
          h.label = 'h';
          return h.data > 0 ? h : h.neg();
        },
        { inputs: { x: [1, 2, 3, 4, 5] } },
      ),
    );
    expect(error.read).toBe("read .data of the 'tanh' node ('h') computed from input 'x[3]'");
    expect(error.message).toContain(error.read);
    expect(error.message).toMatch(/relu, max, min and abs/);
    expect(error.message).toMatch(/check: false/);
  });

  it('names an input read directly', () => {
    const error = traceErrorOf(() =>
      compile(({ x, y }) => (y.data > 0 ? x : y), { inputs: ['x', 'y'] }),
    );
    expect(error.read).toBe("read .data of input 'y'");
  });

  it('traps a JavaScript if on .data of a node made by sum, dot or affine', () => {
    const w = [new Value(1), new Value(2)];
    const b = new Value(0.5);
    // The first input met, first operand first.
    const cases: [(x: readonly Value[]) => Value, string, string][] = [
      [(x) => sum([w[0] as Value, x[1] as Value]), 'sum', 'x[1]'],
      [(x) => dot(w, x), 'dot', 'x[0]'],
      [(x) => affine([...w, b], [x[1] as Value, x[0] as Value]), 'dot', 'x[1]'],
    ];
    for (const [node, op, input] of cases) {
      const error = traceErrorOf(() =>
        compile(
          ({ x }) => {
            const n = node(x);
            return n.data > 0 ? n : n.neg();
          },
          { inputs: { x: [1, 2] } },
        ),
      );
      expect(error.read).toBe(`read .data of the '${op}' node computed from input '${input}'`);
    }
  });

  it('traps a loss that reads .grad of a node computed from an input', () => {
    const w = new Value(0.5);
    const error = traceErrorOf(() =>
      compile(
        ({ x }) => {
          const y = w.mul(x);
          return y.grad === 0 ? y.square() : y;
        },
        { inputs: ['x'] },
      ),
    );
    expect(error.read).toBe("read .grad of the '*' node computed from input 'x'");
  });

  it('traps a write to .data of an input', () => {
    const w = new Value(0.5);
    const error = traceErrorOf(() =>
      compile(
        ({ x }) => {
          x.data = 3;
          return w.mul(x);
        },
        { inputs: ['x'] },
      ),
    );
    expect(error.read).toBe("wrote .data of input 'x'");
  });

  it('traps backward() on a node computed from an input, and detach() of one', () => {
    const w = new Value(0.5);
    const backward = traceErrorOf(() =>
      compile(
        ({ x }) => {
          const y = w.mul(x).square();
          y.backward();
          return y;
        },
        { inputs: ['x'] },
      ),
    );
    expect(backward.read).toBe("called backward() on the 'square' node computed from input 'x'");
    expect(w.grad).toBe(0);
    const detach = traceErrorOf(() =>
      compile(({ x }) => w.mul(x.add(1).detach()), { inputs: ['x'] }),
    );
    expect(detach.read).toBe("read .data of the '+' node computed from input 'x'");
  });

  it('lets fn read .data and .grad of parameters, and run backward() on a graph of parameters alone', () => {
    const w = new Value(-2);
    const b = new Value(3);
    b.grad = 0.25;
    // w.data < 0 picks w.neg(); b.grad is read as a number: loss = (2x + 0.25)².
    const f = compile(
      ({ x }) => {
        const scale = w.data < 0 ? w.neg() : w;
        const penalty = b.square();
        penalty.backward(); // b.grad: 0.25 + 2·3 = 6.25
        return scale
          .mul(x)
          .add(b.grad - 6)
          .square();
      },
      { inputs: ['x'] },
    );
    expect(b.grad).toBe(6.25);
    w.grad = 0;
    // x = 1: (2 + 0.25)² = 5.0625; ∂/∂w = 2(2x + 0.25)·(−x) = −4.5.
    expect(f.backward({ x: 1 })).toBe(5.0625);
    expect(w.grad).toBe(-4.5);
  });

  it('throws the read even where fn catches it, or throws something else after it', () => {
    const w = new Value(0.5);
    const caught = traceErrorOf(() =>
      compile(
        ({ x }) => {
          let positive = true;
          try {
            positive = x.data > 0;
          } catch {
            // fn swallows the TraceError and records one branch anyway
          }
          return positive ? w.mul(x) : w;
        },
        { inputs: ['x'] },
      ),
    );
    expect(caught.read).toBe("read .data of input 'x'");
    const other = traceErrorOf(() =>
      compile(
        ({ x }) => {
          try {
            return x.data > 0 ? x : w;
          } catch {
            throw new RangeError('fn gave up');
          }
        },
        { inputs: ['x'] },
      ),
    );
    expect(other.read).toBe("read .data of input 'x'");
  });

  it('prints a traced node without its number while recording', () => {
    const w = new Value(0.5);
    const printed: string[] = [];
    compile(
      ({ x }) => {
        const y = w.mul(x);
        printed.push(String(x), y.toString());
        return y;
      },
      { inputs: ['x'] },
    );
    expect(printed).toEqual([
      "Value(traced: input 'x')",
      "Value(traced: the '*' node computed from input 'x')",
    ]);
  });

  it('records the derivative graph that gradients(…, { createGraph: true }) builds inside fn', () => {
    // d tanh(w·x)/dw = x(1 − tanh²(w·x)); at w = 0.5, x = 2: 2(1 − tanh²1).
    const w = new Value(0.5);
    const f = compile(
      ({ x }) => gradients(w.mul(x).tanh(), [w], { createGraph: true })[0] as Value,
      { inputs: { x: 2 } },
    );
    expect(f.run({ x: 2 })).toBeCloseTo(2 * (1 - Math.tanh(1) ** 2), 15);
    expect(f.run({ x: -4 })).toBeCloseTo(-4 * (1 - Math.tanh(-2) ** 2), 15);
  });

  it('is off once fn returns: a node kept from the recording reads its recorded number', () => {
    const w = new Value(0.5);
    let kept: Value | null = null;
    compile(
      ({ x }) => {
        kept = w.mul(x);
        return kept;
      },
      { inputs: { x: 6 } },
    );
    const y = kept as unknown as Value;
    expect(y.data).toBe(3);
    expect(y).toBeInstanceOf(Value);
    expect(String(y)).toBe('Value(data=3, grad=0)');
    // It still works eagerly: d(y²)/dw = 2·y·x = 36.
    y.square().backward();
    expect(w.grad).toBe(36);
  });

  it('with check: false, lets fn read the example inputs', () => {
    const f = compile(({ x }) => (x.data > 0 ? x.mul(2) : x.mul(3)), {
      inputs: { x: 1 },
      check: false,
    });
    // The branch of x = 1, frozen: 2x for every x.
    expect(f.run({ x: -5 })).toBe(-10);
  });

  it('keeps a node made under noGrad() from an input traced', () => {
    const error = traceErrorOf(() =>
      compile(
        ({ x }) => {
          const k = noGrad(() => x.mul(2));
          return k.data > 0 ? x : x.neg();
        },
        { inputs: ['x'] },
      ),
    );
    expect(error.read).toBe('read .data of a number computed from an input inside noGrad()');
  });

  it('leaves eager nodes plain: data is a field, not an accessor', () => {
    const a = new Value(2);
    const nodes = [a, a.mul(3), a.tanh(), sum([a, a]), dot([a], [a])];
    for (const v of nodes) {
      expect(Object.getOwnPropertyDescriptor(v, 'data')).toHaveProperty('writable', true);
      expect(Object.getOwnPropertyDescriptor(v, 'grad')).toHaveProperty('writable', true);
    }
  });
});
