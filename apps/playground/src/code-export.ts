import { FEATURE_INFO } from './features.js';
import type { PlaygroundState } from './playground-state.js';
import { FEATURES, isOneDimensional, isRegression } from './playground-state.js';
import { chunkSize, initFor } from './training-session.js';

/** The feature formulas as TypeScript, over a point `p = [x1, x2]`. */
const FEATURE_CODE: Record<(typeof FEATURES)[number], string> = {
  x1: 'p[0]',
  x2: 'p[1]',
  x1sq: 'p[0] * p[0]',
  x2sq: 'p[1] * p[1]',
  x1x2: 'p[0] * p[1]',
  sinx1: 'Math.sin(p[0])',
  sinx2: 'Math.sin(p[1])',
};

const LOSS_CODE: Record<PlaygroundState['loss'], string> = {
  hinge: 'hinge',
  bce: 'binaryCrossEntropyWithLogits',
  mse: 'mse',
  mae: 'mae',
  huber: 'huber',
};

function dataCode(s: Readonly<PlaygroundState>): { imports: string[]; code: string } {
  const common = `samples: ${s.samples}, noise: ${s.noise}, seed: dataRng`;
  switch (s.dataset) {
    case 'moons':
    case 'spirals':
    case 'xor':
      return { imports: [s.dataset], code: `${s.dataset}({ ${common} })` };
    case 'circles':
      return { imports: ['circles'], code: `circles({ ${common}, factor: 0.5 })` };
    case 'blobs':
      return {
        imports: ['blobs'],
        code: `blobs({ ${common}, centers: [[-1, -1], [1, 1]], clusterStd: 0.5 })`,
      };
    case 'line':
      return {
        imports: ['linear'],
        code: `linear({ ${common}, slope: ${s.m}, intercept: ${s.c} })`,
      };
    case 'plane':
    case 'gaussians': {
      // The playground's own 2-D regression sets, written out (they are not in @ag/data).
      const target =
        s.dataset === 'plane'
          ? '0.6 * a - 0.4 * b'
          : `[[-0.8, -0.8, 1], [0.8, 0.8, 1], [-0.8, 0.8, -1], [0.8, -0.8, -1]].reduce(
      (t, [cx, cy, sign]) => t + sign * Math.exp(-((a - cx) ** 2 + (b - cy) ** 2) / (2 * 0.45 * 0.45)),
      0,
    )`;
      return {
        imports: [],
        code: `(() => {
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < ${s.samples}; i++) {
    const a = dataRng.uniform(-1.5, 1.5);
    const b = dataRng.uniform(-1.5, 1.5);
    x.push([a, b]);
    y.push(${target} + ${s.noise > 0 ? `dataRng.normal(0, ${s.noise})` : '0'});
  }
  return { x, y };
})()`,
      };
    }
  }
}

/**
 * A short TypeScript program that repeats a playground run with @ag/data and @ag/nn: the
 * same data, split, initial weights and order of samples (all from the seed), the same
 * updates, so after `steps` updates it prints the same training loss as the page, digit
 * for digit.
 * @example
 *   programFor(DEFAULT_STATE, 100, 337); // 'import { Rng, moons, trainTestSplit } from ...'
 */
export function programFor(
  s: Readonly<PlaygroundState>,
  steps: number,
  parameterCount: number,
): string {
  const data = dataCode(s);
  const oneD = isOneDimensional(s.dataset);
  const features = oneD
    ? 'p'
    : `[${FEATURES.filter((f) => s.features.includes(f))
        .map((f) => FEATURE_CODE[f])
        .join(', ')}]`;
  const featureComment = oneD
    ? ''
    : ` // ${FEATURES.filter((f) => s.features.includes(f))
        .map((f) => FEATURE_INFO[f].label)
        .join(', ')}`;
  const lossName = LOSS_CODE[s.loss];
  const regression = isRegression(s.dataset);
  const target = regression || s.loss === 'bce' ? 'y' : '(y === 1 ? 1 : -1)';
  const optimizer = s.optimizer === 'adam' ? 'Adam' : 'SGD';
  const l2 = s.regularization === 'l2' && s.l2 > 0;
  const l1 = s.regularization === 'l1' && s.l2 > 0;
  const nnImports = ['MLP', optimizer, lossName, ...(l2 ? ['l2Penalty'] : [])].sort();
  const dataImports = ['Rng', ...data.imports, 'trainTestSplit'];
  const batch =
    s.mode === 'online' ? '1' : s.mode === 'batch' ? 'n' : `Math.min(${s.batchSize}, n)`;
  return `// Trains the @ag playground's model: ${s.dataset}, ${[...s.hidden, 1].join('-')} ${s.activation}, ${s.loss}, ${optimizer}, seed ${s.seed}.
// Run it inside the @ag workspace (from apps/playground):
//   node --conditions=@ag/source --import tsx train.ts
import { noGrad } from '@ag/core';
import { ${dataImports.join(', ')} } from '@ag/data';
import { ${nnImports.join(', ')} } from '@ag/nn';

// One seed, four independent streams: data, split, initial weights, shuffling.
const root = new Rng(${s.seed});
const dataRng = root.fork();
const splitRng = root.fork();
const initRng = root.fork();
const shuffle = root.fork();

const data = ${data.code};
const { train } = trainTestSplit(data, { testSize: ${s.testRatio}, seed: splitRng });
const features = (p: number[]): number[] => ${features};${featureComment}
const X = train.x.map(features);
const T = train.y.map((y) => ${target});
const n = X.length;

const model = new MLP(X[0]!.length, [${[...s.hidden, 1].join(', ')}], {
  activation: '${s.activation}',
  init: '${initFor(s)}',
  random: initRng.toFunction(),
});
const optimizer = new ${optimizer}(model.parameters(), { lr: ${s.learningRate} });
const batchSize = ${batch};
// The page works through a batch in chunks of ${chunkSize(parameterCount)} samples (so a frame stays short); the
// chunks' losses, weighted by their share, add up to the batch's mean loss.
const chunk = ${chunkSize(parameterCount)};

let order = shuffle.permutation(n);
let cursor = 0;
for (let step = 0; step < ${steps}; step++) {
  if (cursor >= n) {
    order = shuffle.permutation(n);
    cursor = 0;
  }
  const batch = order.slice(cursor, cursor + batchSize);
  optimizer.zeroGrad();
  for (let done = 0; done < batch.length; done += chunk) {
    const part = batch.slice(done, done + chunk);
    let loss = ${lossName}(
      part.map((i) => model.forward(X[i]!)[0]!),
      part.map((i) => T[i]!),
    );
    if (part.length < batch.length) loss = loss.mul(part.length / batch.length);${
      l2
        ? `
    if (done + part.length >= batch.length) loss = loss.add(l2Penalty(model.parameters(), ${s.l2}));`
        : ''
    }
    loss.backward();
  }
  optimizer.step();${
    l1
      ? `
  // L1 as a proximal step: every weight (not the biases) shrinks by lr·rate, stopping at 0.
  const tau = ${s.learningRate} * ${s.l2};
  for (const layer of model.layers)
    for (const neuron of layer.neurons)
      for (const w of neuron.w) w.data = w.data > tau ? w.data - tau : w.data < -tau ? w.data + tau : 0;`
      : ''
  }
  cursor += batch.length;
}

const outputs = X.map((x) => model.forward(x)[0]!.data);
const finalLoss = noGrad(() => ${lossName}(outputs, T).data);
console.log(\`after ${steps} updates: train loss \${finalLoss}\`);
`;
}
