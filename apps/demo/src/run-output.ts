import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createProgress, progressStyle, type Progress } from './progress.js';
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
  ) {}

  /** A line of the story (dropped under --json, whose stdout is the summary only). */
  say(line = ''): void {
    if (!this.options.json) this.streams.stdout.write(`${line}\n`);
  }

  /** Writes `<out>/<name>` and prints its path. */
  writeFile(name: string, text: string): string {
    mkdirSync(this.options.out, { recursive: true });
    const path = join(this.options.out, name);
    writeFileSync(path, text);
    this.files.push(path);
    this.say(`  wrote ${path}`);
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
