import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  checkReadmes,
  expectedOutputs,
  extractSnippets,
  linksLeavingPackage,
  missingOutputs,
  programs,
  readmes,
} from './check-snippets.mjs';
import { root } from './published-packages.mjs';

const fence = '```';

describe('extractSnippets', () => {
  test('finds ts blocks with the line of their first code line and their markers', () => {
    const markdown = [
      '# Title', // 1
      `${fence}sh`, // 2
      'npm install', // 3
      fence, // 4
      `${fence}ts`, // 5
      'const a = 1;', // 6
      fence, // 7
      '<!-- snippet: continues, run -->', // 8
      '', // 9: Prettier's blank line
      `${fence}typescript`, // 10
      'const b = a;', // 11
      'console.log(b);', // 12
      fence, // 13
    ].join('\n');
    expect(extractSnippets(markdown)).toEqual([
      { line: 6, code: 'const a = 1;', continues: false, run: false },
      { line: 11, code: 'const b = a;\nconsole.log(b);', continues: true, run: true },
    ]);
  });

  test('an unknown marker fails naming the file and line', () => {
    const markdown = ['<!-- snippet: runs -->', `${fence}ts`, 'x;', fence].join('\n');
    expect(() => extractSnippets(markdown, 'a/README.md')).toThrow(
      "a/README.md:1: unknown snippet marker 'runs'",
    );
  });

  test('continues on the first block, or a marker on a non-ts block, fails', () => {
    const first = ['<!-- snippet: continues -->', `${fence}ts`, 'x;', fence].join('\n');
    expect(() => extractSnippets(first, 'R.md')).toThrow('R.md:2: ');
    const sh = ['<!-- snippet: run -->', `${fence}sh`, 'ls', fence].join('\n');
    expect(() => extractSnippets(sh, 'R.md')).toThrow('R.md:1: a snippet marker');
  });
});

test('programs chain continued blocks and map each program line to its README line', () => {
  const snippets = [
    { line: 3, code: 'const a = 1;\nconst b = 2;', continues: false, run: false },
    { line: 9, code: 'a + b;', continues: true, run: false },
    { line: 20, code: 'const c = 3;', continues: false, run: false },
  ];
  const [first, second, third] = programs(snippets);
  expect(first.lines).toEqual([3, 4]);
  expect(second.code).toBe('const a = 1;\nconst b = 2;\na + b;');
  expect(second.lines).toEqual([3, 4, 9]);
  expect(third.code).toBe('const c = 3;');
  expect(third.lines).toEqual([20]);
});

test('expected outputs are the → comments of console.log lines, matched in order', () => {
  const code = [
    'console.log(x); // → 5.00 7.00',
    'const y = 2; // → not a log line',
    'console.log(y); // the explanation, not an output',
    'console.log(z); //→ 1',
  ].join('\n');
  expect(expectedOutputs(code)).toEqual(['5.00 7.00', '1']);
  expect(missingOutputs(['5.00 7.00', '1'], 'start\n5.00 7.00\n1\n')).toEqual([]);
  // Out of order: '1' must come after '5.00 7.00'.
  expect(missingOutputs(['5.00 7.00', '1'], '1\n5.00 7.00\n')).toEqual(['1']);
});

test('links that leave a package are found with their line; others are not', () => {
  const markdown = [
    'See [core](../core) and [the root](/README.md).', // 1
    'Fine: [npm](https://www.npmjs.com/package/@ag/core), [here](#api),', // 2
    '[a file](./src/index.ts), [docs](docs/guide.md#part) and ![logo](logo.png).', // 3
    '[up and back](../nn/../nn/README.md "title")', // 4
  ].join('\n');
  expect(linksLeavingPackage(markdown, '/w/packages/nn/README.md', '/w/packages/nn')).toEqual([
    { line: 1, target: '../core' },
    { line: 1, target: '/README.md' },
  ]);
  expect(
    linksLeavingPackage('[x](../core/README.md)', '/w/packages/nn/README.md', '/w/packages/nn'),
  ).toEqual([{ line: 1, target: '../core/README.md' }]);
});

test('the workspace READMEs include the root and every package', () => {
  const found = readmes().map((file) => file.slice(root.length + 1));
  expect(found).toContain('README.md');
  expect(found).toContain('packages/core/README.md');
  expect(found).toContain('packages/nn/README.md');
  expect(found).toContain('packages/data/README.md');
});

describe('checkReadmes on a README of its own', () => {
  const dir = mkdtempSync(join(tmpdir(), 'check-snippets-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const quiet = { log: () => {}, error: (message) => errors.push(message) };
  let errors = [];

  test('a strict-mode error is reported at its README line', async () => {
    errors = [];
    const readme = join(dir, 'strict.md');
    writeFileSync(
      readme,
      [
        `${fence}ts`, // 1
        "import { Value } from '@ag/core';", // 2
        'const xs = [1, 2];', // 3
        'for (const [x] of [xs]) new Value(x);', // 4: x is number | undefined
        fence,
      ].join('\n'),
    );
    expect(await checkReadmes([readme], root, quiet)).toEqual({ passed: 0, failed: 1 });
    expect(errors.join('\n')).toMatch(
      /strict\.md:4: TS2345: Argument of type 'number \| undefined'/,
    );
  }, 60_000);

  test('a runnable block runs against the sources and its → outputs are checked', async () => {
    errors = [];
    const readme = join(dir, 'run.md');
    writeFileSync(
      readme,
      [
        '<!-- snippet: run -->',
        `${fence}ts`,
        "import { Value } from '@ag/core';",
        'const x = new Value(3);',
        'const y = x.mul(x);',
        'y.backward();',
        'console.log(x.grad); // → 6',
        fence,
        '<!-- snippet: continues, run -->',
        `${fence}ts`,
        'console.log(y.data); // → 10',
        fence,
      ].join('\n'),
    );
    // Block 1 type-checks and runs; block 2 type-checks but prints 9, not 10.
    expect(await checkReadmes([readme], root, quiet)).toEqual({ passed: 3, failed: 1 });
    expect(errors.join('\n')).toMatch(/run\.md:11: did not print "10"/);
  }, 60_000);
});
