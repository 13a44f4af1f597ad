/** The activations a layer can apply to each neuron's output. */
import type { Value } from '@ag/core';
import { checkOneOf } from './argument-checks.js';

/** `linear` is the identity (micrograd's `nonlin=False`). */
export type Activation = 'linear' | 'relu' | 'tanh' | 'sigmoid';

/** Every activation name, in the order of {@link Activation}. */
export const ACTIVATIONS: readonly Activation[] = ['linear', 'relu', 'tanh', 'sigmoid'];

/** Checks an activation name. */
export function checkActivation(x: unknown, arg: string): Activation {
  return checkOneOf(x, arg, ACTIVATIONS);
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
