// Saving a model and its optimizer as JSON and loading them back: into a fresh model of
// the same shape to predict, and into a fresh model and optimizer to resume training
// exactly where it stopped. JSON keeps every double exactly, so the resumed run matches
// an uninterrupted one bit for bit, which this program checks.
//
//   npx tsx save-load-weights.ts (in this repository: pnpm examples save-load-weights)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { moons } from '@ag/data';
import { Adam, MLP, evaluate, fit, hinge, seededRandom } from '@ag/nn';

const data = moons({ samples: 100, noise: 0.1, labels: 'pm1', seed: 7 });
const shape = [16, 1];

/** A new model (weights drawn from `seed`) and its Adam optimizer. */
function setup(seed: number) {
  const model = new MLP(2, shape, { random: seededRandom(seed) });
  return { model, optimizer: new Adam(model.parameters(), { lr: 0.05 }) };
}

function train(run: ReturnType<typeof setup>, epochs: number) {
  fit({ ...run, data, loss: hinge, mode: { batchSize: 20 }, epochs });
}

// Train for 30 epochs, then save the weights and the optimizer's state (Adam's running
// means, its step count) to a file.
const first = setup(1);
train(first, 30);
const dir = mkdtempSync(join(tmpdir(), 'ag-weights-'));
const file = join(dir, 'checkpoint.json');
writeFileSync(
  file,
  JSON.stringify({ model: first.model.stateDict(), optimizer: first.optimizer.stateDict() }),
);
console.log(`saved ${first.model.numParameters} parameters and the optimizer state`);

// Load into a model drawn from another seed: it now computes exactly what the first does.
const checkpoint = JSON.parse(readFileSync(file, 'utf8')) as { model: unknown; optimizer: unknown };
rmSync(dir, { recursive: true, force: true });
const loaded = setup(2);
loaded.model.loadStateDict(checkpoint.model); // checks every name, shape and number first
const differing = data.x.filter(
  (x) => !Object.is(loaded.model.forward(x)[0]?.data, first.model.forward(x)[0]?.data),
).length;
console.log(
  `accuracy after 30 epochs: ${evaluate({ model: loaded.model, data, loss: hinge }).accuracy}`,
);

// Resume: load the optimizer too and train 30 more epochs; compare with 60 in one go.
loaded.optimizer.loadStateDict(checkpoint.optimizer);
train(loaded, 30);
const straight = setup(1);
train(straight, 60);
const resumed = loaded.model.parameters().map((p) => p.data);
const reference = straight.model.parameters().map((p) => p.data);
const { accuracy } = evaluate({ model: loaded.model, data, loss: hinge });
console.log(`accuracy after 60 epochs, resumed: ${accuracy}`);

// The self-check.
if (differing > 0) throw new Error(`the loaded model differs on ${differing} samples`);
if (!resumed.every((w, i) => Object.is(w, reference[i]))) {
  throw new Error('the resumed run differs from the uninterrupted one');
}
if (!(accuracy >= 0.9)) throw new Error(`accuracy ${accuracy}, expected at least 0.9`);
