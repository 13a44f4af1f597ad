// Packing a workspace package the way `pnpm publish` would: pnpm rewrites `workspace:`
// ranges and applies `publishConfig` (which drops the `@ag/source` condition), npm does
// neither, so every check of what a consumer receives starts from `pnpm pack`.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PNPM_VERSION = '10.34.9';
export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const publishedPackages = ['core', 'nn', 'data', 'io', 'optimize'].map((name) => ({
  name: `@ag/${name}`,
  dir: join(root, 'packages', name),
}));

/**
 * The pnpm that started us (npm_execpath, when run through `pnpm run`), else the pinned
 * one through npx: corepack cannot be relied on and pnpm may not be on PATH.
 */
export function pnpmCommand() {
  const execpath = process.env.npm_execpath ?? '';
  if (/pnpm(\.c?js)?$/.test(execpath) && existsSync(execpath)) {
    return execpath.endsWith('js')
      ? { cmd: process.execPath, args: [execpath] }
      : { cmd: execpath, args: [] };
  }
  return { cmd: 'npx', args: ['-y', `pnpm@${PNPM_VERSION}`] };
}

/** Runs a command, inheriting output; throws with the command line if it fails. */
export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `\`${[cmd, ...args].join(' ')}\` exited with ${result.status ?? result.signal}`,
    );
  }
}

/** Packs the package in `dir` into `destination`; returns the tarball's absolute path. */
export function pack(dir, destination) {
  const { cmd, args } = pnpmCommand();
  const out = execFileSync(cmd, [...args, 'pack', '--json', '--pack-destination', destination], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  // pnpm may print lifecycle output before the JSON, which starts at a line's beginning.
  const report = JSON.parse(out.slice(out.search(/^\{/m)));
  return resolve(destination, report.filename);
}

/** Lists the paths in a tarball, without the leading `package/`. */
export function tarballFiles(tarball) {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((path) => path.replace(/^package\//, ''));
}

/** Reads the package.json inside a tarball. */
export function tarballManifest(tarball) {
  return JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
  );
}
