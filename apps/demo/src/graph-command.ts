import { Value, add, div, mul, toGraph } from '@ag/core';
import type { ExpressionName, GraphOptions } from './args.js';
import { graphDot } from './graph-dot.js';
import { dotToSvg } from './graph-svg.js';
import type { RunOutput } from './run-output.js';

export interface Expression {
  title: string;
  root: Value;
  /** The leaves whose gradients the story reports. */
  inputs: Value[];
}

/**
 * micrograd's README expression, line for line:
 * a = -4, b = 2, c = a + b, d = a*b + b**3, c += c + 1, c += 1 + c + (-a),
 * d += d*2 + (b + a).relu(), d += 3*d + (b - a).relu(), e = c - d, f = e**2,
 * g = f / 2.0, g += 10.0 / f. micrograd prints g = 24.7041, dg/da = 138.8338, dg/db = 645.5773.
 */
function readmeExpression(): Expression {
  const a = new Value(-4.0, { label: 'a' });
  const b = new Value(2.0, { label: 'b' });
  let c = a.add(b);
  let d = a.mul(b).add(b.pow(3));
  c = c.add(c.add(1));
  c = c.add(add(1, c).add(a.neg()));
  d = d.add(d.mul(2).add(b.add(a).relu()));
  d = d.add(mul(3, d).add(b.sub(a).relu()));
  c.label = 'c';
  d.label = 'd';
  const e = c.sub(d);
  e.label = 'e';
  const f = e.pow(2);
  f.label = 'f';
  let g = f.div(2.0);
  g = g.add(div(10.0, f));
  g.label = 'g';
  return { title: 'micrograd README expression', root: g, inputs: [a, b] };
}

/** The neuron of micrograd's lecture: o = tanh(x1·w1 + x2·w2 + b), with o ≈ 0.7071. */
function neuronExpression(): Expression {
  const x1 = new Value(2.0, { label: 'x1' });
  const x2 = new Value(0.0, { label: 'x2' });
  const w1 = new Value(-3.0, { label: 'w1' });
  const w2 = new Value(1.0, { label: 'w2' });
  const b = new Value(6.881373587019543, { label: 'b' });
  const x1w1 = x1.mul(w1);
  x1w1.label = 'x1*w1';
  const x2w2 = x2.mul(w2);
  x2w2.label = 'x2*w2';
  const n = x1w1.add(x2w2).add(b);
  n.label = 'n';
  const o = n.tanh();
  o.label = 'o';
  return { title: 'a tanh neuron', root: o, inputs: [x1, w1, x2, w2, b] };
}

/** The expression `--expression name` draws, before `backward()`. */
export function build(name: ExpressionName): Expression {
  return name === 'neuron' ? neuronExpression() : readmeExpression();
}

const f4 = (n: number): string => n.toFixed(4);

/** `graph`: build the expression, run backward() and draw the graph with data and grad on each node. */
export async function runGraph(options: GraphOptions, out: RunOutput): Promise<void> {
  const { title, root, inputs } = build(options.expression);
  root.backward();
  const rootName = root.label ?? 'out';
  out.say(`Computation graph of ${title}`);
  out.say(`  ${rootName} = ${f4(root.data)}`);
  out.say(`  ${inputs.map((v) => `d${rootName}/d${v.label ?? '?'} = ${f4(v.grad)}`).join(', ')}`);

  const graph = toGraph(root);
  out.say();
  out.say(`  ${graph.nodes.length} nodes, operands before the nodes made from them:`);
  for (const node of graph.nodes) {
    const from = graph.edges.filter((e) => e.to === node.id).map((e) => `n${e.from}`);
    const made =
      node.op === '' ? (node.requiresGrad ? 'leaf' : 'constant') : `${node.op}(${from.join(', ')})`;
    out.say(
      `  n${String(node.id).padEnd(3)} ${(node.label ?? '').padEnd(6)} ${made.padEnd(16)} data ${f4(node.data).padStart(10)}  grad ${f4(node.grad).padStart(10)}`,
    );
  }

  const dot = graphDot(root);
  if (options.dot) {
    out.say();
    out.say(dot.trimEnd());
  }
  out.say();
  out.writeFile('graph.svg', await dotToSvg(dot));
  out.summary({
    command: 'graph',
    expression: options.expression,
    output: { label: rootName, data: root.data },
    gradients: Object.fromEntries(inputs.map((v) => [v.label ?? '?', v.grad])),
    nodes: graph.nodes.length,
  });
}
