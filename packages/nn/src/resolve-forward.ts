/**
 * `options.model` or `options.forward` (with `options.parameters`), as `fit`
 * and `evaluate` take them, checked once into one shape: a function of a
 * sample that always returns an array of outputs.
 */
import { Value } from '@ag/core';
import { checkDense, describe } from './argument-checks.js';
import type { Model } from './module.js';

/** A forward pass as `fit` and `evaluate` call it: always an array of outputs. */
export interface Forward {
  forward: (x: readonly (number | Value)[]) => Value[];
  parameters: readonly Value[];
  /** The model's input width, where it declares one (`nin`). */
  nin: number | undefined;
}

/** `options.model` or `options.forward` (with `options.parameters`), checked, as a {@link Forward}. */
export function resolveForward(o: Record<string, unknown>, fn: string): Forward {
  const { model, forward, parameters } = o;
  if ((model === undefined) === (forward === undefined)) {
    throw new TypeError(`${fn}(options): expected exactly one of options.model or options.forward`);
  }
  let f: (x: readonly (number | Value)[]) => Value | readonly Value[];
  let params: readonly Value[] = [];
  let nin: number | undefined;
  if (model !== undefined) {
    const m = model as Partial<Model>;
    if (
      typeof m !== 'object' ||
      m === null ||
      typeof m.forward !== 'function' ||
      typeof m.parameters !== 'function'
    ) {
      throw new TypeError(
        `${fn}(options.model): expected an object with forward() and parameters(), received ${describe(model)}`,
      );
    }
    f = (x) => (m as Model).forward(x);
    params = (m as Model).parameters();
    const width = (m as { nin?: unknown }).nin;
    if (typeof width === 'number') nin = width;
  } else {
    if (typeof forward !== 'function')
      throw new TypeError(
        `${fn}(options.forward): expected a function, received ${describe(forward)}`,
      );
    f = forward as typeof f;
  }
  if (parameters !== undefined) {
    if (Array.isArray(parameters))
      checkDense(parameters, `${fn}(options.parameters)`, 'parameters');
    if (!Array.isArray(parameters) || !parameters.every((p) => p instanceof Value)) {
      throw new TypeError(
        `${fn}(options.parameters): expected an array of Values, received ${describe(parameters)}`,
      );
    }
    params = [...params, ...parameters];
  }
  return {
    forward: (x) => {
      const out = f(x);
      if (out instanceof Value) return [out];
      if (Array.isArray(out) && allValues(out)) return out;
      throw new TypeError(
        `${fn}: the forward pass must return a Value or an array of Values, it returned ${describe(out)}`,
      );
    },
    parameters: params,
    nin,
  };
}

function allValues(list: readonly unknown[]): list is Value[] {
  for (let i = 0; i < list.length; i++) if (!(list[i] instanceof Value)) return false;
  return true;
}
