// The release flow, proved without publishing: in a temporary clone of this repository's
// HEAD, add a changeset that bumps @ag/core by a minor, run `pnpm version-packages`
// (changeset version + lockfile refresh), and check that
//   - @ag/core got the minor bump and a CHANGELOG entry with the changeset's text,
//   - its dependent @ag/nn got a patch bump and a CHANGELOG entry naming the new core
//     (updateInternalDependencies), as did @ag/io (which depends on both), while
//     @ag/data and the private apps did not move,
//   - the changeset was consumed and the lockfile still installs frozen,
//   - `pnpm pack` of @ag/nn names `^<new core version>`, not a `workspace:` range, and
//     that of @ag/io the new core and nn.
// Other pending changesets are removed in the clone first, so the expected versions
// follow from this one changeset alone.
//
//   node scripts/release-flow.mjs        (KEEP=1 keeps the clone)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pack, pnpmCommand, root, run, tarballManifest } from './pack.mjs';

const work = mkdtempSync(join(tmpdir(), 'ag-release-'));
const clone = join(work, 'repo');
const results = [];

function report(label, ok, detail = '') {
  results.push(ok);
  if (ok) console.log(`PASS release: ${label}`);
  else console.error(`FAIL release: ${label}${detail ? `: ${detail}` : ''}`);
}

function expect(label, actual, expected) {
  report(
    label,
    actual === expected,
    `got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
  );
}

const readJson = (path) => JSON.parse(readFileSync(join(clone, path), 'utf8'));
const readText = (path) =>
  existsSync(join(clone, path)) ? readFileSync(join(clone, path), 'utf8') : '';

/** Semver bump of a plain x.y.z version. */
function bump(version, kind) {
  const [major, minor, patch] = version.split('.').map(Number);
  if (kind === 'minor') return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch + 1}`;
}

const pnpm = (args, options = {}) => {
  const { cmd, args: prefix } = pnpmCommand();
  run(cmd, [...prefix, ...args], { cwd: clone, ...options });
};

try {
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  run('git', ['clone', '--quiet', '--no-checkout', root, clone]);
  run('git', ['checkout', '--quiet', head], { cwd: clone });
  console.log(`cloned ${head.slice(0, 12)} into ${clone}`);
  // The store already holds every package of the lockfile after the workspace's own install.
  pnpm([
    'install',
    '--frozen-lockfile',
    '--prefer-offline',
    '--ignore-scripts',
    '--reporter=silent',
  ]);

  // The private apps (demo, playground, bench, ...) are neither versioned nor tagged.
  const apps = readdirSync(join(clone, 'apps'))
    .map((name) => `apps/${name}`)
    .filter((dir) => existsSync(join(clone, dir, 'package.json')));
  const packages = [
    'packages/core',
    'packages/nn',
    'packages/data',
    'packages/io',
    'packages/optimize',
    ...apps,
  ];
  const before = Object.fromEntries(
    packages.map((dir) => [dir, readJson(`${dir}/package.json`).version]),
  );

  for (const file of readdirSync(join(clone, '.changeset'))) {
    if (file.endsWith('.md') && file !== 'README.md') rmSync(join(clone, '.changeset', file));
  }
  const summary = 'Release-flow test: a minor change to @ag/core.';
  writeFileSync(
    join(clone, '.changeset', 'release-flow-test.md'),
    `---\n'@ag/core': minor\n---\n\n${summary}\n`,
  );

  pnpm(['run', '--silent', 'version-packages']);

  const core = bump(before['packages/core'], 'minor');
  const nn = bump(before['packages/nn'], 'patch');
  expect('@ag/core version (minor bump)', readJson('packages/core/package.json').version, core);
  expect(
    '@ag/nn version (patch bump of a dependent)',
    readJson('packages/nn/package.json').version,
    nn,
  );
  const io = bump(before['packages/io'], 'patch');
  expect(
    '@ag/io version (patch bump of a dependent)',
    readJson('packages/io/package.json').version,
    io,
  );
  expect(
    '@ag/optimize version (patch bump of a dependent)',
    readJson('packages/optimize/package.json').version,
    bump(before['packages/optimize'], 'patch'),
  );
  expect(
    '@ag/data version unchanged',
    readJson('packages/data/package.json').version,
    before['packages/data'],
  );
  for (const app of apps) {
    expect(
      `${app} (private) version unchanged`,
      readJson(`${app}/package.json`).version,
      before[app],
    );
  }
  const coreLog = readText('packages/core/CHANGELOG.md');
  report(
    '@ag/core CHANGELOG has the new version and the summary',
    coreLog.includes(`## ${core}`) && coreLog.includes(summary),
    coreLog.slice(0, 300) || 'no CHANGELOG.md',
  );
  const nnLog = readText('packages/nn/CHANGELOG.md');
  report(
    '@ag/nn CHANGELOG names the new @ag/core',
    nnLog.includes(`## ${nn}`) && nnLog.includes(`@ag/core@${core}`),
    nnLog.slice(0, 300) || 'no CHANGELOG.md',
  );
  expect(
    '@ag/nn keeps workspace:^ in the workspace',
    readJson('packages/nn/package.json').dependencies['@ag/core'],
    'workspace:^',
  );
  report(
    'the changeset was consumed',
    !existsSync(join(clone, '.changeset', 'release-flow-test.md')),
  );
  try {
    pnpm(['install', '--frozen-lockfile', '--offline', '--ignore-scripts', '--reporter=silent']);
    report('the lockfile is up to date after version-packages', true);
  } catch (error) {
    report('the lockfile is up to date after version-packages', false, String(error));
  }

  const tarball = pack(join(clone, 'packages/nn'), work);
  const manifest = tarballManifest(tarball);
  expect('packed @ag/nn version', manifest.version, nn);
  expect(
    'packed @ag/nn depends on the new core range',
    manifest.dependencies?.['@ag/core'],
    `^${core}`,
  );

  const ioManifest = tarballManifest(pack(join(clone, 'packages/io'), work));
  expect('packed @ag/io version', ioManifest.version, io);
  expect(
    'packed @ag/io depends on the new core range',
    ioManifest.dependencies?.['@ag/core'],
    `^${core}`,
  );
  expect(
    'packed @ag/io depends on the new nn range',
    ioManifest.dependencies?.['@ag/nn'],
    `^${nn}`,
  );
} catch (error) {
  report('flow ran to the end', false, error instanceof Error ? error.message : String(error));
} finally {
  if (process.env.KEEP) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

const failed = results.filter((ok) => !ok).length;
console.log(`release flow: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
