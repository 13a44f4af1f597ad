import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemErrorText } from './system-error-text.js';

function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('systemErrorText', () => {
  it("says what a failed system call means, from Node's own errors", () => {
    const dir = mkdtempSync(join(tmpdir(), 'ag-demo-errno-'));
    const file = join(dir, 'file');
    writeFileSync(file, '');
    // A path through a regular file: ENOTDIR from open(2).
    expect(systemErrorText(thrownBy(() => writeFileSync(join(file, 'x'), '')))).toBe(
      'not a directory (ENOTDIR)',
    );
    // Writing to a directory: EISDIR.
    expect(systemErrorText(thrownBy(() => writeFileSync(dir, '')))).toBe(
      'illegal operation on a directory (EISDIR)',
    );
  });

  it('leaves other errors alone', () => {
    expect(systemErrorText(new Error('diverged'))).toBeUndefined();
    expect(systemErrorText('ENOSPC')).toBeUndefined();
  });
});
