/**
 * `constraints`: a four-bar linkage as a system of constraints, solved with
 * `leastSquares` (the residuals are the constraints, zero when all hold).
 * Ground pivots A = (0, 0) and D = (4, 0); the links AB = 2, BC = 3.5 and
 * CD = 2.5; the crank AB at a fixed angle θ to the ground. The unknowns are
 * B and C.
 */
import type { Value } from '@ag/core';
import { leastSquares } from '@ag/optimize';
import { linkageSvg } from './linkage-svg.js';
import type { RunOutput } from './run-output.js';
import type { ConstraintsOptions } from './solver-args.js';

export const LINKAGE = { D: [4, 0] as const, AB: 2, BC: 3.5, CD: 2.5 };

/** The residuals of the constraints for unknowns [Bx, By, Cx, Cy], the crank at θ (radians). */
export function linkageResiduals(theta: number): (p: Value[]) => Value[] {
  const { D, AB, BC, CD } = LINKAGE;
  return ([bx, by, cx, cy]) => {
    const dist = (x1: Value | number, y1: Value | number, x2: Value, y2: Value): Value =>
      x2.sub(x1).square().add(y2.sub(y1).square()).sqrt();
    return [
      dist(0, 0, bx!, by!).sub(AB), // |AB| = 2
      // AB along (cos θ, sin θ): its cross product with that direction is 0.
      bx!.mul(Math.sin(theta)).sub(by!.mul(Math.cos(theta))),
      dist(bx!, by!, cx!, cy!).sub(BC), // |BC| = 3.5
      dist(D[0], D[1], cx!, cy!).sub(CD), // |CD| = 2.5
    ];
  };
}

export function runConstraints(options: ConstraintsOptions, out: RunOutput): void {
  const theta = (options.angle * Math.PI) / 180;
  // A rough sketch: B somewhere up the crank, C above the middle of the ground.
  const guess = [1.5 * Math.cos(theta), 1.5 * Math.sin(theta) + 0.1, 2.5, 2];
  const r = leastSquares(linkageResiduals(theta), guess);
  const [bx = Number.NaN, by = Number.NaN, cx = Number.NaN, cy = Number.NaN] = r.x;
  const worst = Math.max(...r.residuals.map(Math.abs));
  out.say(
    `A four-bar linkage: A = (0, 0), D = (4, 0), AB = 2, BC = 3.5, CD = 2.5, crank at ${options.angle}°`,
  );
  out.say(
    `solved from the sketch B = (${guess[0]!.toFixed(2)}, ${guess[1]!.toFixed(2)}), C = (${guess[2]}, ${guess[3]}):`,
  );
  out.say(`  B = (${bx.toFixed(6)}, ${by.toFixed(6)})`);
  out.say(`  C = (${cx.toFixed(6)}, ${cy.toFixed(6)})`);
  out.say(
    `  ${r.iterations} steps, largest constraint error ${worst.toExponential(1)}; ${r.message}`,
  );
  out.say();
  out.writeFile(
    'constraints.svg',
    linkageSvg({
      points: { A: [0, 0], B: [bx, by], C: [cx, cy], D: [...LINKAGE.D] },
      sketch: { B: [guess[0]!, guess[1]!], C: [guess[2]!, guess[3]!] },
      angle: options.angle,
      title: `Four-bar linkage, crank at ${options.angle}°`,
    }),
  );
  out.summary({
    command: 'constraints',
    angle: options.angle,
    B: [bx, by],
    C: [cx, cy],
    iterations: r.iterations,
    converged: r.converged,
    largestConstraintError: worst,
    message: r.message,
  });
}
