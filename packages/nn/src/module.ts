/**
 * `Module`: something that owns parameters. It knows nothing of optimizers or
 * losses (as torch.nn): it lists its parameters, zeroes their gradients and
 * saves/loads their numbers.
 */
import { noGrad, Value } from '@ag/core';
import { checkDense, describe, holeError } from './argument-checks.js';

/** A parameter tensor as a module holds it: a scalar, a vector or a matrix of `Value`s. */
export type ParameterTensor = Value | readonly Value[] | readonly (readonly Value[])[];

/** A tensor as saved: the `data` of a {@link ParameterTensor}, same shape. */
export type StateTensor = number | number[] | number[][];

/** Plain JSON: tensor name → numbers, e.g. `{ 'layers.0.neurons.0.w': [0.1, -0.3], ... }`. */
export type StateDict = Record<string, StateTensor>;

/** What a module lists: its own tensors and its sub-modules, each under a name. */
export type ModuleEntry = readonly [name: string, item: ParameterTensor | Module];

/** A model's forward pass as `fit` and `evaluate` need it. */
export interface Model {
  /** The model's output for one sample: a `Value`, or one per output. */
  forward(x: readonly (number | Value)[]): Value | readonly Value[];
  /** The trainable parameters, whose gradients `fit` zeroes and the optimizer moves. */
  parameters(): Value[];
}

/**
 * The base of every layer and model: lists its named tensors and sub-modules
 * (`entries`), and from them gives the parameters, zeroes their gradients and
 * saves or loads their numbers. Subclasses define `entries` and `forward`.
 *
 * @example
 * const model: Module = new MLP(2, [8, 1]);
 * model.zeroGrad();
 * const saved = model.stateDict();
 */
export abstract class Module {
  /**
   * The module's tensors and sub-modules in a fixed order, each with a name
   * (sub-modules' names become prefixes: `layers.0.neurons.3.w`).
   */
  protected abstract entries(): readonly ModuleEntry[];

  /** The forward pass. */
  abstract forward(x: readonly (number | Value)[]): Value | Value[];

  /**
   * The forward pass on plain numbers, to plain numbers: run under `noGrad`,
   * so no graph is kept; the same numbers as `forward(x)`'s `data`, bit for bit.
   * Each module narrows the result (`Neuron`: a number; the others: an array).
   *
   * @example
   * const [score] = model.predict([0.5, -1.2]);
   */
  predict(x: readonly number[]): number | number[] {
    const where = `${this.constructor.name}.predict(x)`;
    if (!Array.isArray(x))
      throw new TypeError(`${where}: expected an array of numbers, received ${describe(x)}`);
    for (let i = 0; i < x.length; i++) {
      const xi: unknown = x[i];
      if (typeof xi !== 'number') {
        if (!(i in x)) throw holeError(where, 'x', i);
        throw new TypeError(`${where}: expected x[${i}] to be a number, received ${describe(xi)}`);
      }
    }
    const out = noGrad(() => this.forward(x));
    if (out instanceof Value) return out.data;
    const numbers = new Array<number>(out.length);
    for (let i = 0; i < out.length; i++) numbers[i] = (out[i] as Value).data;
    return numbers;
  }

  /**
   * Every tensor under its dotted name, sub-modules included, in a fixed order.
   *
   * @example
   * new Neuron(2).namedTensors(); // [['w', [w0, w1]], ['b', b]]
   */
  namedTensors(): [string, ParameterTensor][] {
    const out: [string, ParameterTensor][] = [];
    this.walkTensors(true, (name, tensor) => out.push([name, tensor]));
    return out;
  }

  /**
   * Visits every tensor, depth-first in declaration order, over an explicit
   * stack of frames so that deep nestings stay off the call stack (DESIGN: no
   * recursion); with `named`, under its dotted name, else under ''.
   */
  private walkTensors(
    named: boolean,
    visit: (name: string, tensor: ParameterTensor) => void,
  ): void {
    const stack: { prefix: string; entries: readonly ModuleEntry[]; next: number }[] = [
      { prefix: '', entries: this.entries(), next: 0 },
    ];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as (typeof stack)[number];
      if (frame.next === frame.entries.length) {
        stack.pop();
        continue;
      }
      const [name, item] = frame.entries[frame.next++] as ModuleEntry;
      if (item instanceof Module)
        stack.push({
          prefix: named ? `${frame.prefix}${name}.` : '',
          entries: item.entries(),
          next: 0,
        });
      else visit(named ? frame.prefix + name : '', item);
    }
  }

  /**
   * Every scalar parameter under its dotted name; vector and matrix entries get
   * their indices appended (`w.0`, `weight.1.0`).
   *
   * @example
   * const [[name, w0]] = new Neuron(2).namedParameters(); // name === 'w.0'
   */
  namedParameters(): [string, Value][] {
    const out: [string, Value][] = [];
    for (const [name, tensor] of this.namedTensors()) {
      if (tensor instanceof Value) {
        out.push([name, tensor]);
        continue;
      }
      tensor.forEach((row, i) => {
        if (row instanceof Value) out.push([`${name}.${i}`, row]);
        else row.forEach((v, j) => out.push([`${name}.${i}.${j}`, v]));
      });
    }
    return out;
  }

  /**
   * Every parameter, in the order of {@link namedParameters}; hand them to an optimizer.
   *
   * @example
   * const optimizer = new SGD(model.parameters(), { lr: 0.05 });
   */
  parameters(): Value[] {
    // A subclass that lists its parameters its own way is followed.
    if (
      this.namedParameters !== Module.prototype.namedParameters ||
      this.namedTensors !== Module.prototype.namedTensors
    )
      return this.namedParameters().map(([, p]) => p);
    // Without names: a training loop that asks every step builds no strings.
    // forEach, as namedParameters: a hole in a tensor is passed over alike.
    const out: Value[] = [];
    this.walkTensors(false, (_, tensor) => {
      if (tensor instanceof Value) out.push(tensor);
      else
        tensor.forEach((row) => {
          if (row instanceof Value) out.push(row);
          else row.forEach((v) => out.push(v));
        });
    });
    return out;
  }

  /** The number of scalar parameters. */
  get numParameters(): number {
    return this.parameters().length;
  }

  /** Alias of {@link numParameters}. */
  get parameterCount(): number {
    return this.numParameters;
  }

  /**
   * Sets every parameter's gradient to 0 (grads accumulate across `backward()` calls).
   *
   * @example
   * model.zeroGrad();
   * loss.backward();
   */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }

  /**
   * Labels every parameter with its dotted name (for `toDot` and error messages),
   * prefixed by `prefix`.
   */
  protected labelParameters(prefix = ''): void {
    for (const [name, p] of this.namedParameters()) p.label = prefix + name;
  }

  /**
   * The parameters' numbers as plain JSON, tensor by tensor.
   *
   * @example
   * const saved = JSON.stringify(model.stateDict());
   * other.loadStateDict(JSON.parse(saved));
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, tensor] of this.namedTensors()) {
      if (tensor instanceof Value) out[name] = tensor.data;
      else
        out[name] = tensor.map((row) =>
          row instanceof Value ? row.data : row.map((v) => v.data),
        ) as number[] | number[][];
    }
    return out;
  }

  /**
   * Loads numbers saved by {@link stateDict}. Every name, shape and number is
   * checked first (same names, no extra ones, same shapes, finite numbers); on any
   * error it throws and no parameter changes. Gradients are left as they are.
   *
   * @example
   * model.loadStateDict(JSON.parse(text));
   */
  loadStateDict(state: unknown): void {
    const where = `${this.constructor.name}.loadStateDict(state)`;
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      throw new TypeError(
        `${where}: expected a plain object of tensors, received ${describe(state)}`,
      );
    }
    const record = state as Record<string, unknown>;
    const tensors = this.namedTensors();
    const expected = new Set(tensors.map(([name]) => name));
    for (const key of Object.keys(record)) {
      if (!expected.has(key))
        throw new RangeError(
          `${where}: unexpected tensor '${key}' (this model has no such parameter)`,
        );
    }
    // Stage every assignment, then apply them only once all have been checked.
    const targets: Value[] = [];
    const numbers: number[] = [];
    const take = (v: Value, x: unknown, path: string): void => {
      // A frozen (Object.freeze) or read-only parameter would throw midway
      // through the writes below: it is found here, before anything is written.
      if (!isWritable(v))
        throw new TypeError(
          `${where}: '${path}' cannot be written (the parameter Value is frozen or its data read-only)`,
        );
      if (typeof x !== 'number')
        throw new TypeError(`${where}: '${path}' must be a number, received ${describe(x)}`);
      if (!Number.isFinite(x))
        throw new RangeError(`${where}: '${path}' must be finite, received ${x}`);
      targets.push(v);
      numbers.push(x);
    };
    const row = (vs: readonly Value[], x: unknown, path: string): void => {
      if (!Array.isArray(x) || x.length !== vs.length) {
        throw new RangeError(
          `${where}: '${path}' must be an array of length ${vs.length}, received ${describe(x)}`,
        );
      }
      checkDense(x, where, `'${path}'`);
      vs.forEach((v, i) => take(v, (x as unknown[])[i], `${path}[${i}]`));
    };
    for (const [name, tensor] of tensors) {
      if (!(name in record)) throw new RangeError(`${where}: missing tensor '${name}'`);
      const x = record[name];
      if (tensor instanceof Value) take(tensor, x, name);
      else if (tensor.length === 0 || tensor[0] instanceof Value)
        row(tensor as readonly Value[], x, name);
      else {
        const rows = tensor as readonly (readonly Value[])[];
        if (!Array.isArray(x) || x.length !== rows.length) {
          throw new RangeError(
            `${where}: '${name}' must be an array of ${rows.length} rows, received ${describe(x)}`,
          );
        }
        checkDense(x, where, `'${name}'`);
        rows.forEach((r, i) => row(r, (x as unknown[])[i], `${name}[${i}]`));
      }
    }
    for (let i = 0; i < targets.length; i++) (targets[i] as Value).data = numbers[i] as number;
  }
}

/** Whether assigning `v.data` succeeds: false for a frozen Value or a read-only `data`. */
function isWritable(v: Value): boolean {
  const d = Object.getOwnPropertyDescriptor(v, 'data');
  if (d === undefined) return Object.isExtensible(v);
  return 'value' in d ? d.writable === true : d.set !== undefined;
}

/** Checks a model input: an array of `nin` entries, each a number or a `Value`. */
export function checkInput(x: unknown, nin: number, where: string): readonly (number | Value)[] {
  if (!Array.isArray(x))
    throw new TypeError(
      `${where}: expected x to be an array of ${nin} numbers or Values, received ${describe(x)}`,
    );
  if (x.length !== nin) {
    throw new RangeError(
      `${where}: expected x of length ${nin} (the model's nin), received length ${x.length}`,
    );
  }
  // Checked here, so a bad element is reported by the forward the caller used
  // rather than by the `dot` inside it.
  for (let i = 0; i < nin; i++) {
    const xi: unknown = x[i];
    if (typeof xi !== 'number' && !(xi instanceof Value)) {
      if (!(i in x)) throw holeError(where, 'x', i);
      throw new TypeError(
        `${where}: expected x[${i}] to be a number or a Value, received ${describe(xi)}`,
      );
    }
  }
  return x as readonly (number | Value)[];
}

/**
 * The input as `Value`s, numbers turned into constants (leaves that need no
 * gradient) once, so a layer's neurons share them rather than each `affine`
 * making its own; the same numbers reach every product. Always a new array,
 * which the caller's later changes to `x` do not reach: the nodes built from
 * it keep it (`affine` of `@ag/core`).
 */
export function asInputValues(x: readonly (number | Value)[], where: string): readonly Value[] {
  const out = new Array<Value>(x.length);
  for (let i = 0; i < x.length; i++) {
    const xi: unknown = x[i];
    if (xi instanceof Value) {
      out[i] = xi;
    } else if (typeof xi === 'number') {
      const c = new Value(xi);
      c.requiresGrad = false;
      out[i] = c;
    } else {
      throw new TypeError(
        `${where}: expected x[${i}] to be a number or a Value, received ${describe(xi)}`,
      );
    }
  }
  return out;
}
