/** Stochastic gradient descent with momentum, as PyTorch's `torch.optim.SGD`. */
import type { Value } from '@ag/core';
import {
  checkBoolean,
  checkKnownKeys,
  describe,
  checkNonNegative,
  checkOptions,
} from '../argument-checks.js';
import { Optimizer, type OptimizerState, type ParamGroup } from './optimizer.js';

/** The options of `new SGD`; a parameter group may override any of them. */
export interface SGDOptions {
  /** Learning rate (default 1e-3, as PyTorch). */
  lr?: number;
  /** Momentum factor μ (default 0). */
  momentum?: number;
  /** Dampening τ of the momentum (default 0). */
  dampening?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov?: boolean;
  /** L2 weight decay λ added to the gradient (default 0). */
  weightDecay?: number;
}

export interface SGDState extends OptimizerState {
  /** Always `'SGD'`. */
  type: 'SGD';
  /** Momentum factor μ. */
  momentum: number;
  /** Dampening τ of the momentum. */
  dampening: number;
  /** Whether the momentum is Nesterov's. */
  nesterov: boolean;
  /** L2 weight decay λ. */
  weightDecay: number;
  /** Steps taken so far. */
  stepCount: number;
  /** The momentum buffer b of each parameter; null until its first step. */
  momentumBuffer: (number | null)[];
  /** With parameter groups: each group's size and hyperparameters (its own `lr` if it has one). */
  paramGroups?: SGDGroupState[];
}

/** A parameter group as saved: how many parameters it holds and its hyperparameters. */
export interface SGDGroupState extends SGDHyper {
  /** The number of parameters in the group (its slice of the flat state). */
  size: number;
  /** The group's own learning rate, when it has one. */
  lr?: number;
}

const KEYS = ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay'];

/**
 * Stochastic gradient descent, with optional momentum, dampening, Nesterov
 * momentum and L2 weight decay, as PyTorch's `torch.optim.SGD`.
 *
 * @example
 * const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * optimizer.zeroGrad();
 * optimizer.step();
 */
export class SGD extends Optimizer {
  /** The defaults (the options), and each group's hyperparameters. */
  #h: SGDHyper;
  #groups: SGDHyper[];
  #buffer: (number | null)[];
  /** Where a step computes the new buffers (swapped in on commit). */
  #spare: (number | null)[];

  /**
   * PyTorch's rule, per parameter p with gradient ∇:
   *   g = ∇ + λ·p;
   *   if μ ≠ 0: b = g at the first step, else b = μ·b + (1 − τ)·g;
   *             g = g + μ·b with Nesterov, else g = b;
   *   p = p − lr·g.
   *
   * @example
   * const optimizer = new SGD(model.parameters(), { lr: 0.02 });
   * optimizer.step();
   */
  constructor(params: readonly Value[] | readonly ParamGroup<SGDOptions>[], options?: SGDOptions) {
    const o = checkOptions(options, 'new SGD(params, options)');
    checkKnownKeys(o, 'new SGD(params, options)', KEYS);
    super(params, o.lr === undefined ? 1e-3 : (o.lr as number), 'SGD', KEYS);
    this.#h = checkHyper(o, 'new SGD(options');
    this.#groups = this.groupOptions.map((g, k) =>
      this.groupCount === 1 && Object.keys(g).length === 0
        ? this.#h
        : checkHyper({ ...o, ...g }, `new SGD(params[${k}]`),
    );
    this.#buffer = this.params.map(() => null);
    this.#spare = this.params.map(() => null);
  }

  get name(): string {
    return 'SGD';
  }

  /** Momentum factor μ. */
  get momentum(): number {
    return this.#h.momentum;
  }
  /** Dampening τ. */
  get dampening(): number {
    return this.#h.dampening;
  }
  /** Whether the momentum is Nesterov's. */
  get nesterov(): boolean {
    return this.#h.nesterov;
  }
  /** L2 weight decay λ. */
  get weightDecay(): number {
    return this.#h.weightDecay;
  }

  /** Whether a group's hyperparameters or learning rate differ from the options'. */
  get grouped(): boolean {
    return this.groupCount > 1 || this.#groups[0] !== this.#h || this.groupLr(0) !== this.lr;
  }

  protected compute(next: Float64Array): void {
    const params = this.params;
    const groupOf = this.groupOf;
    const groups = this.#groups;
    // The buffers in use stay untouched until commit(); the new ones go to the spare.
    const prevBuffer = this.#buffer;
    const buffer = this.#spare;
    for (let i = 0; i < params.length; i++) {
      const p = params[i] as Value;
      const data = p.data;
      const prev = prevBuffer[i] as number | null;
      buffer[i] = prev;
      if (!p.requiresGrad) {
        next[i] = data;
        continue;
      }
      const k = groupOf[i] as number;
      const { momentum: mu, dampening, nesterov, weightDecay } = groups[k] as SGDHyper;
      const lr = this.groupLr(k);
      let g = p.grad;
      if (weightDecay !== 0) g = g + weightDecay * data;
      if (mu !== 0) {
        const b = prev === null ? g : mu * prev + (1 - dampening) * g;
        buffer[i] = b;
        g = nesterov ? g + mu * b : b;
      }
      next[i] = data - lr * g;
    }
  }

  protected commit(): void {
    const used = this.#buffer;
    this.#buffer = this.#spare;
    this.#spare = used;
  }

  /**
   * Hyperparameters, step count and momentum buffers as plain JSON.
   *
   * @example
   * const saved = optimizer.stateDict();
   * other.loadStateDict(saved);
   */
  stateDict(): SGDState {
    return {
      type: 'SGD',
      lr: this.lr,
      momentum: this.momentum,
      dampening: this.dampening,
      nesterov: this.nesterov,
      weightDecay: this.weightDecay,
      stepCount: this.stepCount,
      momentumBuffer: this.#buffer.slice(),
      ...(this.grouped ? { paramGroups: this.#groupStates() } : {}),
    };
  }

  #groupStates(): SGDGroupState[] {
    const sizes = new Array<number>(this.groupCount).fill(0);
    for (const k of this.groupOf) sizes[k]! += 1;
    return this.#groups.map((h, k) => {
      const lr = this.groupOptions[k]?.lr;
      return {
        size: sizes[k] as number,
        ...h,
        ...(lr === undefined ? {} : { lr: this.groupLr(k) }),
      };
    });
  }

  /**
   * Restores {@link stateDict}; checks everything first, changes nothing on error.
   *
   * @example
   * optimizer.loadStateDict(JSON.parse(text));
   */
  loadStateDict(state: unknown): void {
    const s = this.checkState(state);
    const h = checkHyper(s, 'SGD.loadStateDict(state');
    const buffer = this.checkVector(s.momentumBuffer, 'momentumBuffer', true);
    const saved = s.paramGroups;
    let groups: SGDHyper[];
    if (saved === undefined) {
      if (this.grouped)
        throw new RangeError(
          `SGD.loadStateDict(state.paramGroups): this optimizer has parameter groups, the state has none`,
        );
      groups = [h];
    } else {
      const mine = this.#groupStates();
      if (!Array.isArray(saved) || saved.length !== mine.length)
        throw new RangeError(
          `SGD.loadStateDict(state.paramGroups): expected ${mine.length} groups, received ${describe(saved)}`,
        );
      groups = saved.map((g: unknown, k) => {
        const where = `SGD.loadStateDict(state.paramGroups[${k}]`;
        if (typeof g !== 'object' || g === null || (g as SGDGroupState).size !== mine[k]!.size)
          throw new RangeError(`${where}): expected a group of ${mine[k]!.size} parameters`);
        if (
          ((g as SGDGroupState).lr === undefined) !== (mine[k]!.lr === undefined) ||
          ((g as SGDGroupState).lr !== undefined && (g as SGDGroupState).lr !== mine[k]!.lr)
        )
          throw new RangeError(`${where}.lr): expected the group's own lr ${String(mine[k]!.lr)}`);
        return checkHyper(g as Record<string, unknown>, where);
      });
    }
    this.lr = s.lr as number;
    this.stepCount = s.stepCount as number;
    this.#h = h;
    this.#groups = saved === undefined ? [h] : groups;
    this.#buffer = buffer;
  }
}

export interface SGDHyper {
  /** Momentum factor μ. */
  momentum: number;
  /** Dampening τ of the momentum. */
  dampening: number;
  /** Whether the momentum is Nesterov's. */
  nesterov: boolean;
  /** L2 weight decay λ. */
  weightDecay: number;
}

function checkHyper(o: Record<string, unknown>, where: string): SGDHyper {
  const momentum =
    o.momentum === undefined ? 0 : checkNonNegative(o.momentum, `${where}.momentum)`);
  const dampening =
    o.dampening === undefined ? 0 : checkNonNegative(o.dampening, `${where}.dampening)`);
  const nesterov =
    o.nesterov === undefined ? false : checkBoolean(o.nesterov, `${where}.nesterov)`);
  const weightDecay =
    o.weightDecay === undefined ? 0 : checkNonNegative(o.weightDecay, `${where}.weightDecay)`);
  if (nesterov && (momentum <= 0 || dampening !== 0)) {
    throw new RangeError(
      `${where}.nesterov): Nesterov momentum needs momentum > 0 and dampening 0, received momentum ${momentum} and dampening ${dampening}`,
    );
  }
  return { momentum, dampening, nesterov, weightDecay };
}
