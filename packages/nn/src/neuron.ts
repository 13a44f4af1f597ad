/** `Neuron`: act(w·x + b), one `dot` node (plus one activation node). */
import { affine, Value } from '@ag/core';
import { activate, checkActivation, type Activation } from './activation.js';
import {
  checkInteger,
  checkKnownKeys,
  checkOptions,
  checkParameterCount,
} from './argument-checks.js';
import { checkInit, drawWeight, initBound, type InitScheme } from './init.js';
import { checkInput, Module, type ModuleEntry } from './module.js';
import { checkRandom, seededRandom, type Random } from './random.js';

/** The options of `new Neuron`. */
export interface NeuronOptions {
  /** Applied to w·x + b (default `relu`, as micrograd's `nonlin=True`). */
  activation?: Activation;
  /** How the weights are drawn (default `uniform`: U(−1, 1), as micrograd). */
  init?: InitScheme;
  /** Source of the initial weights (default `seededRandom()`, seed 1337: deterministic). */
  random?: Random;
  /** Fan-out used by `xavier` (default 1; a `Layer` passes its width). */
  fanOut?: number;
}

const NEURON_KEYS = ['activation', 'init', 'random', 'fanOut'];

/** Options as Neuron, Layer and MLP resolve them once. */
export interface ResolvedInit {
  init: InitScheme;
  random: Random;
}

export function resolveInit(o: Record<string, unknown>, where: string): ResolvedInit {
  return {
    init: o.init === undefined ? 'uniform' : checkInit(o.init, `${where}(options.init)`),
    random:
      o.random === undefined ? seededRandom() : checkRandom(o.random, `${where}(options.random)`),
  };
}

/**
 * One neuron: act(w·x + b), with a weight per input and a bias.
 *
 * @example
 * const n = new Neuron(3, { activation: 'linear' });
 * const y = n.forward([1, 2, 3]); // w·x + b, one Value
 */
export class Neuron extends Module {
  /** The weights, one per input (frozen: they and `b` are fixed at construction). */
  readonly w: readonly Value[];
  /** The bias (starts at 0). */
  readonly b: Value;
  /** The activation applied to w·x + b. */
  readonly activation: Activation;
  /** w then b: every `affine` node of this neuron keeps this array, never changed. */
  private readonly wb: readonly Value[];

  /**
   * A neuron with `nin` inputs.
   *
   * @example
   * const n = new Neuron(2, { activation: 'tanh', random: seededRandom(1) });
   * const y = n.forward([1, -2]);
   */
  constructor(nin: number, options?: NeuronOptions) {
    super();
    checkInteger(nin, 'new Neuron(nin)', 1);
    const o = checkOptions(options, 'new Neuron(nin, options)');
    checkKnownKeys(o, 'new Neuron(nin, options)', NEURON_KEYS);
    this.activation =
      o.activation === undefined
        ? 'relu'
        : checkActivation(o.activation, 'new Neuron(options.activation)');
    const fanOut =
      o.fanOut === undefined ? 1 : checkInteger(o.fanOut, 'new Neuron(options.fanOut)', 1);
    checkParameterCount(nin + 1, 'new Neuron(nin)', `${nin} + 1`);
    const { init, random } = resolveInit(o, 'new Neuron');
    const bound = initBound(init, nin, fanOut);
    const w: Value[] = [];
    for (let i = 0; i < nin; i++)
      w.push(new Value(drawWeight(random, bound, 'new Neuron(options.random)')));
    this.w = Object.freeze(w);
    this.b = new Value(0);
    this.wb = [...w, this.b];
    this.labelParameters();
  }

  /** The number of inputs. */
  get nin(): number {
    return this.w.length;
  }

  protected entries(): readonly ModuleEntry[] {
    return [
      ['w', this.w],
      ['b', this.b],
    ];
  }

  /**
   * act(w·x + b).
   *
   * @example
   * const y = neuron.forward([0.5, -1]);
   * y.backward();
   */
  forward(x: readonly (number | Value)[]): Value {
    checkInput(x, this.w.length, 'Neuron.forward(x)');
    // The node keeps its input array: give it one the caller cannot change.
    return this.apply(x.slice());
  }

  /**
   * @internal forward without the input check (the caller has checked it).
   * The node keeps `x`: the caller owns it and never changes it (Layer.apply
   * shares one such array among its neurons).
   */
  apply(x: readonly (number | Value)[]): Value {
    return activate(affine(this.wb, x), this.activation);
  }

  /**
   * The forward pass on numbers, to a number, without a graph (see {@link Module.predict}).
   *
   * @example
   * const y = new Neuron(2).predict([1, -1]); // a number
   */
  override predict(x: readonly number[]): number {
    return super.predict(x) as number;
  }

  override toString(): string {
    return `${NAMES[this.activation]}Neuron(${this.w.length})`;
  }
}

// micrograd prints ReLUNeuron(2) / LinearNeuron(2).
const NAMES: Record<Activation, string> = {
  linear: 'Linear',
  relu: 'ReLU',
  tanh: 'Tanh',
  sigmoid: 'Sigmoid',
};
