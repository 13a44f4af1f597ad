import { existsSync, mkdirSync, mkdtempSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createProgress, progressStyle, type Progress } from './progress.js';
import { systemErrorText } from './system-error-text.js';
import { terminalChart } from './terminal-chart.js';

export interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Where a command's output goes. The story goes to stdout, unless `--json` asks for the
 * summary alone; progress goes to stderr, as a bar on a terminal and plain lines otherwise;
 * pictures go to `--out`, and their names are remembered for the summary.
 */
export class RunOutput {
  readonly files: string[] = [];

  constructor(
    private readonly streams: Streams,
    private readonly options: { json: boolean; quiet: boolean; out: string },
    /** Directory a relative --out is taken from: where the user typed the command. */
    private readonly baseDir: string = process.cwd(),
  ) {}

  /** A line of the story (dropped under --json, whose stdout is the summary only). */
  say(line = ''): void {
    if (!this.options.json) this.streams.stdout.write(`${line}\n`);
  }

  /**
   * Checks that `--out` can take files, before any training: the directory, or the nearest
   * of its parents that exists (the rest is made at the first write), must be a directory
   * in which an entry can be made. Making and removing an empty probe directory asks the
   * file system itself, which also catches read-only mounts and what `access(2)` misses.
   */
  checkOut(): void {
    const out = this.options.out;
    let dir = resolve(this.baseDir, out);
    while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
    if (!statSync(dir).isDirectory())
      throw new Error(`--out ${out}: ${dir} is a file, not a directory`);
    try {
      rmdirSync(mkdtempSync(join(dir, '.ag-demo-probe-')));
    } catch (error) {
      const why = systemErrorText(error);
      if (why === undefined) throw error;
      throw new Error(`--out ${out}: cannot make files in ${dir}: ${why}`);
    }
  }

  /** Writes `<out>/<name>` and prints its path as the user would type it. */
  writeFile(name: string, text: string): string {
    const path = join(this.options.out, name);
    const absolute = resolve(this.baseDir, path);
    try {
      makeDirectories(dirname(absolute));
      writeFileSync(absolute, text);
    } catch (error) {
      const why = systemErrorText(error);
      if (why === undefined) throw error;
      throw new Error(`cannot write ${path}: ${why}`);
    }
    this.files.push(path);
    this.say(`   wrote ${path}`);
    return path;
  }

  /** Writes bytes to `path` (relative to where the user typed the command) and prints it. */
  writeBytes(path: string, bytes: Uint8Array): string {
    const absolute = resolve(this.baseDir, path);
    mkdirSync(dirname(absolute), { recursive: true });
    writeFileSync(absolute, bytes);
    this.files.push(path);
    this.say(`   wrote ${path}`);
    return path;
  }

  progress(label: string, total: number, unit: string): Progress {
    const style = progressStyle({ isTTY: this.streams.stderr.isTTY, quiet: this.options.quiet });
    return createProgress({ label, total, unit, style, stream: this.streams.stderr });
  }

  /** The loss as a small terminal chart, only where a person reads a terminal. */
  chart(title: string, losses: readonly number[]): void {
    if (this.options.json || this.options.quiet || this.streams.stdout.isTTY !== true) return;
    const chart = terminalChart(losses);
    if (chart === '') return;
    this.say();
    this.say(`  ${title}`);
    this.say(chart);
  }

  /** The machine-readable summary, printed once at the end under --json. */
  summary(data: Record<string, unknown>): void {
    if (this.options.json)
      this.streams.stdout.write(`${JSON.stringify({ ...data, files: this.files }, null, 2)}\n`);
  }
}

/**
 * The directory the user ran the program from. Under `pnpm demo` the script runs in
 * apps/demo, and the package manager passes the user's directory as INIT_CWD; `--out ./out`
 * should land there, not inside the app.
 *
 * @example
 * invocationDir({ INIT_CWD: '/repo', npm_lifecycle_event: 'start', npm_package_name: '@ag/demo' }); // '/repo'
 * invocationDir({});                                                                               // process.cwd()
 */
export function invocationDir(env: NodeJS.ProcessEnv): string {
  const asOurScript = env.npm_lifecycle_event === 'start' && env.npm_package_name === '@ag/demo';
  return asOurScript && env.INIT_CWD !== undefined && env.INIT_CWD !== ''
    ? env.INIT_CWD
    : process.cwd();
}

/**
 * `mkdir -p`, one level at a time: Node's own `mkdirSync(path, { recursive: true })` never
 * returns for a path below /proc (it retries the parent for ever), where this one fails.
 */
function makeDirectories(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.push(d);
  for (const d of missing.reverse()) mkdirSync(d);
}
