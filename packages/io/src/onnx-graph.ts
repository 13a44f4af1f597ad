/**
 * A scalar graph, recorded from a function as `compile` records it, as an ONNX
 * model: each input a named tensor holding one number per sample ([batch] for
 * a scalar input, [batch, n] for a vector input, whose entries are taken out by
 * `Gather`), each op node one ONNX node applied elementwise over the batch,
 * each other leaf (a parameter or a constant) a scalar initializer.
 */
import { compile, Value, type InputSpec } from '@ag/core';
import { describe } from './describe.js';
import { OnnxGraph, type Dim } from './onnx-builder.js';
import type { ResolvedOnnxOptions } from './onnx-options.js';

/** `@ag/core` op (`Value.op`) → ONNX operator, for the ops of one or two operands. */
const ELEMENTWISE: Readonly<Record<string, string>> = {
  '+': 'Add',
  '-': 'Sub',
  '*': 'Mul',
  '/': 'Div',
  '**': 'Pow',
  max: 'Max',
  min: 'Min',
  neg: 'Neg',
  exp: 'Exp',
  log: 'Log',
  sqrt: 'Sqrt',
  tanh: 'Tanh',
  relu: 'Relu',
  abs: 'Abs',
  sigmoid: 'Sigmoid',
};

export function graphToOnnx(
  fn: (inputs: never) => Value,
  options: ResolvedOnnxOptions & { inputs?: unknown },
  where: string,
): Uint8Array {
  if (typeof fn !== 'function')
    throw new TypeError(
      `${where}: expected a model or a function of named inputs, received ${describe(fn)}`,
    );
  if (options.inputs === undefined)
    throw new TypeError(
      `${where}: a function needs options.inputs, the names (or example values) that compile takes`,
    );
  const spec = options.inputs as InputSpec;
  // compile checks the input spec and records fn with other inputs, throwing
  // if the graph depends on their values: then the graph below, recorded
  // once, is the graph for every input.
  compile(fn as (inputs: Record<string, Value>) => Value, {
    inputs: spec as readonly string[],
    mode: 'interpreter',
  });

  const entries: [string, number | readonly number[]][] = Array.isArray(spec)
    ? (spec as readonly string[]).map((name, i) => [name, i + 1])
    : Object.entries(spec as Record<string, number | readonly number[]>);
  const g = new OnnxGraph(options.dtype);
  const batch = 'batch';
  const outputName = options.outputName;
  if (entries.some(([name]) => name === outputName))
    throw new RangeError(
      `${where}: options.outputName '${outputName}' is also the name of an input`,
    );
  /** Placeholder → how to read it: the input tensor, and the entry of a vector input. */
  const placeholders = new Map<Value, { tensor: string; index: number }>();
  const byName: Record<string, Value | Value[]> = {};
  for (const [name, example] of entries) {
    if (typeof example === 'number') {
      const v = new Value(example, { requiresGrad: false, label: name });
      placeholders.set(v, { tensor: g.input(g.fresh(name), [batch]), index: -1 });
      byName[name] = v;
    } else {
      const tensor = g.input(g.fresh(name), [batch, example.length]);
      byName[name] = example.map((e, j) => {
        const v = new Value(e, { requiresGrad: false, label: `${name}[${j}]` });
        placeholders.set(v, { tensor, index: j });
        return v;
      });
    }
  }
  g.fresh(outputName);
  const root: unknown = (fn as (inputs: Record<string, Value | Value[]>) => unknown)(byName);
  if (!(root instanceof Value))
    throw new TypeError(`${where}: expected fn to return a Value, received ${describe(root)}`);

  const names = new Map<Value, string>();
  const perSample = new Set<Value>();
  // Post-order over an explicit stack (no recursion: a deep graph must work).
  const stack: { node: Value; operands: Value[] | null }[] = [{ node: root, operands: null }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as (typeof stack)[number];
    const { node } = frame;
    if (names.has(node)) {
      stack.pop();
      continue;
    }
    if (frame.operands === null) {
      frame.operands = node.operands;
      for (const operand of frame.operands)
        if (!names.has(operand)) stack.push({ node: operand, operands: null });
      continue;
    }
    stack.pop();
    const isRoot = node === root;
    const out = (base: string): string => (isRoot ? outputName : g.fresh(base));
    const place = placeholders.get(node);
    let name: string;
    if (place !== undefined) {
      perSample.add(node);
      if (place.index < 0) name = place.tensor;
      else {
        const index = g.int64Initializer(
          g.fresh(`${place.tensor}_index_${place.index}`),
          [],
          [place.index],
        );
        name = g.node('Gather', [place.tensor, index], g.fresh(`${place.tensor}_${place.index}`), {
          axis: 1,
        });
      }
      if (isRoot) name = g.node('Identity', [name], outputName);
    } else if (node.isLeaf) {
      name = g.initializer(g.fresh(node.label ?? 'constant'), [], [node.data]);
      if (isRoot) name = g.node('Identity', [name], outputName);
    } else {
      const operands = frame.operands;
      const inputs = operands.map((o) => names.get(o) as string);
      if (operands.some((o) => perSample.has(o))) perSample.add(node);
      const op = node.op;
      const onnx = Object.hasOwn(ELEMENTWISE, op) ? ELEMENTWISE[op] : undefined;
      if (onnx !== undefined) name = g.node(onnx, inputs, out(onnx.toLowerCase()));
      else if (op === 'softplus') name = softplus(g, inputs[0] as string, out('softplus'));
      else if (op === 'square')
        name = g.node('Mul', [inputs[0] as string, inputs[0] as string], out('square'));
      else if (op === 'sum') name = g.node('Sum', inputs, out('sum'));
      else if (op === 'dot') {
        // Operands are w₀, x₀, w₁, x₁, …, then the bias if there is one:
        // a Mul per pair, then one Sum of the products and the bias.
        const terms: string[] = [];
        for (let i = 0; i + 1 < inputs.length; i += 2)
          terms.push(
            g.node('Mul', [inputs[i] as string, inputs[i + 1] as string], g.fresh('product')),
          );
        if (inputs.length % 2 === 1) terms.push(inputs[inputs.length - 1] as string);
        name = g.node('Sum', terms, out('dot'));
      } else
        throw new RangeError(
          `${where}: the graph uses the op '${op}', which has no ONNX operator here`,
        );
    }
    names.set(node, name);
  }
  const shape: Dim[] | null = perSample.has(root) ? [batch] : [];
  g.output(outputName, shape);
  return g.encode('graph', 'Exported by @ag/io from a graph recorded from @ag/core Values.');
}

/**
 * softplus(a). In float32, ONNX's `Softplus`. ONNX Runtime has no float64
 * kernel for it, so in float64 it is written out as @ag/core computes it,
 * max(a, 0) + log1p(e^−|a|), with log1p(e) = ln(u)·e/(u − 1), u = 1 + e (e where
 * u rounds to 1): ONNX has no Log1p, and ln(1 + e) alone would lose the
 * relative precision of small results (Goldberg, "What every computer
 * scientist should know about floating-point arithmetic", theorem 4).
 */
function softplus(g: OnnxGraph, a: string, out: string): string {
  if (g.dtype === 'float32') return g.node('Softplus', [a], out);
  const one = g.initializer(g.fresh('one'), [], [1]);
  const e = g.node(
    'Exp',
    [g.node('Neg', [g.node('Abs', [a], g.fresh('abs'))], g.fresh('neg'))],
    g.fresh('exp'),
  );
  const u = g.node('Add', [e, one], g.fresh('one_plus'));
  const ratio = g.node(
    'Div',
    [e, g.node('Sub', [u, one], g.fresh('u_minus_one'))],
    g.fresh('ratio'),
  );
  const log1p = g.node(
    'Where',
    [
      g.node('Equal', [u, one], g.fresh('u_is_one')),
      e,
      g.node('Mul', [g.node('Log', [u], g.fresh('log')), ratio], g.fresh('log1p_u')),
    ],
    g.fresh('log1p'),
  );
  return g.node('Add', [g.node('Relu', [a], g.fresh('relu')), log1p], out);
}
