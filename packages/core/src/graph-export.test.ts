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

  it('names the options argument when it is not an object', () => {
    const v = new Value(1);
    for (const [options, received] of [
      [null, 'null'],
      [3, 'number 3'],
      ['LR', 'string "LR"'],
      [[], 'an array of length 0'],
    ] as const) {
      expect(() => toDot(v, options as never)).toThrow(TypeError);
      expect(() => toDot(v, options as never)).toThrow(
        `toDot(root, options): expected options to be an object, received ${received}`,
      );
    }
    // Left out, the options are the defaults.
    expect(toDot(v, undefined)).toBe(toDot(v, {}));
  });

  it('rejects an unknown option name, as the rest of the library does', () => {
    const v = new Value(1);
    expect(() => toDot(v, { rankDir: 'TB' } as never)).toThrow(TypeError);
    expect(() => toDot(v, { rankDir: 'TB' } as never)).toThrow(
      "toDot(root, options): unknown option 'rankDir' (expected 'rankdir' or 'digits')",
    );
  });

  it('writes control characters in a label as visible symbols, never raw', () => {
    // Graphviz stops at a raw NUL with a syntax error; the control pictures U+2400 + code
    // (␀ for U+0000, ␊ for U+000A, ␟ for U+001F), ␡ U+2421 for DEL and � for C1 controls
    // keep the label visible and the file valid.
    const a = new Value(1, { label: 'a\u0000b' });
    expect(toDot(a)).toContain('n0 [label="{ a\u2400b | data 1.0000 | grad 0.0000 }"];');
    const every = Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)).join('');
    const b = new Value(2, { label: `${every}\u007f\u0085x` });
    const pictures = Array.from({ length: 32 }, (_, code) => String.fromCharCode(0x2400 + code));
    const dot = toDot(b);
    expect(dot).toContain(`{ ${pictures.join('')}\u2421\ufffdx | data 2.0000`);
    // The only control characters left are the newlines that end the DOT statements.
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(dot.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
});
