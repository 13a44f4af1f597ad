import { describe, expect, it } from 'vitest';
import { parseOptions } from './cli-options.js';

describe('parseOptions', () => {
  it('defaults to every workload, timed, no JSON', () => {
    expect(parseOptions([])).toEqual({
      quick: false,
      jsonFile: null,
      only: ['W1', 'W2', 'W3', 'W4', 'W5', 'W6'],
      firstRun: false,
    });
    expect(parseOptions(['--first-run', '--quick'])).toMatchObject({ firstRun: true, quick: true });
  });

  it('takes --json with or without a file', () => {
    expect(parseOptions(['--json']).jsonFile).toBe('bench-results.json');
    expect(parseOptions(['--json', 'out.json', '--quick'])).toMatchObject({
      jsonFile: 'out.json',
      quick: true,
    });
    expect(parseOptions(['--json', '--quick'])).toMatchObject({
      jsonFile: 'bench-results.json',
      quick: true,
    });
    expect(parseOptions(['--json=r.json']).jsonFile).toBe('r.json');
  });

  it('keeps --only in workload order and accepts lower case', () => {
    expect(parseOptions(['--only', 'w3,W1']).only).toEqual(['W1', 'W3']);
    expect(parseOptions(['--only=W2']).only).toEqual(['W2']);
  });

  it('rejects what it does not know, naming it', () => {
    expect(() => parseOptions(['--fast'])).toThrow(/unknown argument '--fast'/);
    expect(() => parseOptions(['--only', 'W9'])).toThrow(/unknown workload 'W9'/);
    expect(() => parseOptions(['--only'])).toThrow(RangeError);
    expect(() => parseOptions(['--first-run', '--only', 'W3,W6'])).toThrow(
      /only W1, W2, W5 have first runs, but --only names W3, W6/,
    );
  });
});
