/**
 * Default `fit` (compile: 'auto') against eager `fit` (compile: false), and
 * what compiling costs in updates, to choose fit-plan.ts's
 * MIN_COMPILED_UPDATES by measurement. Not a test and not a benchmark row:
 * times of one process (warm), or of fresh processes (`--first`, one child
 * per run), the least of several alternating runs each (a loaded machine only
 * adds time).
 *
 *   node --conditions=@ag/source --import tsx scripts/fit-vs-eager.mjs [--first] [--only name]
 *   node --conditions=@ag/source --import tsx scripts/fit-vs-eager.mjs --breakeven [--only name]
 *
 * A row: the run, its updates, whether default fit compiled, default / eager
 * and always-compiled (compile: true) / eager times (below 1: faster than
 * eager). With --breakeven, per family of runs: the cost of an epoch eager
 * and compiled, what compiling adds once, and after how many updates it is
 * repaid (from the least times of 1 and K epochs each way).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  Adam,
  binaryCrossEntropyWithLogits,
  fit,
  hinge,
  Linear,
  MLP,
  mse,
  SGD,
  seededRandom,
} from '../src/index.js';
function points(n, width, seed, label) {
  const u = seededRandom(seed);
  const x = Array.from({ length: n }, () => Array.from({ length: width }, () => 2 * u() - 1));
  return { x, y: x.map(label) };
}
const line = (mode, epochs, n = 100) => {
  const data = points(n, 1, 7, (x) => 3 * x[0] + 4);
  return (compile) => {
    const model = new Linear(1, 1, { random: seededRandom(1) });
    return fit({
      model,
      data,
      loss: (o, y) => mse(o, y, { reduction: 'sum' }),
      optimizer: new SGD(model.parameters(), { lr: 0.01 }),
      mode,
      epochs,
      compile,
    });
  };
};
const moons = (mode, epochs, n = 200) => {
  const data = points(n, 2, 3, (x) => (x[0] * x[1] > 0 ? 1 : -1));
  return (compile) => {
    const model = new MLP(2, [16, 16, 1], { random: seededRandom(1337) });
    return fit({
      model,
      data,
      loss: hinge,
      optimizer: new SGD(model.parameters(), { lr: 0.05 }),
      mode,
      epochs,
      compile,
    });
  };
};
const spirals = (mode, epochs, n = 1e3) => {
  const data = points(n, 2, 5, (x) => (Math.sin(4 * x[0]) > x[1] ? 1 : 0));
  return (compile) => {
    const model = new MLP(2, [32, 32, 1], { activation: 'tanh', random: seededRandom(2) });
    return fit({
      model,
      data,
      loss: binaryCrossEntropyWithLogits,
      optimizer: new Adam(model.parameters(), { lr: 0.01 }),
      mode,
      epochs,
      compile,
    });
  };
};
const wide = (mode, epochs, n = 64) => {
  const data = points(n, 64, 9, (x) => Math.floor((x[0] + 1) * 4.99));
  return (compile) => {
    const model = new MLP(64, [64, 64, 10], { activation: 'tanh', random: seededRandom(4) });
    return fit({
      model,
      data,
      // All ten outputs in the graph (softmaxCrossEntropy's class index cannot be recorded).
      loss: (outs, y) =>
        mse(
          outs.map((r) => [r.reduce((a, b) => a.add(b))]),
          y,
        ),
      optimizer: new SGD(model.parameters(), { lr: 1e-4 }),
      mode,
      epochs,
      compile,
    });
  };
};
const CASES = [];
const add = (name, run) => {
  CASES.push({ name, run });
};
for (const u of [48, 96, 384]) {
  add(`line online u${u}`, line('online', u / 8, 8));
  add(`line batch u${u}`, line('batch', u));
  add(`line mb32 u${u}`, line({ batchSize: 32 }, u / 4));
  add(`moons online u${u}`, moons('online', u / 24, 24));
  add(`moons mb25 u${u}`, moons({ batchSize: 25 }, u / 8));
  add(`moons mb32 u${u}`, moons({ batchSize: 32 }, Math.ceil(u / 7)));
  add(`moons batch u${u}`, moons('batch', u, 50));
  add(`spirals mb32 u${u}`, spirals({ batchSize: 32 }, Math.ceil(u / 7), 200));
  add(`wide online u${u}`, wide('online', u / 8, 8));
  add(`wide mb16 u${u}`, wide({ batchSize: 16 }, u / 4));
  if (u < 384) add(`wide batch u${u}`, wide('batch', u, 16));
}
const FAMILIES = [
  ['line online n8', (e) => line('online', e, 8), 8, 60],
  ['line batch n100', (e) => line('batch', e), 1, 200],
  ['moons online n24', (e) => moons('online', e, 24), 24, 20],
  ['moons mb25 n200', (e) => moons({ batchSize: 25 }, e), 8, 20],
  ['moons batch n50', (e) => moons('batch', e, 50), 1, 100],
  ['spirals mb32 n200 adam', (e) => spirals({ batchSize: 32 }, e, 200), 7, 10],
  ['wide online n8', (e) => wide('online', e, 8), 8, 8],
  ['wide mb16 n64', (e) => wide({ batchSize: 16 }, e), 4, 8],
  ['wide batch n16', (e) => wide('batch', e, 16), 1, 24],
];
function time(run) {
  const t = performance.now();
  run();
  return performance.now() - t;
}
const least = (xs) => Math.min(...xs);
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : void 0;
const childCase = args.includes('--child') ? args[args.indexOf('--child') + 1] : void 0;
const childMode = args.includes('--compile') ? args[args.indexOf('--compile') + 1] : void 0;
if (args.includes('--breakeven')) {
  // --interpreter: the compiled side forced to the interpreter, else compile: true.
  const forced = args.includes('--interpreter') ? 'interpreter' : true;
  for (const [name, family, perEpoch, k] of FAMILIES) {
    if (only !== void 0 && !name.includes(only)) continue;
    const t = { e1: [], ek: [], c1: [], ck: [] };
    const [one, many] = [family(1), family(k)];
    for (let r = 0; r < 7; r++) {
      t.e1.push(time(() => one(false)));
      t.c1.push(time(() => one(forced)));
      t.ek.push(time(() => many(false)));
      t.ck.push(time(() => many(forced)));
    }
    const [e1, ek, c1, ck] = [least(t.e1), least(t.ek), least(t.c1), least(t.ck)];
    const eagerEpoch = (ek - e1) / (k - 1);
    const compiledEpoch = (ck - c1) / (k - 1);
    const once = c1 - compiledEpoch - (e1 - eagerEpoch);
    const epochs = once / (eagerEpoch - compiledEpoch);
    console.log(
      `${name.padEnd(24)} epoch: eager ${eagerEpoch.toFixed(3)} ms, compiled ${compiledEpoch.toFixed(3)} ms; compiling ${once.toFixed(2)} ms; repaid after ${(epochs * perEpoch).toFixed(0)} updates`,
    );
  }
} else if (childCase !== void 0) {
  const c = CASES.find((k) => k.name === childCase);
  if (c === void 0) throw new Error(`no case ${childCase}`);
  const compile =
    childMode === 'false'
      ? false
      : childMode === 'true'
        ? true
        : childMode === 'interpreter'
          ? 'interpreter'
          : 'auto';
  let result;
  const ms = time(() => (result = c.run(compile)));
  process.stdout.write(JSON.stringify({ ms, compiled: result?.compiled }));
} else {
  const first = args.includes('--first');
  const self = fileURLToPath(import.meta.url);
  const cold = (name, compile) => {
    const r = spawnSync(
      process.execPath,
      ['--conditions=@ag/source', '--import', 'tsx', self, '--child', name, '--compile', compile],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  };
  const rounds = first ? 3 : 5;
  for (const c of CASES) {
    if (only !== void 0 && !c.name.includes(only)) continue;
    const t = { auto: [], false: [], true: [] };
    let compiled = false;
    let steps = 0;
    for (let r = 0; r < rounds; r++) {
      for (const mode of ['auto', 'false', 'true']) {
        if (first) {
          // --interpreter: the always-compiled column forced to the interpreter.
          const out = cold(
            c.name,
            mode === 'true' && args.includes('--interpreter') ? 'interpreter' : mode,
          );
          t[mode]?.push(out.ms);
          if (mode === 'auto') compiled = out.compiled;
        } else {
          const compile = mode === 'false' ? false : mode === 'true' ? true : 'auto';
          let result;
          t[mode]?.push(time(() => (result = c.run(compile))));
          if (mode === 'auto') {
            compiled = result?.compiled ?? false;
            steps = result?.steps ?? 0;
          }
        }
      }
    }
    const [a, e, k] = [least(t.auto ?? []), least(t.false ?? []), least(t.true ?? [])];
    console.log(
      `${c.name.padEnd(20)} steps ${String(steps).padStart(5)}  default ${compiled ? 'compiled' : 'eager   '}  default/eager ${(a / e).toFixed(2)}  always-compiled/eager ${(k / e).toFixed(2)}  ms: eager ${e.toFixed(1)} default ${a.toFixed(1)} compiled ${k.toFixed(1)}`,
    );
  }
}
