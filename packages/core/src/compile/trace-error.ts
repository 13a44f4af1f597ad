/**
 * `TraceError`: what `compile` throws when the graph of its function depends
 * on the values of its inputs, so that a recording would not be the same
 * graph for every input. Callers that fall back to the eager engine (as
 * `@ag/nn`'s `fit` does by default) tell it from every other error by its class.
 */

/**
 * Thrown by `compile` when `fn` used an input's value while it was recorded
 * (read `.data` of a node computed from an input, branched on it), so its
 * graph could differ from input to input. `read` names what was read.
 *
 * @example
 * try {
 *   compile(({ x }) => (x.data > 0 ? x : x.neg()), { inputs: ['x'] });
 * } catch (error) {
 *   if (error instanceof TraceError) console.log(error.read); // what fn read
 * }
 */
export class TraceError extends Error {
  /** What fn read or did that depends on an input's value, in words. */
  readonly read: string;

  /** Made by `compile`; `message` is the whole message, `read` its short form. */
  constructor(message: string, read: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TraceError';
    this.read = read;
  }
}
