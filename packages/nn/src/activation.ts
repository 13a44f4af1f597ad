/** The activations a layer can apply to each neuron's output. */
import type { Value } from '@ag/core';
import { describe } from './argument-checks.js';

/** `linear` is the identity (micrograd's `nonlin=False`). */
export type Activation = 'linear' | 'relu' | 'tanh' | 'sigmoid';

export const ACTIVATIONS: readonly Activation[] = ['linear', 'relu', 'tanh', 'sigmoid'];

/** Checks an activation name. */
export function checkActivation(x: unknown, arg: string): Activation {
  if (!(ACTIVATIONS as readonly unknown[]).includes(x)) {
    throw new RangeError(
      `${arg}: expected one of ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}, received ${describe(x)}`,
    );
  }
  return x as Activation;
}

/** Applies `activation` to `v`; `linear` returns `v` itself (no extra node). */
export function activate(v: Value, activation: Activation): Value {
  switch (activation) {
    case 'linear':
      return v;
    case 'relu':
      return v.relu();
    case 'tanh':
      return v.tanh();
    case 'sigmoid':
      return v.sigmoid();
  }
}
