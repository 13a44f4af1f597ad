// micrograd's demo: a 2-16-16-1 network with ReLU hidden layers learns to separate two
// interleaving half circles ("moons"), with the max-margin (hinge) loss plus an L2
// penalty, full-batch SGD and a learning rate that decays linearly from 1.
//
//   npx tsx moons-mlp.ts        (in this repository: pnpm examples moons-mlp)
import { add, type Value } from '@ag/core';
import { moons } from '@ag/data';
import { MLP, SGD, evaluate, fit, hinge, l2Penalty, linearDecay, seededRandom } from '@ag/nn';

// Labels ±1, as the hinge loss wants; a seed for the points and one for the weights.
const data = moons({ samples: 100, noise: 0.1, labels: 'pm1', seed: 1 });
const model = new MLP(2, [16, 16, 1], { random: seededRandom(1337) });
const params = model.parameters();

// The loss over the whole batch: mean hinge loss relu(1 − y·score), plus α·Σp². Under
// `compile` the labels arrive as the recording's placeholders, so they may be Values.
const loss = (scores: Value[][], labels: (number | Value)[]) =>
  add(hinge(scores, labels), l2Penalty(params, 1e-4));

const { history } = fit({
  model,
  data,
  loss,
  optimizer: new SGD(params, { lr: 1 }),
  mode: 'batch',
  epochs: 100,
  schedule: linearDecay(1, { steps: 100 }), // lr = 1 − 0.9·k/100, micrograd's
  // The graph of this model and loss does not depend on the data: record it once and
  // replay it, which gives the same numbers as eager training, bit for bit, faster.
  compile: true,
  onEpoch: ({ epoch, loss }) => {
    if (epoch % 20 === 0) console.log(`epoch ${epoch}: loss ${loss.toFixed(4)}`);
  },
});

const { accuracy } = evaluate({ model, data, loss });
console.log(`${params.length} parameters, final loss ${history.at(-1)?.toFixed(4)}`);
console.log(`training accuracy ${(accuracy * 100).toFixed(0)}%`);

// The self-check: micrograd's network separates the moons completely.
if (!(accuracy >= 0.99)) throw new Error(`accuracy ${accuracy}, expected at least 0.99`);
if (!((history.at(-1) ?? Infinity) < (history[0] ?? 0) / 10)) {
  throw new Error(`the loss fell only from ${history[0]} to ${history.at(-1)}`);
}
