import { describe, expect, it } from 'vitest';
import { toDot, toGraph, Value } from './index.js';

describe('toGraph', () => {
  it('lists nodes operands-first with data, grad and op, and edges in operand order', () => {
    const a = new Value(2, { label: 'a' });
    const b = new Value(-3, { label: 'b' });
    const c = a.mul(b);
    c.label = 'c';
    const d = c.add(a);
    d.backward();
    const graph = toGraph(d);
    expect(graph.nodes.map((n) => [n.label, n.op, n.data, n.grad])).toEqual([
      ['a', '', 2, -2], // dd/da = b + 1
      ['b', '', -3, 2],
      ['c', '*', -6, 1],
      [undefined, '+', -4, 1],
    ]);
    expect(graph.edges).toEqual([
      { from: 0, to: 2 },
      { from: 1, to: 2 },
      { from: 2, to: 3 },
      { from: 0, to: 3 },
    ]);
    expect(JSON.parse(JSON.stringify(graph))).toEqual(JSON.parse(JSON.stringify(graph)));
  });

  it('handles deep graphs without recursion', () => {
    let y = new Value(1);
    for (let i = 0; i < 100_000; i++) y = y.add(1);
    expect(toGraph(y).nodes).toHaveLength(200_001); // 100,000 constants too
  });
});

describe('toDot', () => {
  it('draws records with label, data and grad, and op ovals, as micrograd does', () => {
    const a = new Value(2, { label: 'a' });
    const y = a.tanh();
    y.label = 'y|out';
    y.backward();
    const dot = toDot(y);
    expect(dot.startsWith('digraph {\n  rankdir=LR;')).toBe(true);
    expect(dot).toContain(
      `n0 [label="{ a | data 2.0000 | grad ${(1 - Math.tanh(2) ** 2).toFixed(4)} }"];`,
    );
    expect(dot).toContain('n1 [label="{ y\\|out | data 0.9640 | grad 1.0000 }"];');
    expect(dot).toContain('n1_op [label="tanh", shape=oval];');
    expect(dot).toContain('n0 -> n1_op;');
    expect(dot).toContain('n1_op -> n1;');
  });

  it('rejects a non-Value root and bad options', () => {
    expect(() => toDot(3 as unknown as Value)).toThrow(
      /toDot\(root\): expected a Value, received number 3/,
    );
    expect(() => toDot(new Value(1), { digits: -1 })).toThrow(RangeError);
  });
});
