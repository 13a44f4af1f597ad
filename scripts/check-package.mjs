// Checks the tarball a consumer of this package would install (run as each published
// package's `check:pkg`, from its folder, after `build`): publint --strict, attw with the
// ESM-only profile, and that nothing of the workspace leaks into it.
//
//   cd packages/core && node ../../scripts/check-package.mjs
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pack, root, run, tarballFiles, tarballManifest } from './pack.mjs';

const SOURCE_CONDITION = '@ag/source';
const DEPENDENCY_FIELDS = [
  'dependencies',
  'peerDependencies',
  'optionalDependencies',
  'devDependencies',
];

const bin = (name) => join(root, 'node_modules', '.bin', name);
const name = JSON.parse(readFileSync('package.json', 'utf8')).name;
const destination = mkdtempSync(join(tmpdir(), 'ag-check-'));
const failures = [];

/** Every file path an `exports` map (or `main`/`types`) points at, with the key that names it. */
function exportTargets(entry, key, out = []) {
  if (typeof entry === 'string') out.push({ key, target: entry });
  else if (Array.isArray(entry)) entry.forEach((item) => exportTargets(item, key, out));
  else if (entry && typeof entry === 'object') {
    for (const [k, v] of Object.entries(entry)) exportTargets(v, `${key} > ${k}`, out);
  }
  return out;
}

/** The workspace-only details a published manifest must not carry. */
function manifestLeaks(manifest, files) {
  const leaks = [];
  for (const field of DEPENDENCY_FIELDS) {
    for (const [dep, range] of Object.entries(manifest[field] ?? {})) {
      if (String(range).startsWith('workspace:')) leaks.push(`${field}.${dep} is "${range}"`);
    }
  }
  if (JSON.stringify(manifest).includes(SOURCE_CONDITION)) {
    leaks.push(`the "${SOURCE_CONDITION}" condition is still in package.json`);
  }
  const shipped = new Set(files);
  const targets = [
    ...exportTargets(manifest.exports ?? {}, 'exports'),
    ...['main', 'module', 'types', 'typings']
      .filter((field) => typeof manifest[field] === 'string')
      .map((field) => ({ key: field, target: manifest[field] })),
  ];
  for (const { key, target } of targets) {
    const path = target.replace(/^\.\//, '');
    // A subpath pattern ships if at least one file matches it.
    const found = path.includes('*')
      ? [...shipped].some((file) =>
          new RegExp(`^${path.split('*').map(escapeRegExp).join('.+')}$`).test(file),
        )
      : shipped.has(path);
    if (!found) leaks.push(`${key} points at ${target}, which is not in the tarball`);
  }
  return leaks;
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function step(label, fn) {
  try {
    fn();
    console.log(`PASS ${name}: ${label}`);
  } catch (error) {
    failures.push(label);
    console.error(`FAIL ${name}: ${label}: ${error instanceof Error ? error.message : error}`);
  }
}

try {
  const tarball = pack(process.cwd(), destination);
  console.log(`packed ${tarball}`);
  step('publint --strict', () => run(bin('publint'), ['run', tarball, '--strict']));
  step('attw --profile esm-only', () => run(bin('attw'), [tarball, '--profile', 'esm-only']));
  step('README, LICENSE and (once versioned) CHANGELOG in the tarball', () => {
    const shipped = new Set(tarballFiles(tarball));
    // npm leaves a CHANGELOG out unless `files` names it; a release must ship one.
    const wanted = [
      'README.md',
      'LICENSE',
      ...(existsSync('CHANGELOG.md') ? ['CHANGELOG.md'] : []),
    ];
    const missing = wanted.filter((file) => !shipped.has(file));
    if (missing.length > 0) throw new Error(`missing ${missing.join(', ')}`);
    if (tarballManifest(tarball).version !== '0.0.0' && !shipped.has('CHANGELOG.md'))
      throw new Error('a versioned package ships no CHANGELOG.md');
  });
  step('nothing of the workspace in the tarball', () => {
    const leaks = manifestLeaks(tarballManifest(tarball), tarballFiles(tarball));
    if (leaks.length > 0) throw new Error(leaks.join('; '));
  });
} catch (error) {
  failures.push('pack');
  console.error(`FAIL ${name}: pnpm pack: ${error instanceof Error ? error.message : error}`);
} finally {
  rmSync(destination, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.error(`${name}: ${failures.length} package check(s) failed: ${failures.join(', ')}`);
  process.exit(1);
}
