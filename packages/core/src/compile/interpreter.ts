/**
 * Replays a tape over typed arrays: the fallback where generating code is
 * forbidden (a Content-Security-Policy without 'unsafe-eval'). Each op's
 * forward and backward arithmetic is written exactly as in ops.ts, operand
 * for operand, so the numbers are the eager engine's, bit for bit.
 */
import {
  ABS,
  ADD,
  DIV,
  DOT,
  EXP,
  LOG,
  MAX,
  MIN,
  MUL,
  NEG,
  POW,
  RELU,
  SIGMOID,
  SOFTPLUS,
  SQRT,
  SQUARE,
  SUB,
  SUM,
  TANH,
  sigmoidSlope,
  stableSigmoid,
} from '../ops.js';
import type { Value } from '../value.js';
import type { GeneratedFunctions } from './codegen.js';
import { checkSamples, readSample, type InputLayout, type KeyCount } from './inputs.js';
import type { Tape } from './tape.js';

// The interpreter's own numbering, literal so that its switches compile to
// jump tables; KIND maps the engine's op codes (ops.ts) onto it.
const C_ADD = 1;
const C_SUB = 2;
const C_MUL = 3;
const C_DIV = 4;
const C_POW = 5;
const C_MAX = 6;
const C_MIN = 7;
const C_NEG = 8;
const C_SQUARE = 9;
const C_EXP = 10;
const C_LOG = 11;
const C_SQRT = 12;
const C_TANH = 13;
const C_RELU = 14;
const C_ABS = 15;
const C_SIGMOID = 16;
const C_SOFTPLUS = 17;
const C_SUM = 18;
const C_DOT = 19;
const KIND = new Uint8Array(64);
KIND[ADD.code] = C_ADD;
KIND[SUB.code] = C_SUB;
KIND[MUL.code] = C_MUL;
KIND[DIV.code] = C_DIV;
KIND[POW.code] = C_POW;
KIND[MAX.code] = C_MAX;
KIND[MIN.code] = C_MIN;
KIND[NEG.code] = C_NEG;
KIND[SQUARE.code] = C_SQUARE;
KIND[EXP.code] = C_EXP;
KIND[LOG.code] = C_LOG;
KIND[SQRT.code] = C_SQRT;
KIND[TANH.code] = C_TANH;
KIND[RELU.code] = C_RELU;
KIND[ABS.code] = C_ABS;
KIND[SIGMOID.code] = C_SIGMOID;
KIND[SOFTPLUS.code] = C_SOFTPLUS;
KIND[SUM.code] = C_SUM;
KIND[DOT.code] = C_DOT;

/** The tape's numbers: one value and one gradient per slot, allocated once. */
export class TapeMachine {
  readonly tape: Tape;
  readonly data: Float64Array;
  readonly grad: Float64Array;
  /** Per op node: its op in the interpreter's numbering. */
  readonly kind: Uint8Array;

  constructor(tape: Tape) {
    this.tape = tape;
    this.kind = tape.op.map((code) => KIND[code] as number);
    this.data = new Float64Array(tape.nSlots);
    this.grad = new Float64Array(tape.nSlots);
    this.data.set(tape.constants, tape.nInputs + tape.params.length);
  }

  /** Reads every parameter's `data` into its slot. */
  loadParams(): void {
    const { params, nInputs } = this.tape;
    const data = this.data;
    for (let i = 0; i < params.length; i++)
      data[nInputs + i] = (params[i] as { data: number }).data;
  }

  /** Reads the gradients of the parameters that require one: backward adds to them. */
  loadParamGrads(): void {
    const { params, nInputs, paramRequiresGrad } = this.tape;
    const grad = this.grad;
    for (let i = 0; i < params.length; i++)
      if (paramRequiresGrad[i]) grad[nInputs + i] = (params[i] as { grad: number }).grad;
  }

  /** Writes the accumulated gradients back into the parameters. */
  storeParamGrads(): void {
    const { params, nInputs, paramRequiresGrad } = this.tape;
    const grad = this.grad;
    for (let i = 0; i < params.length; i++)
      if (paramRequiresGrad[i]) (params[i] as { grad: number }).grad = grad[nInputs + i] as number;
  }

  /**
   * `descend` of compile.ts, checked at every step: for each sample, forward,
   * backward from gradients of 0 and p ← p − lr·g for the trained parameters,
   * held in the slots; each output goes to `losses`, their sum is returned, and
   * the Values are written once, after the last step. A step
   * with a non-finite gradient or parameter throws, and nothing is written.
   */
  descend(
    layout: InputLayout,
    columns: readonly ArrayLike<number>[],
    count: number,
    lr: number,
    losses: Float64Array,
  ): number {
    if (count === 0) return 0;
    const { nInputs, params, paramRequiresGrad } = this.tape;
    const { sizes, offsets } = layout;
    const trained: number[] = [];
    params.forEach((_, i) => {
      if (paramRequiresGrad[i]) trained.push(nInputs + i);
    });
    const next = new Float64Array(trained.length);
    const d = this.data;
    const g = this.grad;
    let total = 0;
    this.loadParams();
    for (let k = 0; k < count; k++) {
      for (let i = 0; i < columns.length; i++) {
        const column = columns[i] as ArrayLike<number>;
        const size = sizes[i] as number;
        const at = offsets[i] as number;
        if (size < 0) d[at] = column[k] as number;
        else for (let j = 0; j < size; j++) d[at + j] = column[k * size + j] as number;
      }
      for (let j = 0; j < trained.length; j++) g[trained[j] as number] = 0;
      const out = this.forward();
      losses[k] = out;
      total += out;
      this.backward();
      for (const s of trained) {
        if (!Number.isFinite(g[s]))
          throw this.fault(k, `the gradient of ${this.nameOf(s)} is ${g[s]}`);
      }
      for (let j = 0; j < trained.length; j++) {
        const s = trained[j] as number;
        next[j] = (d[s] as number) - lr * (g[s] as number);
        if (!Number.isFinite(next[j]))
          throw this.fault(
            k,
            `the update would make ${this.nameOf(s)} ${next[j]}`,
            ' (is lr too large?)',
          );
      }
      for (let j = 0; j < trained.length; j++) d[trained[j] as number] = next[j] as number;
    }
    for (const s of trained) (params[s - nInputs] as Value).data = d[s] as number;
    this.storeParamGrads();
    return total;
  }

  /** The parameter in `slot`, as `f.parameters` lists it, with its label if it has one. */
  private nameOf(slot: number): string {
    const i = slot - this.tape.nInputs;
    const label = (this.tape.params[i] as Value).label;
    return label === undefined ? `f.parameters[${i}]` : `f.parameters[${i}] ('${label}')`;
  }

  /** The error of descend's step k. */
  private fault(k: number, what: string, hint = ''): RangeError {
    return new RangeError(
      `descend(data, lr, losses): at sample ${k}, ${what}; nothing was changed${hint}`,
    );
  }

  /** Computes every op node from its operands; returns the output. */
  forward(): number {
    const { a, b, n, args, firstNode } = this.tape;
    const op = this.kind;
    const d = this.data;
    const K = op.length;
    for (let k = 0; k < K; k++) {
      const ia = a[k] as number;
      const ib = b[k] as number;
      let r: number;
      switch (op[k]) {
        case C_ADD:
          r = (d[ia] as number) + (d[ib] as number);
          break;
        case C_SUB:
          r = (d[ia] as number) - (d[ib] as number);
          break;
        case C_MUL:
          r = (d[ia] as number) * (d[ib] as number);
          break;
        case C_DIV:
          r = (d[ia] as number) / (d[ib] as number);
          break;
        case C_POW:
          r = Math.pow(d[ia] as number, d[ib] as number);
          break;
        case C_MAX:
          r = Math.max(d[ia] as number, d[ib] as number);
          break;
        case C_MIN:
          r = Math.min(d[ia] as number, d[ib] as number);
          break;
        case C_NEG:
          r = -(d[ia] as number);
          break;
        case C_SQUARE: {
          const x = d[ia] as number;
          r = x * x;
          break;
        }
        case C_EXP:
          r = Math.exp(d[ia] as number);
          break;
        case C_LOG:
          r = Math.log(d[ia] as number);
          break;
        case C_SQRT:
          r = Math.sqrt(d[ia] as number);
          break;
        case C_TANH:
          r = Math.tanh(d[ia] as number);
          break;
        case C_RELU: {
          const x = d[ia] as number;
          r = x <= 0 ? 0 : x;
          break;
        }
        case C_ABS:
          r = Math.abs(d[ia] as number);
          break;
        case C_SIGMOID:
          r = stableSigmoid(d[ia] as number);
          break;
        case C_SOFTPLUS: {
          const x = d[ia] as number;
          r = Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
          break;
        }
        case C_SUM: {
          // ((v₀ + v₁) + v₂) + …
          const end = ia + (n[k] as number);
          r = d[args[ia] as number] as number;
          for (let i = ia + 1; i < end; i++) r = r + (d[args[i] as number] as number);
          break;
        }
        case C_DOT: {
          // ((w₀x₀ + w₁x₁) + …) + bias
          const end = ia + 2 * (n[k] as number);
          r = (d[args[ia] as number] as number) * (d[args[ia + 1] as number] as number);
          for (let i = ia + 2; i < end; i += 2)
            r = r + (d[args[i] as number] as number) * (d[args[i + 1] as number] as number);
          if (ib >= 0) r += d[ib] as number;
          break;
        }
        default:
          throw new Error(`compile: no interpreter rule for op code ${op[k]}`);
      }
      d[firstNode + k] = r;
    }
    return d[this.tape.output] as number;
  }

  /**
   * Adds ∂output/∂slot into the gradient of every slot that requires one,
   * visiting the op nodes in eager `backward()`'s order. The caller has loaded
   * the parameters' gradients (they accumulate) and run forward.
   */
  backward(): void {
    const { op, a, b, n, args, firstNode, requiresGrad: rg, backward: order, output } = this.tape;
    const d = this.data;
    const g = this.grad;
    if (output < firstNode) {
      g[output] = (g[output] as number) + 1; // a leaf output: ∂root/∂root = 1, accumulated
      return;
    }
    // Op nodes' gradients start from 0 on every pass, the output's at 1.
    for (let i = 0; i < order.length; i++) g[firstNode + (order[i] as number)] = 0;
    g[output] = 1;
    for (let i = 0; i < order.length; i++) {
      const k = order[i] as number;
      const ia = a[k] as number;
      const ib = b[k] as number;
      const out = firstNode + k;
      const go = g[out] as number;
      switch (op[k]) {
        case C_ADD:
          if (rg[ia]) g[ia] = (g[ia] as number) + go;
          if (rg[ib]) g[ib] = (g[ib] as number) + go;
          break;
        case C_SUB:
          if (rg[ia]) g[ia] = (g[ia] as number) + go;
          if (rg[ib]) g[ib] = (g[ib] as number) - go;
          break;
        case C_MUL:
          if (rg[ia]) g[ia] = (g[ia] as number) + (d[ib] as number) * go;
          if (rg[ib]) g[ib] = (g[ib] as number) + (d[ia] as number) * go;
          break;
        case C_DIV: {
          const y = d[ib] as number;
          if (rg[ia]) g[ia] = (g[ia] as number) + go / y;
          if (rg[ib]) g[ib] = (g[ib] as number) - ((d[out] as number) / y) * go;
          break;
        }
        case C_POW: {
          const x = d[ia] as number;
          const y = d[ib] as number;
          if (rg[ia]) g[ia] = (g[ia] as number) + (y === 0 ? 0 : y * Math.pow(x, y - 1) * go);
          if (rg[ib]) {
            const lnA = x > 0 ? Math.log(x) : x === 0 ? 0 : Number.NaN;
            g[ib] = (g[ib] as number) + (d[out] as number) * lnA * go;
          }
          break;
        }
        case C_MAX:
        case C_MIN: {
          const x = d[ia] as number;
          const y = d[ib] as number;
          if (x === y) {
            if (rg[ia]) g[ia] = (g[ia] as number) + 0.5 * go;
            if (rg[ib]) g[ib] = (g[ib] as number) + 0.5 * go;
          } else if (op[k] === C_MAX ? x > y : x < y) {
            if (rg[ia]) g[ia] = (g[ia] as number) + go;
          } else if (rg[ib]) {
            g[ib] = (g[ib] as number) + go;
          }
          break;
        }
        // Unary ops: the operand requires a gradient whenever the node does.
        case C_NEG:
          g[ia] = (g[ia] as number) - go;
          break;
        case C_SQUARE:
          g[ia] = (g[ia] as number) + 2 * (d[ia] as number) * go;
          break;
        case C_EXP:
          g[ia] = (g[ia] as number) + (d[out] as number) * go;
          break;
        case C_LOG:
          g[ia] = (g[ia] as number) + go / (d[ia] as number);
          break;
        case C_SQRT:
          g[ia] = (g[ia] as number) + (0.5 * go) / (d[out] as number);
          break;
        case C_TANH: {
          const t = d[out] as number;
          g[ia] = (g[ia] as number) + (1 - t * t) * go;
          break;
        }
        case C_RELU:
          if ((d[out] as number) > 0) g[ia] = (g[ia] as number) + go;
          break;
        case C_ABS: {
          const x = d[ia] as number;
          if (x > 0) g[ia] = (g[ia] as number) + go;
          else if (x < 0) g[ia] = (g[ia] as number) - go;
          break;
        }
        case C_SIGMOID:
          g[ia] = (g[ia] as number) + sigmoidSlope(d[ia] as number) * go;
          break;
        case C_SOFTPLUS:
          g[ia] = (g[ia] as number) + stableSigmoid(d[ia] as number) * go;
          break;
        case C_SUM: {
          const end = ia + (n[k] as number);
          for (let j = ia; j < end; j++) {
            const t = args[j] as number;
            if (rg[t]) g[t] = (g[t] as number) + go;
          }
          break;
        }
        case C_DOT: {
          const end = ia + 2 * (n[k] as number);
          for (let j = ia; j < end; j += 2) {
            const w = args[j] as number;
            const x = args[j + 1] as number;
            if (rg[w]) g[w] = (g[w] as number) + (d[x] as number) * go;
            if (rg[x]) g[x] = (g[x] as number) + (d[w] as number) * go;
          }
          if (ib >= 0 && rg[ib]) g[ib] = (g[ib] as number) + go;
          break;
        }
        default:
          throw new Error(`compile: no interpreter rule for op code ${op[k]}`);
      }
    }
  }
}

/**
 * The interpreter behind the calls generated code makes: `compile`'s mode
 * 'interpreter', and a generated function's call made while another call of
 * its shape is using the shared slots.
 */
export function interpret(
  tape: Tape,
  layout: InputLayout,
  noGradient: (where: string) => never,
): GeneratedFunctions {
  const m = new TapeMachine(tape);
  const scratch = new Float64Array(layout.width);
  const trainable = tape.requiresGrad[tape.output] === 1;
  const counted: KeyCount = { last: null };
  return {
    run(sample: unknown): number {
      readSample(layout, sample, m.data, 0, 'run(inputs)', counted);
      m.loadParams();
      return m.forward();
    },
    backward(sample: unknown): number {
      if (!trainable) noGradient('backward(inputs)');
      readSample(layout, sample, m.data, 0, 'backward(inputs)', counted);
      m.loadParams();
      m.loadParamGrads();
      const out = m.forward();
      m.backward();
      m.storeParamGrads();
      return out;
    },
    accumulate(samples: unknown): number {
      if (!trainable) noGradient('accumulate(samples)');
      checkSamples(samples, 'accumulate(samples)');
      for (let i = 0; i < samples.length; i++)
        readSample(layout, samples[i], scratch, 0, i, counted);
      m.loadParams();
      m.loadParamGrads();
      let total = 0;
      for (let i = 0; i < samples.length; i++) {
        readSample(layout, samples[i], m.data, 0, i);
        total += m.forward();
        m.backward();
      }
      m.storeParamGrads();
      return total;
    },
    descend: (columns, count, lr, losses) => m.descend(layout, columns, count, lr, losses),
  };
}
