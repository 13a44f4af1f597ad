/**
 * One first run (see first-run.ts): `first-run-child.ts <contender> <W1 steps>
 * <W2 steps> <W5 epochs>` runs the contender once in this fresh process and
 * prints its report as one line of JSON.
 */
import { runOnce } from './first-run.js';

const [name, w1Steps, w2Steps, w5Epochs] = process.argv.slice(2);
if (
  name === undefined ||
  w1Steps === undefined ||
  w2Steps === undefined ||
  w5Epochs === undefined
) {
  console.error('usage: first-run-child.ts <contender> <W1 steps> <W2 steps> <W5 epochs>');
  process.exitCode = 2;
} else {
  const report = runOnce(name, {
    w1Steps: Number(w1Steps),
    w2Steps: Number(w2Steps),
    w5Epochs: Number(w5Epochs),
  });
  console.log(JSON.stringify(report));
}
