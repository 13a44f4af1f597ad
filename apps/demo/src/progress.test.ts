import { describe, expect, it } from 'vitest';
import { createProgress, progressStyle } from './progress.js';

function sink(): { stream: NodeJS.WritableStream; text: () => string } {
  let text = '';
  const stream = {
    write(chunk: string) {
      text += chunk;
      return true;
    },
  } as unknown as NodeJS.WritableStream;
  return { stream, text: () => text };
}

describe('progressStyle', () => {
  it('draws a bar only on a terminal without --quiet', () => {
    expect(progressStyle({ isTTY: true, quiet: false })).toBe('bar');
    expect(progressStyle({ isTTY: true, quiet: true })).toBe('lines');
    expect(progressStyle({ isTTY: false, quiet: false })).toBe('lines');
    expect(progressStyle({ isTTY: undefined, quiet: false })).toBe('lines');
  });
});

describe('createProgress, plain lines', () => {
  it('prints a line at every tenth of the run, with no escape codes', () => {
    const out = sink();
    const p = createProgress({
      label: 'fit',
      total: 50,
      unit: 'epoch',
      style: 'lines',
      stream: out.stream,
    });
    for (let e = 1; e <= 50; e++) p.update(e, 1 / e);
    p.stop();
    const lines = out.text().trimEnd().split('\n');
    // 50 epochs in tenths: epochs 5, 10, …, 50.
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe('fit: epoch 5/50, loss 0.200000');
    expect(lines[9]).toBe('fit: epoch 50/50, loss 0.020000');
    expect(out.text()).not.toContain('\u001b');
  });

  it('ends a run stopped early with a line for where it stopped', () => {
    const out = sink();
    const p = createProgress({
      label: 'fit',
      total: 100,
      unit: 'epoch',
      style: 'lines',
      stream: out.stream,
    });
    for (let e = 1; e <= 13; e++) p.update(e, 0.5);
    p.stop();
    p.stop();
    expect(out.text()).toBe('fit: epoch 10/100, loss 0.500000\nfit: epoch 13/100, loss 0.500000\n');
  });
});
