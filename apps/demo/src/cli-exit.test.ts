import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// Every way out of the program, each in a real child process, as a user meets it.
const appDir = fileURLToPath(new URL('..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'ag-demo-exit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';

/**
 * Code run in the child before the program: stderr claims to be an 80-column terminal, so
 * the program draws its bar (and hides the cursor) as it does for a person watching.
 */
const FAKE_TTY = 'process.stderr.isTTY = true; process.stderr.columns = 80;';

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from the child's start to its exit. */
  ms: number;
}

interface Launch {
  args: string[];
  /** Instead of running node directly: `sh -c <shell> node <node arguments>` (to close a stream). */
  shell?: string;
  /** JavaScript run in the child before the program. */
  preload?: string;
  /** Called with the child's stderr so far, each time it grows. */
  onStderr?: (text: string, child: ReturnType<typeof spawn>) => void;
  stdio?: ('pipe' | 'ignore' | number)[];
}

function launch({ args, shell, preload, onStderr, stdio }: Launch): Promise<Exit> {
  const imports = ['--import', 'tsx'];
  if (preload !== undefined)
    imports.push('--import', `data:text/javascript,${encodeURIComponent(preload)}`);
  const nodeArgs = [...imports, '--conditions=@ag/source', 'src/cli.ts', ...args];
  const started = Date.now();
  const options = {
    cwd: appDir,
    env: { ...process.env, FORCE_COLOR: '0', AG_DEBUG: '' },
    stdio: stdio ?? ['ignore', 'pipe', 'pipe'],
  };
  const child =
    shell === undefined
      ? spawn(process.execPath, nodeArgs, options)
      : spawn('/bin/sh', ['-c', shell, process.execPath, ...nodeArgs], options);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    onStderr?.(stderr, child);
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 50_000);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** Sends `signal` once the bar has drawn a few epochs of a run that would take hours. */
function signalMidRun(signal: NodeJS.Signals): Promise<Exit & { sentAt: number }> {
  let sentAt = 0;
  return launch({
    args: ['moons', '--epochs', '1000000', '--out', join(tmp, signal)],
    preload: FAKE_TTY,
    onStderr: (text, child) => {
      if (sentAt === 0 && /epoch [1-9]\d*\/1000000/.test(text)) {
        sentAt = Date.now();
        child.kill(signal);
      }
    },
  }).then((exit) => ({ ...exit, sentAt }));
}

/** The cursor is visible at the end: shown after the last time it was hidden. */
function cursorShownAtEnd(stderr: string): boolean {
  const hidden = stderr.lastIndexOf(HIDE_CURSOR);
  return hidden >= 0 && stderr.indexOf(SHOW_CURSOR, hidden) > hidden;
}

describe('the cursor after a progress bar', () => {
  it('is shown again when Ctrl-C (SIGINT) stops training, which exits at once with 130', async () => {
    const exit = await signalMidRun('SIGINT');
    expect(exit.sentAt).toBeGreaterThan(0);
    expect(exit.signal).toBeNull();
    expect(exit.code).toBe(130);
    expect(cursorShownAtEnd(exit.stderr)).toBe(true);
    expect(exit.stderr.trimEnd().split('\n').at(-1)).toBe('ag-demo: interrupted');
    // A million epochs take hours; the signal is handled between two slices of training.
    expect(exit.ms).toBeLessThan(30_000);
  });

  it('is shown again on SIGTERM, which exits with 143', async () => {
    const exit = await signalMidRun('SIGTERM');
    expect(exit.code).toBe(143);
    expect(cursorShownAtEnd(exit.stderr)).toBe(true);
    expect(exit.stderr.trimEnd().split('\n').at(-1)).toBe('ag-demo: terminated');
  });

  it('is shown again after an uncaught exception, reported in one line with exit 1', async () => {
    // The child throws from a timer once the bar is drawn, outside anything main() catches.
    const exit = await launch({
      args: ['moons', '--epochs', '1000000', '--out', join(tmp, 'uncaught')],
      preload: `${FAKE_TTY}
        const write = process.stderr.write.bind(process.stderr);
        let armed = false;
        process.stderr.write = (chunk, ...rest) => {
          if (!armed && /epoch [1-9]/.test(String(chunk))) {
            armed = true;
            setTimeout(() => { throw new Error('injected failure'); }, 100);
          }
          return write(chunk, ...rest);
        };`,
    });
    expect(exit.code).toBe(1);
    expect(cursorShownAtEnd(exit.stderr)).toBe(true);
    expect(exit.stderr.trimEnd().split('\n').at(-1)).toBe('ag-demo: injected failure');
    expect(exit.stderr).not.toMatch(/\n\s+at /);
  });

  it('is shown again when a run ends normally or fails', async () => {
    const done = await launch({
      args: ['moons', '--epochs', '3', '--out', join(tmp, 'done')],
      preload: FAKE_TTY,
    });
    expect(done.code).toBe(0);
    expect(cursorShownAtEnd(done.stderr)).toBe(true);
    const diverged = await launch({
      args: ['moons', '--lr', '9', '--epochs', '30', '--out', join(tmp, 'diverged')],
      preload: FAKE_TTY,
    });
    expect(diverged.code).toBe(1);
    expect(cursorShownAtEnd(diverged.stderr)).toBe(true);
  });
});

/** Runs the program with stdout or stderr on /dev/full, where every write fails with ENOSPC. */
function withFull(stream: 'stdout' | 'stderr', args: string[]): Promise<Exit> {
  const full = openSync('/dev/full', 'w');
  const stdio: ('pipe' | 'ignore' | number)[] =
    stream === 'stdout' ? ['ignore', full, 'pipe'] : ['ignore', 'pipe', full];
  return launch({ args, stdio }).finally(() => closeSync(full));
}

describe('output that cannot be written', () => {
  it('stdout on a full disk: one line on stderr and exit 1, no stack trace', async () => {
    for (const args of [
      ['graph', '--out', join(tmp, 'full-graph')],
      ['moons', '--epochs', '3', '--json', '--out', join(tmp, 'full-moons')],
    ]) {
      const exit = await withFull('stdout', args);
      expect(exit.code, args.join(' ')).toBe(1);
      const messages = exit.stderr.split('\n').filter((l) => l.startsWith('ag-demo:'));
      expect(messages).toEqual([
        'ag-demo: cannot write to stdout: no space left on device (ENOSPC)',
      ]);
      expect(exit.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('stderr on a full disk: the run goes on without its progress and exits 0', async () => {
    const out = join(tmp, 'full-stderr');
    const exit = await withFull('stderr', ['moons', '--epochs', '3', '--out', out]);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('training accuracy');
    expect(readdirSync(out).sort()).toEqual(['moons-boundary.svg', 'moons-loss.svg']);
  });

  it("stderr on a full disk: a failure's message comes on stdout instead, with its exit code", async () => {
    const usage = await withFull('stderr', ['moons', '--bogus']);
    expect(usage.code).toBe(2);
    expect(usage.stdout.split('\n')[0]).toBe('ag-demo: unknown option --bogus');
    // Under --json, stdout is the summary: no message there, the exit code alone tells.
    const json = await withFull('stderr', [
      'moons',
      '--lr',
      '9',
      '--epochs',
      '30',
      '--json',
      '--out',
      join(tmp, 'full-json'),
    ]);
    expect(json.code).toBe(1);
    expect((JSON.parse(json.stdout) as { diverged: boolean }).diverged).toBe(true);
  });

  it('stderr closed (2>&-): runs as with 2>/dev/null, exit codes unchanged', async () => {
    const closed = '"$0" "$@" 2>&-';
    const ok = await launch({
      args: ['moons', '--epochs', '3', '--out', join(tmp, 'closed')],
      shell: closed,
    });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('training accuracy');
    const bad = await launch({ args: ['moons', '--bogus'], shell: closed });
    expect(bad.code).toBe(2);
    const diverged = await launch({
      args: ['moons', '--lr', '9', '--epochs', '30', '--out', join(tmp, 'closed-div')],
      shell: closed,
    });
    expect(diverged.code).toBe(1);
  });
});

describe('--out that cannot take files', () => {
  const file = join(tmp, 'a-file');
  writeFileSync(file, '');

  it.each([
    // A regular file where the directory should be, or on the way to it.
    [file, `ag-demo: --out ${file}: ${file} is a file, not a directory`],
    [
      join(file, 'sub', 'dir'),
      `ag-demo: --out ${join(file, 'sub', 'dir')}: ${file} is a file, not a directory`,
    ],
    // /proc takes no new entries, not even from root (Node's recursive mkdir never returns there).
    [
      '/proc/ag-demo-out',
      'ag-demo: --out /proc/ag-demo-out: cannot make files in /proc: no such file or directory (ENOENT)',
    ],
  ])('--out %s is refused before training, in one line, exit 1', async (out, message) => {
    const exit = await launch({ args: ['moons', '--epochs', '100000', '--out', out] });
    expect(exit.code).toBe(1);
    expect(exit.stderr).toBe(`${message}\n`);
    // Refused before the story and the training began.
    expect(exit.stdout).toBe('');
    expect(existsSync(join(file, 'sub'))).toBe(false);
  });
});
