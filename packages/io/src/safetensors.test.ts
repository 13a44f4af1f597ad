import { fc, test as fcTest } from '@fast-check/vitest';
import { MLP } from '@ag/nn';
import { describe, expect, test } from 'vitest';
import { loadSafetensors, saveSafetensors } from './safetensors.js';
import { toTorchStateDict } from './torch-state-dict.js';
import {
  agModels,
  agOutputs,
  fixtureBytes,
  maxRelativeError,
  snapshot,
  torchReference,
} from './torch-fixtures.test-support.js';

/** A file made by hand from a header (object or raw text) and data bytes. */
function file(header: unknown, data: Uint8Array | number = 0, headerLength?: number): Uint8Array {
  const text = new TextEncoder().encode(
    typeof header === 'string' ? header : JSON.stringify(header),
  );
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const bytes = new Uint8Array(8 + text.length + body.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(headerLength ?? text.length), true);
  bytes.set(text, 8);
  bytes.set(body, 8 + text.length);
  return bytes;
}

/** The header and data of a file, read by hand (not by the code under test). */
function parts(bytes: Uint8Array): { header: Record<string, unknown>; data: Uint8Array } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return {
    header: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<
      string,
      unknown
    >,
    data: bytes.subarray(8 + n),
  };
}

describe('files written by PyTorch', () => {
  test.each(['mlp', 'mlp-linear', 'linear'] as const)(
    '%s, F64: loads into the @ag model, which then gives PyTorch outputs (1e-12 relative)',
    (name) => {
      const reference = torchReference[name];
      const model = agModels[name]();
      loadSafetensors(model, fixtureBytes(`${name}-f64.safetensors`));
      expect(maxRelativeError(agOutputs(model, reference.inputs), reference.outputs)).toBeLessThan(
        1e-12,
      );
    },
  );

  test.each(['mlp', 'mlp-linear', 'linear'] as const)(
    "%s, F32: each weight is the single nearest PyTorch's double; outputs as PyTorch's float32 (1e-6)",
    (name) => {
      const reference = torchReference[name];
      const model = agModels[name]();
      loadSafetensors(model, fixtureBytes(`${name}-f32.safetensors`));
      const state = toTorchStateDict(model);
      for (const key of reference.keys)
        expect(Array.from(state[key]?.data ?? [])).toEqual(
          (reference.weights[key] ?? []).map(Math.fround),
        );
      expect(
        maxRelativeError(agOutputs(model, reference.inputs), reference.outputsFloat32),
      ).toBeLessThan(1e-6);
    },
  );

  test.each(['mlp', 'mlp-linear', 'linear'] as const)(
    '%s: saving those weights again gives the bytes PyTorch wrote, F64 and F32',
    (name) => {
      const model = agModels[name]();
      const f64 = fixtureBytes(`${name}-f64.safetensors`);
      loadSafetensors(model, f64);
      expect(saveSafetensors(model, { dtype: 'F64' })).toEqual(f64);
      const f32 = fixtureBytes(`${name}-f32.safetensors`);
      loadSafetensors(model, f32);
      expect(saveSafetensors(model, { dtype: 'F32' })).toEqual(f32);
    },
  );
});

describe('saveSafetensors', () => {
  test('the layout of the format: header length, padded JSON, little-endian data at the offsets', () => {
    const model = new MLP(2, [2, 1], { activation: 'tanh' });
    model.loadStateDict({
      'layers.0.neurons.0.w': [1, 2],
      'layers.0.neurons.0.b': 3,
      'layers.0.neurons.1.w': [4, 5],
      'layers.0.neurons.1.b': 6,
      'layers.1.neurons.0.w': [7, 0.1],
      'layers.1.neurons.0.b': -9,
    });
    const bytes = saveSafetensors(model);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const { header, data } = parts(bytes);
    expect(header).toEqual({
      __metadata__: { format: 'pt' },
      '0.weight': { dtype: 'F64', shape: [2, 2], data_offsets: [0, 32] },
      '0.bias': { dtype: 'F64', shape: [2], data_offsets: [32, 48] },
      '2.weight': { dtype: 'F64', shape: [1, 2], data_offsets: [48, 64] },
      '2.bias': { dtype: 'F64', shape: [1], data_offsets: [64, 72] },
    });
    expect(Array.from(new Float64Array(data.slice().buffer))).toEqual([
      1, 2, 4, 5, 3, 6, 7, 0.1, -9,
    ]);
    const single = parts(saveSafetensors(model, { dtype: 'F32' }));
    expect(Array.from(new Float32Array(single.data.slice().buffer))).toEqual(
      [1, 2, 4, 5, 3, 6, 7, 0.1, -9].map(Math.fround),
    );
  });

  fcTest.prop(
    [
      fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), {
        minLength: 20,
        maxLength: 20,
      }),
    ],
    { seed: 20, numRuns: 200 },
  )('@ag → safetensors F64 → @ag is bit for bit (−0 and subnormals included)', (numbers) => {
    const model = new MLP(2, [3, 2, 1], { activation: ['relu', 'sigmoid'] });
    expect(model.numParameters).toBe(numbers.length); // 2·3 + 3, 3·2 + 2, 2·1 + 1
    model.parameters().forEach((p, i) => (p.data = numbers[i] as number));
    const copy = new MLP(2, [3, 2, 1], { activation: ['relu', 'sigmoid'] });
    loadSafetensors(copy, saveSafetensors(model, { dtype: 'F64' }));
    copy.parameters().forEach((p, i) => expect(Object.is(p.data, numbers[i])).toBe(true));
  });

  test('bad options are named', () => {
    expect(() => saveSafetensors(new MLP(1, [1]), { dtype: 'F16' as never })).toThrow(
      /options.dtype 'F64' or 'F32', received "F16"/,
    );
    expect(() => saveSafetensors(new MLP(1, [1]), null as never)).toThrow(TypeError);
  });
});

describe('loadSafetensors: each fault is named and the model is unchanged', () => {
  // A valid file of Linear(3, 2): weight [2, 3] at [0, 48), bias [2] at [48, 64).
  const weight = { dtype: 'F64', shape: [2, 3], data_offsets: [0, 48] };
  const bias = { dtype: 'F64', shape: [2], data_offsets: [48, 64] };
  const data = new Uint8Array(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8]).buffer);
  const valid = file({ weight, bias }, data);
  const nan = new Uint8Array(new Float64Array([1, 2, 3, 4, 5, 6, 7, NaN]).buffer);

  const cases: [string, Uint8Array, RegExp][] = [
    ['an empty file', new Uint8Array(0), /truncated file: 0 bytes, fewer than the 8/],
    ['a truncated length', valid.subarray(0, 5), /truncated file: 5 bytes/],
    ['a header length past the end', file({ weight, bias }, data, 1000), /header length 1000 runs past the end of the file/],
    ['a file cut in its header', valid.subarray(0, 20), /runs past the end of the file \(12 bytes follow it\)/],
    ['a file cut in its data', valid.subarray(0, valid.length - 8), /'bias' has data_offsets \[48, 64\] past the end of the data \(56 bytes\)/],
    ['invalid JSON', file('{"weight": {', data), /the header is not valid JSON/],
    ['JSON that is not an object', file('[1, 2]', data), /does not start with '\{'/],
    ['JSON null', file('{}null', data), /not valid JSON/],
    ['invalid UTF-8', file('{"\xff"}', data).map((b, i) => (i === 10 ? 0xff : b)), /not valid UTF-8/],
    ['an unknown dtype', file({ weight: { ...weight, dtype: 'F65' }, bias }, data), /tensor 'weight' has an unknown dtype "F65"/],
    ['an unsupported dtype', file({ weight: { ...weight, dtype: 'I64' }, bias }, data), /tensor 'weight' has dtype 'I64', which is not supported/],
    ['a transposed shape', file({ weight: { ...weight, shape: [3, 2] }, bias }, data), /tensor 'weight' has shape \[3, 2\], expected \[2, 3\]/],
    ['a shape the offsets do not hold', file({ weight: { ...weight, shape: [2, 2] }, bias }, data), /'weight' of dtype F64 and shape \[2, 2\] needs 32 bytes, but its data_offsets \[0, 48\] span 48/],
    ['a negative size', file({ weight: { ...weight, shape: [-2, -3] }, bias }, data), /'weight' must have a shape of non-negative integers/],
    ['overlapping offsets', file({ weight, bias: { ...bias, data_offsets: [40, 56] } }, data), /tensors 'weight' and 'bias' overlap \(bytes 40 to 48/],
    ['a gap between tensors', file({ weight: { ...weight, shape: [5], data_offsets: [0, 40] }, bias }, data), /data bytes 40 to 48 belong to no tensor/],
    ['trailing bytes', file({ weight, bias }, new Uint8Array(72)), /data bytes 64 to 72 belong to no tensor \(trailing bytes\)/],
    ['offsets out of range', file({ weight, bias: { ...bias, data_offsets: [64, 80] } }, data), /'bias' has data_offsets \[64, 80\] past the end of the data \(64 bytes\)/],
    ['offsets that end before they begin', file({ weight, bias: { ...bias, data_offsets: [64, 48] } }, data), /'bias' has data_offsets \[64, 48\] that end before they begin/],
    ['fractional offsets', file({ weight, bias: { ...bias, data_offsets: [48, 63.5] } }, data), /'bias' must have data_offsets \[begin, end\] of non-negative integers/],
    ['an unexpected field', file({ weight: { ...weight, strides: [3, 1] }, bias }, data), /tensor 'weight' has an unexpected field 'strides'/],
    ['metadata that is not strings', file({ __metadata__: { epochs: 3 }, weight, bias }, data), /__metadata__.epochs must be a string, received 3/],
    ['a missing tensor', file({ weight: { ...weight, data_offsets: [0, 48] } }, data.subarray(0, 48)), /missing tensor 'bias' of shape \[2\]/],
    ['an extra tensor', file({ weight, bias, extra: { dtype: 'F64', shape: [], data_offsets: [64, 72] } }, new Uint8Array(72)), /unexpected tensor 'extra' \(the model has 'weight', 'bias'\)/],
    ['a __proto__ tensor', file(`{"weight":${JSON.stringify(weight)},"bias":${JSON.stringify(bias)},"__proto__":{"dtype":"F64","shape":[],"data_offsets":[64,72]}}`, new Uint8Array(72)), /names a tensor '__proto__', which is not allowed/],
    ['a __proto__ metadata key', file(`{"__metadata__":{"__proto__":"x"},"weight":${JSON.stringify(weight)},"bias":${JSON.stringify(bias)}}`, data), /__metadata__ has a key '__proto__'/],
    ['a NaN weight', file({ weight, bias }, nan), /tensor 'bias' holds NaN at flat index 1/],
  ]; // prettier-ignore

  test.each(cases)('%s', (_, bytes, message) => {
    const model = agModels.linear();
    const before = snapshot(model);
    expect(() => loadSafetensors(model, bytes)).toThrow(RangeError);
    expect(() => loadSafetensors(model, bytes)).toThrow(message);
    expect(snapshot(model)).toEqual(before);
  });

  test('the valid file of those cases loads', () => {
    const model = agModels.linear();
    loadSafetensors(model, valid);
    expect(snapshot(model)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]); // Linear: weight row by row, then bias
  });

  test('bytes that are not a Uint8Array are a TypeError', () => {
    const model = agModels.linear();
    expect(() => loadSafetensors(model, [1, 2, 3] as never)).toThrow(TypeError);
    expect(() => loadSafetensors(model, 'file' as never)).toThrow(
      /expected the file's bytes as a Uint8Array, received "file"/,
    );
  });

  test('a Uint8Array over a larger buffer, at an offset, reads its own bytes', () => {
    const big = new Uint8Array(valid.length + 13);
    big.set(valid, 5);
    const model = agModels.linear();
    loadSafetensors(model, big.subarray(5, 5 + valid.length));
    expect(snapshot(model)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
