/**
 * The safetensors format (huggingface/safetensors): an unsigned 64-bit
 * little-endian length N, then N bytes of UTF-8 JSON mapping each tensor name
 * to `{ dtype, shape, data_offsets: [begin, end] }` (plus an optional
 * `__metadata__` of strings), then the tensors' raw little-endian bytes, row-major,
 * with offsets counted from the end of the header. Reading checks every field
 * and every offset before it trusts any, as the reference loader does: the
 * tensors must tile the data exactly, without overlap, gap or trailing bytes.
 */
import { describe, showShape } from './describe.js';

/** The dtypes written and read here: IEEE doubles and singles. */
export type SafetensorsDtype = 'F64' | 'F32';

const BYTES: Record<SafetensorsDtype, number> = { F64: 8, F32: 4 };

/** Every dtype the format defines, so that an unsupported one is told apart from a typo. */
const KNOWN_DTYPES = new Set([
  'BOOL', 'U8', 'I8', 'U16', 'I16', 'F16', 'BF16', 'U32', 'I32', 'F32', 'U64', 'I64', 'F64',
  'F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F4', 'F6_E2M3', 'F6_E3M2', 'C64',
]); // prettier-ignore

/** The reference implementation refuses headers over 100 MB. */
const MAX_HEADER = 100_000_000;

/** A tensor read from a safetensors file, its numbers widened to doubles. */
export interface SafetensorsTensor {
  /** The dtype stored in the file. */
  readonly dtype: SafetensorsDtype;
  /** The sizes of its dimensions (`[]` for a scalar). */
  readonly shape: readonly number[];
  /** Its numbers, row-major, each exactly as stored (a single widens to a double exactly). */
  readonly data: Float64Array;
}

/** What a file holds: its tensors in the order of their offsets, and its metadata. */
export interface SafetensorsContents {
  /** Name → tensor, in the order of their offsets in the file. */
  readonly tensors: Map<string, SafetensorsTensor>;
  /** The `__metadata__` strings (empty if the file has none). */
  readonly metadata: Map<string, string>;
}

/** A tensor to write: a shape and its numbers in row-major order. */
export interface TensorToWrite {
  /** The sizes of its dimensions (`[]` for a scalar). */
  readonly shape: readonly number[];
  /** Its numbers, row-major: as many as the product of the sizes. */
  readonly data: ArrayLike<number>;
}

/** Options of {@link writeSafetensors}. */
export interface WriteSafetensorsOptions {
  /** `F64` (default: no rounding) or `F32` (each number rounded to the nearest single). */
  dtype?: SafetensorsDtype;
  /** Strings stored under `__metadata__` (default `{ format: 'pt' }`, as `safetensors.torch` writes). */
  metadata?: Record<string, string>;
}

/**
 * Serializes named tensors to the bytes of a safetensors file, in the order given.
 *
 * @example
 * const bytes = writeSafetensors({ w: { shape: [2], data: [1, 2] } }, { dtype: 'F32' });
 * readSafetensors(bytes).tensors.get('w')?.data; // Float64Array [1, 2]
 */
export function writeSafetensors(
  tensors: Readonly<Record<string, TensorToWrite>>,
  options: WriteSafetensorsOptions = {},
): Uint8Array {
  const where = 'writeSafetensors(tensors, options)';
  const dtype = options.dtype ?? 'F64';
  if (dtype !== 'F64' && dtype !== 'F32')
    throw new RangeError(
      `${where}: expected options.dtype 'F64' or 'F32', received ${describe(dtype)}`,
    );
  const metadata = options.metadata ?? { format: 'pt' };
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string')
      throw new TypeError(
        `${where}: expected options.metadata.${k} to be a string, received ${describe(v)}`,
      );
  }
  const size = BYTES[dtype];
  const header: Record<string, unknown> = { __metadata__: metadata };
  const entries = Object.entries(tensors);
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__' || name === '__proto__')
      throw new RangeError(`${where}: '${name}' cannot name a tensor`);
    const shape: unknown = (t as Partial<TensorToWrite> | null)?.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0))
      throw new TypeError(
        `${where}: expected tensors['${name}'].shape to be an array of sizes, received ${describe(shape)}`,
      );
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length)
      throw new RangeError(
        `${where}: tensor '${name}' of shape ${showShape(t.shape)} needs ${count} numbers, received ${t.data.length}`,
      );
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + count * size] };
    offset += count * size;
  }
  // The header is padded with spaces to a multiple of 8 bytes, as the
  // reference writer does, so that the data starts aligned.
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const bytes = new Uint8Array(8 + json.length + offset);
  const view = new DataView(bytes.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  bytes.set(json, 8);
  let at = 8 + json.length;
  for (const [, t] of entries) {
    for (let i = 0; i < t.data.length; i++, at += size) {
      if (dtype === 'F64') view.setFloat64(at, t.data[i] as number, true);
      else view.setFloat32(at, t.data[i] as number, true);
    }
  }
  return bytes;
}

/**
 * Reads and checks the bytes of a safetensors file. Throws a RangeError naming
 * the first fault: a truncated file, a header length past the end, a header
 * that is not UTF-8 JSON of the expected form, an unknown or unsupported
 * dtype, a bad shape, offsets out of range, overlapping, leaving gaps or not
 * matching the shape, `__proto__` as a name.
 *
 * @example
 * const { tensors } = readSafetensors(bytes);
 * tensors.get('0.weight')?.shape; // [16, 2]
 */
export function readSafetensors(bytes: Uint8Array): SafetensorsContents {
  return parseSafetensors(bytes, 'readSafetensors(bytes)');
}

/** {@link readSafetensors}, its errors prefixed by `where` (the public call that read the file). */
export function parseSafetensors(bytes: Uint8Array, where: string): SafetensorsContents {
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(
      `${where}: expected the file's bytes as a Uint8Array, received ${describe(bytes)}`,
    );
  const fail = (why: string): never => {
    throw new RangeError(`${where}: ${why}`);
  };
  if (bytes.length < 8)
    fail(`truncated file: ${bytes.length} bytes, fewer than the 8 of the header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = view.getBigUint64(0, true);
  if (n64 > BigInt(bytes.length - 8))
    fail(
      `the header length ${n64} runs past the end of the file (${bytes.length - 8} bytes follow it); the file is truncated or not safetensors`,
    );
  const n = Number(n64);
  if (n > MAX_HEADER) fail(`the header length ${n} is over the limit of ${MAX_HEADER} bytes`);
  if (n < 2) fail(`the header length ${n} is too short for a JSON object`);
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail('the header is not valid UTF-8');
  }
  if (!text.startsWith('{'))
    fail(`the header does not start with '{' (received ${describe(text)})`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    fail(
      `the header is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header))
    fail(`the header must be a JSON object, received ${describe(header)}`);
  const dataLength = bytes.length - 8 - n;
  const metadata = new Map<string, string>();
  const spans: {
    name: string;
    dtype: SafetensorsDtype;
    shape: number[];
    begin: number;
    end: number;
  }[] = [];
  const record = header as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    const entry = record[name];
    // JSON.parse makes "__proto__" an own key; refused as a name, it can
    // never reach an object's prototype further on.
    if (name === '__proto__') fail(`the header names a tensor '__proto__', which is not allowed`);
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
        fail(`__metadata__ must be an object of strings, received ${describe(entry)}`);
      for (const key of Object.keys(entry as object)) {
        const v = (entry as Record<string, unknown>)[key];
        if (key === '__proto__') fail(`__metadata__ has a key '__proto__', which is not allowed`);
        if (typeof v !== 'string')
          fail(`__metadata__.${key} must be a string, received ${describe(v)}`);
        metadata.set(key, v as string);
      }
      continue;
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      fail(
        `tensor '${name}' must be described by { dtype, shape, data_offsets }, received ${describe(entry)}`,
      );
    const fields = entry as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      if (key !== 'dtype' && key !== 'shape' && key !== 'data_offsets')
        fail(
          `tensor '${name}' has an unexpected field '${key}' (expected dtype, shape, data_offsets)`,
        );
    }
    const { dtype, shape, data_offsets: offsets } = fields;
    if (typeof dtype !== 'string')
      fail(`tensor '${name}' has no dtype string, received ${describe(dtype)}`);
    if (!KNOWN_DTYPES.has(dtype as string))
      fail(`tensor '${name}' has an unknown dtype ${describe(dtype)}`);
    if (dtype !== 'F64' && dtype !== 'F32')
      fail(
        `tensor '${name}' has dtype '${dtype as string}', which is not supported (expected F64 or F32)`,
      );
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0))
      fail(
        `tensor '${name}' must have a shape of non-negative integers, received ${JSON.stringify(shape)}`,
      );
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)
    )
      fail(
        `tensor '${name}' must have data_offsets [begin, end] of non-negative integers, received ${JSON.stringify(offsets)}`,
      );
    const [begin, end] = offsets as [number, number];
    if (begin > end)
      fail(`tensor '${name}' has data_offsets [${begin}, ${end}] that end before they begin`);
    if (end > dataLength)
      fail(
        `tensor '${name}' has data_offsets [${begin}, ${end}] past the end of the data (${dataLength} bytes)`,
      );
    const dims = shape as number[];
    const count = dims.reduce((a, b) => a * b, 1);
    const size = BYTES[dtype as SafetensorsDtype];
    if (end - begin !== count * size)
      fail(
        `tensor '${name}' of dtype ${dtype as string} and shape ${showShape(dims)} needs ${count * size} bytes, but its data_offsets [${begin}, ${end}] span ${end - begin}`,
      );
    spans.push({ name, dtype: dtype as SafetensorsDtype, shape: dims, begin, end });
  }
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous = '';
  for (const s of spans) {
    if (s.begin < covered)
      fail(
        `tensors '${previous}' and '${s.name}' overlap (bytes ${s.begin} to ${covered} of the data)`,
      );
    if (s.begin > covered) fail(`the data bytes ${covered} to ${s.begin} belong to no tensor`);
    covered = s.end;
    previous = s.name;
  }
  if (covered !== dataLength)
    fail(`the data bytes ${covered} to ${dataLength} belong to no tensor (trailing bytes)`);
  const tensors = new Map<string, SafetensorsTensor>();
  const start = 8 + n;
  for (const s of spans) {
    const size = BYTES[s.dtype];
    const data = new Float64Array((s.end - s.begin) / size);
    for (let i = 0, at = start + s.begin; i < data.length; i++, at += size)
      data[i] = s.dtype === 'F64' ? view.getFloat64(at, true) : view.getFloat32(at, true);
    tensors.set(s.name, { dtype: s.dtype, shape: s.shape, data });
  }
  return { tensors, metadata };
}
