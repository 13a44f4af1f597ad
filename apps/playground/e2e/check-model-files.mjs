// Checks the files the page downloaded against the page's own model, outside the browser:
// the safetensors weights loaded back with @ag/io's loadSafetensors, and the ONNX models run
// in ONNX Runtime (onnxruntime-node). run.mjs starts it with the packages' sources:
//
//   node --conditions=@ag/source --import tsx e2e/check-model-files.mjs <case.json>
//
// case.json: { layers (the page's weights, as frame.weights), files: { f64, f32, onnx64,
// onnx32 } (paths), inputs (rows of model inputs), predictions (the page's model's outputs
// for them) }. Prints one JSON line of measurements; run.mjs asserts on them.
import { readFileSync } from 'node:fs';
import { loadSafetensors } from '@ag/io';
import { MLP } from '@ag/nn';
import { InferenceSession, Tensor } from 'onnxruntime-node';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { layers, files, inputs, predictions } = spec;

/** A model of the page's architecture, its weights from `random` (then overwritten). */
function blank() {
  const hidden = layers.slice(0, -1);
  return new MLP(
    layers[0].nin,
    layers.map((l) => l.nout),
    hidden.length > 0 ? { activation: hidden[0].activation } : {},
  );
}

/** The page's weights in the order of model.parameters(): per neuron its weights, then bias. */
const pageWeights = layers.flatMap((l) =>
  Array.from({ length: l.nout }, (_, j) => [
    ...l.w.slice(j * l.nin, (j + 1) * l.nin),
    l.b[j],
  ]).flat(),
);

const bitsOf = (x) => Buffer.from(new Float64Array([x]).buffer).toString('hex');
const differing = (model, expected) =>
  model.parameters().filter((p, i) => bitsOf(p.data) !== bitsOf(expected[i])).length;

const f64 = blank();
loadSafetensors(f64, new Uint8Array(readFileSync(files.f64)));
const f32 = blank();
loadSafetensors(f32, new Uint8Array(readFileSync(files.f32)));

async function run(file, dtype, rows) {
  const session = await InferenceSession.create(new Uint8Array(readFileSync(file)));
  const data =
    dtype === 'float64' ? Float64Array.from(rows.flat()) : Float32Array.from(rows.flat());
  const { output } = await session.run({
    input: new Tensor(dtype, data, [rows.length, rows[0].length]),
  });
  return { names: [session.inputNames, session.outputNames], dims: output.dims, data: output.data };
}

// float64: against the page's predictions, relative.
const onnx64 = await run(files.onnx64, 'float64', inputs);
const worst64 = Math.max(
  ...predictions.map((want, i) => Math.abs(onnx64.data[i] - want) / Math.abs(want)),
);
// float32: on single-rounded inputs, against the page's model (the F64 file, exact) on the
// same inputs, relative to max(|y|, 1) as @ag/io's own tests measure it.
const rounded = inputs.map((row) => row.map(Math.fround));
const onnx32 = await run(files.onnx32, 'float32', rounded);
const worst32 = Math.max(
  ...rounded.map((row, i) => {
    const want = f64.forward(row)[0].data;
    return Math.abs(onnx32.data[i] - want) / Math.max(Math.abs(want), 1);
  }),
);

console.log(
  JSON.stringify({
    parameters: pageWeights.length,
    loadedF64: f64.parameterCount,
    differingF64: differing(f64, pageWeights),
    differingF32: differing(f32, pageWeights.map(Math.fround)),
    onnxNames: onnx64.names,
    onnxDims: onnx64.dims,
    worst64,
    worst32,
  }),
);
