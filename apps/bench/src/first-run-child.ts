/**
 * One first run (see first-run.ts): `first-run-child.ts <contender> <W1 steps>
 * <W2 steps>` runs the contender once in this fresh process and prints its
 * report as one line of JSON.
 */
import { runOnce } from './first-run.js';

const [name, w1Steps, w2Steps] = process.argv.slice(2);
if (name === undefined || w1Steps === undefined || w2Steps === undefined) {
  console.error('usage: first-run-child.ts <contender> <W1 steps> <W2 steps>');
  process.exitCode = 2;
} else {
  const report = runOnce(name, { w1Steps: Number(w1Steps), w2Steps: Number(w2Steps) });
  console.log(JSON.stringify(report));
}
