import { MLP, mse } from '@ag/nn';
import { record } from '../../../packages/core/src/compile/compile.js';
import { layoutOf } from '../../../packages/core/src/compile/inputs.js';
import { wasmDescend } from '../../../packages/core/src/compile/wasm-descend.js';
const sizes = (process.argv[2] ?? '64,64,64,10').split(',').map(Number);
const model = new MLP(sizes[0]!, sizes.slice(1), { activation: 'tanh' });
const layout = layoutOf({ x: new Array(sizes[0]).fill(0), y: [0] } as any, 'x');
let t = performance.now();
const tape: any = record((i: any) => mse([model.forward(i.x).reduce((a: any, b: any) => a.add(b))].map((v) => [v]) as any, [i.y]), layout, model.parameters(), () => 0.5, 'x');
console.log('record', (performance.now() - t).toFixed(1), 'ops', tape.op.length, 'stmts', tape.op.length + tape.backward.length + tape.args.length);
t = performance.now();
const d = wasmDescend(tape, layout)!;
console.log('wasmDescend', (performance.now() - t).toFixed(1));
const cols = [new Float64Array(sizes[0]! * 8).fill(0.1), new Float64Array(8).fill(0.2)];
const L = new Float64Array(8);
for (let r = 0; r < 5; r++) { t = performance.now(); d(cols, 8, 1e-4, L); console.log('call', (performance.now() - t).toFixed(2)); }
{
  const t0 = performance.now();
  const model2 = new MLP(sizes[0]!, sizes.slice(1), { activation: 'tanh' });
  const tape2: any = record((i: any) => mse([model2.forward(i.x).reduce((a: any, b: any) => a.add(b))].map((v) => [v]) as any, [i.y]), layout, model2.parameters(), () => 0.5, 'x');
  const t1 = performance.now();
  const d2 = wasmDescend(tape2, layout)!;
  const t2 = performance.now();
  d2(cols, 8, 1e-4, L);
  console.log('second model: record', (t1 - t0).toFixed(1), 'wasmDescend (cached module)', (t2 - t1).toFixed(1), 'first call', (performance.now() - t2).toFixed(1));
}
