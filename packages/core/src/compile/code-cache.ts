/**
 * Generated code by what it was generated from. A graph of a shape compiled
 * before (a second model of one architecture, `fit` called again, the bench's
 * every run) has a tape equal to the first one's: its source need not be
 * written again (11 ms of the 60 to 100 that compiling W1(a)'s 65,477-node
 * graph takes), nor parsed by `new Function`, and the functions made from it
 * share the JIT's feedback, so they start out optimized. An entry is found by
 * a hash of the tape, the input layout and the style, and taken only if every
 * array is equal to the stored one: a hash alone could collide.
 *
 * The entries keep the tapes' typed arrays (never their parameters, which
 * are the user's Values) and what codegen.ts makes of them, within the bounds
 * below.
 */
import type { InputLayout } from './inputs.js';
import type { Tape } from './tape.js';

/** What is kept per tape: its source, and whatever else is made from it. */
export interface Code {
  readonly source: string;
  /** Numbers the code itself holds (typed arrays it made), counted with the tape's. */
  readonly numbers?: number;
}

interface Entry<T extends Code> {
  /** The scalars, the layout and the style, as one string. */
  readonly head: string;
  readonly parts: readonly ArrayLike<number>[];
  /** Numbers in `parts`. */
  readonly size: number;
  readonly code: T;
}

export interface SourceCacheLimits {
  /** Entries kept at most. */
  entries: number;
  /** Numbers (of tapes' arrays) kept at most, in all. */
  numbers: number;
  /** Characters of source kept at most, in all. */
  chars: number;
}

type Hash = (head: string, parts: readonly ArrayLike<number>[]) => number;

/** A bounded cache of code by tape, least recently used out first. */
export class CodeCache<T extends Code> {
  private readonly entries = new Map<string, Entry<T>>();
  private numbers = 0;
  private chars = 0;

  /** `hash`: the tests give one under which every tape collides. */
  constructor(
    private readonly limits: SourceCacheLimits = { entries: 32, numbers: 1 << 23, chars: 1 << 22 },
    private readonly hash: Hash = hashOf,
  ) {}

  /** How many tapes' code is kept. */
  get size(): number {
    return this.entries.size;
  }

  /**
   * What `make` returns for this tape, layout and style: what it returned for
   * an equal tape before, if that is kept. An entry larger than a quarter of
   * a limit is not kept.
   */
  get(tape: Tape, layout: InputLayout, style: string, make: () => T): T {
    const { head, parts } = shapeOf(tape, layout, style);
    const key = `${this.hash(head, parts)}`;
    const found = this.entries.get(key);
    if (found !== undefined && found.head === head && sameParts(found.parts, parts)) {
      this.entries.delete(key);
      this.entries.set(key, found);
      return found.code;
    }
    const code = make();
    const { source } = code;
    const size = parts.reduce((total, p) => total + p.length, code.numbers ?? 0);
    const { limits } = this;
    if (size <= limits.numbers / 4 && source.length <= limits.chars / 4) {
      if (found !== undefined) this.forget(key, found); // another tape with this hash: the newer wins
      this.entries.set(key, { head, parts, size, code });
      this.numbers += size;
      this.chars += source.length;
      for (const [k, e] of this.entries) {
        if (
          this.entries.size <= limits.entries &&
          this.numbers <= limits.numbers &&
          this.chars <= limits.chars
        )
          break;
        this.forget(k, e);
      }
    }
    return code;
  }

  private forget(key: string, entry: Entry<T>): void {
    this.entries.delete(key);
    this.numbers -= entry.size;
    this.chars -= entry.code.source.length;
  }
}

/** A tape, its layout and a style as the cache compares them: the scalars as one string, and the arrays. */
function shapeOf(
  tape: Tape,
  layout: InputLayout,
  style: string,
): { head: string; parts: ArrayLike<number>[] } {
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
  return { head, parts };
}

/**
 * How much replay work each recent tape shape has done in this process (in
 * statements replayed: a tape's statements per sample, or per replay of a
 * batch tape), by a hash of the shape: what `auto` mode weighs against the
 * cost of the shape's code (see `tiered` in codegen.ts). Two shapes with one
 * hash share a count, which can only move one of them to generated code early;
 * the numbers are the same in either mode.
 */
export class WorkCounter {
  private readonly counts = new Map<number, number>();

  constructor(private readonly limit = 256) {}

  /** The key of a tape and its layout. */
  keyOf(tape: Tape, layout: InputLayout): number {
    const { head, parts } = shapeOf(tape, layout, '');
    return hashOf(head, parts);
  }

  /** The work counted for `key`. */
  get(key: number): number {
    return this.counts.get(key) ?? 0;
  }

  /** Adds `work` to `key`'s count; returns the new count. */
  add(key: number, work: number): number {
    const total = this.get(key) + work;
    this.counts.delete(key);
    // Least recently counted out first.
    if (this.counts.size >= this.limit)
      this.counts.delete(this.counts.keys().next().value as number);
    this.counts.set(key, total);
    return total;
  }
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
