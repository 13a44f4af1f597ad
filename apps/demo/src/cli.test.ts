import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { xmlRoot } from './well-formed-xml.js';

// The program runs as a user runs it: a separate node process, TypeScript through tsx,
// workspace packages through their source condition.
const appDir = fileURLToPath(new URL('..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'ag-demo-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[]): Run {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=@ag/source', 'src/cli.ts', ...args],
    {
      cwd: appDir,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0', AG_DEBUG: '' },
      timeout: 60_000,
    },
  );
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function expectSvgFiles(files: string[]): void {
  expect(files.length).toBeGreaterThan(0);
  for (const file of files) {
    expect(existsSync(file), file).toBe(true);
    expect(xmlRoot(readFileSync(file, 'utf8')), file).toBe('svg');
  }
}

describe('ag-demo graph', () => {
  it("prints micrograd's README numbers and writes the graph as SVG", () => {
    const out = join(tmp, 'graph');
    const result = run(['graph', '--out', out]);
    expect(result.status).toBe(0);
    // micrograd's README: g.data 24.7041, a.grad 138.8338, b.grad 645.5773
    expect(result.stdout).toContain('g = 24.7041');
    expect(result.stdout).toContain('dg/da = 138.8338, dg/db = 645.5773');
    const written = [...result.stdout.matchAll(/wrote (\S+)/g)].map((m) => m[1] ?? '');
    expect(written).toEqual([join(out, 'graph.svg')]);
    expectSvgFiles(written);
    // Graphviz drew a record per node with its data and grad.
    expect(readFileSync(join(out, 'graph.svg'), 'utf8')).toContain('grad 645.5773');
  });

  it('--json holds the output, the gradients and the files', () => {
    const out = join(tmp, 'graph-json');
    const result = run(['graph', '--expression', 'neuron', '--json', '--out', out]);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    // o = tanh(2·(-3) + 0·1 + 6.8813735870195432) = tanh(0.8813735870195432) = 1/√2;
    // do/dn = 1 - o² = 0.5, so do/dx1 = w1·0.5 = -1.5, do/dw1 = x1·0.5 = 1, do/dx2 = 0.5, do/dw2 = 0.
    expect(summary.command).toBe('graph');
    expect((summary.output as { data: number }).data).toBeCloseTo(Math.SQRT1_2, 12);
    const grads = summary.gradients as Record<string, number>;
    expect(grads.x1).toBeCloseTo(-1.5, 12);
    expect(grads.w1).toBeCloseTo(1, 12);
    expect(grads.x2).toBeCloseTo(0.5, 12);
    expect(grads.w2).toBeCloseTo(0, 12);
    expectSvgFiles(summary.files as string[]);
  });
});

describe('bad flags and values', () => {
  it.each([
    [['--bogus'], 'ag-demo: unknown option --bogus', 'Usage: ag-demo line'],
    [
      ['moons', '--hidden', 'x'],
      'ag-demo: --hidden: expected comma-separated layer sizes',
      'Usage: ag-demo moons',
    ],
    [
      ['graph', '--expression'],
      'ag-demo: --expression: a value is required',
      'Usage: ag-demo graph',
    ],
    [['nope'], "ag-demo: unknown command 'nope'", 'Usage: ag-demo [line|moons|classify|graph]'],
  ])('%j exits 2 with a one-line message and the usage', (args, message, usage) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    const [first, blank, third] = result.stderr.split('\n');
    expect(first).toContain(message);
    expect(blank).toBe('');
    expect(third).toContain(usage);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('--help prints the usage on stdout and exits 0', () => {
    const result = run(['moons', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: ag-demo moons');
    expect(result.stderr).toBe('');
  });
});
