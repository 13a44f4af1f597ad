import { w1Setup, learningRate } from '../src/w1-micrograd-demo.js';
import { MicrogradMlp } from '../src/micrograd-mlp.js';
import { compile, Value } from '@ag/core';
const setup = w1Setup(100);
const W1_SIZES = [2, 16, 16, 1];
function run() {
  const { data, steps } = setup;
  const model = new MicrogradMlp(W1_SIZES, setup.initial);
  const params = model.parameters();
  const t0 = performance.now();
  const f = compile(({ xs, ys }) => {
    let s: Value | null = null;
    for (let i = 0; i < data.n; i++) {
      const l = model.call([xs[2 * i] as Value, xs[2 * i + 1] as Value]).mul((ys[i] as Value).neg()).add(1).relu();
      s = s === null ? l : s.add(l);
    }
    let r = params[0]!.mul(params[0]!);
    for (let j = 1; j < params.length; j++) r = r.add(params[j]!.mul(params[j]!));
    return s!.mul(1 / data.n).add(r.mul(1e-4));
  }, { inputs: { xs: Array.from(data.xs), ys: Array.from(data.ys) } });
  const t1 = performance.now();
  const sample = { xs: data.xs, ys: data.ys };
  const ts: number[] = [];
  for (let k = 0; k < steps; k++) {
    const a = performance.now();
    for (const p of params) p.grad = 0;
    f.backward(sample);
    const lr = learningRate(k, steps);
    for (const p of params) p.data -= lr * p.grad;
    ts.push(performance.now() - a);
  }
  const t2 = performance.now();
  console.log('compile', (t1 - t0).toFixed(1), 'train', (t2 - t1).toFixed(1), 'first steps', ts.slice(0, 5).map((x) => x.toFixed(1)).join(' '), 'last', ts[99]!.toFixed(2));
}
for (let r = 0; r < 5; r++) { run(); if (process.argv[2] === 'gc') (globalThis as any).gc(); }
