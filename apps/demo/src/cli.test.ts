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

function writtenFiles(stdout: string): string[] {
  return [...stdout.matchAll(/wrote (\S+)/g)].map((m) => m[1] ?? '');
}

describe('ag-demo (the line story by default)', () => {
  it('tells the notebook story and recovers m = 3, c = 4 within 0.05', () => {
    const out = join(tmp, 'line');
    const result = run(['--out', out]);
    expect(result.status).toBe(0);
    // Steps 1 and 2, online and batch: five notebook lines each, every 100 epochs up to 500.
    const epochs = [...result.stdout.matchAll(/Epoch: (\d+), Loss: \S+, m: \S+, c: \S+/g)].map(
      (m) => m[1],
    );
    expect(epochs).toEqual(
      Array.from({ length: 4 }, () => ['100', '200', '300', '400', '500']).flat(),
    );
    expect(result.stdout).toContain('to the last bit');
    // The first online epoch by hand (y = 10 and 19 at x = 2 and 5, lr 0.02, from 0, 0):
    // m = 3.72, c = 0.984 after one epoch; by epoch 500 the loop sits on the line.
    const last = /Epoch: 500, Loss: \S+, m: (\S+), c: (\S+)/.exec(result.stdout);
    expect(Number(last?.[1])).toBeCloseTo(3, 2);
    expect(Number(last?.[2])).toBeCloseTo(4, 1);
    const learned = /learned\s+(-?[\d.]+)\s+(-?[\d.]+)/.exec(result.stdout);
    expect(Math.abs(Number(learned?.[1]) - 3)).toBeLessThan(0.05);
    expect(Math.abs(Number(learned?.[2]) - 4)).toBeLessThan(0.05);
    const files = writtenFiles(result.stdout);
    expect(files).toEqual([join(out, 'line-loss.svg'), join(out, 'line-fit.svg')]);
    expectSvgFiles(files);
    // Not a terminal: plain progress lines on stderr, no escape codes.
    expect(result.stderr).toMatch(/^line: epoch 3\/30, loss \d/);
    expect(result.stderr).not.toContain('\u001b');
  });

  it('--json holds the final loss, the learned parameters and the files, for any true line', () => {
    const out = join(tmp, 'line-json');
    const result = run([
      'line',
      '--slope',
      '-2',
      '--intercept',
      '0.5',
      '--epochs',
      '10',
      '--json',
      '--out',
      out,
    ]);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      command: string;
      truth: { m: number; c: number };
      finalLoss: number;
      parameters: { m: number; c: number };
      backward: { maxRelativeDifference: number };
      files: string[];
    };
    expect(summary.command).toBe('line');
    expect(summary.truth).toEqual({ m: -2, c: 0.5 });
    expect(Math.abs(summary.parameters.m + 2)).toBeLessThan(0.05);
    expect(Math.abs(summary.parameters.c - 0.5)).toBeLessThan(0.05);
    // Gaussian noise of sd 0.1: the mean squared error of a good fit is near 0.1² = 0.01.
    expect(summary.finalLoss).toBeGreaterThan(0.005);
    expect(summary.finalLoss).toBeLessThan(0.02);
    expect(summary.backward.maxRelativeDifference).toBe(0);
    expectSvgFiles(summary.files);
  });

  it('prints the same thing twice for the same seed, and something else for another', () => {
    const args = [
      'line',
      '--seed',
      '7',
      '--mode',
      'minibatch',
      '--epochs',
      '8',
      '--out',
      join(tmp, 'same'),
    ];
    const first = run(args);
    const second = run(args);
    expect(first.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.stderr).toBe(first.stderr);
    const other = run([...args.slice(0, 2), '8', ...args.slice(3)]);
    expect(other.stdout).not.toBe(first.stdout);
  });
});

describe('ag-demo moons', () => {
  it("reaches 100% training accuracy with micrograd's recipe", () => {
    const out = join(tmp, 'moons');
    const result = run(['moons', '--json', '--out', out]);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      accuracy: number;
      finalLoss: number;
      history: number[];
      parameters: { count: number; state: Record<string, unknown> };
      files: string[];
    };
    expect(summary.accuracy).toBe(1);
    expect(summary.history).toHaveLength(100);
    // 2-16-16-1: (2+1)·16 + (16+1)·16 + (16+1)·1 = 48 + 272 + 17 = 337 parameters.
    expect(summary.parameters.count).toBe(337);
    expect(Number.isFinite(summary.finalLoss)).toBe(true);
    expect(summary.files).toEqual([join(out, 'moons-loss.svg'), join(out, 'moons-boundary.svg')]);
    expectSvgFiles(summary.files);
  });

  it('classify is the same command and prints the accuracy', () => {
    const result = run([
      'classify',
      '--dataset',
      'circles',
      '--hidden',
      '8',
      '--epochs',
      '5',
      '--out',
      join(tmp, 'c'),
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('MLP(2, [8, 1])');
    expect(result.stdout).toMatch(/training accuracy \d+\.\d% \(\d+\/100\)/);
  });
});

describe('ag-demo graph', () => {
  it("prints micrograd's README numbers and writes the graph as SVG", () => {
    const out = join(tmp, 'graph');
    const result = run(['graph', '--out', out]);
    expect(result.status).toBe(0);
    // micrograd's README: g.data 24.7041, a.grad 138.8338, b.grad 645.5773
    expect(result.stdout).toContain('g = 24.7041');
    expect(result.stdout).toContain('dg/da = 138.8338, dg/db = 645.5773');
    const written = writtenFiles(result.stdout);
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
