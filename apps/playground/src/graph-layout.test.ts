import { describe, expect, it } from 'vitest';
import { layoutGraph } from './graph-layout.js';

const sizes = { nodeWidth: 100, nodeHeight: 20, columnGap: 50, rowGap: 10 };

describe('layoutGraph', () => {
  it('puts each node one column right of its deepest operand', () => {
    // d = (a * b) + a : a and b are leaves, m = a*b is column 1, d is column 2 (deepest operand m).
    const layout = layoutGraph(
      ['d', 'm', 'a', 'b'],
      [
        { from: 'a', to: 'm' },
        { from: 'b', to: 'm' },
        { from: 'm', to: 'd' },
        { from: 'a', to: 'd' },
      ],
      sizes,
    );
    const column = (id: string) => layout.nodes.get(id)?.column;
    expect([column('a'), column('b'), column('m'), column('d')]).toEqual([0, 0, 1, 2]);
    // Three columns of 100 with two gaps of 50; the tallest column has 2 rows of 20 and one gap of 10.
    expect(layout.width).toBe(400);
    expect(layout.height).toBe(50);
    expect(layout.nodes.get('d')).toMatchObject({ x: 300, y: 15 });
  });

  it('puts a leaf just left of its first user, not in column 0', () => {
    // y = ((x + 1) * 2): the constant 2 is first used in column 2, so it sits in column 1.
    const layout = layoutGraph(
      ['x', 'one', 's', 'two', 'y'],
      [
        { from: 'x', to: 's' },
        { from: 'one', to: 's' },
        { from: 's', to: 'y' },
        { from: 'two', to: 'y' },
      ],
      sizes,
    );
    expect(['x', 'one', 's', 'two', 'y'].map((id) => layout.nodes.get(id)?.column)).toEqual([
      0, 0, 1, 1, 2,
    ]);
  });

  it('never overlaps two boxes', () => {
    const ids = Array.from({ length: 30 }, (_, i) => i);
    // Node i depends on i-1 and i-3: several columns, several rows each.
    const edges = ids.flatMap((i) =>
      [i - 1, i - 3].filter((j) => j >= 0 && i % 4 !== 0).map((j) => ({ from: j, to: i })),
    );
    const layout = layoutGraph(ids, edges, sizes);
    const boxes = [...layout.nodes.values()];
    for (const a of boxes) {
      for (const b of boxes) {
        if (a === b) continue;
        const apart =
          Math.abs(a.x - b.x) >= sizes.nodeWidth || Math.abs(a.y - b.y) >= sizes.nodeHeight;
        expect(apart).toBe(true);
      }
    }
    for (const { from, to } of edges) {
      expect(layout.nodes.get(from)?.column).toBeLessThan(layout.nodes.get(to)?.column ?? -1);
    }
  });

  it('untangles a crossing by ordering each column after its neighbours', () => {
    // Given in crossing order: x feeds q (listed second), y feeds p (listed first).
    const layout = layoutGraph(
      ['x', 'y', 'p', 'q'],
      [
        { from: 'y', to: 'p' },
        { from: 'x', to: 'q' },
      ],
      sizes,
    );
    expect(layout.columns).toEqual([
      ['x', 'y'],
      ['q', 'p'],
    ]);
  });

  it('lays out a chain 20 000 nodes deep without recursion', () => {
    const n = 20_000;
    const ids = Array.from({ length: n }, (_, i) => i);
    const edges = ids.slice(1).map((i) => ({ from: i - 1, to: i }));
    const layout = layoutGraph(ids, edges, { ...sizes, sweeps: 1 });
    expect(layout.nodes.get(n - 1)?.column).toBe(n - 1);
  });

  it('rejects an edge to an unknown node and a cycle', () => {
    expect(() => layoutGraph(['a'], [{ from: 'a', to: 'z' }], sizes)).toThrow(RangeError);
    expect(() =>
      layoutGraph(
        ['a', 'b'],
        [
          { from: 'a', to: 'b' },
          { from: 'b', to: 'a' },
        ],
        sizes,
      ),
    ).toThrow(/cycle/);
  });
});
