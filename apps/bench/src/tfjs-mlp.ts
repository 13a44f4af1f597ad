/**
 * The peer rows: the same MLP, loss, optimizer and steps written as a
 * JavaScript user would write them in TensorFlow.js (`@tensorflow/tfjs`), on
 * its pure-JavaScript CPU backend, in float32: the weights as `tf.variable`s
 * (a kernel [nin, nout] and a bias [nout] per layer), the loss a closure over
 * tensors, and per update one `optimizer.minimize(loss)` (the gradients of the
 * variables, then the update) inside `tf.tidy`. Not `model.fit`: it is
 * asynchronous (the timed runs are not), and W1's per-step learning rate and
 * L2 penalty on every parameter would take custom callbacks and regularizers;
 * the loop is the plainer match of the same arithmetic.
 *
 * Every run starts from the same initial parameters and data as `@ag`'s rows,
 * rounded to float32. The guard for these rows is looser (`TFJS_TOLERANCE`).
 */
import { createRequire } from 'node:module';
import type * as Tf from '@tensorflow/tfjs';
import { parameterCount } from './mlp-floor.js';
import type { Tolerance } from './outcome.js';

/**
 * How near a tfjs row's loss and parameters must come to the float64 floor's.
 * float32 carries about 7 digits (ε = 1.2e-7). Measured (full sizes): W1's
 * final loss within 9e-8 relative of the floor's, its parameters within 5e-7;
 * W5's loss within 8.4e-7, Σ params within 8.5e-7, a parameter near 0 within
 * 7.5e-9 absolute. 1e-4 relative (1e-6 absolute, for numbers near 0) leaves a
 * hundredfold margin and still fails a different training: one step fewer
 * moves W1's loss by 3 %, one epoch fewer W5's by 7 %.
 */
export const TFJS_TOLERANCE: Tolerance = { relative: 1e-4, absolute: 1e-6 };

let loaded: typeof Tf | null = null;

/**
 * TensorFlow.js on its CPU backend (synchronous for it), in production mode,
 * which skips tfjs's debug checks and its advice to install the native
 * backend. Loaded on first use, not on import: loading it takes about a
 * second, which no other row (and no first-run child) should pay.
 *
 * @example
 * const tf = tfjs();
 * tf.scalar(1).dispose();
 */
export function tfjs(): typeof Tf {
  if (loaded !== null) return loaded;
  const tf = createRequire(import.meta.url)('@tensorflow/tfjs') as typeof Tf;
  tf.enableProdMode();
  void tf.setBackend('cpu');
  if (tf.getBackend() !== 'cpu')
    throw new Error(`tfjs: expected the cpu backend, got ${tf.getBackend()}`);
  loaded = tf;
  return tf;
}

/** An MLP's variables: per layer a kernel [nin, nout] and a bias [nout]. */
export interface TfjsMlp {
  sizes: readonly number[];
  kernels: Tf.Variable[];
  biases: Tf.Variable[];
  hidden: 'relu' | 'tanh';
}

/**
 * Variables holding `initial` (laid out as `parameters()` lists them: per
 * neuron its weights, then its bias), in float32.
 *
 * @example
 * const net = tfjsMlp([2, 16, 16, 1], initialParameters([2, 16, 16, 1], 42), 'relu');
 */
export function tfjsMlp(
  sizes: readonly number[],
  initial: Float64Array,
  hidden: 'relu' | 'tanh',
): TfjsMlp {
  const tf = tfjs();
  if (initial.length !== parameterCount(sizes))
    throw new RangeError(
      `tfjsMlp(initial): expected ${parameterCount(sizes)} numbers, received ${initial.length}`,
    );
  const kernels: Tf.Variable[] = [];
  const biases: Tf.Variable[] = [];
  let at = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nin = sizes[l] as number;
    const nout = sizes[l + 1] as number;
    const kernel = new Float32Array(nin * nout);
    const bias = new Float32Array(nout);
    for (let k = 0; k < nout; k++) {
      for (let i = 0; i < nin; i++) kernel[i * nout + k] = initial[at++] as number;
      bias[k] = initial[at++] as number;
    }
    kernels.push(tf.variable(tf.tensor2d(kernel, [nin, nout])));
    biases.push(tf.variable(tf.tensor1d(bias)));
  }
  return { sizes, kernels, biases, hidden };
}

/** The scores [batch, 1] of inputs x [batch, nin]. */
export function tfjsForward(net: TfjsMlp, x: Tf.Tensor2D): Tf.Tensor2D {
  const tf = tfjs();
  let h = x;
  const last = net.kernels.length - 1;
  for (let l = 0; l <= last; l++) {
    const z = h.matMul(net.kernels[l] as Tf.Variable).add(net.biases[l] as Tf.Variable);
    h = (l < last ? (net.hidden === 'relu' ? tf.relu(z) : tf.tanh(z)) : z) as Tf.Tensor2D;
  }
  return h;
}

/** Σ p² over every variable. */
export function tfjsSquares(net: TfjsMlp): Tf.Scalar {
  const tf = tfjs();
  return tf.addN([...net.kernels, ...net.biases].map((v) => v.square().sum())) as Tf.Scalar;
}

/** The variables read back as float64 numbers in `parameters()` order. */
export function tfjsParameters(net: TfjsMlp): Float64Array {
  const out = new Float64Array(parameterCount(net.sizes));
  let at = 0;
  for (let l = 0; l < net.kernels.length; l++) {
    const nin = net.sizes[l] as number;
    const nout = net.sizes[l + 1] as number;
    const kernel = (net.kernels[l] as Tf.Variable).dataSync();
    const bias = (net.biases[l] as Tf.Variable).dataSync();
    for (let k = 0; k < nout; k++) {
      for (let i = 0; i < nin; i++) out[at++] = kernel[i * nout + k] as number;
      out[at++] = bias[k] as number;
    }
  }
  return out;
}

/** Frees the variables. */
export function disposeTfjsMlp(net: TfjsMlp): void {
  for (const v of [...net.kernels, ...net.biases]) v.dispose();
}
