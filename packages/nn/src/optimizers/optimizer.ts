/**
 * `Optimizer`: moves a list of `Value`s against their gradients. It knows nothing
 * of modules (as torch.optim): give it any array of `Value`s.
 *
 * A step is atomic. Every gradient is checked first; the new parameters and the
 * new optimizer state are computed into scratch arrays and checked finite (the
 * state by each optimizer's `compute`, the parameters here); only then is
 * anything written. A step that throws has changed nothing.
 */
import { Value } from '@ag/core';
import {
  checkDense,
  checkInteger,
  checkKnownKeys,
  checkPositive,
  describe,
} from '../argument-checks.js';

/** An optimizer's state as plain JSON (see each optimizer for its fields). */
export interface OptimizerState {
  /** The optimizer's name (`'SGD'`, `'Adam'`, …): `loadStateDict` rejects another's state. */
  type: string;
  /** The learning rate. */
  lr: number;
  [key: string]: unknown;
}

/**
 * A parameter group, as `torch.optim`'s: its parameters and any hyperparameters
 * that differ from the optimizer's options (e.g. `weightDecay: 0` for biases).
 */
export type ParamGroup<O> = {
  /** The group's parameters (leaf `Value`s, each in one group only). */
  params: readonly Value[];
} & Omit<O, 'params'>;

/**
 * Plain gradient descent at a constant rate, as an optimizer declares it for a
 * fused loop (`fit`'s compiled online passes, `descend` of `@ag/core`): each
 * step is p ← p − lr·∂loss/∂p for every parameter in `params`, and nothing else.
 */
export interface PlainDescent {
  /** The rate of every step. */
  readonly lr: number;
  /** The parameters each step moves (those that require a gradient), in order. */
  readonly params: readonly Value[];
}

/** A saved parameter group's fields that every optimizer shares: its size and its own lr. */
export interface GroupHead {
  /** The number of parameters in the group (its slice of the flat state). */
  size: number;
  /** The group's own learning rate, when it has one. */
  lr?: number;
}

/** Names parameter i for an error message: its index and label, if it has one. */
export function paramName(params: readonly Value[], i: number): string {
  const label = (params[i] as Value).label;
  return label === undefined ? `parameter ${i}` : `parameter ${i} ('${label}')`;
}

/**
 * The base of every optimizer: keeps the parameters (flat, or in groups with
 * their own options), zeroes their gradients, and makes each `step()` atomic.
 * Subclasses compute the update and keep their state.
 *
 * @example
 * const optimizer: Optimizer = new SGD(model.parameters(), { lr: 0.05 });
 * optimizer.zeroGrad();
 * optimizer.step();
 */
export abstract class Optimizer {
  /** The parameters, in the order their state is kept. */
  readonly params: readonly Value[];
  #lr: number;
  /** Scratch for the new parameter values of a step, reused by every step. */
  #next: Float64Array;
  /** Steps taken so far. */
  stepCount = 0;
  /**
   * Per group (one group when the optimizer was given a plain array): its
   * options as given, without `params` (checked by each optimizer).
   */
  protected readonly groupOptions: readonly Record<string, unknown>[];
  /**
   * Per group k, one past its last parameter: group k holds parameters
   * groupEnd[k − 1] (0 for k = 0) to groupEnd[k] − 1, as groups are given in order.
   */
  protected readonly groupEnd: Int32Array;
  /** Per group, its own learning rate, or undefined to follow {@link lr}. */
  readonly #groupLr: (number | undefined)[];

  /**
   * Checks and keeps `params` (an array of distinct leaf `Value`s, or of
   * parameter groups whose keys are among `groupKeys`) and the learning rate
   * `lr` (> 0); `name` names the optimizer in error messages.
   */
  protected constructor(
    params: readonly Value[] | readonly ParamGroup<object>[],
    lr: number,
    name: string,
    groupKeys: readonly string[],
  ) {
    if (!Array.isArray(params)) {
      throw new TypeError(
        `new ${name}(params): expected an array of Values or of parameter groups, received ${describe(params)}`,
      );
    }
    checkDense(params, `new ${name}(params)`, 'params');
    const first: unknown = params[0];
    // Groups are objects holding `params`; anything else is checked as a parameter below.
    const grouped =
      typeof first === 'object' && first !== null && !(first instanceof Value) && 'params' in first;
    const flat: unknown[] = [];
    const groupEnd: number[] = [];
    const groupOptions: Record<string, unknown>[] = [];
    if (grouped) {
      (params as readonly unknown[]).forEach((g, k) => {
        const where = `new ${name}(params[${k}])`;
        if (typeof g !== 'object' || g === null || g instanceof Value || Array.isArray(g)) {
          throw new TypeError(
            `${where}: expected a parameter group { params, ... } like params[0], received ${describe(g)}`,
          );
        }
        const { params: ps, ...rest } = g as { params?: unknown };
        checkKnownKeys(rest, where, groupKeys);
        if (!Array.isArray(ps))
          throw new TypeError(
            `${where}.params: expected an array of Values, received ${describe(ps)}`,
          );
        checkDense(ps, `${where}.params`, `params[${k}].params`);
        for (const p of ps as unknown[]) flat.push(p);
        groupEnd.push(flat.length);
        groupOptions.push(rest);
      });
    } else {
      for (const p of params as readonly unknown[]) flat.push(p);
      groupEnd.push(flat.length);
      groupOptions.push({});
    }
    params = flat as Value[];
    if (params.length === 0)
      throw new RangeError(
        `new ${name}(params): expected at least one parameter, received an empty array`,
      );
    const seen = new Set<Value>();
    params.forEach((p, i) => {
      if (!(p instanceof Value))
        throw new TypeError(`new ${name}(params[${i}]): expected a Value, received ${describe(p)}`);
      if (!p.isLeaf) {
        throw new RangeError(
          `new ${name}(params[${i}]): expected a leaf Value (a parameter), received a node made by '${p.op}'`,
        );
      }
      if (seen.has(p))
        throw new RangeError(`new ${name}(params[${i}]): the same Value appears twice in params`);
      seen.add(p);
    });
    this.params = params.slice();
    this.#next = new Float64Array(params.length);
    this.#lr = checkPositive(lr, `new ${name}(options.lr)`);
    this.groupOptions = groupOptions;
    this.groupEnd = Int32Array.from(groupEnd);
    this.#groupLr = groupOptions.map((o, k) =>
      o.lr === undefined ? undefined : checkPositive(o.lr, `new ${name}(params[${k}].lr)`),
    );
  }

  /** The number of parameter groups (1 for a plain array of parameters). */
  get groupCount(): number {
    return this.groupOptions.length;
  }

  /**
   * The learning rate of group g: its own `lr` if it was given one, else
   * {@link lr} (which a schedule sets), so a schedule moves only those groups.
   */
  protected groupLr(g: number): number {
    return this.#groupLr[g] ?? this.#lr;
  }

  /** Per group, its size and its own lr if it has one: the head of each saved group. */
  protected groupHeads(): GroupHead[] {
    return this.groupOptions.map((o, k) => {
      const size = (this.groupEnd[k] as number) - (k === 0 ? 0 : (this.groupEnd[k - 1] as number));
      return o.lr === undefined ? { size } : { size, lr: this.groupLr(k) };
    });
  }

  /**
   * Saved groups (`state.paramGroups`) checked against this optimizer's: none
   * when it is not `grouped` (returns null), else as many, each of the same size
   * and with the same own lr; returned for the subclass to check the rest.
   */
  protected checkSavedGroups(saved: unknown, grouped: boolean): Record<string, unknown>[] | null {
    const where = `${this.name}.loadStateDict(state.paramGroups`;
    if (saved === undefined) {
      if (grouped)
        throw new RangeError(`${where}): this optimizer has parameter groups, the state has none`);
      return null;
    }
    const mine = this.groupHeads();
    if (!Array.isArray(saved) || saved.length !== mine.length)
      throw new RangeError(
        `${where}): expected ${mine.length} groups, received ${describe(saved)}`,
      );
    checkDense(saved, `${where})`, 'state.paramGroups');
    return saved.map((g: unknown, k) => {
      const own = mine[k] as GroupHead;
      const x = g as Partial<GroupHead> | null;
      if (typeof x !== 'object' || x === null || x.size !== own.size || x.lr !== own.lr)
        throw new RangeError(
          `${where}[${k}]): expected a group of ${own.size} parameters${own.lr === undefined ? '' : ` with its own lr ${own.lr}`}, received ${describe(g)}`,
        );
      return x;
    });
  }

  /**
   * What the next `step()` does if it is plain gradient descent at rate `lr`
   * (see {@link PlainDescent}), else null. A fused loop (compiled online `fit`)
   * may then take such steps itself and account them with
   * {@link countFusedSteps}. The base class declares nothing: only an optimizer
   * whose step is exactly that says so (this package's `SGD` without momentum,
   * weight decay or groups); a subclass or another optimizer is always stepped.
   *
   * @example
   * const plain = optimizer.plainDescent(); // { lr, params } or null
   */
  plainDescent(): PlainDescent | null {
    return null;
  }

  /**
   * Accounts `steps` steps that a fused loop took in place of `step()`, after
   * {@link plainDescent} declared them (the parameters are already moved).
   *
   * @example
   * optimizer.countFusedSteps(200); // stepCount grows by 200
   */
  countFusedSteps(steps: number): void {
    this.stepCount += checkInteger(steps, `${this.name}.countFusedSteps(steps)`, 0);
  }

  /** The name used in messages and saved state. */
  abstract get name(): string;

  /** The learning rate; a schedule sets it before each step. Must be a positive finite number. */
  get lr(): number {
    return this.#lr;
  }
  set lr(lr: number) {
    // A schedule sets it before every step: the message is built only for a bad value.
    this.#lr =
      typeof lr === 'number' && lr > 0 && lr < Infinity ? lr : checkPositive(lr, `${this.name}.lr`);
  }

  /**
   * Sets every parameter's gradient to 0.
   *
   * @example
   * optimizer.zeroGrad();
   * loss.backward();
   */
  zeroGrad(): void {
    const params = this.params;
    for (let i = 0; i < params.length; i++) (params[i] as Value).grad = 0;
  }

  /**
   * One update of every parameter that requires a gradient (frozen ones, with
   * `requiresGrad` false, are skipped, as PyTorch skips parameters without a grad).
   * Throws a RangeError naming the parameter if a gradient, the result or the
   * optimizer's new state for it is not finite; then nothing has changed.
   *
   * @example
   * loss.backward();
   * optimizer.step();
   */
  step(): void {
    const params = this.params;
    const n = params.length;
    // isFinite first: the requiresGrad getter is read only for a bad gradient.
    for (let i = 0; i < n; i++) {
      const p = params[i] as Value;
      if (!Number.isFinite(p.grad) && p.requiresGrad) {
        throw new RangeError(
          `${this.name}.step: the gradient of ${paramName(params, i)} is ${p.grad}; no parameter was changed`,
        );
      }
    }
    const next = this.#next;
    this.compute(next);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(next[i])) {
        throw new RangeError(
          `${this.name}.step: the update would make ${paramName(params, i)} ${next[i]}; no parameter was changed (is lr too large?)`,
        );
      }
    }
    this.commit();
    for (let i = 0; i < n; i++) (params[i] as Value).data = next[i] as number;
    this.stepCount++;
  }

  /**
   * Writes every parameter's new value into `next` (frozen ones: unchanged) and
   * the new optimizer state into scratch space, without touching the parameters
   * or the state in use. Throws a RangeError naming the parameter if that new
   * state is not finite (where a finite `next` does not already imply it).
   */
  protected abstract compute(next: Float64Array): void;

  /** Makes the state computed by the last {@link compute} the state in use. */
  protected abstract commit(): void;

  /** The hyperparameters and state as plain JSON. */
  abstract stateDict(): OptimizerState;

  /**
   * Restores state saved by {@link stateDict} from an optimizer of the same kind
   * over as many parameters. Everything is checked first; on error nothing changes.
   */
  abstract loadStateDict(state: unknown): void;

  /** Checks the common fields of a saved state and returns it as a record. */
  protected checkState(state: unknown): Record<string, unknown> {
    const where = `${this.name}.loadStateDict(state)`;
    if (typeof state !== 'object' || state === null || Array.isArray(state)) {
      throw new TypeError(`${where}: expected an object, received ${describe(state)}`);
    }
    const s = state as Record<string, unknown>;
    if (s.type !== this.name)
      throw new RangeError(
        `${where}: expected state.type '${this.name}', received ${describe(s.type)}`,
      );
    checkPositive(s.lr, `${where}.lr`);
    checkInteger(s.stepCount, `${where}.stepCount`, 0);
    return s;
  }

  /** Checks a saved per-parameter array: one finite number (or null where `nullable`) per parameter. */
  protected checkVector(x: unknown, arg: string, nullable: boolean): (number | null)[] {
    const where = `${this.name}.loadStateDict(state.${arg})`;
    if (!Array.isArray(x) || x.length !== this.params.length) {
      throw new RangeError(
        `${where}: expected an array of ${this.params.length} entries (one per parameter), received ${describe(x)}`,
      );
    }
    checkDense(x, `${this.name}.loadStateDict(state)`, `state.${arg}`);
    return x.map((v: unknown, i) => {
      if (v === null && nullable) return null;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new RangeError(
          `${where}[${i}]: expected a finite number${nullable ? ' or null' : ''}, received ${describe(v)}`,
        );
      }
      return v;
    });
  }
}
