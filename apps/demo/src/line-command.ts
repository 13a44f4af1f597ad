import type { LineOptions } from './args.js';
import { lineEquation } from './line-equation.js';
import {
  formatEpoch,
  handDerivedFit,
  type EpochState,
  type LineFitSetup,
} from './notebook-gradient.js';
import type { RunOutput } from './run-output.js';
import { maxRelativeDifference, valueFit } from './value-gradient.js';

/** The notebook's two samples, learning rate, length and start. */
const NOTEBOOK = { xs: [2, 5], lr: 0.02, epochs: 500, m: 0, c: 0, every: 100 } as const;

const MODES = [
  ['online', 'online (an update after every sample)'],
  ['batch', 'batch (one update per pass, the gradients summed)'],
] as const;

type ModeLogs = Record<'online' | 'batch', EpochState[]>;

function logLines(out: RunOutput, log: readonly EpochState[]): void {
  for (const state of log)
    if (state.epoch % NOTEBOOK.every === 0) out.say(`     ${formatEpoch(state)}`);
}

const lastOf = (log: readonly EpochState[]): EpochState => log[log.length - 1] as EpochState;
const brief = (s: EpochState): { m: number; c: number; loss: number } => ({
  m: s.m,
  c: s.c,
  loss: s.loss,
});
const num = (n: number): string => Number(n.toPrecision(6)).toString();

/** `line`: the notebook's story on y = slope·x + intercept, step by step. */
export function runLine(options: LineOptions, out: RunOutput): void {
  const { slope, intercept } = options;
  const ys = NOTEBOOK.xs.map((x) => slope * x + intercept);
  const setup = (mode: 'online' | 'batch'): LineFitSetup => ({
    xs: NOTEBOOK.xs,
    ys,
    m: NOTEBOOK.m,
    c: NOTEBOOK.c,
    lr: NOTEBOOK.lr,
    epochs: NOTEBOOK.epochs,
    mode,
  });

  out.say(`Learning ${lineEquation(slope, intercept)} back from samples`);
  out.say();
  out.say(
    `1. The notebook's loop, gradients derived by hand: x = ${NOTEBOOK.xs.join(' and ')}, y = ${ys.map(num).join(' and ')},`,
  );
  out.say(
    `   L = Σ (y − (m·x + c))², ∂L/∂m = −2·Σ x·(y − ŷ), ∂L/∂c = −2·Σ (y − ŷ), lr ${NOTEBOOK.lr}, m = c = 0 at the start`,
  );
  const byHand = {} as ModeLogs;
  for (const [mode, title] of MODES) {
    byHand[mode] = handDerivedFit(setup(mode));
    out.say(`   ${title}:`);
    logLines(out, byHand[mode]);
  }

  out.say();
  out.say(
    '2. The same fit with Value and backward(): build L, call L.backward(), step m and c against their grad',
  );
  const byValue = {} as ModeLogs;
  for (const [mode, title] of MODES) {
    byValue[mode] = valueFit(setup(mode));
    out.say(`   ${title}:`);
    logLines(out, byValue[mode]);
  }
  const difference = Math.max(
    maxRelativeDifference(byHand.online, byValue.online),
    maxRelativeDifference(byHand.batch, byValue.batch),
  );
  out.say(
    difference === 0
      ? `   the same numbers as the hand-derived loop, to the last bit, in all ${NOTEBOOK.epochs} epochs of both modes`
      : `   the hand-derived loop and backward() differ by at most ${difference.toExponential(2)} (relative)`,
  );

  out.summary({
    command: 'line',
    seed: options.seed,
    truth: { m: slope, c: intercept },
    notebook: { online: brief(lastOf(byHand.online)), batch: brief(lastOf(byHand.batch)) },
    backward: {
      online: brief(lastOf(byValue.online)),
      batch: brief(lastOf(byValue.batch)),
      maxRelativeDifference: difference,
    },
  });
}
