/**
 * @ag/optimize: solvers for functions that are not networks, on top of
 * @ag/core, SciPy-shaped: numbers in, numbers out.
 */
export {
  leastSquares,
  type LeastSquaresOptions,
  type LeastSquaresResult,
} from './least-squares.js';
export { minimize, type MinimizeOptions, type MinimizeResult } from './minimize.js';
export {
  strongWolfe,
  cubicInterpolate,
  type LineFunction,
  type LineSearchResult,
  type StrongWolfeOptions,
} from './strong-wolfe.js';
export { LbfgsHistory } from './lbfgs-history.js';
export { compileResiduals, type CompiledResiduals } from './compile-residuals.js';
