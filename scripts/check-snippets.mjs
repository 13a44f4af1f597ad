// Checks the TypeScript in every README (root, packages/*, apps/*, examples/**) the way a
// reader would use it: each ```ts block is type-checked under the repository's strict
// settings (tsconfig.base.json), with `@ag/*` imports resolved to the workspace sources
// through the `@ag/source` condition, and the blocks marked runnable are run with tsx.
// Package READMEs are shown on npm, where a relative link that leaves the package breaks,
// so those fail too. Every failure names the README and its line.
//
// Markers, an HTML comment just before the fence (invisible on GitHub and npm):
//
//   <!-- snippet: continues -->   the block goes on from the previous ```ts block of the
//                                 same README (checked with it in front, as one program)
//   <!-- snippet: run -->         also run it (with what it continues); it must exit 0,
//                                 and each `console.log(…); // → text` must print `text`
//                                 (the printed lines, in order, must include each one)
//   <!-- snippet: continues, run -->  both
//
// The last line printed is `N passed, M failed`: one test per block type-checked, per
// block run, and per package README's links.
//
//   node scripts/check-snippets.mjs [README.md ...]
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { publishedPackages, root } from './published-packages.mjs';

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;
const MARKER = /^\s*<!--\s*snippet:\s*([\w\s,-]+?)\s*-->\s*$/;
const KNOWN_MARKERS = new Set(['continues', 'run']);
const TS_LANGS = new Set(['ts', 'typescript', 'mts']);

/**
 * The ```ts blocks of a Markdown text: `{ line, code, continues, run }`, `line` the
 * 1-based line of the block's first code line. Throws on an unknown or misplaced marker.
 */
export function extractSnippets(markdown, file = 'README.md') {
  const lines = markdown.split('\n');
  const snippets = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, , fence, lang] = open;
    let end = i + 1;
    while (end < lines.length && !lines[end].trimStart().startsWith(fence)) end++;
    if (TS_LANGS.has(lang.toLowerCase())) {
      const markers = markersBefore(lines, i, file);
      if (markers.has('continues') && snippets.length === 0) {
        throw new Error(`${file}:${i + 1}: 'continues' on the first ts block: nothing to continue`);
      }
      snippets.push({
        line: i + 2,
        code: lines.slice(i + 1, end).join('\n'),
        continues: markers.has('continues'),
        run: markers.has('run'),
      });
    } else if (markersBefore(lines, i, file).size > 0) {
      throw new Error(`${file}:${i}: a snippet marker before a \`\`\`${lang} block, not \`\`\`ts`);
    }
    i = end;
  }
  return snippets;
}

function markersBefore(lines, fenceIndex, file) {
  // Prettier puts a blank line between the comment and the fence.
  let at = fenceIndex - 1;
  while (at > 0 && lines[at].trim() === '') at--;
  const marker = MARKER.exec(lines[at] ?? '');
  if (!marker) return new Set();
  fenceIndex = at + 1;
  const names = marker[1].split(',').map((s) => s.trim());
  for (const name of names) {
    if (!KNOWN_MARKERS.has(name)) {
      throw new Error(
        `${file}:${fenceIndex}: unknown snippet marker '${name}' (known: ${[...KNOWN_MARKERS].join(', ')})`,
      );
    }
  }
  return new Set(names);
}

/**
 * Each snippet as the program a reader runs: the blocks it continues, in order, then its
 * own lines. `lines[k]` is the README line of program line k + 1.
 */
export function programs(snippets) {
  const result = [];
  let chain = [];
  for (const snippet of snippets) {
    chain = snippet.continues ? [...chain, snippet] : [snippet];
    const code = chain.map((s) => s.code).join('\n');
    const lines = chain.flatMap((s) => s.code.split('\n').map((_, k) => s.line + k));
    result.push({ snippet, code, lines });
  }
  return result;
}

/** The texts of `// → text` comments on console.log lines, in order. */
export function expectedOutputs(code) {
  const expected = [];
  for (const line of code.split('\n')) {
    const match = /console\.log\(.*\/\/\s*→\s*(.*?)\s*$/.exec(line);
    if (match) expected.push(match[1]);
  }
  return expected;
}

/** The expected texts that `stdout` does not print, in order (a subsequence of its lines). */
export function missingOutputs(expected, stdout) {
  const printed = stdout.split('\n').map((line) => line.trim());
  const missing = [];
  let at = 0;
  for (const text of expected) {
    const found = printed.indexOf(text, at);
    if (found === -1) missing.push(text);
    else at = found + 1;
  }
  return missing;
}

/**
 * Links in a package README that npm cannot follow: relative links (and images) whose
 * target is outside the package folder. `[{ line, target }]`.
 */
export function linksLeavingPackage(markdown, readmePath, packageDir) {
  const bad = [];
  const link = /\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
  markdown.split('\n').forEach((text, index) => {
    for (const [, target] of text.matchAll(link)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
      const path = target.split('#')[0];
      const absolute = isAbsolute(path) ? path : resolve(dirname(readmePath), path);
      const inside = relative(packageDir, absolute);
      if (inside.startsWith('..') || isAbsolute(inside) || path.startsWith('/')) {
        bad.push({ line: index + 1, target });
      }
    }
  });
  return bad;
}

/** Every README of the workspace that readers see: root, packages/*, apps/*, examples/**. */
export function readmes(workspaceRoot = root) {
  const found = [join(workspaceRoot, 'README.md')];
  for (const group of ['packages', 'apps']) {
    const dir = join(workspaceRoot, group);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const readme = join(dir, entry.name, 'README.md');
      if (entry.isDirectory() && existsSync(readme)) found.push(readme);
    }
  }
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'README.md') found.push(path);
    }
  };
  walk(join(workspaceRoot, 'examples'));
  return found.filter((file) => existsSync(file));
}

/** tsconfig.base.json's compiler options, for type-checking files in `dir`. */
function compilerOptions(workspaceRoot) {
  const configPath = join(workspaceRoot, 'tsconfig.base.json');
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, workspaceRoot, {}, configPath);
  return {
    ...parsed.options,
    noEmit: true,
    typeRoots: [join(workspaceRoot, 'node_modules', '@types')],
    types: ['node'],
  };
}

/**
 * A scratch folder whose node_modules/@ag/* link to the published packages, so a snippet
 * imports `@ag/core` as a user's program would, and the `@ag/source` condition (TypeScript's
 * customConditions, tsx's --conditions) sends it to the sources.
 */
function scratchFolder(workspaceRoot) {
  const dir = mkdtempSync(join(tmpdir(), 'ag-snippets-'));
  // ES modules, as a program that imports @ag/* is (the packages are ESM only).
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  for (const { name, dir: packageDir } of publishedPackages(workspaceRoot)) {
    const link = join(dir, 'node_modules', ...name.split('/'));
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(packageDir, link, 'dir');
  }
  return dir;
}

/** Type-checks the programs in one TypeScript program; returns `file:line: message`s per program. */
function typeCheck(entries, dir, workspaceRoot) {
  const files = entries.map(({ program }, k) => {
    const path = join(dir, `snippet-${k}.ts`);
    // `export {}` makes each a module, so blocks do not share top-level names.
    writeFileSync(path, `${program.code}\nexport {};\n`);
    return path;
  });
  const tsProgram = ts.createProgram(files, compilerOptions(workspaceRoot));
  const diagnostics = ts.getPreEmitDiagnostics(tsProgram);
  const errors = entries.map(() => []);
  for (const diagnostic of diagnostics) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
    const k = diagnostic.file ? files.indexOf(diagnostic.file.fileName) : -1;
    if (k === -1) {
      errors.forEach((list) => list.push(`TS${diagnostic.code}: ${message}`));
      continue;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    const { file, program } = entries[k];
    const readmeLine = program.lines[line] ?? program.lines.at(-1);
    errors[k].push(`${file}:${readmeLine}: TS${diagnostic.code}: ${message}`);
  }
  return { files, errors };
}

/** Runs a program with tsx and the `@ag/source` condition: `{ status, stdout, stderr }`. */
function runProgram(path, workspaceRoot) {
  const tsx = join(workspaceRoot, 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, ['--conditions=@ag/source', '--import', tsx, path], {
      cwd: dirname(path),
      timeout: 120_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', (error) => (stderr += error.message));
    child.on('close', (status, signal) => resolvePromise({ status, signal, stdout, stderr }));
  });
}

/** Maps `items` through an async `fn`, `limit` at a time, keeping the order. */
async function mapPool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const k = next++;
      results[k] = await fn(items[k], k);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Checks the given READMEs; prints each failure and returns `{ passed, failed }`. */
export async function checkReadmes(files, workspaceRoot = root, log = console) {
  let passed = 0;
  let failed = 0;
  const fail = (message) => {
    failed++;
    log.error(`FAIL ${message}`);
  };
  const entries = [];
  for (const path of files) {
    const file = relative(workspaceRoot, path) || path;
    const markdown = readFileSync(path, 'utf8');
    try {
      for (const program of programs(extractSnippets(markdown, file))) {
        entries.push({ file, program });
      }
    } catch (error) {
      fail(error.message);
    }
    const packageDir = dirname(path);
    if (relative(workspaceRoot, packageDir).split(sep)[0] === 'packages') {
      const bad = linksLeavingPackage(markdown, path, packageDir);
      for (const { line, target } of bad) {
        fail(
          `${file}:${line}: link ${target} leaves the package (use its npm page or an absolute URL)`,
        );
      }
      if (bad.length === 0) passed++;
    }
  }
  if (entries.length === 0) return { passed, failed };

  const dir = scratchFolder(workspaceRoot);
  try {
    const { files: programFiles, errors } = typeCheck(entries, dir, workspaceRoot);
    const runs = await mapPool(entries, Math.min(4, availableParallelism()), (entry, k) =>
      entry.program.snippet.run && errors[k].length === 0
        ? runProgram(programFiles[k], workspaceRoot)
        : null,
    );
    entries.forEach(({ file, program }, k) => {
      const name = `${file}:${program.snippet.line}`;
      if (errors[k].length > 0) {
        fail(`${name}: does not type-check\n  ${[...new Set(errors[k])].join('\n  ')}`);
        return;
      }
      passed++;
      log.log(`ok   ${name}: type-checks`);
      const result = runs[k];
      if (result === null) return;
      if (result.status !== 0) {
        const output = result.stderr.trim();
        fail(`${name}: exited with ${result.status ?? result.signal}\n${output}`);
        return;
      }
      const missing = missingOutputs(expectedOutputs(program.code), result.stdout);
      if (missing.length > 0) {
        const texts = missing.map((text) => JSON.stringify(text)).join(', ');
        fail(`${name}: did not print ${texts}; it printed:\n${result.stdout}`);
        return;
      }
      passed++;
      log.log(`ok   ${name}: runs`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { passed, failed };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const files = args.length > 0 ? args.map((file) => resolve(file)) : readmes();
  const { passed, failed } = await checkReadmes(files);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
