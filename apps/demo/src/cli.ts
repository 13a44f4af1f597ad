import { writeSync } from 'node:fs';
import { parseCommand, UsageError } from './args.js';
import { runConstraints } from './constraints-command.js';
import { runFitCurve } from './fit-curve-command.js';
import { runGraph } from './graph-command.js';
import { runLine } from './line-command.js';
import { runMoons } from './moons-command.js';
import { runNewton } from './newton-command.js';
import { runOde } from './ode-command.js';
import { stopLiveBars } from './progress.js';
import { invocationDir, RunOutput, type Streams } from './run-output.js';
import { systemErrorText } from './system-error-text.js';

/** Whether stdout carries the --json summary, which a message written there would corrupt. */
let stdoutIsJson = false;
/** Set once a write to stderr has failed: progress is dropped from then on, the run goes on. */
let stderrFailed = false;

/**
 * Writes the program's last words (a failure's message) where they can be read: stderr, or
 * stdout if stderr cannot be written (`2>/dev/full`) and stdout is not the --json summary;
 * otherwise nowhere, and the exit code alone tells. A closed stderr (`2>&-`) is not
 * detected: Node points fd 2 at /dev/null when it starts, the same as `2>/dev/null`, where
 * the user asked not to see it. Written with writeSync so that a failure shows at once.
 */
function report(text: string): void {
  if (!stderrFailed) {
    try {
      writeSync(2, text);
      return;
    } catch (error) {
      // A pipe that is full for now is still a reader: hand the text to the stream.
      if ((error as NodeJS.ErrnoException).code === 'EAGAIN') {
        process.stderr.write(text);
        return;
      }
      stderrFailed = true;
    }
  }
  if (stdoutIsJson) return;
  try {
    writeSync(1, text);
  } catch {
    // Neither stream takes text: the exit code is all that is left.
  }
}

/**
 * Runs the program on `argv` (without `node` and the script) and returns the exit code:
 * 0 done, 1 the run failed, 2 a bad flag or value.
 *
 * @example
 * await main(['graph', '--out', '/tmp/g'], process); // prints the graph story, returns 0
 * await main(['--bogus'], process);                  // one-line error and usage on stderr, returns 2
 */
export async function main(argv: readonly string[], streams: Streams): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (command.name === 'help') {
      streams.stdout.write(`${command.text}\n`);
      return 0;
    }
    stdoutIsJson = command.options.json;
    const out = new RunOutput(streams, command.options, invocationDir(process.env));
    out.checkOut();
    switch (command.name) {
      case 'line':
        await runLine(command.options, out);
        break;
      case 'moons':
        await runMoons(command.options, out);
        break;
      case 'graph':
        await runGraph(command.options, out);
        break;
      case 'ode':
        runOde(command.options, out);
        break;
      case 'newton':
        runNewton(command.options, out);
        break;
      case 'fit-curve':
        runFitCurve(command.options, out);
        break;
      case 'constraints':
        runConstraints(command.options, out);
        break;
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      report(`ag-demo: ${error.message}\n\n${error.usage}\n`);
      return 2;
    }
    reportFailure(error);
    return 1;
  }
}

/** A failed run says what failed in one line; AG_DEBUG=1 adds the stack for a bug report. */
function reportFailure(error: unknown): void {
  let message = error instanceof Error ? error.message : String(error);
  // A gradient that overflowed almost always means the steps were too long.
  if (/gradient .* is (-?Infinity|NaN)/.test(message)) message += '; try a smaller --lr';
  const debug = process.env.AG_DEBUG === '1' && error instanceof Error;
  report(`ag-demo: ${message}\n${debug ? `${error.stack ?? ''}\n` : ''}`);
}

// A progress bar hides the cursor. Its command shows it again when it ends or fails; these
// are the other ways out. Ctrl-C and SIGTERM end the run with the shell's code 128 + the
// signal's number (training gives the event loop a turn often enough for them to land at
// once); an uncaught exception prints one line, as a failed run does; and whatever way the
// process ends, 'exit' stops any bar still drawn.
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.once(signal, () => {
    stopLiveBars();
    report(`ag-demo: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}\n`);
    process.exit(code);
  });
}
process.on('uncaughtException', (error) => {
  stopLiveBars();
  reportFailure(error);
  process.exit(1);
});
process.on('exit', stopLiveBars);

// `ag-demo | head` closes the pipe early; that is the reader's choice, not a failure. Any
// other failed write to stdout (`> /dev/full`) ends the run at once with one line.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  stopLiveBars();
  report(`ag-demo: cannot write to stdout: ${systemErrorText(error) ?? error.message}\n`);
  process.exit(1);
});
// Progress and messages on stderr are for a person; when they cannot be written the run
// goes on without them, and its exit code is its own.
process.stderr.on('error', () => {
  stderrFailed = true;
});
process.exitCode = await main(process.argv.slice(2), process);
