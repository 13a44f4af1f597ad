import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSafetensors, toOnnx } from '@ag/io';
import { MLP } from '@ag/nn';
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
  it("tells the notebook's own story, then recovers m = 3, c = 4 within 0.05", () => {
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
    // Steps 1 and 2 are the notebook's problem, y = 5x + 7 at x = 2 and 5 (targets 17 and
    // 32), whatever the true line of step 3: every epoch-500 line sits on m = 5, c = 7.
    expect(result.stdout).toContain('y = 5x + 7 at x = 2 and 5 (targets 17 and 32)');
    const lasts = [...result.stdout.matchAll(/Epoch: 500, Loss: \S+, m: (\S+), c: (\S+)/g)];
    expect(lasts).toHaveLength(4);
    for (const last of lasts) {
      expect(Math.abs(Number(last[1]) - 5)).toBeLessThan(0.01);
      expect(Math.abs(Number(last[2]) - 7)).toBeLessThan(0.02);
    }
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
      notebook: { truth: { m: number; c: number }; ys: number[]; batch: { m: number } };
      diverged: boolean;
      finalLoss: number;
      parameters: { m: number; c: number };
      backward: { maxRelativeDifference: number };
      files: string[];
    };
    expect(summary.command).toBe('line');
    expect(summary.truth).toEqual({ m: -2, c: 0.5 });
    // --slope and --intercept shape step 3 only; the notebook's problem stays y = 5x + 7.
    expect(summary.notebook.truth).toEqual({ m: 5, c: 7 });
    expect(summary.notebook.ys).toEqual([17, 32]);
    expect(Math.abs(summary.notebook.batch.m - 5)).toBeLessThan(0.01);
    expect(summary.diverged).toBe(false);
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
    const out = join(tmp, 'c');
    const result = run([
      'classify',
      '--dataset',
      'circles',
      '--hidden',
      '8',
      '--epochs',
      '5',
      '--out',
      out,
    ]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('MLP(2, [8, 1])');
    expect(result.stdout).toMatch(/training accuracy \d+\.\d% \(\d+\/100\)/);
    // The pictures are named after the data set, not after moons.
    expect(writtenFiles(result.stdout)).toEqual([
      join(out, 'circles-loss.svg'),
      join(out, 'circles-boundary.svg'),
    ]);
  });

  it('names each loss it prints: the trained model and the last epoch as the progress shows it', () => {
    const out = join(tmp, 'losses');
    const result = run(['moons', '--epochs', '20', '--out', out]);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toContain('final loss');
    const lastProgress = /moons: epoch 20\/20, loss (\S+)\n$/.exec(result.stderr)?.[1];
    const trained = /trained model: loss (\S+) on the 100 points/.exec(result.stdout)?.[1];
    const epoch =
      /\(epoch 20, as the progress shows it: loss (\S+), the mean over its updates/.exec(
        result.stdout,
      )?.[1];
    expect(lastProgress).toBeDefined();
    expect(epoch).toBe(lastProgress);
    expect(trained).toBeDefined();
    // The chart's corner carries the same two numbers under the same two names.
    const svg = readFileSync(join(out, 'moons-loss.svg'), 'utf8');
    expect(svg).toContain(`epoch 20 (mean over its updates): ${lastProgress ?? ''}</text>`);
    expect(svg).toContain(`trained model: ${trained ?? ''}</text>`);
  });
});

describe('ag-demo moons --save --onnx', () => {
  it('writes the trained weights as safetensors and the model as ONNX, where the user asked', () => {
    const save = join(tmp, 'trained', 'model.safetensors');
    const onnx = join(tmp, 'trained', 'model.onnx');
    const out = join(tmp, 'moons-save');
    const args = ['moons', '--epochs', '3', '--out', out, '--save', save, '--onnx', onnx];
    const result = run([...args, '--json']);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      parameters: { state: Record<string, unknown> };
      files: string[];
    };
    expect(summary.files).toEqual([
      join(out, 'moons-loss.svg'),
      join(out, 'moons-boundary.svg'),
      save,
      onnx,
    ]);
    // The file holds the weights the summary reports, bit for bit (JSON keeps doubles exactly).
    const copy = new MLP(2, [16, 16, 1]);
    loadSafetensors(copy, new Uint8Array(readFileSync(save)));
    expect(copy.stateDict()).toEqual(summary.parameters.state);
    // The ONNX file is the float32 export of those weights: protobuf field 1, ir_version 8, first.
    const model = new Uint8Array(readFileSync(onnx));
    expect([model[0], model[1]]).toEqual([0x08, 8]);
    expect(model).toEqual(toOnnx(copy, { dtype: 'float32' }));
    const story = run(args);
    expect(story.stdout).toContain(`wrote ${save}`);
    expect(story.stdout).toContain(
      'in PyTorch: nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))',
    );
  }, 30_000); // two runs of the program
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
    [
      ['help', 'bogus'],
      "ag-demo: help: unknown command 'bogus'",
      'Usage: ag-demo [line|moons|classify|graph]',
    ],
    [
      ['line', '--slope', '-Infinity'],
      'ag-demo: --slope: expected a number; write negative values as --slope=-3',
      'Usage: ag-demo line',
    ],
    [
      ['line', '--slope', '--intercept', '3'],
      'ag-demo: --slope: expected a number; write negative values as --slope=-3',
      'Usage: ag-demo line',
    ],
    [
      ['line', '--batch-size', '5', '--mode', 'batch'],
      'ag-demo: --batch-size: applies to --mode minibatch only, received --mode batch',
      'Usage: ag-demo line',
    ],
    [
      ['line', '--noise', '1e300'],
      "ag-demo: --noise: expected a number from 0 to 100, received '1e300'",
      'Usage: ag-demo line',
    ],
    [
      ['line', '--epochs', '0b11'],
      "ag-demo: --epochs: expected an integer from 1 to 1000000, received '0b11'",
      'Usage: ag-demo line',
    ],
    [
      ['moons', '--lr', '20'],
      "ag-demo: --lr: expected a positive number up to 10, received '20'",
      'Usage: ag-demo moons',
    ],
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

describe('runs that blow up', () => {
  it('line: a diverging batch fit exits 1 with one line on stderr, and --json says so', () => {
    // Batch steps of lr 1 on x in [0, 1) overshoot: m reaches about -5e54 in 300 epochs.
    const args = ['line', '--mode', 'batch', '--lr', '1', '--quiet', '--out', join(tmp, 'div')];
    const result = run(args);
    expect(result.status).toBe(1);
    const messages = result.stderr.split('\n').filter((l) => l.startsWith('ag-demo:'));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^ag-demo: diverged: final loss \S+; try a smaller --lr$/);
    expect(result.stdout).not.toContain('wrote');
    const json = run([...args, '--json']);
    expect(json.status).toBe(1);
    const summary = JSON.parse(json.stdout) as { diverged: boolean; finalLoss: number };
    expect(summary.diverged).toBe(true);
    expect(summary.finalLoss).toBeGreaterThan(1e6);
  });

  it('moons: a rate that blows the loss up exits 1', () => {
    const result = run(['moons', '--lr', '9', '--epochs', '30', '--json', '--out', join(tmp, 'd')]);
    expect(result.status).toBe(1);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^ag-demo: diverged: final loss \S+; try a smaller --lr$/,
    );
    expect((JSON.parse(result.stdout) as { diverged: boolean }).diverged).toBe(true);
  });

  it('moons --activation linear trains on its own default rate', () => {
    const result = run(['moons', '--activation', 'linear', '--json', '--out', join(tmp, 'lin')]);
    expect(result.status).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      lr: number;
      accuracy: number;
      diverged: boolean;
    };
    expect(summary.lr).toBe(0.1);
    expect(summary.diverged).toBe(false);
    // A linear network draws a straight boundary: most of the moons, never all of them.
    expect(summary.accuracy).toBeGreaterThan(0.8);
  });
});

describe('--batch-size', () => {
  it('means mini-batches when no mode is given', () => {
    const result = run(['line', '--batch-size', '5', '--epochs', '2', '--out', join(tmp, 'bs')]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('3. Mini-batch SGD (batches of 5)');
    // 200 samples in batches of 5: 40 updates an epoch.
    expect(result.stdout).toContain('2 epochs of 40 updates');
  });
});
