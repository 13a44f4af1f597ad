/**
 * @ag/optimize: solvers for functions that are not networks, on top of
 * @ag/core, SciPy-shaped: numbers in, numbers out.
 */
export {
  leastSquares,
  type LeastSquaresOptions,
  type LeastSquaresResult,
} from './least-squares.js';
