/** `Layer`: `nout` neurons reading the same input. */
import type { Value } from '@ag/core';
import { checkActivation, type Activation } from './activation.js';
import {
  checkInteger,
  checkKnownKeys,
  checkOptions,
  checkParameterCount,
} from './argument-checks.js';
import type { InitScheme } from './init.js';
import { asInputValues, checkInput, Module, type ModuleEntry } from './module.js';
import { Neuron, resolveInit } from './neuron.js';
import type { Random } from './random.js';

/** The options of `new Layer`. */
export interface LayerOptions {
  /** Applied by every neuron (default `relu`, as micrograd). */
  activation?: Activation;
  /** How the weights are drawn (default `uniform`). */
  init?: InitScheme;
  /** Source of the initial weights (default `seededRandom()`, seed 1337). */
  random?: Random;
}

/**
 * A fully connected layer: `nout` neurons, each reading all `nin` inputs, so
 * output j is act(w_j · x + b_j).
 *
 * @example
 * const layer = new Layer(3, 4, { activation: 'tanh' });
 * const outputs = layer.forward([0.5, -1, 2]); // 4 Values
 */
export class Layer extends Module {
  /** The neurons, one per output, in order. */
  readonly neurons: Neuron[];
  /** The activation every neuron applies. */
  readonly activation: Activation;

  /**
   * A fully connected layer, `nin` inputs to `nout` outputs.
   *
   * @example
   * const layer = new Layer(2, 3, { activation: 'tanh', random: seededRandom(7) });
   * const [a, b, c] = layer.forward([1, 2]);
   */
  constructor(nin: number, nout: number, options?: LayerOptions) {
    super();
    checkInteger(nin, 'new Layer(nin)', 1);
    checkInteger(nout, 'new Layer(nin, nout)', 1);
    const o = checkOptions(options, 'new Layer(nin, nout, options)');
    checkKnownKeys(o, 'new Layer(nin, nout, options)', ['activation', 'init', 'random']);
    this.activation =
      o.activation === undefined
        ? 'relu'
        : checkActivation(o.activation, 'new Layer(options.activation)');
    checkParameterCount((nin + 1) * nout, 'new Layer(nin, nout)', `(${nin} + 1) × ${nout}`);
    const { init, random } = resolveInit(o, 'new Layer');
    this.neurons = [];
    for (let i = 0; i < nout; i++) {
      this.neurons.push(
        new Neuron(nin, { activation: this.activation, init, random, fanOut: nout }),
      );
    }
    this.labelParameters();
  }

  /** The number of inputs. */
  get nin(): number {
    return (this.neurons[0] as Neuron).nin;
  }

  /** The number of outputs (neurons). */
  get nout(): number {
    return this.neurons.length;
  }

  protected entries(): readonly ModuleEntry[] {
    return this.neurons.map((n, i) => [`neurons.${i}`, n] as const);
  }

  /**
   * Every neuron's output, in order.
   *
   * @example
   * const outputs = layer.forward([1, 2]);
   * outputs.length === layer.nout;
   */
  forward(x: readonly (number | Value)[]): Value[] {
    checkInput(x, this.nin, 'Layer.forward(x)');
    return this.apply(asInputValues(x, 'Layer.forward(x)'));
  }

  /**
   * @internal forward without the input check; `x` already Values. Every
   * neuron's node keeps `x` itself: the caller owns it and never changes it
   * (asInputValues makes such an array, and MLP passes each layer's output on).
   */
  apply(x: readonly Value[]): Value[] {
    const neurons = this.neurons;
    const out: Value[] = [];
    for (let i = 0; i < neurons.length; i++) out.push((neurons[i] as Neuron).apply(x));
    return out;
  }

  /**
   * The forward pass on numbers, to numbers, without a graph (see {@link Module.predict}).
   *
   * @example
   * const ys = new Layer(2, 3).predict([1, -1]); // three numbers
   */
  override predict(x: readonly number[]): number[] {
    return super.predict(x) as number[];
  }

  override toString(): string {
    return `Layer of [${this.neurons.map(String).join(', ')}]`;
  }
}
