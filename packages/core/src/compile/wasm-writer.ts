/**
 * The few pieces of the WebAssembly binary format (https://webassembly.github.io/spec/core/binary/)
 * that wasm-replay.ts writes: LEB128 numbers, sections, and the
 * instructions of a function body over one memory of doubles.
 */

/** Unsigned LEB128, as bytes (see {@link Bytes.uleb}). */
export function uleb(n: number): number[] {
  return Array.from(new Bytes().uleb(n).view());
}

/** A name: its UTF-8 length, then its bytes (ASCII here). */
export function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
}

/** A vector: its length, then its items. */
export function vector(items: readonly (readonly number[])[]): number[] {
  const out = uleb(items.length);
  for (const item of items) for (const b of item) out.push(b);
  return out;
}

export const F64 = 0x7c;
export const I32 = 0x7f;

/** Opcodes used (https://webassembly.github.io/spec/core/binary/instructions.html). */
export const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  brIf: 0x0d,
  call: 0x10,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Ne: 0x47,
  f64Eq: 0x61,
  f64Ne: 0x62,
  f64Lt: 0x63,
  f64Gt: 0x64,
  f64Le: 0x65,
  f64Ge: 0x66,
  i32Add: 0x6a,
  i32And: 0x71,
  i32Or: 0x72,
  f64Abs: 0x99,
  f64Neg: 0x9a,
  f64Ceil: 0x9b,
  f64Floor: 0x9c,
  f64Sqrt: 0x9f,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
  f64Min: 0xa4,
  f64Max: 0xa5,
} as const;

const scratch = new Float64Array(1);
const scratchBytes = new Uint8Array(scratch.buffer);

/**
 * Bytes appended in order, in a typed array that doubles as it fills: a tape
 * of 10⁴ statements writes some 10⁵–10⁶ bytes, which number arrays and
 * spreads would copy many times over.
 */
export class Bytes {
  private buf = new Uint8Array(1024);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  byte(b: number): this {
    this.room(1);
    this.buf[this.length++] = b;
    return this;
  }

  bytes(bs: ArrayLike<number>): this {
    this.room(bs.length);
    if (bs instanceof Uint8Array) {
      this.buf.set(bs, this.length);
      this.length += bs.length;
    } else for (let i = 0; i < bs.length; i++) this.buf[this.length++] = bs[i] as number;
    return this;
  }

  /** Unsigned LEB128. */
  uleb(n: number): this {
    let v = n;
    do {
      let b = v % 128;
      v = Math.floor(v / 128);
      if (v !== 0) b |= 0x80;
      this.byte(b);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 of a 32-bit integer. */
  sleb(n: number): this {
    let v = n | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) return this.byte(b);
      this.byte(b | 0x80);
    }
  }

  /** What was written. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

/** A function body's instructions, appended in order. */
export class Body extends Bytes {
  op(code: number): this {
    return this.byte(code);
  }

  /** `f64.const x`, bit for bit (−0, NaN and ∞ included). */
  f64(x: number): this {
    scratch[0] = x;
    return this.byte(OP.f64Const).bytes(scratchBytes);
  }

  i32(n: number): this {
    return this.byte(OP.i32Const).sleb(n);
  }

  /** The double at byte `offset` of memory 0 (address 0 + offset). */
  load(offset: number): this {
    return this.i32(0).byte(OP.f64Load).byte(3).uleb(offset);
  }

  /** The double at byte `offset` past the address in i32 local `local`. */
  loadFrom(local: number, offset: number): this {
    return this.get(local).byte(OP.f64Load).byte(3).uleb(offset);
  }

  /** The i32 at byte `offset` past the address in i32 local `local`. */
  loadI32From(local: number, offset: number): this {
    return this.get(local).byte(OP.i32Load).byte(2).uleb(offset);
  }

  /** Stores the double on the stack at byte `offset`; the address 0 must have been pushed before it (see {@link at}). */
  store(offset: number): this {
    return this.byte(OP.f64Store).byte(3).uleb(offset);
  }

  /** The address operand of a store, pushed before its value. */
  at(): this {
    return this.i32(0);
  }

  get(local: number): this {
    return this.byte(OP.localGet).uleb(local);
  }

  set(local: number): this {
    return this.byte(OP.localSet).uleb(local);
  }

  tee(local: number): this {
    return this.byte(OP.localTee).uleb(local);
  }

  call(index: number): this {
    return this.byte(OP.call).uleb(index);
  }

  /** `loop` with no result. */
  loop(): this {
    return this.byte(OP.loop).byte(0x40);
  }

  /** `if` with no result. */
  if(): this {
    return this.byte(OP.if).byte(0x40);
  }

  /** `memory.fill` of memory 0: dest, value, length on the stack. */
  fill(): this {
    return this.byte(0xfc).byte(0x0b).byte(0x00);
  }
}
