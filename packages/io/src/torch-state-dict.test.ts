import { Layer, Linear, MLP, Neuron } from '@ag/nn';
import { describe, expect, test } from 'vitest';
import { torchModuleSource } from './sequential-layout.js';
import {
  agModels,
  agOutputs,
  maxRelativeError,
  snapshot,
  torchReference,
} from './torch-fixtures.test-support.js';
import { fromTorchStateDict, toTorchStateDict } from './torch-state-dict.js';

const keysAndShapes = (model: Linear | MLP): [string, readonly number[]][] =>
  Object.entries(toTorchStateDict(model)).map(([k, t]) => [k, t.shape]);

describe('toTorchStateDict', () => {
  test("MLP(2, [16, 16, 1]) has nn.Sequential's keys, activations taking indices 1 and 3", () => {
    // nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))
    expect(keysAndShapes(new MLP(2, [16, 16, 1]))).toEqual([
      ['0.weight', [16, 2]],
      ['0.bias', [16]],
      ['2.weight', [16, 16]],
      ['2.bias', [16]],
      ['4.weight', [1, 16]],
      ['4.bias', [1]],
    ]);
    expect(torchModuleSource(new MLP(2, [16, 16, 1]))).toBe(
      'nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))',
    );
  });

  test.each(['mlp', 'mlp-linear', 'linear'] as const)(
    "%s: the keys and shapes of PyTorch's own state_dict",
    (name) => {
      const reference = torchReference[name];
      const state = toTorchStateDict(agModels[name]());
      expect(Object.keys(state)).toEqual(reference.keys);
      for (const key of reference.keys) expect(state[key]?.shape).toEqual(reference.shapes[key]);
    },
  );

  test('the module sources of the fixtures', () => {
    expect(torchModuleSource(agModels.mlp())).toBe(
      'nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 1), nn.Sigmoid())',
    );
    expect(torchModuleSource(agModels['mlp-linear']())).toBe(
      'nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 2))',
    );
    expect(torchModuleSource(agModels.linear())).toBe('nn.Linear(3, 2)');
  });

  test('weight is [out, in], row-major: weight[o][i] at o·nin + i', () => {
    const model = new Linear(3, 2);
    model.loadStateDict({ weight: [[1, 2, 3], [4, 5, 6]], bias: [7, 8] }); // prettier-ignore
    const state = toTorchStateDict(model);
    expect(state.weight?.shape).toEqual([2, 3]);
    expect(Array.from(state.weight?.data ?? [])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(state.bias?.data ?? [])).toEqual([7, 8]);
    const mlp = new MLP(2, [2, 1]);
    mlp.loadStateDict({
      'layers.0.neurons.0.w': [1, 2],
      'layers.0.neurons.0.b': 3,
      'layers.0.neurons.1.w': [4, 5],
      'layers.0.neurons.1.b': 6,
      'layers.1.neurons.0.w': [7, 8],
      'layers.1.neurons.0.b': 9,
    });
    const s = toTorchStateDict(mlp);
    expect(Array.from(s['0.weight']?.data ?? [])).toEqual([1, 2, 4, 5]);
    expect(Array.from(s['0.bias']?.data ?? [])).toEqual([3, 6]);
    expect(Array.from(s['2.weight']?.data ?? [])).toEqual([7, 8]);
    expect(Array.from(s['2.bias']?.data ?? [])).toEqual([9]);
  });
});

describe('fromTorchStateDict', () => {
  test.each(['mlp', 'mlp-linear', 'linear'] as const)(
    "%s: PyTorch's weights give PyTorch's outputs (1e-12 relative)",
    (name) => {
      const reference = torchReference[name];
      const model = agModels[name]();
      const state = Object.fromEntries(
        reference.keys.map((k) => [
          k,
          { shape: reference.shapes[k] ?? [], data: reference.weights[k] ?? [] },
        ]),
      );
      fromTorchStateDict(model, state);
      expect(maxRelativeError(agOutputs(model, reference.inputs), reference.outputs)).toBeLessThan(
        1e-12,
      );
    },
  );

  test('toTorchStateDict then fromTorchStateDict restores every weight bit for bit', () => {
    const trained = new MLP(2, [5, 3, 1], { activation: 'tanh' });
    trained.parameters().forEach((p, i) => (p.data = i % 4 === 0 ? -0 : Math.sin(i + 1) / 3)); // -0 must stay -0
    const fresh = new MLP(2, [5, 3, 1], { activation: 'tanh' });
    fromTorchStateDict(fresh, toTorchStateDict(trained));
    fresh
      .parameters()
      .forEach((p, i) => expect(Object.is(p.data, trained.parameters()[i]?.data)).toBe(true));
  });

  describe('bad input names the fault and changes nothing', () => {
    const good = (): Record<string, { shape: number[]; data: number[] }> => ({
      weight: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] },
      bias: { shape: [2], data: [7, 8] },
    });
    const cases: [string, unknown, ErrorConstructor, RegExp][] = [
      ['not an object', 3, TypeError, /expected an object of tensors, received 3/],
      ['a missing tensor', { weight: good().weight }, RangeError, /missing tensor 'bias' of shape \[2\]/],
      ['an extra tensor', { ...good(), extra: good().bias }, RangeError, /unexpected tensor 'extra'/],
      ['a transposed weight', { ...good(), weight: { shape: [3, 2], data: [1, 2, 3, 4, 5, 6] } }, RangeError, /'weight' has shape \[3, 2\], expected \[2, 3\]/],
      ['too few numbers', { ...good(), bias: { shape: [2], data: [7] } }, RangeError, /'bias' of shape \[2\] must hold 2 numbers, received 1/],
      ['a NaN', { ...good(), bias: { shape: [2], data: [7, NaN] } }, RangeError, /'bias' holds NaN at flat index 1/],
      ['no shape', { ...good(), bias: { data: [7, 8] } }, TypeError, /'bias'.shape to be an array of sizes/],
      ['strings for numbers', { ...good(), bias: { shape: [2], data: ['7', '8'] } }, TypeError, /'bias'.data to be an array or typed array of numbers/],
      ['a __proto__ key', JSON.parse('{"__proto__": {"shape": [2], "data": [1, 2]}}') as unknown, RangeError, /unexpected tensor '__proto__'/],
    ]; // prettier-ignore
    test.each(cases)('%s', (_, state, type, message) => {
      const model = new Linear(3, 2);
      const before = snapshot(model);
      expect(() => fromTorchStateDict(model, state as never)).toThrow(type);
      expect(() => fromTorchStateDict(model, state as never)).toThrow(message);
      expect(snapshot(model)).toEqual(before);
    });
  });

  test('a module without a PyTorch layout is named', () => {
    expect(() => toTorchStateDict(new Neuron(2) as never)).toThrow(
      /expected a Linear or an MLP from @ag\/nn, received a Neuron/,
    );
    expect(() => fromTorchStateDict(new Layer(2, 2) as never, {})).toThrow(TypeError);
    expect(() => fromTorchStateDict(new Layer(2, 2) as never, {})).toThrow(/received a Layer/);
  });

  test('an activation without a PyTorch module is named', () => {
    const model = new MLP(2, [3, 1]);
    // An activation this package does not know yet (as a later @ag/nn might add).
    Object.assign(model.layers[0] as object, { activation: 'gelu' });
    expect(() => toTorchStateDict(model)).toThrow(RangeError);
    expect(() => toTorchStateDict(model)).toThrow(/layer 0 of the MLP uses the activation 'gelu'/);
  });
});
