/**
 * The flags of `fit-curve` and `constraints`, the demos of `@ag/optimize`,
 * read with the same rules as the other commands (args.ts).
 */
import {
  COMMON_FLAGS,
  COMMON_HELP,
  common,
  numberFlag,
  parseFlags,
  str,
  type CommonOptions,
} from './args.js';

export interface FitCurveOptions extends CommonOptions {
  samples: number;
  noise: number;
  steps: number;
  lr: number;
}

export interface ConstraintsOptions extends CommonOptions {
  angle: number;
}

/** A function, not a constant: args.ts imports this file, and COMMON_HELP is not set yet when it loads. */
export const fitCurveUsage = (): string => `Usage: ag-demo fit-curve [options]

Fit y = a·(1 − e^(−b·x)) to noisy samples of a = 5, b = 0.8 (x in [0, 10]) twice,
from a = b = 1: with leastSquares (Levenberg–Marquardt, @ag/optimize) and with
Adam (@ag/nn) on the same cost ½Σr²; print the steps and final cost of each and
draw both fits.

Options:
  --samples <n>     number of samples, 3 to 10000 (default 40)
  --noise <sd>      standard deviation of the Gaussian noise, 0 to 10 (default 0.1)
  --steps <n>       Adam's steps, 1 to 100000 (default 2000)
  --lr <rate>       Adam's learning rate, up to 10 (default 0.05)

${COMMON_HELP}`;

export const constraintsUsage = (): string => `Usage: ag-demo constraints [options]

A four-bar linkage solved as constraints with leastSquares: ground pivots
A = (0, 0) and D = (4, 0), links AB = 2, BC = 3.5, CD = 2.5, and the crank AB
held at a fixed angle; B and C are found from a rough guess and drawn.

Options:
  --angle <deg>     the crank's angle to the ground, 0 to 180 (default 60)

${COMMON_HELP}`;

/** `fit-curve`'s options. */
export function parseFitCurve(args: string[]): { options: FitCurveOptions } | { help: string } {
  const u = fitCurveUsage();
  const v = parseFlags(
    args,
    {
      ...COMMON_FLAGS,
      samples: { type: 'string' },
      noise: { type: 'string' },
      steps: { type: 'string' },
      lr: { type: 'string' },
    },
    u,
  );
  if (v.help === true) return { help: u };
  return {
    options: {
      ...common(v, u),
      samples: numberFlag(
        'samples',
        str(v, 'samples'),
        40,
        { integer: true, min: 3, max: 10000 },
        u,
      ),
      noise: numberFlag('noise', str(v, 'noise'), 0.1, { min: 0, max: 10 }, u),
      steps: numberFlag('steps', str(v, 'steps'), 2000, { integer: true, min: 1, max: 100000 }, u),
      lr: numberFlag('lr', str(v, 'lr'), 0.05, { min: 0, exclusiveMin: true, max: 10 }, u),
    },
  };
}

/** `constraints`' options. */
export function parseConstraints(
  args: string[],
): { options: ConstraintsOptions } | { help: string } {
  const u = constraintsUsage();
  const v = parseFlags(args, { ...COMMON_FLAGS, angle: { type: 'string' } }, u);
  if (v.help === true) return { help: u };
  return {
    options: {
      ...common(v, u),
      angle: numberFlag('angle', str(v, 'angle'), 60, { min: 0, max: 180 }, u),
    },
  };
}
