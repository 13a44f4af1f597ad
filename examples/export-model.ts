// Taking a trained model elsewhere: its weights in PyTorch's state-dict layout, as a
// safetensors file (read back here bit for bit; PyTorch loads it too), and the model as
// ONNX for ONNX Runtime on a server or in a browser. In PyTorch, three lines:
//
//   import torch, safetensors.torch  # pip install torch safetensors
//   model = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
//   model.double().load_state_dict(safetensors.torch.load_file("moons.safetensors"))
//
//   npx tsx export-model.ts     (in this repository: pnpm examples export-model)
import { moons } from '@ag/data';
import {
  ONNX_IR_VERSION,
  loadSafetensors,
  saveSafetensors,
  toOnnx,
  toTorchStateDict,
  torchModuleSource,
} from '@ag/io';
import { Adam, MLP, fit, hinge, seededRandom } from '@ag/nn';

const data = moons({ samples: 100, noise: 0.1, labels: 'pm1', seed: 3 });
const model = new MLP(2, [8, 1], { random: seededRandom(1) });
const { history } = fit({
  model,
  data,
  loss: hinge,
  optimizer: new Adam(model.parameters(), { lr: 0.05 }),
  mode: 'batch',
  epochs: 20,
});
console.log(
  `trained: loss ${history[0]?.toFixed(4)} → ${history.at(-1)?.toFixed(4)}; ${torchModuleSource(model)}`,
);
if (!((history.at(-1) ?? NaN) < (history[0] ?? NaN) / 2))
  throw new Error('training did not halve the loss');

// The state dict: `nn.Linear`'s names and [out, in] layout. The network computed by hand
// from it, relu(W₀x + b₀) then W₂h + b₂, must give the model's own outputs.
const state = toTorchStateDict(model);
console.log(
  Object.entries(state)
    .map(([name, t]) => `${name} [${t.shape.join(', ')}]`)
    .join(', '),
);
const w = (name: string, i: number) => state[name]?.data[i] ?? NaN;
const byHand = ([x1 = NaN, x2 = NaN]: number[]) =>
  Array.from({ length: 8 }, (_, j) =>
    Math.max(0, w('0.weight', 2 * j) * x1 + w('0.weight', 2 * j + 1) * x2 + w('0.bias', j)),
  ).reduce((out, h, j) => out + w('2.weight', j) * h, w('2.bias', 0));
const off = Math.max(...data.x.map((x) => Math.abs(byHand(x) - (model.forward(x)[0]?.data ?? 0))));
if (!(off <= 1e-12)) throw new Error(`the state dict computes something else: off by ${off}`);

// safetensors in float64 keeps every bit: a model drawn from another seed, loaded from the
// bytes, computes exactly what the trained one does.
const bytes = saveSafetensors(model, { dtype: 'F64' }); // writeFileSync('moons.safetensors', bytes)
const fresh = new MLP(2, [8, 1], { random: seededRandom(2) });
loadSafetensors(fresh, bytes);
const differing = data.x.filter(
  (x) => !Object.is(fresh.forward(x)[0]?.data, model.forward(x)[0]?.data),
).length;
console.log(
  `safetensors: ${bytes.length} bytes, ${differing} of ${data.x.length} outputs differ after loading`,
);
if (differing > 0) throw new Error(`the loaded model differs on ${differing} samples`);

// ONNX: a protobuf ModelProto. Walk its top-level fields (each a varint key, field·8 + wire
// type, then a varint or a length and that many bytes): ir_version (1) comes first, and the
// graph (7) and opset_import (8) are there, the message ending exactly at the last byte.
const onnx = toOnnx(model, { dtype: 'float32' });
function varint(at: number): [value: number, next: number] {
  let value = 0;
  for (let scale = 1; ; scale *= 128) {
    const byte = onnx[at++];
    if (byte === undefined) throw new Error('ONNX: a varint runs past the end');
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, at];
  }
}
const fields = new Map<number, number>(); // field number → its varint, or its length
for (let at = 0; at < onnx.length;) {
  const [key, next] = varint(at);
  const [value, end] = varint(next);
  if ((key & 7) !== 0 && (key & 7) !== 2) throw new Error(`ONNX: wire type ${key & 7}`);
  fields.set(key >>> 3, value);
  at = (key & 7) === 2 ? end + value : end;
  if (at > onnx.length) throw new Error(`ONNX: field ${key >>> 3} runs past the end`);
}
console.log(
  `ONNX: ${onnx.length} bytes, fields ${[...fields.keys()].join(', ')}, ir_version ${fields.get(1)}`,
);
if (onnx[0] !== 0x08 || fields.get(1) !== ONNX_IR_VERSION || !fields.has(7) || !fields.has(8)) {
  throw new Error('the ONNX bytes are not a ModelProto with a graph and an opset');
}
