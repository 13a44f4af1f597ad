import { affine, compile, dot, noGrad, sum, Value } from '@ag/core';
import { Layer, Linear, MLP, Neuron, seededRandom } from '@ag/nn';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import protobuf from 'protobufjs/light.js';
import { describe, expect, test } from 'vitest';
import { ONNX_IR_VERSION, ONNX_OPSET } from './onnx-builder.js';
import { ONNX_SCHEMA } from './onnx-schema.js';
import { loadSafetensors } from './safetensors.js';
import {
  agOutputs,
  fixtureBytes,
  maxRelativeError,
  torchReference,
} from './torch-fixtures.test-support.js';
import { toOnnx } from './to-onnx.js';

const SAMPLES = 1000;
const TOLERANCE = { float64: 1e-12, float32: 1e-6 } as const;
/**
 * float64 is held to the pure relative error. In float32 an output near 0 that
 * is the sum of terms of size ~1 cannot be relative-accurate (each term carries
 * a rounding of ~6e-8 of itself), so there the error is measured against
 * max(|output|, 1).
 */
const FLOOR = { float64: 0, float32: 1 } as const;
const DTYPES = ['float64', 'float32'] as const;

/** `count` rows of `width` numbers uniform in [lo, hi), from a fixed seed. */
function randomRows(count: number, width: number, seed: number, lo = -3, hi = 3): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length: width }, () => lo + (hi - lo) * random()),
  );
}

/** Runs an exported model in ONNX Runtime (CPU) on a batch of rows; its output as rows. */
async function runOnnx(
  bytes: Uint8Array,
  dtype: 'float64' | 'float32',
  rows: readonly (readonly number[])[],
  names = { input: 'input', output: 'output' },
): Promise<number[][]> {
  const session = await InferenceSession.create(bytes);
  expect(session.inputNames).toEqual([names.input]);
  expect(session.outputNames).toEqual([names.output]);
  const width = rows[0]?.length ?? 0;
  const flat = rows.flat();
  const data = dtype === 'float64' ? Float64Array.from(flat) : Float32Array.from(flat);
  const result = await session.run({
    [names.input]: new Tensor(dtype, data, [rows.length, width]),
  });
  const out = result[names.output] as Tensor;
  const [n, k] = out.dims as [number, number];
  expect(n).toBe(rows.length);
  const values = Array.from(out.data as Float64Array | Float32Array);
  return Array.from({ length: n }, (_, i) => values.slice(i * k, (i + 1) * k));
}

/** The ModelProto decoded with ONNX's schema, for the structure the tests state by hand. */
function decode(bytes: Uint8Array): {
  ir_version: number;
  doc_string: string;
  opset_import: { domain?: string; version: number }[];
  graph: { node: { op_type: string }[]; initializer: { name: string; dims: number[] }[] };
} {
  const type = protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
  return type.toObject(type.decode(bytes), { longs: Number, defaults: true }) as never;
}

describe('toOnnx(model): ONNX Runtime gives the outputs of @ag on 1,000 random inputs', () => {
  const models: [string, () => Linear | MLP, number][] = [
    ["micrograd's MLP(2, [16, 16, 1]), relu", () => new MLP(2, [16, 16, 1], { random: seededRandom(1) }), 2],
    ['MLP(3, [8, 4, 2]), tanh, then a sigmoid output', () => new MLP(3, [8, 4, 2], { activation: 'tanh', outputActivation: 'sigmoid', init: 'xavier', random: seededRandom(2) }), 3],
    ['MLP(2, [5, 5, 3]), sigmoid then relu, linear output', () => new MLP(2, [5, 5, 3], { activation: ['sigmoid', 'relu'], random: seededRandom(3) }), 2],
    ['Linear(4, 3)', () => new Linear(4, 3, { random: seededRandom(4) }), 4],
  ]; // prettier-ignore
  for (const [label, make, nin] of models) {
    for (const dtype of DTYPES) {
      test(`${label}, ${dtype}: within ${TOLERANCE[dtype]} relative`, async () => {
        const model = make();
        // Biases start at 0: give them numbers, so that they are exported too.
        model.parameters().forEach((p, i) => {
          if (p.label?.endsWith('b') || p.label?.includes('bias')) p.data = Math.sin(i) / 2;
        });
        // In float32, both sides get the inputs the runtime receives: rounded to singles.
        const rows = randomRows(SAMPLES, nin, 10 + nin).map((r) =>
          dtype === 'float32' ? r.map(Math.fround) : r,
        );
        const onnx = await runOnnx(toOnnx(model, { dtype }), dtype, rows);
        const expected = agOutputs(model, rows);
        expect(maxRelativeError(onnx, expected, FLOOR[dtype])).toBeLessThan(TOLERANCE[dtype]);
      });
    }
  }

  test("PyTorch's MLP, loaded from its safetensors file, runs in ONNX Runtime with PyTorch's outputs", async () => {
    const reference = torchReference.mlp;
    const model = new MLP(2, [4, 3, 1], {
      activation: ['relu', 'tanh'],
      outputActivation: 'sigmoid',
    });
    loadSafetensors(model, fixtureBytes('mlp-f64.safetensors'));
    const onnx = await runOnnx(toOnnx(model), 'float64', reference.inputs);
    expect(maxRelativeError(onnx, reference.outputs)).toBeLessThan(1e-12);
  });

  test('one Gemm per layer and one node per activation, IR version 8, opset 17, PyTorch names', () => {
    const model = decode(toOnnx(new MLP(2, [16, 16, 1])));
    expect(model.ir_version).toBe(8);
    expect(model.doc_string).toBe(
      'Exported by @ag/io; in PyTorch: nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))',
    );
    expect([ONNX_IR_VERSION, ONNX_OPSET]).toEqual([8, 17]);
    expect(model.opset_import).toEqual([{ domain: '', version: 17 }]);
    expect(model.graph.node.map((n) => n.op_type)).toEqual([
      'Gemm',
      'Relu',
      'Gemm',
      'Relu',
      'Gemm',
    ]);
    expect(model.graph.initializer.map((t) => [t.name, t.dims])).toEqual([
      ['0.weight', [16, 2]],
      ['0.bias', [16]],
      ['2.weight', [16, 16]],
      ['2.bias', [16]],
      ['4.weight', [1, 16]],
      ['4.bias', [1]],
    ]);
    const sigmoid = decode(
      toOnnx(new MLP(2, [3, 1], { activation: 'tanh', outputActivation: 'sigmoid' })),
    );
    expect(sigmoid.graph.node.map((n) => n.op_type)).toEqual(['Gemm', 'Tanh', 'Gemm', 'Sigmoid']);
  });

  test('the bytes are a Uint8Array of their own (not a Buffer, not a view of a shared pool)', () => {
    for (const bytes of [toOnnx(new Linear(2, 1)), toOnnx(({ x }: { x: Value }) => x.exp(), { inputs: ['x'] })]) {
      expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
      expect([bytes.byteOffset, bytes.buffer.byteLength]).toEqual([0, bytes.length]);
    }
  }); // prettier-ignore

  test('the batch dimension is symbolic: one sample and 257 run through the same model', async () => {
    const model = new MLP(3, [4, 2], { random: seededRandom(5) });
    const bytes = toOnnx(model, { inputName: 'x', outputName: 'scores' });
    for (const count of [1, 257]) {
      const rows = randomRows(count, 3, count);
      const onnx = await runOnnx(bytes, 'float64', rows, { input: 'x', output: 'scores' });
      expect(maxRelativeError(onnx, agOutputs(model, rows))).toBeLessThan(1e-12);
    }
  });

  test('unsupported modules and activations are named', () => {
    expect(() => toOnnx(new Neuron(2) as never)).toThrow(TypeError);
    expect(() => toOnnx(new Neuron(2) as never)).toThrow(/received a Neuron \(not supported\)/);
    expect(() => toOnnx(new Layer(2, 2) as never)).toThrow(/received a Layer/);
    const model = new MLP(2, [3, 3, 1]);
    Object.assign(model.layers[1] as object, { activation: 'swish' });
    expect(() => toOnnx(model)).toThrow(RangeError);
    expect(() => toOnnx(model)).toThrow(/layer 1 of the MLP uses the activation 'swish'/);
  });

  test('bad options are named', () => {
    const model = new Linear(1, 1);
    expect(() => toOnnx(model, { dtype: 'float16' as never })).toThrow(/options.dtype 'float64' or 'float32', received "float16"/);
    expect(() => toOnnx(model, { inputName: 'y', outputName: 'y' })).toThrow(/both 'y'/);
    expect(() => toOnnx(model, { inputName: '' })).toThrow(TypeError);
    expect(() => toOnnx(model, { inputs: ['x'] } as never)).toThrow(/unknown option 'inputs'/);
  }); // prettier-ignore
});

describe('toOnnx(fn, { inputs }): a recorded scalar graph, one ONNX node per op', () => {
  /** Columns of a batch: input name → numbers, one per sample. */
  async function runGraph(
    bytes: Uint8Array,
    dtype: 'float64' | 'float32',
    feeds: Record<string, { data: number[]; dims: number[] }>,
  ): Promise<number[]> {
    const session = await InferenceSession.create(bytes);
    const tensors = Object.fromEntries(
      Object.entries(feeds).map(([name, { data, dims }]) => [
        name,
        new Tensor(
          dtype,
          dtype === 'float64' ? Float64Array.from(data) : Float32Array.from(data),
          dims,
        ),
      ]),
    );
    const result = await session.run(tensors);
    return Array.from(result.output?.data as Float64Array);
  }

  // Every op of @ag/core: alone, in both dtypes, then all together in float64.
  const two = new Value(2, { requiresGrad: false });
  const ops: [string, (v: { x: Value; y: Value }) => Value, 'positive' | 'any'][] = [
    ['+', ({ x, y }) => x.add(y), 'any'],
    ['-', ({ x, y }) => x.sub(y), 'any'],
    ['*', ({ x, y }) => x.mul(y), 'any'],
    ['/', ({ x, y }) => x.div(y), 'positive'],
    ['**', ({ x, y }) => x.pow(y), 'positive'],
    ['max', ({ x, y }) => x.max(y), 'any'],
    ['min', ({ x, y }) => x.min(y), 'any'],
    ['neg', ({ x }) => x.neg(), 'any'],
    ['square', ({ x }) => x.square(), 'any'],
    ['exp', ({ x }) => x.exp(), 'any'],
    ['log', ({ x }) => x.log(), 'positive'],
    ['sqrt', ({ x }) => x.sqrt(), 'positive'],
    ['tanh', ({ x }) => x.tanh(), 'any'],
    ['relu', ({ x }) => x.relu(), 'any'],
    ['abs', ({ x }) => x.abs(), 'any'],
    ['sigmoid', ({ x }) => x.sigmoid(), 'any'],
    ['softplus', ({ x }) => x.softplus(), 'any'],
    ['sum', ({ x, y }) => sum([x, y, x]), 'any'],
    ['dot', ({ x, y }) => dot([x, y], [y, two]), 'any'],
  ];
  /** x and y for 1,000 samples: in [0.25, 3) for ops defined on positives only, else [−3, 3). */
  const columns = (domain: 'positive' | 'any', dtype: 'float64' | 'float32'): number[][] =>
    randomRows(SAMPLES, 2, 7, domain === 'positive' ? 0.25 : -3, 3).map((r) =>
      // In float32, both sides get the inputs the runtime receives: rounded to singles.
      dtype === 'float32' ? r.map(Math.fround) : r,
    );

  for (const dtype of DTYPES) {
    test.each(ops)(`'%s', ${dtype}: ONNX Runtime matches compile's run on 1,000 inputs`, async (_, fn, domain) => {
      const rows = columns(domain, dtype);
      const onnx = await runGraph(toOnnx(fn, { inputs: ['x', 'y'], dtype }), dtype, {
        x: { data: rows.map((r) => r[0] as number), dims: [SAMPLES] },
        y: { data: rows.map((r) => r[1] as number), dims: [SAMPLES] },
      });
      const compiled = compile(fn, { inputs: ['x', 'y'] });
      const expected = rows.map(([x = 0, y = 0]) => compiled.run({ x, y }));
      expect(maxRelativeError(onnx, expected, FLOOR[dtype])).toBeLessThan(TOLERANCE[dtype]);
    });
  } // prettier-ignore

  test('toOnnx(compiled): the graph a compiled function replays, its parameters as they are now', async () => {
    const w = new Value(0.75);
    const b = new Value(-0.5);
    const f = compile(({ x, y }) => w.mul(x).add(b).sub(y).square(), { inputs: ['x', 'y'] });
    // Trained after compiling: the export holds the parameters' numbers at export time.
    w.data = 1.25;
    b.data = 0.125;
    const rows = columns('any', 'float64');
    const onnx = await runGraph(toOnnx(f), 'float64', {
      x: { data: rows.map((r) => r[0] as number), dims: [SAMPLES] },
      y: { data: rows.map((r) => r[1] as number), dims: [SAMPLES] },
    });
    // (1.25·x + 0.125 − y)², worked out with plain numbers.
    const expected = rows.map(([x = 0, y = 0]) => (1.25 * x + 0.125 - y) ** 2);
    expect(maxRelativeError(onnx, expected, 0)).toBeLessThan(TOLERANCE.float64);
    expect(() => toOnnx(f, { inputs: ['x'] } as never)).toThrow(
      /toOnnx\(compiled, options\): unknown option 'inputs'/,
    );
  });

  test('every op in one graph, float64: within 1e-12 relative on 1,000 inputs', async () => {
    const everyOp = ({ x, y }: { x: Value; y: Value }): Value =>
      sum(ops.map(([, f, domain]) => (domain === 'positive' ? f({ x: x.abs().add(0.25), y: y.abs().add(0.25) }) : f({ x, y }))));
    const rows = columns('any', 'float64');
    const onnx = await runGraph(toOnnx(everyOp, { inputs: ['x', 'y'] }), 'float64', {
      x: { data: rows.map((r) => r[0] as number), dims: [SAMPLES] },
      y: { data: rows.map((r) => r[1] as number), dims: [SAMPLES] },
    });
    const compiled = compile(everyOp, { inputs: ['x', 'y'] });
    expect(maxRelativeError(onnx, rows.map(([x = 0, y = 0]) => compiled.run({ x, y })))).toBeLessThan(1e-12);
  }); // prettier-ignore

  test('a micrograd-style network over a vector input: parameters become initializers', async () => {
    const model = new MLP(3, [6, 1], { activation: 'tanh', random: seededRandom(9) });
    const fn = ({ x }: { x: readonly Value[] }): Value => model.forward(x)[0] as Value;
    const bytes = toOnnx(fn, { inputs: { x: [0, 0, 0] } });
    const rows = randomRows(SAMPLES, 3, 11);
    const onnx = await runGraph(bytes, 'float64', { x: { data: rows.flat(), dims: [SAMPLES, 3] } });
    const expected = agOutputs(model, rows).map((r) => r[0] as number);
    expect(maxRelativeError(onnx, expected)).toBeLessThan(1e-12);
    // Three Gathers (x[0], x[1], x[2]), per neuron a Mul per input and one Sum
    // (its affine node), its tanh, then the output neuron's.
    const ops = decode(bytes).graph.node.map((n) => n.op_type);
    const count = (op: string): number => ops.filter((o) => o === op).length;
    expect([count('Gather'), count('Mul'), count('Sum'), count('Tanh'), ops.length]).toEqual([
      3,
      6 * 3 + 6,
      7,
      6,
      3 + 24 + 7 + 6,
    ]);
  });

  test('softplus in float64 keeps its relative precision where it is tiny (ONNX has no Log1p)', async () => {
    const bytes = toOnnx(({ a }: { a: Value }) => a.softplus(), { inputs: ['a'] });
    const a = [-700, -50, -36.5, -20, -1e-3, 0, 1e-8, 3, 40, 700];
    const onnx = await runGraph(bytes, 'float64', { a: { data: a, dims: [a.length] } });
    // softplus(a) = ln(1 + eᵃ); for a ≪ 0 it is eᵃ(1 − eᵃ/2 + …), by hand.
    expect(onnx[0]).toBeCloseTo(0, 300);
    expect(Math.abs((onnx[1] as number) / Math.exp(-50) - 1)).toBeLessThan(1e-15);
    expect(maxRelativeError(onnx, a.map((v) => noGrad(() => new Value(v).softplus().data)))).toBeLessThan(1e-15);
  }); // prettier-ignore

  test('affine and sum nodes, an input used as the output, and a constant output', async () => {
    const w = [new Value(0.5), new Value(-2), new Value(0.25)];
    const bytes = toOnnx(({ a, b }: { a: Value; b: Value }) => sum([affine(w, [a, b]), a, b]), { inputs: ['a', 'b'] });
    const out = await runGraph(bytes, 'float64', { a: { data: [1, 2], dims: [2] }, b: { data: [3, -4], dims: [2] } });
    expect(out).toEqual([0.5 * 1 - 2 * 3 + 0.25 + 1 + 3, 0.5 * 2 - 2 * -4 + 0.25 + 2 - 4]);
    const identity = toOnnx(({ a }: { a: Value }) => a, { inputs: ['a'] });
    expect(await runGraph(identity, 'float64', { a: { data: [1.5, -2], dims: [2] } })).toEqual([1.5, -2]);
    const three = new Value(3);
    const constant = toOnnx(() => three.mul(2), { inputs: ['a'] });
    expect(await runGraph(constant, 'float64', { a: { data: [1], dims: [1] } })).toEqual([6]);
  }); // prettier-ignore

  test("a function whose graph depends on its inputs' values is refused, as compile refuses it", () => {
    const branching = ({ x }: { x: Value }): Value => (x.data > 0 ? x.relu() : x.neg());
    expect(() => toOnnx(branching, { inputs: ['x'] })).toThrow(/compile\(fn, options\)/);
  });

  test('bad arguments are named', () => {
    expect(() => toOnnx((({ x }: { x: Value }) => x) as never, {} as never)).toThrow(/a function needs options.inputs/);
    expect(() => toOnnx((() => 3) as never, { inputs: ['x'] })).toThrow(/compile/);
    expect(() => toOnnx(({ x }: { x: Value }) => x, { inputs: ['x'], outputName: 'x' })).toThrow(/options.outputName 'x' is also the name of an input/);
    expect(() => toOnnx(({ x }: { x: Value }) => x, { inputs: ['x'], inputName: 'y' } as never)).toThrow(/unknown option 'inputName'/);
    expect(() => toOnnx(42 as never)).toThrow(/received 42/);
  }); // prettier-ignore
});
