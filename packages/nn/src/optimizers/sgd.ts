/** Stochastic gradient descent with momentum, as PyTorch's `torch.optim.SGD`. */
import type { Value } from '@ag/core';
import {
  checkBoolean,
  checkKnownKeys,
  checkNonNegative,
  checkOptions,
} from '../argument-checks.js';
import { Optimizer, type OptimizerState } from './optimizer.js';

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
  type: 'SGD';
  momentum: number;
  dampening: number;
  nesterov: boolean;
  weightDecay: number;
  stepCount: number;
  /** The momentum buffer b of each parameter; null until its first step. */
  momentumBuffer: (number | null)[];
}

const KEYS = ['lr', 'momentum', 'dampening', 'nesterov', 'weightDecay'];

export class SGD extends Optimizer {
  #h: SGDHyper;
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
  constructor(params: readonly Value[], options?: SGDOptions) {
    const o = checkOptions(options, 'new SGD(params, options)');
    checkKnownKeys(o, 'new SGD(params, options)', KEYS);
    super(params, o.lr === undefined ? 1e-3 : (o.lr as number), 'SGD');
    this.#h = checkHyper(o, 'new SGD(options');
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

  protected compute(next: Float64Array): void {
    const params = this.params;
    const lr = this.lr;
    const { momentum: mu, dampening, nesterov, weightDecay } = this.#h;
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
    };
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
    this.lr = s.lr as number;
    this.stepCount = s.stepCount as number;
    this.#h = h;
    this.#buffer = buffer;
  }
}

interface SGDHyper {
  momentum: number;
  dampening: number;
  nesterov: boolean;
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
