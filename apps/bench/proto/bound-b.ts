import { floorTraining, w1Setup, eagerIdiomatic } from '../src/w1-micrograd-demo.js';
import { timeInterleaved } from '../src/timing.js';
class N {
  declare data: number; declare grad: number; declare op: number; declare a: N | readonly N[] | null; declare b: N | readonly N[] | null;
  constructor(data: number, op: number, a: N | readonly N[] | null, b: N | readonly N[] | null) {
    this.data = data; this.grad = 0; this.op = op; this.a = a; this.b = b;
  }
}
const leaf = (d: number) => new N(d, 0, null, null);
let tape: N[] = []; let rec = false;
function mk(d: number, op: number, a: any, b: any): N { const n = new N(d, op, a, b); if (rec) tape.push(n); return n; }
function T(n: N): N { if (rec) tape.push(n); return n; }
function backward(root: N) {
  root.grad = 1;
  for (let i = tape.length - 1; i >= 0; i--) {
    const n = tape[i]!; const g = n.grad;
    switch (n.op) {
      case 1: (n.a as N).grad += g; (n.b as N).grad += g; break;
      case 2: (n.a as N).grad += (n.b as N).data * g; (n.b as N).grad += (n.a as N).data * g; break;
      case 3: if (n.data > 0) (n.a as N).grad += g; break;
      case 4: (n.a as N).grad += 2 * (n.a as N).data * g; break;
      case 5: (n.a as N).grad += g; (n.b as N).grad -= g; break;
      case 6: (n.a as N).grad += g / (n.b as N).data; break;
      case 20: { const wb = n.a as N[]; const h = n.b as N[]; const m = h.length;
        for (let j = 0; j < m; j++) { const w = wb[j]!, x = h[j]!; w.grad += x.data * g; x.grad += w.data * g; }
        wb[m]!.grad += g; break; }
      case 21: { const ts = n.a as N[]; for (let j = 0; j < ts.length; j++) ts[j]!.grad += g; break; }
    }
  }
  tape = [];
}
const setup = w1Setup(100);
const sizes = [2, 16, 16, 1];
function boundB(withBackward = false) {
  rec = withBackward;
  const init = setup.initial; let at = 0;
  const layers: N[][][] = []; const params: N[] = [];
  for (let l = 0; l < 3; l++) {
    const layer: N[][] = [];
    for (let k = 0; k < sizes[l + 1]!; k++) {
      const wb: N[] = [];
      for (let i = 0; i <= sizes[l]!; i++) wb.push(leaf(init[at++]!));
      layer.push(wb); params.push(...wb);
    }
    layers.push(layer);
  }
  const { n, xs, labels } = setup.data as any;
  let loss = NaN;
  for (let k = 0; k < 100; k++) {
    const terms: N[] = [];
    for (let i = 0; i < n; i++) {
      let h: N[] = [leaf(xs[2 * i]), leaf(xs[2 * i + 1])];
      for (let l = 0; l < 3; l++) {
        const layer = layers[l]!; const out: N[] = new Array(layer.length);
        for (let q = 0; q < layer.length; q++) {
          const wb = layer[q]!; let s = 0; const m = h.length;
          for (let j = 0; j < m; j++) s += wb[j]!.data * h[j]!.data;
          s += wb[m]!.data;
          const d = mk(s, 20, wb, h);
          out[q] = l < 2 ? mk(d.data < 0 ? 0 : d.data, 3, d, null) : d;
        }
        h = out;
      }
      const y = leaf(labels[i]);
      const p = mk(y.data * h[0]!.data, 2, y, h[0]!);
      const one = leaf(1);
      const u = mk(one.data - p.data, 5, one, p);
      terms.push(mk(u.data < 0 ? 0 : u.data, 3, u, null));
    }
    let s = 0; for (const t of terms) s += t.data;
    const S = mk(s, 21, terms, null);
    const nn = leaf(n); const mean = mk(S.data / nn.data, 6, S, nn);
    const sq: N[] = []; for (const p of params) sq.push(mk(p.data * p.data, 4, p, null));
    let r = 0; for (const q of sq) r += q.data;
    const R = mk(r, 21, sq, null); const al = leaf(1e-4); const pen = mk(R.data * al.data, 2, R, al);
    const tot = mk(mean.data + pen.data, 1, mean, pen); loss = tot.data;
    if (withBackward) { for (const p of params) p.grad = 0; backward(tot); const lr = 1 - 0.9 * k / 100; for (const p of params) p.data -= lr * p.grad; }
  }
  return loss;
}
const plan = { warmups: 2, rounds: 7 };
const t = timeInterleaved({ floor: () => floorTraining({ ...setup, steps: 1 }, 'nn').loss, floor100: () => floorTraining(setup, 'nn').loss, ours: () => eagerIdiomatic(setup).loss, bound: () => boundB(), minimal: () => boundB(true) }, plan);
for (const [k, v] of Object.entries(t)) console.log('W1(b)', k, (v.median * 1e3).toFixed(2), 'ms', (v.median / t.floor100!.median).toFixed(2) + '×', v.result);
