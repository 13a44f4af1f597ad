// A consumer's first five minutes, without the workspace: pack @ag/core, @ag/nn,
// @ag/data and @ag/io with pnpm, install the tarballs with npm into a project under the OS temp
// folder, then use them from an ES module, from CommonJS (require(esm), Node 20.19+),
// from TypeScript under `nodenext` and `bundler` resolution, and check that a Value made
// inside @ag/nn is an instance of @ag/core's Value (one class at run time).
//
//   node scripts/consumer-smoke.mjs        (after building the packages)
//   KEEP=1 node scripts/consumer-smoke.mjs (keep the temp project to poke at)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pack, publishedPackages, root } from './pack.mjs';

const project = mkdtempSync(join(tmpdir(), 'ag-consumer-'));
const tarballs = join(project, 'tarballs');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const results = [];

function report(label, ok, detail = '') {
  results.push({ label, ok });
  const line = `${ok ? 'PASS' : 'FAIL'} consumer: ${label}`;
  if (ok) console.log(line);
  else console.error(`${line}\n${detail.trim().replace(/^/gm, '    ')}`);
}

/** Runs a command in the temp project and reports PASS/FAIL with its output on failure. */
function check(label, cmd, args) {
  const result = spawnSync(cmd, args, { cwd: project, encoding: 'utf8' });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`;
  report(label, result.status === 0, output);
  return result.status === 0;
}

// The same computation in every module system: f(x) = x·tanh(x) + x², at x = 0.7.
// Its derivative by hand is tanh(x) + x·(1 − tanh²(x)) + 2x; the ES module also compares
// the backward() gradient with a central difference of the forward pass. Then the three
// packages together: moons from @ag/data, an MLP seeded by an @ag/data Rng, an mse loss.
const esm = `
import { Value } from '@ag/core';
import { MLP, mse } from '@ag/nn';
import { Rng, moons } from '@ag/data';
import { leastSquares } from '@ag/optimize';

const f = (x) => x.mul(x.tanh()).add(x.mul(x));
const x = new Value(0.7);
const y = f(x);
y.backward();
const t = Math.tanh(0.7);
const byHand = t + 0.7 * (1 - t * t) + 2 * 0.7;
const h = 1e-6;
const numeric = (f(new Value(0.7 + h)).data - f(new Value(0.7 - h)).data) / (2 * h);
if (Math.abs(y.data - (0.7 * t + 0.49)) > 1e-12) throw new Error('forward: ' + y.data);
if (Math.abs(x.grad - byHand) > 1e-12) throw new Error('grad ' + x.grad + ', by hand ' + byHand);
if (Math.abs(x.grad - numeric) > 1e-6) throw new Error('grad ' + x.grad + ', numeric ' + numeric);

const data = moons({ samples: 8, seed: 1 });
const model = new MLP(2, [4, 1], { random: new Rng(7).toFunction() });
const loss = mse(data.x.map((row) => model.forward(row)[0]), data.y);
loss.backward();
const grads = model.parameters().map((p) => p.grad);
if (!grads.every(Number.isFinite) || grads.every((g) => g === 0)) {
  throw new Error('MLP gradients: ' + grads.join(', '));
}
// y = 2x + 1 through (0, 1), (1, 3), (2, 5): least squares finds m = 2, c = 1.
const fit = leastSquares(([m, c]) => [0, 1, 2].map((u) => m.mul(u).add(c).sub(2 * u + 1)), [0, 0]);
if (!fit.converged || Math.abs(fit.x[0] - 2) > 1e-9 || Math.abs(fit.x[1] - 1) > 1e-9) {
  throw new Error('leastSquares: ' + fit.x.join(', ') + ', ' + fit.message);
}
console.log('dy/dx =', x.grad, '(central difference', numeric + '); mse', loss.data);

// @ag/io: weights to safetensors and back bit for bit, and an ONNX model whose first
// bytes are, by hand, protobuf field 1 (ir_version, varint: tag 0x08) holding 8.
const { saveSafetensors, loadSafetensors, toOnnx } = await import('@ag/io');
const copy = new MLP(2, [4, 1], { random: new Rng(8).toFunction() });
loadSafetensors(copy, saveSafetensors(model));
if (!copy.parameters().every((p, i) => Object.is(p.data, model.parameters()[i].data))) {
  throw new Error('safetensors round trip changed a weight');
}
const onnx = toOnnx(model, { dtype: 'float32' });
if (!(onnx instanceof Uint8Array) || onnx[0] !== 0x08 || onnx[1] !== 8) {
  throw new Error('toOnnx: not a ModelProto of IR version 8: ' + onnx.slice(0, 4).join(' '));
}
console.log('safetensors round trip ok; ONNX model of', onnx.length, 'bytes');
`;

const cjs = `
const { Value } = require('@ag/core');
const { MLP, mse } = require('@ag/nn');
const { Rng, moons } = require('@ag/data');
const { toTorchStateDict } = require('@ag/io');
const { minimize } = require('@ag/optimize');

const x = new Value(0.7);
const y = x.mul(x.tanh()).add(x.mul(x));
y.backward();
const t = Math.tanh(0.7);
const byHand = t + 0.7 * (1 - t * t) + 2 * 0.7;
if (Math.abs(x.grad - byHand) > 1e-12) throw new Error('grad ' + x.grad + ', by hand ' + byHand);
const data = moons({ samples: 4, seed: 1 });
const model = new MLP(2, [3, 1], { random: new Rng(7).toFunction() });
const loss = mse(data.x.map((row) => model.forward(row)[0]), data.y);
if (!(loss instanceof Value)) throw new Error('the @ag/nn loss is not the required @ag/core Value');
if (toTorchStateDict(model)['0.weight'].shape.join() !== '3,2') throw new Error('@ag/io shapes');
const min = minimize(([u]) => u.sub(3).square(), [0]);
if (Math.abs(min.x[0] - 3) > 1e-8) throw new Error('minimize: ' + min.x[0]);
// require(esm) and import() must hand out the very same module, hence the same class.
import('@ag/core').then((m) => {
  if (m.Value !== Value) throw new Error('require() and import() gave two Value classes');
  console.log('require(esm) ok, same Value as import()');
});
`;

// A Value that @ag/nn creates must be an @ag/core Value: a second copy of core (a dual
// build, core bundled into nn, or a nested install) would break instanceof and mixing.
const identity = `
import { Value } from '@ag/core';
import { MLP, mse, seededRandom } from '@ag/nn';
import { createRequire } from 'node:module';

const model = new MLP(2, [3, 1], { random: seededRandom(3) });
const [out] = model.forward([0.5, -0.25]);
const produced = {
  'MLP.forward output': out,
  'MLP parameter': model.parameters()[0],
  'mse loss': mse([out, new Value(0.5)], [1, 0]),
};
for (const [where, v] of Object.entries(produced)) {
  if (!(v instanceof Value)) throw new Error(where + ' is not an instance of @ag/core Value');
}
// Mixing both ways: a core Value fed through nn, and an nn Value used in core ops.
const mixed = out.mul(new Value(2)).add(1);
mixed.backward();
if (!(mixed instanceof Value)) throw new Error('mixing core and nn values failed');
// npm must have installed one @ag/core, shared by the consumer and @ag/nn.
const require = createRequire(import.meta.url);
const fromNn = createRequire(require.resolve('@ag/nn'));
if (fromNn.resolve('@ag/core') !== require.resolve('@ag/core')) {
  throw new Error('@ag/nn resolves its own copy of @ag/core');
}
console.log(Object.keys(produced).join(', '), '-> instanceof Value');
// @ag/io checks models with instanceof: the consumer's MLP must be its MLP.
const { toTorchStateDict } = await import('@ag/io');
const fromIo = createRequire(require.resolve('@ag/io'));
if (fromIo.resolve('@ag/nn') !== require.resolve('@ag/nn')) {
  throw new Error('@ag/io resolves its own copy of @ag/nn');
}
if (Object.keys(toTorchStateDict(model)).join() !== '0.weight,0.bias,2.weight,2.bias') {
  throw new Error('@ag/io did not take the consumer MLP as an MLP');
}
`;

// Type-level use: wrong types must be errors, so the declarations are not \`any\`.
const consumerTs = `
import { Value } from '@ag/core';
import { MLP, mse, type MLPOptions } from '@ag/nn';
import { Rng, moons, type Dataset } from '@ag/data';
import { saveSafetensors, toOnnx, type TorchStateDict, toTorchStateDict } from '@ag/io';

const x: Value = new Value(0.7, { label: 'x' });
const y: Value = x.mul(x.tanh()).add(x.mul(x));
y.backward();
const grad: number = x.grad;
// @ts-expect-error data is a number
const wrong: string = x.data;
// @ts-expect-error the constructor takes a number
new Value('0.7');

const data: Dataset = moons({ samples: 8, seed: 1 });
const options: MLPOptions = { random: new Rng(7).toFunction(), activation: 'tanh' };
const model = new MLP(2, [4, 1], options);
const predictions: Value[] = data.x.map((row) => model.forward(row)[0] as Value);
const loss: Value = mse(predictions, data.y);
// @ts-expect-error an unknown activation
new MLP(2, [1], { activation: 'swish' });
const state: TorchStateDict = toTorchStateDict(model);
const bytes: Uint8Array = saveSafetensors(model, { dtype: 'F32' });
// @ts-expect-error safetensors dtypes are F64 and F32
saveSafetensors(model, { dtype: 'float32' });
const onnx: Uint8Array = toOnnx(({ a, b }) => a.mul(b).tanh(), { inputs: ['a', 'b'] });
export const used = [grad, wrong, loss.data, state, bytes, onnx];
`;

// A CommonJS TypeScript file: under nodenext, TypeScript 5.8+ types require(esm) too.
const consumerCts = `
import { Value } from '@ag/core';
import { MLP } from '@ag/nn';
const x: Value = new Value(0.7);
x.tanh().backward();
const model: MLP = new MLP(1, [1]);
export = [x.grad, model.parameters().length];
`;

const tsconfig = (module, moduleResolution, files) => ({
  compilerOptions: {
    module,
    moduleResolution,
    target: 'ES2022',
    lib: ['ES2022'],
    types: [],
    strict: true,
    noEmit: true,
    // Check the shipped declarations too, not only their use.
    skipLibCheck: false,
  },
  files,
});

try {
  mkdirSync(tarballs);
  const paths = [];
  for (const { name, dir } of publishedPackages) {
    paths.push(pack(dir, tarballs));
    console.log(`packed ${name}`);
  }
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'ag-consumer', private: true, type: 'module' }, null, 2),
  );
  writeFileSync(join(project, 'esm.mjs'), esm);
  writeFileSync(join(project, 'cjs.cjs'), cjs);
  writeFileSync(join(project, 'identity.mjs'), identity);
  writeFileSync(join(project, 'consumer.ts'), consumerTs);
  writeFileSync(join(project, 'consumer-cjs.cts'), consumerCts);
  writeFileSync(
    join(project, 'tsconfig.nodenext.json'),
    JSON.stringify(tsconfig('nodenext', 'nodenext', ['consumer.ts', 'consumer-cjs.cts']), null, 2),
  );
  writeFileSync(
    join(project, 'tsconfig.bundler.json'),
    JSON.stringify(tsconfig('preserve', 'bundler', ['consumer.ts']), null, 2),
  );

  // The @ag packages come from the tarballs alone (checked below in the lockfile); the
  // registry packages they depend on (protobufjs for @ag/io) from npm's cache, else the registry.
  const installed = check('npm install of the tarballs', 'npm', [
    'install',
    '--prefer-offline',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    ...paths.map((path) => `./${relative(project, path)}`),
  ]);
  if (installed) {
    const lock = JSON.parse(readFileSync(join(project, 'package-lock.json'), 'utf8'));
    const fromRegistry = Object.entries(lock.packages)
      .filter(
        ([path, entry]) => /node_modules\/@ag\//.test(path) && !entry.resolved?.startsWith('file:'),
      )
      .map(([path, entry]) => `${path} from ${entry.resolved}`);
    report(
      'every @ag package installed from its tarball',
      fromRegistry.length === 0,
      fromRegistry.join('\n'),
    );
    check('ESM import, backward() against hand and numeric derivative', process.execPath, [
      'esm.mjs',
    ]);
    check('CommonJS require()', process.execPath, [
      '--disable-warning=ExperimentalWarning',
      'cjs.cjs',
    ]);
    check(
      'tsc --noEmit, moduleResolution nodenext (.ts as ESM, .cts as CommonJS)',
      process.execPath,
      [tsc, '-p', 'tsconfig.nodenext.json'],
    );
    check('tsc --noEmit, moduleResolution bundler', process.execPath, [
      tsc,
      '-p',
      'tsconfig.bundler.json',
    ]);
    check('a Value made in @ag/nn is instanceof @ag/core Value', process.execPath, [
      'identity.mjs',
    ]);
  }
} catch (error) {
  report('setup', false, error instanceof Error ? error.message : String(error));
} finally {
  if (process.env.KEEP) console.log(`kept ${project}`);
  else rmSync(project, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok);
console.log(`consumer smoke: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length > 0 ? 1 : 0);
