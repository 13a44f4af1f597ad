/**
 * The graph as data, without dependencies: Graphviz DOT text in the style of
 * micrograd's `draw_dot`, and a plain JSON form for any other renderer.
 */
import { describe } from './describe.js';
import { nodesBelow } from './graph-walk.js';
import { operandsOf, Value } from './value.js';

/** A node of {@link toGraph}'s JSON. */
export interface GraphNode {
  /** Position in topological order: operands come before the nodes made from them. */
  id: number;
  /** The node's label, if it has one. */
  label?: string;
  /** `''` for a leaf. */
  op: string;
  /** The node's number. */
  data: number;
  /** Its gradient after the last `backward()`. */
  grad: number;
  /** Whether `backward()` computes a gradient for it. */
  requiresGrad: boolean;
}

/** The graph below a root as plain JSON, from {@link toGraph}. */
export interface GraphJSON {
  /** Operands first; the root is last. */
  nodes: GraphNode[];
  /** `from` is an operand of `to`, in the order the op takes its operands. */
  edges: {
    /** The operand's `id`. */
    from: number;
    /** The `id` of the node made from it. */
    to: number;
  }[];
}

function checkRoot(root: unknown, fn: string): asserts root is Value {
  if (!(root instanceof Value))
    throw new TypeError(`${fn}(root): expected a Value, received ${describe(root)}`);
}

/**
 * The graph below `root` as plain JSON.
 *
 * @example
 * const { nodes, edges } = toGraph(loss);
 * JSON.stringify(toGraph(loss)); // safe: plain numbers and strings only
 */
export function toGraph(root: Value): GraphJSON {
  checkRoot(root, 'toGraph');
  const order = nodesBelow(root);
  const ids = new Map(order.map((node, id) => [node, id]));
  const nodes = order.map((node, id): GraphNode => {
    const entry: GraphNode = {
      id,
      op: node.op,
      data: node.data,
      grad: node.grad,
      requiresGrad: node.requiresGrad,
    };
    const label = node.label;
    if (label !== undefined) entry.label = label;
    return entry;
  });
  const edges = order.flatMap((node, to) =>
    operandsOf(node).map((operand) => ({ from: ids.get(operand) as number, to })),
  );
  return { nodes, edges };
}

/** Options of {@link toDot}. */
export interface DotOptions {
  /** Graph direction (default 'LR', as micrograd). */
  rankdir?: 'LR' | 'TB' | 'RL' | 'BT';
  /** Digits after the point for data and grad (default 4, as micrograd's %.4f). */
  digits?: number;
}

const DOT_OPTIONS = ['rankdir', 'digits'];

/**
 * Text for a record field. Graphviz reads `\\ { } | < > "` as syntax there, so they get a
 * backslash; it rejects a NUL outright and draws the other control characters as nothing
 * or as stray line breaks, so each C0 control and DEL becomes its Unicode control picture
 * (U+0000 → ␀ U+2400, U+001F → ␟ U+241F, DEL → ␡ U+2421) and each C1 control the
 * replacement character �: the label stays visible and the DOT stays valid.
 */
const escapeRecord = (text: string): string =>
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  text.replace(/[\\{}|<>"\u0000-\u001f\u007f-\u009f]/g, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    if (code === 0x7f) return '\u2421';
    if (code <= 0x9f && code > 0x7f) return '\ufffd';
    return `\\${c}`;
  });

/**
 * Graphviz DOT text for the graph below `root`: a record per node with its
 * label, data and grad, and an oval for the op that made it.
 *
 * @example
 * writeFileSync('graph.dot', toDot(loss));
 * // dot -Tsvg graph.dot > graph.svg, or render it with @viz-js/viz
 */
export function toDot(root: Value, options: DotOptions = {}): string {
  checkRoot(root, 'toDot');
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      `toDot(root, options): expected options to be an object, received ${describe(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (!DOT_OPTIONS.includes(key)) {
      throw new TypeError(
        `toDot(root, options): unknown option '${key}' (expected 'rankdir' or 'digits')`,
      );
    }
  }
  const rankdir = options.rankdir ?? 'LR';
  if (!['LR', 'TB', 'RL', 'BT'].includes(rankdir)) {
    throw new RangeError(
      `toDot(root, options): expected options.rankdir to be 'LR', 'TB', 'RL' or 'BT', received ${describe(rankdir)}`,
    );
  }
  const digits = options.digits ?? 4;
  if (!Number.isInteger(digits) || digits < 0 || digits > 20) {
    throw new RangeError(
      `toDot(root, options): expected options.digits to be an integer from 0 to 20, received ${describe(digits)}`,
    );
  }
  const { nodes, edges } = toGraph(root);
  const lines = ['digraph {', `  rankdir=${rankdir};`, '  node [shape=record];'];
  for (const node of nodes) {
    const label = escapeRecord(node.label ?? '');
    lines.push(
      `  n${node.id} [label="{ ${label} | data ${node.data.toFixed(digits)} | grad ${node.grad.toFixed(digits)} }"];`,
    );
    if (node.op !== '') {
      lines.push(`  n${node.id}_op [label="${escapeRecord(node.op)}", shape=oval];`);
      lines.push(`  n${node.id}_op -> n${node.id};`);
    }
  }
  for (const { from, to } of edges) lines.push(`  n${from} -> n${to}_op;`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
