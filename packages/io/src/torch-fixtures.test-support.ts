/** Shared by the tests: the PyTorch fixtures and comparisons. */
import { readFileSync } from 'node:fs';
import { noGrad, type Value } from '@ag/core';
import { Linear, MLP } from '@ag/nn';

export interface TorchCase {
  module: string;
  keys: string[];
  shapes: Record<string, number[]>;
  weights: Record<string, number[]>;
  inputs: number[][];
  outputs: number[][];
  outputsFloat32: number[][];
}

const fixtures = new URL('../fixtures/', import.meta.url);

/** torch-reference.json, written by scripts/make-fixtures.py with PyTorch. */
export const torchReference = JSON.parse(
  readFileSync(new URL('torch-reference.json', fixtures), 'utf8'),
) as Record<'mlp' | 'mlp-linear' | 'linear', TorchCase>;

/** A safetensors file written by scripts/make-fixtures.py from a PyTorch state_dict. */
export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(name, fixtures)));
}

/** The @ag models of the fixtures' PyTorch modules (weights still their own). */
export const agModels = {
  mlp: () => new MLP(2, [4, 3, 1], { activation: ['relu', 'tanh'], outputActivation: 'sigmoid' }),
  'mlp-linear': () => new MLP(3, [3, 2], { activation: 'linear' }),
  linear: () => new Linear(3, 2),
};

/** The model's outputs, by its own forward pass with no graph kept. */
export function agOutputs(model: Linear | MLP, inputs: readonly (readonly number[])[]): number[][] {
  return noGrad(() => inputs.map((x) => model.forward(x).map((v: Value) => v.data)));
}

/**
 * The largest |a − b| / max(|b|, floor) over two tables of numbers of the same
 * shape: the relative error, except that below `floor` it is measured against
 * `floor` (0: the pure relative error).
 */
export function maxRelativeError(
  actual: ArrayLike<number>[] | ArrayLike<number>,
  expected: ArrayLike<number>[] | ArrayLike<number>,
  floor = 0,
): number {
  const a = flatten(actual);
  const b = flatten(expected);
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    const e = x === y ? 0 : Math.abs(x - y) / Math.max(Math.abs(y), floor);
    if (!(e <= worst)) worst = e; // NaN wins
  }
  return worst;
}

function flatten(t: ArrayLike<number>[] | ArrayLike<number>): number[] {
  const list = Array.from(t as ArrayLike<unknown>);
  return list.flatMap((row) =>
    typeof row === 'number' ? [row] : Array.from(row as ArrayLike<number>),
  );
}

/** Every parameter's number, to check that a failed load changed nothing. */
export const snapshot = (model: Linear | MLP): number[] => model.parameters().map((p) => p.data);
