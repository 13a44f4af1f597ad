/**
 * Heap measurement. `node --expose-gc` (the `bench` script) gives `gc()`;
 * without it heap figures are marked unreliable rather than made up.
 */

const gcFunction = (globalThis as { gc?: () => void }).gc;

/** Whether a full collection can be forced (the figures below mean something). */
export const canCollect = typeof gcFunction === 'function';

/** Forces full collections until the heap stops shrinking (at most a few rounds). */
export function collect(): void {
  if (gcFunction === undefined) return;
  let last = process.memoryUsage().heapUsed;
  for (let i = 0; i < 4; i++) {
    gcFunction();
    const now = process.memoryUsage().heapUsed;
    if (now >= last) return;
    last = now;
  }
}

/** Bytes of heap in use right now. */
export function heapUsed(): number {
  return process.memoryUsage().heapUsed;
}

/**
 * The heap that `build`'s result keeps alive: collect, read the heap, build,
 * collect, read again. The result is held until after the second reading.
 *
 * @example
 * const { bytes, result } = retainedBytes(() => chain(1000));
 * bytes / 1000; // bytes per node
 */
export function retainedBytes<T>(build: () => T): { bytes: number; result: T } {
  collect();
  const before = heapUsed();
  const result = build();
  collect();
  const bytes = heapUsed() - before;
  keepAlive(result);
  return { bytes, result };
}

/** @internal Written by {@link keepAlive}; exported so no optimiser can drop the write. */
export let lastKept: unknown;
/** Stops the optimiser from proving `x` dead before a measurement ends. */
export function keepAlive(x: unknown): void {
  lastKept = x;
  lastKept = undefined;
}
