import { describe, expect, it } from 'vitest';
import {
  GRAPH_USAGE,
  LINE_USAGE,
  MAIN_USAGE,
  MOONS_USAGE,
  UsageError,
  parseCommand,
} from './args.js';

function usageError(argv: string[]): UsageError {
  try {
    parseCommand(argv);
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error(`expected a UsageError for ${argv.join(' ')}`);
}

describe('parseCommand', () => {
  it('runs the line story with its defaults when no command is given', () => {
    const command = parseCommand([]);
    expect(command.name).toBe('line');
    if (command.name !== 'line') return;
    expect(command.options).toMatchObject({
      slope: 3,
      intercept: 4,
      seed: 0,
      out: './out',
      mode: 'online',
      json: false,
    });
  });

  it('reads flags of the default command without naming it', () => {
    const command = parseCommand(['--slope', '5', '--intercept=7', '--json']);
    expect(command).toMatchObject({
      name: 'line',
      options: { slope: 5, intercept: 7, json: true },
    });
  });

  it('takes negative numbers as values', () => {
    const command = parseCommand(['--slope', '-2', '--intercept', '-.5']);
    expect(command).toMatchObject({ name: 'line', options: { slope: -2, intercept: -0.5 } });
  });

  it('reads plain decimal numbers, with a sign, a point or an exponent', () => {
    expect(parseCommand(['--slope=+2.5', '--intercept', '1e2', '--lr', '.25'])).toMatchObject({
      name: 'line',
      options: { slope: 2.5, intercept: 100, lr: 0.25 },
    });
  });

  it('takes --batch-size alone as mini-batches', () => {
    expect(parseCommand(['--batch-size', '5'])).toMatchObject({
      name: 'line',
      options: { mode: 'minibatch', batchSize: 5 },
    });
    expect(parseCommand(['moons', '--batch-size', '8'])).toMatchObject({
      name: 'moons',
      options: { mode: 'minibatch', batchSize: 8 },
    });
  });

  it('gives a linear network its own default rate', () => {
    expect(parseCommand(['moons', '--activation', 'linear'])).toMatchObject({
      name: 'moons',
      options: { lr: 0.1 },
    });
    expect(parseCommand(['moons'])).toMatchObject({ name: 'moons', options: { lr: 1 } });
  });

  it('reads --save and --onnx, null when absent', () => {
    expect(
      parseCommand(['moons', '--save', 'model.safetensors', '--onnx', 'out/model.onnx']),
    ).toMatchObject({
      name: 'moons',
      options: { save: 'model.safetensors', onnx: 'out/model.onnx' },
    });
    expect(parseCommand(['moons'])).toMatchObject({ options: { save: null, onnx: null } });
  });

  it('treats classify as moons and reads the hidden sizes', () => {
    const command = parseCommand([
      'classify',
      '--hidden',
      '8,4,2',
      '--dataset',
      'circles',
      '--seed',
      '3',
    ]);
    expect(command).toMatchObject({
      name: 'moons',
      options: { hidden: [8, 4, 2], dataset: 'circles', seed: 3 },
    });
  });

  it.each([
    [['--help'], MAIN_USAGE],
    [['-h'], MAIN_USAGE],
    [['line', '--help'], LINE_USAGE],
    [['moons', '-h'], MOONS_USAGE],
    [['classify', '--help'], MOONS_USAGE],
    [['graph', '--help'], GRAPH_USAGE],
    [['help', 'graph'], GRAPH_USAGE],
    [['help'], MAIN_USAGE],
  ])('%j shows its help', (argv, text) => {
    expect(parseCommand(argv)).toEqual({ name: 'help', text });
  });

  it.each([
    [['--bogus'], 'unknown option --bogus', LINE_USAGE],
    [['moons', '--slope', '2'], 'unknown option --slope', MOONS_USAGE],
    [['moons', '--save', ''], "--save: expected a file name, received ''", MOONS_USAGE],
    [['moons', '--onnx', ''], "--onnx: expected a file name, received ''", MOONS_USAGE],
    [['line', '--save', 'm.safetensors'], 'unknown option --save', LINE_USAGE],
    [['--lr', 'fast'], "--lr: expected a positive number up to 1, received 'fast'", LINE_USAGE],
    [['--lr', '0'], "--lr: expected a positive number up to 1, received '0'", LINE_USAGE],
    [
      ['--mode', 'batch', '--lr', '3'],
      "--lr: expected a positive number up to 2, received '3'",
      LINE_USAGE,
    ],
    [
      ['moons', '--mode', 'online', '--lr', '2'],
      "--lr: expected a positive number up to 1, received '2'",
      MOONS_USAGE,
    ],
    [['--noise', '101'], "--noise: expected a number from 0 to 100, received '101'", LINE_USAGE],
    [['--epochs', '0b11'], "received '0b11'", LINE_USAGE],
    [['--epochs', '0x1f'], "received '0x1f'", LINE_USAGE],
    [['--epochs', '0o7'], "received '0o7'", LINE_USAGE],
    [['--epochs', ''], "received ''", LINE_USAGE],
    [['--epochs', ' 3'], "received ' 3'", LINE_USAGE],
    [['--slope', 'Infinity'], '--slope: expected a number from -1000 to 1000', LINE_USAGE],
    [
      ['--slope', '-Infinity'],
      '--slope: expected a number; write negative values as --slope=-3',
      LINE_USAGE,
    ],
    [
      ['--slope', '--intercept', '3'],
      '--slope: expected a number; write negative values as --slope=-3',
      LINE_USAGE,
    ],
    [
      ['--batch-size', '5', '--mode', 'online'],
      '--batch-size: applies to --mode minibatch only, received --mode online',
      LINE_USAGE,
    ],
    [
      ['moons', '--batch-size', '5', '--mode', 'batch'],
      '--batch-size: applies to --mode minibatch only, received --mode batch',
      MOONS_USAGE,
    ],
    [['help', 'bogus'], "help: unknown command 'bogus'", MAIN_USAGE],
    [['help', 'line', 'moons'], "help: unexpected argument 'moons'", MAIN_USAGE],
    [
      ['--epochs', '2.5'],
      "--epochs: expected an integer from 1 to 1000000, received '2.5'",
      LINE_USAGE,
    ],
    [
      ['--seed', '-1'],
      "--seed: expected an integer from 0 to 4294967295, received '-1'",
      LINE_USAGE,
    ],
    [['--seed'], '--seed: a value is required', LINE_USAGE],
    [
      ['--mode', 'sideways'],
      "--mode: expected one of online, batch, minibatch, received 'sideways'",
      LINE_USAGE,
    ],
    [
      ['--samples', '10', '--batch-size', '11'],
      '--batch-size: expected at most --samples (10)',
      LINE_USAGE,
    ],
    [['moons', '--hidden', '16,,4'], '--hidden: expected comma-separated layer sizes', MOONS_USAGE],
    [
      ['moons', '--dataset', 'iris'],
      '--dataset: expected one of moons, circles, spirals, xor, blobs',
      MOONS_USAGE,
    ],
    [['graph', '--expression', 'x'], '--expression: expected one of readme, neuron', GRAPH_USAGE],
    [['graph', 'extra'], "unexpected argument 'extra'", GRAPH_USAGE],
    [['fly'], "unknown command 'fly'", MAIN_USAGE],
    [
      ['--noise-type', 'poisson'],
      "--noise-type: expected one of gaussian, uniform, received 'poisson'",
      LINE_USAGE,
    ],
    [['--json=yes'], '--json takes no value', LINE_USAGE],
  ])('%j is a usage error', (argv, message, usage) => {
    const error = usageError(argv);
    expect(error.message).toContain(message);
    expect(error.message).not.toContain('\n');
    expect(error.usage).toBe(usage);
  });
});
