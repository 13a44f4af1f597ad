import { floorTraining, w1Setup, idiomaticLoss, eagerIdiomatic } from '../src/w1-micrograd-demo.js';
import { MLP } from '@ag/nn';
import { timeInterleaved } from '../src/timing.js';
const setup = w1Setup(100);
function model() { const m = new MLP(2, [16, 16, 1]); m.parameters().forEach((p, i) => (p.data = setup.initial[i]!)); return m; }
const t = timeInterleaved({
  floor100: () => floorTraining(setup, 'nn').loss,
  ours: () => eagerIdiomatic(setup).loss,
  forwardOnly: () => { const m = model(); let l = 0; for (let k = 0; k < 100; k++) l = idiomaticLoss(m, setup.data).data; return l; },
  fwdBwd: () => { const m = model(); let l = 0; for (let k = 0; k < 100; k++) { const t = idiomaticLoss(m, setup.data); t.backward(); l = t.data; } return l; },
}, { warmups: 2, rounds: 7 });
for (const [k, v] of Object.entries(t)) console.log('W1(b)', k, (v.median * 1e3).toFixed(2), 'ms', (v.median / t.floor100!.median).toFixed(2) + '×');
