import { describe, expect, test } from 'vitest';
import { readSafetensors, writeSafetensors } from './safetensors-format.js';

describe('writeSafetensors and readSafetensors, any named tensors', () => {
  test('shapes, metadata, a scalar and an empty tensor cross; F32 rounds to singles', () => {
    const bytes = writeSafetensors(
      {
        matrix: { shape: [2, 2], data: [1, 0.1, -3, 4] },
        scalar: { shape: [], data: [Math.PI] },
        empty: { shape: [0, 3], data: [] },
      },
      { dtype: 'F32', metadata: { epochs: '100' } },
    );
    const { tensors, metadata } = readSafetensors(bytes);
    expect([...metadata]).toEqual([['epochs', '100']]);
    expect([...tensors.keys()]).toEqual(['matrix', 'scalar', 'empty']); // by offset
    expect(tensors.get('matrix')).toEqual({
      dtype: 'F32',
      shape: [2, 2],
      data: Float64Array.from([1, Math.fround(0.1), -3, 4]),
    });
    expect(tensors.get('scalar')?.data).toEqual(Float64Array.from([Math.fround(Math.PI)]));
    expect(tensors.get('empty')?.shape).toEqual([0, 3]);
    // matrix [0, 16), scalar [16, 20), empty [20, 20): 20 bytes of data after the header.
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(bytes.length - 8 - n).toBe(20);
  });

  test('bad tensors are named', () => {
    expect(() => writeSafetensors({ w: { shape: [2], data: [1] } })).toThrow(
      /tensor 'w' of shape \[2\] needs 2 numbers, received 1/,
    );
    expect(() => writeSafetensors({ w: { shape: [-1], data: [] } })).toThrow(TypeError);
    expect(() => writeSafetensors({ __metadata__: { shape: [], data: [1] } })).toThrow(
      /'__metadata__' cannot name a tensor/,
    );
    expect(() => writeSafetensors({}, { dtype: 'I8' as never })).toThrow(RangeError);
    expect(() => readSafetensors(new Uint8Array(3))).toThrow(
      /^readSafetensors\(bytes\): truncated/,
    );
  });
});
