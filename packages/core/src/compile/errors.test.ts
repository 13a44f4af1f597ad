import { afterEach, describe, expect, it, vi } from 'vitest';
import { affine, noGrad, sub, sum, TraceError, Value } from '../index.js';
import { canGenerateCode, numberLiteral } from './codegen.js';
import { compile, type CompileMode } from './compile.js';

const MODES: readonly CompileMode[] = ['codegen', 'interpreter'];

/** loss = (w·x + b − y)², the notebook's line fit; dloss/dw = 2(wx + b − y)x, dloss/db = 2(wx + b − y). */
function lineFit(mode: CompileMode) {
  const w = new Value(0.5);
  const b = new Value(-1);
  const f = compile(({ x, y }) => w.mul(x).add(b).sub(y).square(), { inputs: ['x', 'y'], mode });
  return { w, b, f };
}

describe('compile: bad samples throw a clear error and change nothing', () => {
  for (const mode of MODES) {
    it(`names a missing, unknown or mistyped input (${mode})`, () => {
      const { w, b, f } = lineFit(mode);
      const bad: [unknown, ErrorConstructor, RegExp][] = [
        [{ x: 1 }, TypeError, /backward\(inputs\): missing input 'y' \(expected the inputs x, y\)/],
        [{ x: 1, y: 2, z: 3 }, TypeError, /backward\(inputs\): unknown input 'z'/],
        [{ x: 1, y: '2' }, TypeError, /expected input 'y' to be a number, received string "2"/],
        [
          { x: 1, y: undefined },
          TypeError,
          /expected input 'y' to be a number, received undefined/,
        ],
        [null, TypeError, /expected an object with the inputs x, y, received null/],
        [
          [1, 2],
          TypeError,
          /expected an object with the inputs x, y, received an array of length 2/,
        ],
        [3, TypeError, /received number 3/],
      ];
      for (const [sample, type, message] of bad) {
        expect(() => f.backward(sample as { x: number; y: number })).toThrow(type);
        expect(() => f.backward(sample as { x: number; y: number })).toThrow(message);
        expect(() => f.run(sample as { x: number; y: number })).toThrow(/run\(inputs\)/);
      }
      expect([w.grad, b.grad]).toEqual([0, 0]);
      // By hand at x = 2, y = 10: r = 0.5·2 − 1 − 10 = −10, dw = 2r·x = −40, db = 2r = −20.
      expect(f.backward({ x: 2, y: 10 })).toBe(100);
      expect([w.grad, b.grad]).toEqual([-40, -20]);
    });

    it(`checks the numbers of a sample object it has seen before (${mode})`, () => {
      const { w, b, f } = lineFit(mode);
      const sample: { x: unknown; y: unknown } = { x: 2, y: 10 };
      // By hand at x = 2, y = 10: r = −10, dw = 2r·x = −40, db = 2r = −20.
      expect(f.backward(sample as { x: number; y: number })).toBe(100);
      sample.y = '10';
      expect(() => f.backward(sample as { x: number; y: number })).toThrow(
        /backward\(inputs\): expected input 'y' to be a number, received string "10"/,
      );
      sample.y = 10;
      sample.x = null;
      expect(() => f.backward(sample as { x: number; y: number })).toThrow(
        /expected input 'x' to be a number, received null/,
      );
      expect([w.grad, b.grad]).toEqual([-40, -20]);
    });

    it(`checks the length and entries of a vector input (${mode})`, () => {
      const w = [new Value(1), new Value(2)];
      const f = compile(({ x }) => w[0]!.mul(x[0]!).add(w[1]!.mul(x[1]!)), {
        inputs: { x: [0, 0] },
        mode,
      });
      expect(() => f.backward({ x: [1, 2, 3] })).toThrow(RangeError);
      expect(() => f.backward({ x: [1, 2, 3] })).toThrow(
        /expected input 'x' to hold 2 numbers, received 3/,
      );
      expect(() => f.backward({ x: [1, null] as unknown as number[] })).toThrow(
        /input 'x'\[1\] to be a number, received null/,
      );
      expect(() => f.backward({ x: 1 as unknown as number[] })).toThrow(
        /input 'x' to be an array of 2 numbers, received number 1/,
      );
      expect(w.map((v) => v.grad)).toEqual([0, 0]);
      expect(f.backward({ x: Float64Array.of(3, 4) })).toBe(1 * 3 + 2 * 4);
      expect(w.map((v) => v.grad)).toEqual([3, 4]);
    });

    it(`accumulate checks every sample before it adds anything (${mode})`, () => {
      const { w, b, f } = lineFit(mode);
      const samples = [{ x: 1, y: 2 }, { x: 1, y: 2 }, { x: 1 }, { x: 1, y: 2 }] as {
        x: number;
        y: number;
      }[];
      expect(() => f.accumulate(samples)).toThrow(/accumulate\(samples\[2\]\): missing input 'y'/);
      expect(() => f.accumulate({} as never)).toThrow(
        /accumulate\(samples\): expected an array of samples, received an object/,
      );
      expect([w.grad, b.grad]).toEqual([0, 0]);
      // Two samples (x = 1, y = 2): r = 0.5 − 1 − 2 = −2.5 each; loss 6.25 each; dw = db = 2r = −5 each.
      expect(
        f.accumulate([
          { x: 1, y: 2 },
          { x: 1, y: 2 },
        ]),
      ).toBe(12.5);
      expect([w.grad, b.grad]).toEqual([-10, -10]);
      expect(f.accumulate([])).toBe(0);
      expect([w.grad, b.grad]).toEqual([-10, -10]);
    });
  }
});

describe('compile: options', () => {
  it('rejects a bad fn, options, inputs or parameters', () => {
    const w = new Value(1);
    const fn = ({ x }: { x: Value }) => w.mul(x);
    expect(() => compile(3 as never, { inputs: ['x'] })).toThrow(
      /expected fn to be a function, received number 3/,
    );
    expect(() => compile(fn, null as never)).toThrow(
      /expected options to be an object, received null/,
    );
    expect(() => compile(fn, { inputs: ['x'], mod: 'x' } as never)).toThrow(/unknown option 'mod'/);
    expect(() => compile(fn, { inputs: ['x'], mode: 'fast' as never })).toThrow(RangeError);
    expect(() => compile(fn, { inputs: ['x', 'x'] })).toThrow(/'x' appears twice/);
    expect(() => compile(fn, { inputs: 'x' as never })).toThrow(
      /options.inputs to be an array of names or an object/,
    );
    expect(() => compile(fn, { inputs: { x: [] } as never })).toThrow(
      /options.inputs.x to be an example number or a non-empty array/,
    );
    expect(() => compile(fn, { inputs: ['x'], parameters: [w, 2] as never })).toThrow(
      /options.parameters\[1\] to be a Value, received number 2/,
    );
    expect(() => compile(() => 3 as never, { inputs: ['x'] })).toThrow(
      /expected fn to return a Value, received number 3/,
    );
    expect(() => noGrad(() => compile(fn, { inputs: ['x'] }))).toThrow(/inside noGrad/);
  });

  it('rejects a parameter that is not a leaf, and hands out copies of its lists', () => {
    const w = new Value(2);
    expect(() => compile(({ x }) => w.mul(x), { inputs: ['x'], parameters: [w.mul(2)] })).toThrow(
      /options.parameters\[0\] to be a leaf Value, received one made by '\*'/,
    );
    const f = compile(({ x }) => w.mul(x), { inputs: ['x'] });
    expect(Object.isFrozen(f.parameters)).toBe(true);
    expect(Object.isFrozen(f.inputs)).toBe(true);
    expect(() => (f.parameters as Value[]).push(new Value(1))).toThrow(TypeError);
    expect(f.run({ x: 3 })).toBe(6);
  });

  it('bakes plain numbers and untracked leaves in, reads listed and trainable leaves live', () => {
    const w = new Value(2);
    const frozen = new Value(3, { requiresGrad: false });
    const baked = new Value(5, { requiresGrad: false });
    const f = compile(({ x }) => w.mul(x).add(frozen).add(baked).add(7), {
      inputs: ['x'],
      parameters: [frozen],
    });
    expect(f.parameters).toEqual([w, frozen]);
    w.data = 10;
    frozen.data = 100;
    baked.data = 1000; // not listed and not trainable: its recorded 5 stays
    expect(f.run({ x: 1 })).toBe(10 + 100 + 5 + 7);
  });

  it('folds subgraphs of constants: they cost no op node', () => {
    const w = new Value(2);
    const c = new Value(4, { requiresGrad: false });
    const f = compile(({ x }) => w.mul(x).add(c.exp().mul(3).log()), { inputs: ['x'] });
    expect(f.size).toBe(2); // w·x and the add
    expect(f.run({ x: 1 })).toBe(2 + Math.log(Math.exp(4) * 3));
  });

  it('backward on an output that needs no gradient throws, as eager backward() does', () => {
    const frozen = new Value(2, { requiresGrad: false });
    for (const mode of MODES) {
      const f = compile(({ x }) => frozen.mul(x), { inputs: ['x'], mode, parameters: [frozen] });
      expect(f.run({ x: 3 })).toBe(6);
      expect(() => f.backward({ x: 3 })).toThrow(/does not require a gradient/);
      expect(() => f.accumulate([{ x: 3 }])).toThrow(/does not require a gradient/);
    }
  });

  it('compiles a function of the parameters alone (no inputs)', () => {
    // Rosenbrock at (a, b) = (0.5, 2): f = (1 − a)² + 100(b − a²)²;
    // ∂f/∂a = −2(1 − a) − 400a(b − a²) = −1 − 350 = −351, ∂f/∂b = 200(b − a²) = 350.
    const a = new Value(0.5);
    const b = new Value(2);
    for (const mode of MODES) {
      a.grad = 0;
      b.grad = 0;
      const f = compile(() => sub(1, a).square().add(b.sub(a.square()).square().mul(100)), {
        inputs: [],
        mode,
      });
      expect(f.backward({})).toBe(0.25 + 100 * 1.75 ** 2);
      expect([a.grad, b.grad]).toEqual([-351, 350]);
      expect(() => f.run({ x: 1 } as never)).toThrow(/unknown input 'x'/);
    }
  });

  it('a leaf output gets ∂out/∂out = 1 added to its gradient', () => {
    const w = new Value(2);
    for (const mode of MODES) {
      w.grad = 0.25;
      const f = compile(() => w, { inputs: ['x'], mode });
      expect(f.backward({ x: 0 })).toBe(2);
      expect(w.grad).toBe(1.25);
    }
  });
});

describe('compile: control flow', () => {
  it('replays relu, max, min and abs: they decide afresh on every call', () => {
    const w = new Value(1);
    for (const mode of MODES) {
      const f = compile(({ x }) => w.mul(x).relu().add(x.max(0.5)).add(x.min(-0.5)).add(x.abs()), {
        inputs: { x: 3 },
        mode,
      });
      // By hand: x = 3 → 3 + 3 + (−0.5) + 3; x = −2 → 0 + 0.5 + (−2) + 2.
      expect(f.run({ x: 3 })).toBe(8.5);
      expect(f.run({ x: -2 })).toBe(0.5);
    }
  });

  it('throws a TraceError where fn branches on the value of an input', () => {
    const w = new Value(1);
    const branchy = ({ x }: { x: Value }) => {
      const z = w.mul(x);
      return z.data > 0 ? z : z.neg();
    };
    expect(() => compile(branchy, { inputs: { x: 1 } })).toThrow(
      /fn read \.data of the '\*' node computed from input 'x' while it was recorded/,
    );
    // Its own class, so that a caller (fit's default) can fall back to eager on it alone.
    expect(() => compile(branchy, { inputs: { x: 1 } })).toThrow(TraceError);
    // With check: false it compiles the recorded branch (x > 0) and replays it for every x.
    const f = compile(branchy, { inputs: { x: 1 }, check: false });
    expect(f.run({ x: -3 })).toBe(-3);
  });

  it('throws where a branch would be false for the example and for NaN alike', () => {
    // The re-recordings it replaces needed inputs of the other sign to see this one.
    const w = new Value(0.5);
    const call = () => compile(({ x }) => (x.data < 0 ? x.neg() : x).mul(w), { inputs: ['x'] });
    expect(call).toThrow(TraceError);
    expect(call).toThrow(/fn read \.data of input 'x'/);
  });

  it('throws where fn turns the value of an input into a constant', () => {
    const w = new Value(1);
    expect(() => compile(({ x }) => w.mul(x.data * 2), { inputs: { x: 1 } })).toThrow(
      /fn read \.data of input 'x'/,
    );
  });

  it('throws an Error (not a TraceError) where fn makes a new trainable Value on every call', () => {
    const call = () => compile(({ x }) => x.mul(new Value(2, { label: 'k' })), { inputs: ['x'] });
    expect(call).toThrow(/creates a new Value that requires a gradient each time it runs \('k'\)/);
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TraceError);
    // Made inside fn but needing no gradient, it is a constant: 2x.
    const f = compile(({ x }) => x.mul(new Value(2, { requiresGrad: false })), { inputs: ['x'] });
    expect(f.run({ x: 3 })).toBe(6);
  });

  it('throws where fn makes a trainable Value that it then reuses, as a lazily built model would', () => {
    // One recording cannot tell a parameter made once from one made on every
    // call: both are made while fn runs, and compiling would freeze either.
    let p: Value | null = null;
    const fn = ({ x }: { x: Value }) => x.mul((p ??= new Value(2)));
    expect(() => compile(fn, { inputs: ['x'] })).toThrow(/creates a new Value/);
    // Made before compile (p exists now), it is a parameter: 2·3, ∂/∂p = 3.
    const f = compile(fn, { inputs: ['x'] });
    expect(f.backward({ x: 3 })).toBe(6);
    expect((p as unknown as Value).grad).toBe(3);
  });

  it('lets fn throw its own errors, which it throws once', () => {
    const w = new Value(1);
    let calls = 0;
    const picky = ({ x }: { x: Value }) => {
      calls++;
      if (w.data > 0) throw new RangeError('w must be negative');
      return w.mul(x);
    };
    expect(() => compile(picky, { inputs: { x: 1 } })).toThrow(/^w must be negative$/);
    expect(calls).toBe(1);
  });

  it('records fn once', () => {
    const w = new Value(1.5);
    let calls = 0;
    const f = compile(
      ({ x }) => {
        calls++;
        return w.pow(x);
      },
      { inputs: { x: 1 } },
    );
    expect(calls).toBe(1);
    expect(f.run({ x: 2 })).toBe(1.5 ** 2);
  });
});

describe('compile: the trap sees what fn does to Values it shares', () => {
  it('throws when fn writes an input into a constant it captured', () => {
    const w = new Value(0.5);
    const last = new Value(0, { requiresGrad: false });
    const fn = ({ x }: Record<string, Value | Value[]>) => {
      last.data = (x as Value).data;
      return w.mul(x as Value).add(last);
    };
    expect(() => compile(fn, { inputs: { x: 1 } })).toThrow(/fn read \.data of input 'x'/);
  });

  it('throws when fn picks the weight that an affine node keeps by the value of an input', () => {
    const wA = new Value(2);
    const wB = new Value(-5);
    const weights = [wA, new Value(0.5)];
    const fn = ({ x }: Record<string, Value | Value[]>) => {
      weights[0] = (x as Value).data > 0 ? wA : wB;
      return sum([wA, wB]).add(affine(weights, [x as Value]));
    };
    expect(() => compile(fn, { inputs: { x: 3 } })).toThrow(TraceError);
  });

  it('throws when fn switches the gradient of a leaf by the value of an input', () => {
    const w = new Value(0.5);
    const p = new Value(2);
    const fn = ({ x }: Record<string, Value | Value[]>) => {
      p.requiresGrad = (x as Value).data > 0;
      return w.mul(x as Value).add(p);
    };
    expect(() => compile(fn, { inputs: { x: 1 } })).toThrow(/fn read \.data of input 'x'/);
  });

  it('throws a TraceError when a number computed from an input under noGrad() enters the graph', () => {
    const w = new Value(0.5);
    const fn = ({ x }: Record<string, Value | Value[]>) => {
      const scale = noGrad(() => (x as Value).mul(2));
      return w.mul(scale);
    };
    expect(() => compile(fn, { inputs: { x: 1 } })).toThrow(TraceError);
    expect(() => compile(fn, { inputs: { x: 1 } })).toThrow(
      /used a number computed from an input under noGrad\(\) as a constant/,
    );
    // check: false freezes it: 0.5·(2·1) whatever x.
    expect(compile(fn, { inputs: { x: 1 }, check: false }).run({ x: 7 })).toBe(1);
  });

  it('throws a TraceError when fn keeps an input of another recording', () => {
    const w = new Value(0.5);
    let kept: Value | null = null;
    const fn = ({ x }: Record<string, Value | Value[]>) => w.mul((kept ??= x as Value));
    expect(compile(fn, { inputs: ['x'] }).run({ x: 4 })).toBe(2);
    expect(() => compile(fn, { inputs: ['x'] })).toThrow(/used input 'x' of another recording/);
  });
});

describe('compile: modes', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('auto generates code where new Function works', () => {
    const w = new Value(2);
    expect(canGenerateCode()).toBe(true);
    expect(compile(({ x }) => x.mul(w), { inputs: ['x'] }).mode).toBe('codegen');
    expect(compile(({ x }) => x.mul(w), { inputs: ['x'], mode: 'interpreter' }).mode).toBe(
      'interpreter',
    );
  });

  it('falls back to the interpreter where code generation is forbidden (a CSP without unsafe-eval)', () => {
    vi.stubGlobal('Function', function forbidden() {
      throw new EvalError('Code generation from strings disallowed for this context');
    });
    expect(canGenerateCode()).toBe(false);
    const w = new Value(3);
    const f = compile(({ x }) => w.mul(x), { inputs: ['x'] });
    expect(f.mode).toBe('interpreter');
    expect(f.backward({ x: 2 })).toBe(6);
    expect(w.grad).toBe(2);
    expect(() => compile(({ x }) => w.mul(x), { inputs: ['x'], mode: 'codegen' })).toThrow(
      /forbids/,
    );
  });

  it('writes every double as a literal that reads back the same', () => {
    for (const x of [
      0,
      -0,
      1.5,
      -2.75,
      0.1,
      1e-310,
      -1e300,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      NaN,
      Infinity,
      -Infinity,
    ]) {
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      const back = (new Function(`return ${numberLiteral(x)};`) as () => number)();
      expect(Object.is(back, x)).toBe(true);
    }
  });
});
