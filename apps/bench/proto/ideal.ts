// Lower bounds for any eager Value-object engine on this runtime: a minimal
// micrograd with a global tape (no sort), and forward-only allocation.
import { floorTraining, w1Setup, eagerMicrograd, learningRate } from '../src/w1-micrograd-demo.js';
import { floorOnlineFit, eagerOnlineFit, w2Setup } from '../src/w2-online-fit.js';
import { timeInterleaved } from '../src/timing.js';

const ADD = 1, MUL = 2, RELU = 3, SQ = 4;
class N {
  declare data: number; declare grad: number; declare op: number; declare a: N | null; declare b: N | null;
  constructor(data: number, op: number, a: N | null, b: N | null) {
    this.data = data; this.grad = 0; this.op = op; this.a = a; this.b = b;
  }
}
let tape: N[] = [];
let recording = true;
function mk(d: number, op: number, a: N | null, b: N | null): N {
  const n = new N(d, op, a, b);
  if (recording) tape.push(n);
  return n;
}
const add = (a: N, b: N) => mk(a.data + b.data, ADD, a, b);
const mul = (a: N, b: N) => mk(a.data * b.data, MUL, a, b);
const relu = (a: N) => mk(a.data < 0 ? 0 : a.data, RELU, a, null);
const sq = (a: N) => mk(a.data * a.data, SQ, a, null);
const leaf = (d: number) => new N(d, 0, null, null);
function backward(root: N) {
  root.grad = 1;
  for (let i = tape.length - 1; i >= 0; i--) {
    const n = tape[i]!; const g = n.grad;
    switch (n.op) {
      case ADD: n.a!.grad += g; n.b!.grad += g; break;
      case MUL: n.a!.grad += n.b!.data * g; n.b!.grad += n.a!.data * g; break;
      case RELU: if (n.data > 0) n.a!.grad += g; break;
      case SQ: n.a!.grad += 2 * n.a!.data * g; break;
    }
  }
  tape = [];
}

const setup = w1Setup(100);
const sizes = [2, 16, 16, 1];
function miniW1(doBackward: boolean) {
  recording = doBackward;
  const init = setup.initial; let at = 0;
  const layers: { w: N[]; b: N }[][] = [];
  const params: N[] = [];
  for (let l = 0; l < 3; l++) {
    const layer = [];
    for (let k = 0; k < sizes[l + 1]!; k++) {
      const w: N[] = [];
      for (let i = 0; i < sizes[l]!; i++) w.push(leaf(init[at++]!));
      const b = leaf(init[at++]!);
      layer.push({ w, b }); params.push(...w, b);
    }
    layers.push(layer);
  }
  const { n, xs, ys } = setup.data;
  let loss = NaN;
  for (let k = 0; k < 100; k++) {
    for (const p of params) p.grad = 0;
    let s: N | null = null;
    for (let i = 0; i < n; i++) {
      let h: N[] = [leaf(xs[2 * i]!), leaf(xs[2 * i + 1]!)];
      for (let l = 0; l < 3; l++) {
        const out: N[] = [];
        for (const { w, b } of layers[l]!) {
          let act = b;
          for (let j = 0; j < w.length; j++) act = add(act, mul(w[j]!, h[j]!));
          out.push(l < 2 ? relu(act) : act);
        }
        h = out;
      }
      const l1 = relu(add(mul(h[0]!, leaf(-ys[i]!)), leaf(1)));
      s = s === null ? l1 : add(s, l1);
    }
    let r = mul(params[0]!, params[0]!);
    for (let j = 1; j < params.length; j++) r = add(r, mul(params[j]!, params[j]!));
    const total = add(mul(s!, leaf(1 / n)), mul(r, leaf(1e-4)));
    loss = total.data;
    if (doBackward) backward(total); else tape = [];
    const lr = learningRate(k, 100);
    for (const p of params) p.data -= lr * p.grad;
  }
  return loss;
}
const w2 = w2Setup(200_000);
function miniW2(doBackward: boolean) {
  recording = doBackward;
  const m = leaf(0), c = leaf(0); const { xs, ys } = w2; let loss = NaN;
  for (let k = 0, i = 0; k < 200_000; k++, i = i + 1 === 100 ? 0 : i + 1) {
    const l = sq(add(add(mul(m, leaf(xs[i]!)), c), leaf(-ys[i]!)));
    loss = l.data; m.grad = 0; c.grad = 0;
    if (doBackward) backward(l); else tape = [];
    m.data -= 0.01 * m.grad; c.data -= 0.01 * c.grad;
  }
  return loss;
}
const plan = { warmups: 1, rounds: 5 };
const t1 = timeInterleaved({
  floor: () => floorTraining(setup, 'micrograd').loss,
  ours: () => eagerMicrograd(setup).loss,
  miniTape: () => miniW1(true),
  forwardOnly: () => miniW1(false),
}, plan);
for (const [k, v] of Object.entries(t1)) console.log('W1(a)', k, (v.median * 1e3).toFixed(1), 'ms', (v.median / t1.floor!.median).toFixed(1) + '×', v.result);
const t2 = timeInterleaved({
  floor: () => floorOnlineFit(w2).loss,
  ours: () => eagerOnlineFit(w2).loss,
  miniTape: () => miniW2(true),
  forwardOnly: () => miniW2(false),
}, plan);
for (const [k, v] of Object.entries(t2)) console.log('W2', k, (v.median * 1e3).toFixed(1), 'ms', (v.median / t2.floor!.median).toFixed(1) + '×', v.result);
