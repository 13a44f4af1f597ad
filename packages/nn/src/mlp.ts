/** `MLP`: layers in sequence, as micrograd's `MLP(nin, nouts)`. */
import type { Value } from '@ag/core';
import { checkActivation, type Activation } from './activation.js';
import {
  checkDense,
  checkInteger,
  checkKnownKeys,
  checkOptions,
  checkParameterCount,
  describe,
} from './argument-checks.js';
import type { InitScheme } from './init.js';
import { Layer } from './layer.js';
import { asInputValues, checkInput, Module, type ModuleEntry } from './module.js';
import { resolveInit } from './neuron.js';
import type { Random } from './random.js';

/** The options of `new MLP`. */
export interface MLPOptions {
  /**
   * Activation of the hidden layers: one name for all, or one per hidden layer
   * (`sizes.length − 1` names). Default `relu`, as micrograd; `linear` gives the
   * notebook's network "without any activation function".
   */
  activation?: Activation | readonly Activation[];
  /** Activation of the last layer (default `linear`, as micrograd). */
  outputActivation?: Activation;
  /** How the weights are drawn (default `uniform`: U(−1, 1)). */
  init?: InitScheme;
  /** Source of the initial weights (default `seededRandom()`, seed 1337). */
  random?: Random;
}

/**
 * A multi-layer perceptron: fully connected layers in sequence, each feeding the
 * next; hidden layers apply `activation`, the last `outputActivation`.
 *
 * @example
 * const model = new MLP(3, [4, 4, 1], { activation: 'tanh' });
 * const [score] = model.forward([2, 3, -1]);
 */
export class MLP extends Module {
  /** The layers, input side first. */
  readonly layers: Layer[];

  /**
   * A multi-layer perceptron: `nin` inputs, then one layer per entry of `sizes`.
   *
   * @example
   * const model = new MLP(2, [16, 16, 1], { random: seededRandom(1337) });
   * const [score] = model.forward([0.5, -0.2]);
   */
  constructor(nin: number, sizes: readonly number[], options?: MLPOptions) {
    super();
    checkInteger(nin, 'new MLP(nin)', 1);
    const list: unknown = sizes;
    if (!Array.isArray(list) || list.length === 0) {
      throw new RangeError(
        `new MLP(nin, sizes): expected a non-empty array of layer widths, received ${describe(sizes)}`,
      );
    }
    checkDense(list, 'new MLP(nin, sizes)', 'sizes');
    sizes.forEach((s, i) => checkInteger(s, `new MLP(nin, sizes[${i}])`, 1));
    const o = checkOptions(options, 'new MLP(nin, sizes, options)');
    checkKnownKeys(o, 'new MLP(nin, sizes, options)', [
      'activation',
      'outputActivation',
      'init',
      'random',
    ]);
    const hidden = sizes.length - 1;
    let activations: Activation[];
    if (Array.isArray(o.activation)) {
      checkDense(o.activation, 'new MLP(options.activation)', 'activation');
      if (o.activation.length !== hidden) {
        throw new RangeError(
          `new MLP(options.activation): expected ${hidden} activations (one per hidden layer), received ${o.activation.length}`,
        );
      }
      activations = (o.activation as unknown[]).map((a, i) =>
        checkActivation(a, `new MLP(options.activation[${i}])`),
      );
    } else {
      const a =
        o.activation === undefined
          ? 'relu'
          : checkActivation(o.activation, 'new MLP(options.activation)');
      activations = Array.from({ length: hidden }, () => a);
    }
    activations.push(
      o.outputActivation === undefined
        ? 'linear'
        : checkActivation(o.outputActivation, 'new MLP(options.outputActivation)'),
    );
    const widths = [nin, ...sizes];
    let count = 0;
    for (let i = 0; i < sizes.length; i++)
      count += ((widths[i] as number) + 1) * (widths[i + 1] as number);
    checkParameterCount(count, 'new MLP(nin, sizes)', `[${widths.join(', ')}]`);
    const { init, random } = resolveInit(o, 'new MLP');
    this.layers = sizes.map(
      (nout, i) =>
        new Layer(widths[i] as number, nout, {
          activation: activations[i] as Activation,
          init,
          random,
        }),
    );
    this.labelParameters();
  }

  /** The number of inputs (of the first layer). */
  get nin(): number {
    return (this.layers[0] as Layer).nin;
  }

  /** The number of outputs (of the last layer). */
  get nout(): number {
    return (this.layers[this.layers.length - 1] as Layer).nout;
  }

  protected entries(): readonly ModuleEntry[] {
    return this.layers.map((l, i) => [`layers.${i}`, l] as const);
  }

  /**
   * The last layer's outputs (an array even when it has one neuron).
   *
   * @example
   * const [score] = model.forward([0.5, -0.2]);
   * score.backward();
   */
  forward(x: readonly (number | Value)[]): Value[] {
    checkInput(x, this.nin, 'MLP.forward(x)');
    // Numbers become constants once, shared by the first layer's neurons.
    let h = asInputValues(x, 'MLP.forward(x)');
    const layers = this.layers;
    for (let i = 0; i < layers.length; i++) h = (layers[i] as Layer).apply(h);
    return h as Value[];
  }

  /**
   * The forward pass on numbers, to numbers, without a graph (see {@link Module.predict}).
   *
   * @example
   * const [score] = new MLP(2, [16, 1]).predict([0.5, -1.2]);
   */
  override predict(x: readonly number[]): number[] {
    return super.predict(x) as number[];
  }

  override toString(): string {
    return `MLP of [${this.layers.map(String).join(', ')}]`;
  }
}
