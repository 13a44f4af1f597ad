// `compile` records the graph of a function once and replays it for new inputs without
// building a graph per call; `descend` runs the notebook's online loop (an SGD step after
// every sample) inside the compiled code. The same numbers as the eager loop, bit for bit,
// which this program checks, at about the speed of the same loop written by hand.
//
//   npx tsx compile-descend.ts  (in this repository: pnpm examples compile-descend)
import { compile, Value } from '@ag/core';
import { linear } from '@ag/data';

const data = linear({ samples: 200, slope: 3, intercept: 4, noise: 0.1, noiseType: 'gaussian' });
const xs = data.x.map(([x]) => x ?? NaN);
const ys = data.y;
const lr = 0.05;
const epochs = 300;

// The eager loop: a new graph for every sample, backward through it, then the update.
const m1 = new Value(0, { label: 'm' });
const c1 = new Value(0, { label: 'c' });
for (let epoch = 0; epoch < epochs; epoch++) {
  xs.forEach((x, i) => {
    const loss = m1
      .mul(x)
      .add(c1)
      .sub(ys[i] ?? NaN)
      .square(); // (m·x + c − y)²
    m1.zeroGrad();
    c1.zeroGrad();
    loss.backward(); // ∂loss/∂m = 2(m·x + c − y)·x, ∂loss/∂c = 2(m·x + c − y)
    m1.data -= lr * m1.grad;
    c1.data -= lr * c1.grad;
  });
}

// The same loss, recorded once over two scalar inputs, x and y; m and c, which require a
// gradient, are read live at every call and trained.
const m2 = new Value(0, { label: 'm' });
const c2 = new Value(0, { label: 'c' });
const step = compile(({ x, y }) => m2.mul(x).add(c2).sub(y).square(), { inputs: ['x', 'y'] });
console.log(`compiled ${step.size} ops, replayed by ${step.mode}`);

// A column of numbers per input; `losses` receives each sample's loss of the last pass.
const columns = { x: Float64Array.from(xs), y: Float64Array.from(ys) };
const losses = new Float64Array(xs.length);
let total = 0;
for (let epoch = 0; epoch < epochs; epoch++) total = step.descend(columns, lr, losses);

console.log(`eager:    m = ${m1.data.toFixed(4)}, c = ${c1.data.toFixed(4)}`);
console.log(`compiled: m = ${m2.data.toFixed(4)}, c = ${c2.data.toFixed(4)}`);
console.log(`mean loss of the last pass: ${(total / xs.length).toFixed(5)}`);
// `run` is the forward value alone: the fitted line's squared error at one point.
console.log(`loss at (x = 0.5, y = 5.5): ${step.run({ x: 0.5, y: 5.5 }).toFixed(5)}`);

// The self-check: the fused loop is the eager loop, bit for bit, and it found the line.
if (!Object.is(m1.data, m2.data) || !Object.is(c1.data, c2.data)) {
  throw new Error(`compiled (${m2.data}, ${c2.data}) differs from eager (${m1.data}, ${c1.data})`);
}
if (!(Math.abs(m2.data - 3) < 0.15 && Math.abs(c2.data - 4) < 0.15)) {
  throw new Error(`fitted y = ${m2.data}·x + ${c2.data}, expected about y = 3x + 4`);
}
