/**
 * Generated sources by what they were generated from. A graph of a shape
 * compiled before (a second model of one architecture, `fit` called again,
 * the bench's every run) has a tape equal to the first one's, and its source
 * need not be written again: 11 ms of the 60 to 100 that compiling W1(a)'s
 * 65,477-node graph takes. An entry is found by a hash of the tape, the input
 * layout and the style, and taken only if every array equals the stored one:
 * a hash alone could collide.
 *
 * The entries keep the tapes' typed arrays (never their parameters, which
 * are the user's Values), at most 32 entries and 8M numbers in all.
 */
import type { InputLayout } from './inputs.js';
import type { Tape } from './tape.js';

interface Entry {
  /** The scalars, the layout and the style, as one string. */
  readonly head: string;
  readonly parts: readonly ArrayLike<number>[];
  readonly size: number;
  readonly source: string;
}

const entries = new Map<string, Entry>();
const MAX_ENTRIES = 32;
const MAX_NUMBERS = 1 << 23;
/** A tape larger than this is not kept (a quarter of the whole). */
const MAX_ENTRY = MAX_NUMBERS / 4;
let numbers = 0;

/** @internal How many sources are cached (for tests). */
export const cachedSourceCount = (): number => entries.size;

/**
 * The source `write` returns for this tape, layout and style, from the cache
 * if an equal tape was seen before. (`hash`: the tests make every tape
 * collide with it.)
 */
export function cachedSource(
  tape: Tape,
  layout: InputLayout,
  style: string,
  write: () => string,
  hash: (head: string, parts: readonly ArrayLike<number>[]) => number = hashOf,
): string {
  const head = JSON.stringify([
    style,
    tape.nInputs,
    tape.params.length,
    tape.firstNode,
    tape.nSlots,
    tape.output,
    layout.names,
    layout.sizes,
    layout.offsets,
  ]);
  const c = tape.constants;
  const parts: ArrayLike<number>[] = [
    tape.op,
    tape.a,
    tape.b,
    tape.n,
    tape.args,
    tape.backward,
    tape.requiresGrad,
    tape.paramRequiresGrad,
    // The constants bit for bit (−0 and 0 are different literals).
    new Uint32Array(c.buffer, c.byteOffset, 2 * c.length),
  ];
  const key = `${hash(head, parts)}`;
  const found = entries.get(key);
  if (found !== undefined && found.head === head && sameParts(found.parts, parts)) {
    entries.delete(key);
    entries.set(key, found);
    return found.source;
  }
  const source = write();
  const size = parts.reduce((total, p) => total + p.length, 0);
  if (size <= MAX_ENTRY) {
    if (found !== undefined) forget(key, found); // another tape with this hash: the newer wins
    entries.set(key, { head, parts, size, source });
    numbers += size;
    // Oldest first out, until both limits hold.
    for (const [k, e] of entries) {
      if (entries.size <= MAX_ENTRIES && numbers <= MAX_NUMBERS) break;
      forget(k, e);
    }
  }
  return source;
}

function forget(key: string, entry: Entry): void {
  entries.delete(key);
  numbers -= entry.size;
}

/** FNV-1a over the head's characters and every part's length and numbers. */
function hashOf(head: string, parts: readonly ArrayLike<number>[]): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < head.length; i++) h = Math.imul(h ^ head.charCodeAt(i), 0x01000193);
  for (const part of parts) {
    h = Math.imul(h ^ part.length, 0x01000193);
    for (let i = 0; i < part.length; i++) h = Math.imul(h ^ (part[i] as number), 0x01000193);
  }
  return h >>> 0;
}

function sameParts(xs: readonly ArrayLike<number>[], ys: readonly ArrayLike<number>[]): boolean {
  for (let p = 0; p < xs.length; p++) {
    const x = xs[p] as ArrayLike<number>;
    const y = ys[p] as ArrayLike<number>;
    if (x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  }
  return true;
}
