/**
 * `Linear`: y = W·x + c, PyTorch's shapes (weight nout × nin, bias nout). The
 * notebook's `y = m·x + c` is `new Linear(1, 1)`, with m = weight[0][0] and
 * c = bias[0].
 */
import { affine, Value } from '@ag/core';
import {
  checkInteger,
  checkKnownKeys,
  checkOptions,
  checkParameterCount,
} from './argument-checks.js';
import { drawWeight, initBound, type InitScheme } from './init.js';
import { asInputValues, checkInput, Module, type ModuleEntry } from './module.js';
import { resolveInit } from './neuron.js';
import type { Random } from './random.js';

/** The options of `new Linear`. */
export interface LinearOptions {
  /** How the weights are drawn (default `uniform`: U(−1, 1)); the bias starts at 0. */
  init?: InitScheme;
  /** Source of the initial weights (default `seededRandom()`, seed 1337). */
  random?: Random;
}

/**
 * A linear (affine) map without activation: output o is Σᵢ weight[o][i]·xᵢ + bias[o].
 *
 * @example
 * const model = new Linear(3, 2, { init: 'xavier' });
 * const [y0, y1] = model.forward([1, 0, -1]);
 */
export class Linear extends Module {
  /** weight[o][i] multiplies input i for output o (frozen rows: the graphs share them). */
  readonly weight: readonly (readonly Value[])[];
  /** bias[o] is added to output o (starts at 0). */
  readonly bias: readonly Value[];
  /** Per output, its weights then its bias, for `affine` (kept by the nodes, never changed). */
  private readonly rows: readonly (readonly Value[])[];

  /**
   * A linear map from `nin` inputs to `nout` outputs.
   *
   * @example
   * const model = new Linear(1, 1); // y = m·x + c
   * model.loadStateDict({ weight: [[0]], bias: [5] }); // m = 0, c = 5
   */
  constructor(nin: number, nout: number, options?: LinearOptions) {
    super();
    checkInteger(nin, 'new Linear(nin)', 1);
    checkInteger(nout, 'new Linear(nin, nout)', 1);
    const o = checkOptions(options, 'new Linear(nin, nout, options)');
    checkKnownKeys(o, 'new Linear(nin, nout, options)', ['init', 'random']);
    checkParameterCount((nin + 1) * nout, 'new Linear(nin, nout)', `(${nin} + 1) × ${nout}`);
    const { init, random } = resolveInit(o, 'new Linear');
    const bound = initBound(init, nin, nout);
    const weight: (readonly Value[])[] = [];
    for (let r = 0; r < nout; r++) {
      const row: Value[] = [];
      for (let i = 0; i < nin; i++)
        row.push(new Value(drawWeight(random, bound, 'new Linear(options.random)')));
      weight.push(Object.freeze(row));
    }
    this.weight = Object.freeze(weight);
    const bias = Array.from({ length: nout }, () => new Value(0));
    this.bias = Object.freeze(bias);
    this.rows = weight.map((row, o) => [...row, bias[o] as Value]);
    this.labelParameters();
  }

  /** The number of inputs. */
  get nin(): number {
    return (this.weight[0] as Value[]).length;
  }

  /** The number of outputs. */
  get nout(): number {
    return this.weight.length;
  }

  protected entries(): readonly ModuleEntry[] {
    return [
      ['weight', this.weight],
      ['bias', this.bias],
    ];
  }

  /**
   * [W₀·x + c₀, W₁·x + c₁, …], one `dot` node per output.
   *
   * @example
   * const [y] = new Linear(1, 1).forward([2]);
   * y.backward();
   */
  forward(x: readonly (number | Value)[]): Value[] {
    checkInput(x, this.nin, 'Linear.forward(x)');
    const rows = this.rows;
    // The nodes keep their input array, so they must get one nobody changes:
    // a new one, with numbers made constants once for every row.
    const xs = asInputValues(x, 'Linear.forward(x)');
    const out: Value[] = [];
    for (let o = 0; o < rows.length; o++) out.push(affine(rows[o] as readonly Value[], xs));
    return out;
  }

  /**
   * The forward pass on numbers, to numbers, without a graph (see {@link Module.predict}).
   *
   * @example
   * const [y] = new Linear(1, 1).predict([2]); // m·2 + c
   */
  override predict(x: readonly number[]): number[] {
    return super.predict(x) as number[];
  }

  override toString(): string {
    return `Linear(${this.nin}, ${this.nout})`;
  }
}
