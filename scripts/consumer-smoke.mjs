// A consumer's first five minutes, without the workspace: pack @ag/core, @ag/nn and
// @ag/data with pnpm, install the tarballs with npm into a project under the OS temp
// folder, then use them from an ES module, from CommonJS (require(esm), Node 20.19+),
// from TypeScript under `nodenext` and `bundler` resolution, and check that a Value made
// inside @ag/nn is an instance of @ag/core's Value (one class at run time).
//
//   node scripts/consumer-smoke.mjs        (after building the packages)
//   KEEP=1 node scripts/consumer-smoke.mjs (keep the temp project to poke at)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
// Its derivative by hand is tanh(x) + x·(1 − tanh²(x)) + 2x; the scripts also compare the
// backward() gradient with a central difference of the forward pass.
const esm = `
import { Value } from '@ag/core';
import * as nn from '@ag/nn';
import * as data from '@ag/data';

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
if (Object.keys(nn).length === 0) throw new Error('@ag/nn exports nothing');
if (Object.keys(data).length === 0) throw new Error('@ag/data exports nothing');
console.log('dy/dx =', x.grad, '(central difference', numeric + ')');
`;

const cjs = `
const { Value } = require('@ag/core');
const nn = require('@ag/nn');
const data = require('@ag/data');

const x = new Value(0.7);
const y = x.mul(x.tanh()).add(x.mul(x));
y.backward();
const t = Math.tanh(0.7);
const byHand = t + 0.7 * (1 - t * t) + 2 * 0.7;
if (Math.abs(x.grad - byHand) > 1e-12) throw new Error('grad ' + x.grad + ', by hand ' + byHand);
if (Object.keys(nn).length === 0 || Object.keys(data).length === 0) throw new Error('empty exports');
// require(esm) and import() must hand out the very same module, hence the same class.
import('@ag/core').then((m) => {
  if (m.Value !== Value) throw new Error('require() and import() gave two Value classes');
  console.log('require(esm) ok, same Value as import()');
});
`;

// A Value that @ag/nn creates from inputs it was given must be an @ag/core Value: a second
// copy of core (a dual build, or a nested install) would break instanceof and mixing.
const identity = `
import { Value } from '@ag/core';
import * as nn from '@ag/nn';
import { createRequire } from 'node:module';

const produced = [];
if (typeof nn.MLP === 'function') {
  let s = 1;
  const random = () => ((s = (s * 16807) % 2147483647) - 1) / 2147483646;
  const attempts = [
    () => new nn.MLP(2, [3, 1], { random }),
    () => new nn.MLP(2, [3, 1], { rng: random }),
    () => new nn.MLP(2, [3, 1], random),
  ];
  for (const make of attempts) {
    try {
      const out = make().forward([0.5, -0.25]);
      produced.push(['MLP forward', Array.isArray(out) ? out[0] : out]);
      break;
    } catch {}
  }
}
for (const name of ['mse', 'mseLoss', 'meanSquaredError']) {
  if (typeof nn[name] === 'function') {
    produced.push([name, nn[name]([new Value(0.5), new Value(2)], [1, 1])]);
    break;
  }
}
if (produced.length === 0) throw new Error('found no @ag/nn function that returns a Value');
for (const [where, v] of produced) {
  if (!(v instanceof Value)) throw new Error(where + ' returned something that is not an @ag/core Value');
  console.log(where, '-> instanceof Value');
}
// npm must have installed one @ag/core, shared by the consumer and @ag/nn.
const require = createRequire(import.meta.url);
const fromNn = createRequire(require.resolve('@ag/nn'));
if (fromNn.resolve('@ag/core') !== require.resolve('@ag/core')) {
  throw new Error('@ag/nn resolves its own copy of @ag/core');
}
`;

// Type-level use: wrong types must be errors, so the declarations are not \`any\`.
const consumerTs = `
import { Value } from '@ag/core';
import * as nn from '@ag/nn';
import * as data from '@ag/data';

const x: Value = new Value(0.7, { label: 'x' });
const y: Value = x.mul(x.tanh()).add(x.mul(x));
y.backward();
const grad: number = x.grad;
// @ts-expect-error data is a number
const wrong: string = x.data;
// @ts-expect-error the constructor takes a number
new Value('0.7');
export const used = [grad, wrong, Object.keys(nn).length, Object.keys(data).length];
`;

// A CommonJS TypeScript file: under nodenext, TypeScript 5.8+ types require(esm) too.
const consumerCts = `
import { Value } from '@ag/core';
const x: Value = new Value(0.7);
x.tanh().backward();
export = x.grad;
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

  // --offline: the tarballs are all there is to install; nothing may come from a registry.
  const installed = check('npm install of the three tarballs', 'npm', [
    'install',
    '--offline',
    '--no-audit',
    '--no-fund',
    '--loglevel=error',
    ...paths.map((path) => `./${relative(project, path)}`),
  ]);
  if (installed) {
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
