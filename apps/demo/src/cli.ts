import { parseCommand, UsageError } from './args.js';
import { runGraph } from './graph-command.js';
import { runLine } from './line-command.js';
import { runMoons } from './moons-command.js';
import { stopLiveBars } from './progress.js';
import { invocationDir, RunOutput, type Streams } from './run-output.js';

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
    const out = new RunOutput(streams, command.options, invocationDir(process.env));
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
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      streams.stderr.write(`ag-demo: ${error.message}\n\n${error.usage}\n`);
      return 2;
    }
    // A failed run says what failed in one line; AG_DEBUG=1 shows the stack for a bug report.
    let message = error instanceof Error ? error.message : String(error);
    // A gradient that overflowed almost always means the steps were too long.
    if (/gradient .* is (-?Infinity|NaN)/.test(message)) message += '; try a smaller --lr';
    streams.stderr.write(`ag-demo: ${message}\n`);
    if (process.env.AG_DEBUG === '1' && error instanceof Error)
      streams.stderr.write(`${error.stack ?? ''}\n`);
    return 1;
  }
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
    process.stderr.write(`ag-demo: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}\n`);
    process.exit(code);
  });
}
process.on('uncaughtException', (error) => {
  stopLiveBars();
  process.stderr.write(`ag-demo: ${error.message}\n`);
  if (process.env.AG_DEBUG === '1') process.stderr.write(`${error.stack ?? ''}\n`);
  process.exit(1);
});
process.on('exit', stopLiveBars);

// `ag-demo | head` closes the pipe early; that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
process.exitCode = await main(process.argv.slice(2), process);
