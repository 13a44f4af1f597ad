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
 * collect, read again; the median of `repeats` such readings (one reading can
 * be off by a background sweep). The result is held until after its reading.
 *
 * @example
 * const { bytes, result } = retainedBytes(() => chain(1000));
 * bytes / 1000; // bytes per node
 */
export function retainedBytes<T>(build: () => T, repeats = 3): { bytes: number; result: T } {
  const readings: number[] = [];
  let result: T | undefined;
  for (let r = 0; r < repeats; r++) {
    result = undefined;
    collect();
    const before = heapUsed();
    result = build();
    collect();
    readings.push(heapUsed() - before);
  }
  readings.sort((a, b) => a - b);
  return { bytes: readings[readings.length >> 1] as number, result: result as T };
}

/**
 * The heap one of `build`'s results keeps alive, measured with `copies` of
 * them held at once after one build to warm up: what a build leaves behind
 * once (the JIT's code and feedback, first seen in a small graph's reading
 * as 57 to 82 bytes per node from run to run) is not the graph's. The array
 * holding the copies (8 bytes a slot) is taken off.
 *
 * @example
 * const { bytes } = retainedPerCopy(() => model.forward(x), 8);
 */
export function retainedPerCopy<T>(build: () => T, copies: number): { bytes: number; result: T } {
  build();
  const { bytes, result } = retainedBytes(() => {
    const held = new Array<T>(copies);
    for (let i = 0; i < copies; i++) held[i] = build();
    return held;
  });
  return { bytes: (bytes - 8 * copies) / copies, result: result[0] as T };
}

/** @internal Written by {@link keepAlive}; exported so no optimiser can drop the write. */
export let lastKept: unknown;
/** Stops the optimiser from proving `x` dead before a measurement ends. */
export function keepAlive(x: unknown): void {
  lastKept = x;
  lastKept = undefined;
}
