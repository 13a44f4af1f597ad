import { loadSafetensors } from '@ag/io';
import { MLP, seededRandom } from '@ag/nn';
import { InferenceSession, Tensor } from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { modelFile, modelInputs, modelOutput } from './model-files.js';
import type { PlaygroundState } from './playground-state.js';
import { DEFAULT_STATE } from './playground-state.js';
import { TrainingSession } from './training-session.js';

const state = (patch: Partial<PlaygroundState>): PlaygroundState => ({
  ...DEFAULT_STATE,
  ...patch,
});

// Spirals with four features, two tanh layers of 8: the model reads [x₁, x₂, x₁x₂, sin x₁].
const SETUP = state({
  dataset: 'spirals',
  hidden: [8, 8],
  activation: 'tanh',
  features: ['x1', 'x2', 'x1x2', 'sinx1'],
  loss: 'bce',
  seed: 7,
});

function trained(setup: PlaygroundState, steps = 30): TrainingSession {
  const session = new TrainingSession(setup);
  for (let i = 0; i < steps; i++) session.step();
  return session;
}

const bits = (xs: readonly number[]): string[] =>
  xs.map((x) => Buffer.from(new Float64Array([x]).buffer).toString('hex'));

/** 1,000 points of the plane in [−6, 6]², from a fixed seed. */
function points(): number[][] {
  const random = seededRandom(11);
  return Array.from({ length: 1000 }, () => [12 * random() - 6, 12 * random() - 6]);
}

describe('what an exported model reads and gives', () => {
  it('reads the features switched on, in the diagram order, whatever order the state lists them', () => {
    expect(modelInputs(state({ features: ['sinx2', 'x1', 'x1sq'] }))).toEqual([
      'x₁',
      'x₁²',
      'sin x₂',
    ]);
    expect(modelInputs(state({ dataset: 'line', features: ['x1', 'x2', 'x1x2'] }))).toEqual(['x']);
  });

  it('gives a logit with cross-entropy, a score with hinge, a value for regression', () => {
    expect(modelOutput(state({ loss: 'bce' }))).toMatch(/logit/);
    expect(modelOutput(state({ loss: 'hinge' }))).toMatch(/class 1 where it is positive/);
    expect(modelOutput(state({ dataset: 'plane', loss: 'mse' }))).toMatch(/value/);
  });
});

describe('modelFile', () => {
  it('JSON: the stateDict, which loads into a new model with every weight the same', async () => {
    const session = trained(SETUP);
    const file = await modelFile(session.model, SETUP, 'json', 'float64');
    expect(file.name).toBe('ag-playground-weights-seed7.json');
    const copy = new MLP(4, [8, 8, 1], { activation: 'tanh' });
    copy.loadStateDict(JSON.parse(new TextDecoder().decode(file.bytes)));
    expect(bits(copy.parameters().map((p) => p.data))).toEqual(
      bits(session.model.parameters().map((p) => p.data)),
    );
  });

  it("safetensors F64: PyTorch's names and shapes, and loadSafetensors gives the model bit for bit", async () => {
    const session = trained(SETUP);
    const file = await modelFile(session.model, SETUP, 'safetensors', 'float64');
    expect(file.name).toBe('ag-playground-seed7-f64.safetensors');
    // The header, read by hand: 8 bytes of length, then JSON.
    const view = new DataView(file.bytes.buffer, file.bytes.byteOffset);
    const length = Number(view.getBigUint64(0, true));
    const header = JSON.parse(
      new TextDecoder().decode(file.bytes.subarray(8, 8 + length)),
    ) as Record<string, { dtype: string; shape: number[] }>;
    // nn.Sequential(Linear(4, 8), Tanh(), Linear(8, 8), Tanh(), Linear(8, 1)).
    const shapes = Object.fromEntries(
      Object.entries(header)
        .filter(([k]) => k !== '__metadata__')
        .map(([k, v]) => [k, [v.dtype, v.shape]]),
    );
    expect(shapes).toEqual({
      '0.weight': ['F64', [8, 4]],
      '0.bias': ['F64', [8]],
      '2.weight': ['F64', [8, 8]],
      '2.bias': ['F64', [8]],
      '4.weight': ['F64', [1, 8]],
      '4.bias': ['F64', [1]],
    });
    const copy = new MLP(4, [8, 8, 1], { activation: 'tanh', random: seededRandom(99) });
    loadSafetensors(copy, file.bytes);
    expect(bits(copy.parameters().map((p) => p.data))).toEqual(
      bits(session.model.parameters().map((p) => p.data)),
    );
    expect(file.note).toContain('nn.Sequential(nn.Linear(4, 8), nn.Tanh()');
    expect(file.note).toContain('[batch, 4]: x₁, x₂, x₁x₂, sin x₁');
  });

  it('safetensors F32: each weight rounded to the nearest single', async () => {
    const session = trained(SETUP);
    const file = await modelFile(session.model, SETUP, 'safetensors', 'float32');
    expect(file.name).toBe('ag-playground-seed7-f32.safetensors');
    const copy = new MLP(4, [8, 8, 1], { activation: 'tanh' });
    loadSafetensors(copy, file.bytes);
    expect(bits(copy.parameters().map((p) => p.data))).toEqual(
      bits(session.model.parameters().map((p) => Math.fround(p.data))),
    );
  });

  for (const [precision, tolerance] of [
    ['float64', 1e-12],
    ['float32', 1e-6],
  ] as const) {
    it(`ONNX ${precision}: ONNX Runtime gives the model's outputs on 1,000 points' features`, async () => {
      const session = trained(SETUP);
      const file = await modelFile(session.model, SETUP, 'onnx', precision);
      expect(file.name).toBe(`ag-playground-seed7-${precision}.onnx`);
      expect(file.note).toContain('[batch, 4]: x₁, x₂, x₁x₂, sin x₁');
      const inputs = points().map((p) => session.inputsOf(p));
      const flat = inputs.flat();
      const data = precision === 'float64' ? Float64Array.from(flat) : Float32Array.from(flat);
      const ort = await InferenceSession.create(file.bytes);
      const { output } = await ort.run({ input: new Tensor(precision, data, [inputs.length, 4]) });
      expect(output?.dims).toEqual([1000, 1]);
      const got = Array.from(output?.data as Float64Array | Float32Array);
      // float64 against the model's own outputs; float32 against the model on the same
      // single-rounded inputs, relative to max(|y|, 1) (a sum of terms of size ~1 that
      // ends near 0 keeps only the singles' absolute accuracy).
      const worst = Math.max(
        ...inputs.map((x, i) => {
          const xs = precision === 'float64' ? x : x.map(Math.fround);
          const want = (session.model.forward(xs)[0] as { data: number }).data;
          const floor = precision === 'float64' ? 0 : 1;
          return Math.abs((got[i] as number) - want) / Math.max(Math.abs(want), floor);
        }),
      );
      expect(worst).toBeLessThan(tolerance);
    });
  }

  it('ONNX of the line: one input, x', async () => {
    const line = state({ dataset: 'line', loss: 'mse', hidden: [3], activation: 'relu' });
    const session = trained(line, 5);
    const file = await modelFile(session.model, line, 'onnx', 'float64');
    expect(file.note).toBe(
      'ONNX (float64): input "input" [batch, 1]: x; output "output" [batch, 1], the predicted value.',
    );
    const ort = await InferenceSession.create(file.bytes);
    const xs = [-2, -0.5, 0, 0.25, 3];
    const { output } = await ort.run({
      input: new Tensor('float64', Float64Array.from(xs), [xs.length, 1]),
    });
    xs.forEach((x, i) => {
      const want = (session.model.forward([x])[0] as { data: number }).data;
      const got = (output?.data as Float64Array)[i] as number;
      expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.abs(want));
    });
  });
});
