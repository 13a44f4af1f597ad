// Compiled replay against the eager engine, as `fit` uses them (issue 17):
// per model size and training mode, the time of a whole training run, compile
// included, for eager and for compile's three modes, as ratios to eager.
//
//   node packages/core/scripts/replay-vs-eager.mjs            warm: one process, variants alternating
//   node packages/core/scripts/replay-vs-eager.mjs --first    first call: a fresh process per run
//   options: --only size[,size] --modes mode[,mode] --variants v[,v] --rounds N --wall
//
// Times are CPU time of the process (all threads: the optimizing compiler's and
// the collector's included), which a loaded machine disturbs less than wall
// time; --wall reports wall time instead. Medians over the rounds (warm: the
// first round, which fills the code cache, is left out).
// Sizes: lin = Linear(1,1) + mse; w5 = MLP(2,[16,16,1]) relu + hinge (issue 17's
// W5); mid = MLP(8,[32,32,1]) tanh + mse; big = MLP(64,[64,64,10]) relu + mse.
// Modes: descend (online plain SGD, f.descend per pass), online (f.backward per
// sample + an SGD step), minibatch (a graph per batch size, 32 and the
// remainder 8, f.backward per batch), accumulate (the one-sample graph,
// f.accumulate per batch of 32), batch (one graph of all 200 samples).
// Reads packages/core/dist: build first (npx tsup in packages/core).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { affine, compile, mul, sub, sum, Value } from '../dist/index.js';

const SIZES = {
  lin: { nin: 1, sizes: [1], act: 'linear', loss: 'mse', epochs: 30 },
  tiny: { nin: 2, sizes: [4, 4, 1], act: 'relu', loss: 'hinge', epochs: 30 },
  small: { nin: 2, sizes: [8, 8, 1], act: 'relu', loss: 'hinge', epochs: 30 },
  w5: { nin: 2, sizes: [16, 16, 1], act: 'relu', loss: 'hinge', epochs: 30 },
  mid: { nin: 8, sizes: [32, 32, 1], act: 'tanh', loss: 'mse', epochs: 6 },
  big: { nin: 64, sizes: [64, 64, 10], act: 'relu', loss: 'mse', epochs: 3, lr: 1e-4 },
};
const MODES = ['descend', 'online', 'minibatch', 'accumulate', 'batch'];
const VARIANTS = ['eager', 'auto', 'codegen', 'interpreter'];
const N = 200;
const BATCH = 32;
const LR = 0.01;
const lrOf = (spec) => spec.lr ?? LR;

/** A seeded generator in [0, 1): the same weights and data in every process. */
function lcg(seed) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function dataOf(spec) {
  const r = lcg(7);
  const out = spec.sizes[spec.sizes.length - 1];
  const x = [];
  const y = [];
  for (let i = 0; i < N; i++) {
    x.push(Array.from({ length: spec.nin }, () => 2 * r() - 1));
    if (spec.loss === 'hinge') y.push(r() < 0.5 ? -1 : 1);
    else y.push(Array.from({ length: out }, () => 2 * r() - 1));
  }
  return { x, y };
}

function modelOf(spec) {
  const r = lcg(1337);
  const layers = [];
  let nin = spec.nin;
  for (const width of spec.sizes) {
    const layer = [];
    for (let j = 0; j < width; j++)
      layer.push(Array.from({ length: nin + 1 }, () => new Value(2 * r() - 1)));
    layers.push(layer);
    nin = width;
  }
  const params = layers.flat(2);
  const forward = (x) => {
    let h = x;
    layers.forEach((layer, l) => {
      const last = l === layers.length - 1;
      h = layer.map((wb) => {
        const z = affine(wb, h);
        return last || spec.act === 'linear' ? z : spec.act === 'relu' ? z.relu() : z.tanh();
      });
    });
    return h;
  };
  return { params, forward };
}

/** The loss of `count` samples: outputs of forward over xs (rows), targets ys. */
function lossOf(spec, forward, rows, targets) {
  const terms = [];
  for (let i = 0; i < rows.length; i++) {
    const out = forward(rows[i]);
    if (spec.loss === 'hinge') terms.push(sub(1, mul(targets[i], out[0])).relu());
    else out.forEach((o, j) => terms.push(o.sub(targets[i][j]).square()));
  }
  return terms.length === 1 ? terms[0] : sum(terms).div(rows.length);
}

const width = (spec) => (spec.loss === 'hinge' ? 1 : spec.sizes[spec.sizes.length - 1]);

function step(params, lr) {
  for (const p of params) {
    p.data -= lr * p.grad;
    p.grad = 0;
  }
}

/** Compiles the loss over b samples, with vector inputs x (b·nin) and y (b·width). */
function compileBatch(spec, forward, params, b, mode) {
  const nin = spec.nin;
  const w = width(spec);
  return compile(
    ({ x, y }) => {
      const rows = [];
      const targets = [];
      for (let r = 0; r < b; r++) {
        rows.push(x.slice(r * nin, (r + 1) * nin));
        targets.push(spec.loss === 'hinge' ? y[r] : y.slice(r * w, (r + 1) * w));
      }
      return lossOf(spec, forward, rows, targets);
    },
    {
      inputs: { x: new Array(b * nin).fill(0), y: new Array(b * w).fill(0) },
      parameters: params,
      mode,
    },
  );
}

const flatY = (spec, y) => (spec.loss === 'hinge' ? y : y.flat());

/** One training run (compile included); returns a checksum of the trained weights. */
function train(sizeName, modeName, variant) {
  const spec = SIZES[sizeName];
  const { x, y } = dataOf(spec);
  const { params, forward } = modelOf(spec);
  const w = width(spec);
  const eager = variant === 'eager';
  const batches = (size) => {
    const out = [];
    for (let s = 0; s < N; s += size) out.push([s, Math.min(N, s + size)]);
    return out;
  };
  if (modeName === 'descend' || modeName === 'online') {
    if (eager) {
      for (let e = 0; e < spec.epochs; e++)
        for (let i = 0; i < N; i++) {
          lossOf(spec, forward, [x[i]], [y[i]]).backward();
          step(params, lrOf(spec));
        }
    } else {
      const f = compileBatch(spec, forward, params, 1, variant);
      if (modeName === 'descend') {
        const columns = { x: Float64Array.from(x.flat()), y: Float64Array.from(flatY(spec, y)) };
        for (let e = 0; e < spec.epochs; e++) f.descend(columns, lrOf(spec));
      } else {
        const sample = { x: new Float64Array(spec.nin), y: new Float64Array(w) };
        for (let e = 0; e < spec.epochs; e++)
          for (let i = 0; i < N; i++) {
            sample.x.set(x[i]);
            if (spec.loss === 'hinge') sample.y[0] = y[i];
            else sample.y.set(y[i]);
            f.backward(sample);
            step(params, lrOf(spec));
          }
      }
    }
  } else if (modeName === 'minibatch' || modeName === 'batch') {
    const size = modeName === 'batch' ? N : BATCH;
    const list = batches(size);
    if (eager) {
      for (let e = 0; e < spec.epochs; e++)
        for (const [s, t] of list) {
          lossOf(spec, forward, x.slice(s, t), y.slice(s, t)).backward();
          step(params, lrOf(spec));
        }
    } else {
      const byB = new Map();
      for (const [s, t] of list)
        if (!byB.has(t - s)) {
          const f = compileBatch(spec, forward, params, t - s, variant);
          byB.set(t - s, {
            f,
            sample: { x: new Float64Array((t - s) * spec.nin), y: new Float64Array((t - s) * w) },
          });
        }
      const X = x.flat();
      const Y = flatY(spec, y);
      for (let e = 0; e < spec.epochs; e++)
        for (const [s, t] of list) {
          const { f, sample } = byB.get(t - s);
          for (let j = 0; j < (t - s) * spec.nin; j++) sample.x[j] = X[s * spec.nin + j];
          for (let j = 0; j < (t - s) * w; j++) sample.y[j] = Y[s * w + j];
          f.backward(sample);
          step(params, lrOf(spec));
        }
    }
  } else if (modeName === 'accumulate') {
    const list = batches(BATCH);
    if (eager) {
      for (let e = 0; e < spec.epochs; e++)
        for (const [s, t] of list) {
          for (let i = s; i < t; i++) lossOf(spec, forward, [x[i]], [y[i]]).backward();
          step(params, lrOf(spec));
        }
    } else {
      const f = compileBatch(spec, forward, params, 1, variant);
      const samples = x.map((row, i) => ({
        x: Float64Array.from(row),
        y: Float64Array.from(spec.loss === 'hinge' ? [y[i]] : y[i]),
      }));
      for (let e = 0; e < spec.epochs; e++)
        for (const [s, t] of list) {
          f.accumulate(samples.slice(s, t));
          step(params, lrOf(spec));
        }
    }
  } else throw new Error(`unknown mode ${modeName}`);
  let check = 0;
  for (const p of params) check += p.data;
  return check;
}

function timed(size, mode, variant) {
  const t = performance.now();
  const c = process.cpuUsage();
  const check = train(size, mode, variant);
  const { user, system } = process.cpuUsage(c);
  return { ms: performance.now() - t, cpu: (user + system) / 1000, check };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function args() {
  const a = process.argv.slice(2);
  const get = (name, fallback) => {
    const i = a.indexOf(name);
    return i < 0 ? fallback : a[i + 1];
  };
  return {
    first: a.includes('--first'),
    wall: a.includes('--wall'),
    child: a.includes('--child')
      ? a.slice(a.indexOf('--child') + 1, a.indexOf('--child') + 4)
      : null,
    sizes: get('--only', Object.keys(SIZES).join(',')).split(','),
    modes: get('--modes', MODES.join(',')).split(','),
    rounds: Number(get('--rounds', '5')),
    variants: get('--variants', VARIANTS.join(',')).split(','),
  };
}

function main() {
  const o = args();
  if (o.child !== null) {
    const [size, mode, variant] = o.child;
    process.stdout.write(JSON.stringify(timed(size, mode, variant)));
    return;
  }
  const self = fileURLToPath(import.meta.url);
  const heads = o.variants.map((v) => (v === 'eager' ? 'eager' : `${v}/eager`));
  console.log(`| size | mode | ${heads.join(' | ')} | weights |`);
  console.log(`|---|---|${heads.map(() => '---|').join('')}---|`);
  const rows = [];
  for (const size of o.sizes)
    for (const mode of o.modes) {
      const times = Object.fromEntries(o.variants.map((v) => [v, []]));
      const checks = new Set();
      for (let r = 0; r < o.rounds; r++) {
        // Alternating, and each round in another order.
        const order = o.variants.map((_, i) => o.variants[(i + r) % o.variants.length]);
        for (const v of order) {
          let result;
          if (o.first) {
            const p = spawnSync(process.execPath, [self, '--child', size, mode, v], {
              encoding: 'utf8',
            });
            if (p.status !== 0) throw new Error(p.stderr);
            result = JSON.parse(p.stdout);
          } else result = timed(size, mode, v);
          // Warm: the first round only warms up (compiles, fills the code cache).
          if (o.first || r > 0) times[v].push(o.wall ? result.ms : result.cpu);
          checks.add(result.check);
        }
      }
      const eager = median(times.eager ?? [NaN]);
      const cells = o.variants.map((v) => {
        const m = median(times[v]);
        return v === 'eager' ? `${m.toFixed(1)} ms` : (m / eager).toFixed(2);
      });
      // Every variant trains to the same weights, bit for bit: one checksum.
      const row = `| ${size} | ${mode} | ${cells.join(' | ')} | ${checks.size === 1 ? 'same' : 'DIFFER'} |`;
      rows.push(row);
      console.log(row);
    }
  return rows;
}

main();
