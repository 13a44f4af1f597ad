/**
 * The few pieces of the WebAssembly binary format (https://webassembly.github.io/spec/core/binary/)
 * that wasm-descend.ts writes: LEB128 numbers, sections, and the
 * instructions of a function body over one memory of doubles.
 */

/** Unsigned LEB128. */
export function uleb(n: number, out: number[] = []): number[] {
  let v = n;
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number, out: number[] = []): number[] {
  let v = n | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
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

/** A section: its id, its byte length, its bytes. */
export function section(id: number, body: readonly number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

export const F64 = 0x7c;
export const I32 = 0x7f;

/** Opcodes used (https://webassembly.github.io/spec/core/binary/instructions.html). */
export const OP = {
  block: 0x02,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  call: 0x10,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
  f64Eq: 0x61,
  f64Ne: 0x62,
  f64Lt: 0x63,
  f64Gt: 0x64,
  f64Le: 0x65,
  f64Ge: 0x66,
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

const scratch = new DataView(new ArrayBuffer(8));

/** A function body's instructions, appended in order. */
export class Body {
  readonly bytes: number[] = [];

  op(code: number): this {
    this.bytes.push(code);
    return this;
  }

  /** `f64.const x`, bit for bit (−0, NaN and ∞ included). */
  f64(x: number): this {
    scratch.setFloat64(0, x, true);
    this.bytes.push(OP.f64Const);
    for (let i = 0; i < 8; i++) this.bytes.push(scratch.getUint8(i));
    return this;
  }

  i32(n: number): this {
    this.bytes.push(OP.i32Const);
    sleb(n, this.bytes);
    return this;
  }

  /** The double at byte `offset` of memory 0 (address 0 + offset). */
  load(offset: number): this {
    this.i32(0);
    this.bytes.push(OP.f64Load, 3);
    uleb(offset, this.bytes);
    return this;
  }

  /** Stores the double on the stack at byte `offset`; the address 0 must have been pushed before it (see {@link at}). */
  store(offset: number): this {
    this.bytes.push(OP.f64Store, 3);
    uleb(offset, this.bytes);
    return this;
  }

  /** The address operand of a store, pushed before its value. */
  at(): this {
    return this.i32(0);
  }

  get(local: number): this {
    this.bytes.push(OP.localGet);
    uleb(local, this.bytes);
    return this;
  }

  set(local: number): this {
    this.bytes.push(OP.localSet);
    uleb(local, this.bytes);
    return this;
  }

  tee(local: number): this {
    this.bytes.push(OP.localTee);
    uleb(local, this.bytes);
    return this;
  }

  call(index: number): this {
    this.bytes.push(OP.call);
    uleb(index, this.bytes);
    return this;
  }

  /** `if` with no result. */
  if(): this {
    this.bytes.push(OP.if, 0x40);
    return this;
  }

  /** `memory.fill` of memory 0: dest, value, length on the stack. */
  fill(): this {
    this.bytes.push(0xfc, 0x0b, 0x00);
    return this;
  }
}
