import type { GraphJSON, GraphNode } from '@ag/core';
import type { NodeId } from './graph-layout.js';
import { layoutGraph } from './graph-layout.js';
import { formatNumber } from './number-format.js';

const SVG = 'http://www.w3.org/2000/svg';

// Geometry of one node, micrograd style: an op circle, then a record `label | data | grad`.
// The op sits in a pill as wide as its name needs, up to OP_W.
const OP_W = 40;
const OP_H = 22;
const BOX_X = OP_W + 8;
const LABEL_W = 40;
const DATA_W = 100;
const GRAD_W = 104;
const BOX_W = LABEL_W + DATA_W + GRAD_W;
const NODE_W = BOX_X + BOX_W;
const NODE_H = 28;
const MARGIN = 16;

/** Graphs larger than this are summarized instead of drawn (they would be unreadable). */
export const MAX_DRAWN_NODES = 400;

function opName(op: string): string {
  return op === 'sigmoid' ? 'σ' : op;
}

/** Width of the op's pill; edges end at its left side. */
function opWidth(op: string): number {
  return Math.min(OP_W, Math.max(OP_H, 7 * opName(op).length + 12));
}

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  parent?: Element,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  parent?.appendChild(node);
  return node;
}

function text(x: number, y: number, content: string, cls: string, parent: Element): SVGTextElement {
  const t = el('text', { x, y, class: cls }, parent);
  t.textContent = content;
  return t;
}

function nodeTitle(n: GraphNode): string {
  const name = n.label ?? (n.op === '' ? 'constant' : `(${n.op})`);
  return `${name}\ndata = ${n.data}\ngrad = ${n.grad}`;
}

/**
 * Draw a computation graph as SVG: leaves on the left, the root on the right, each node as
 * `label | data | grad` with the op that made it in a circle before it. Each node's group
 * carries `data-label`, `data-data` and `data-grad` with the full-precision numbers.
 * @example
 *   renderGraph(container, toGraph(root), 'fit');
 *   container.querySelector('[data-label="a"]')?.getAttribute('data-grad'); // '138.83...'
 */
export function renderGraph(container: HTMLElement, graph: GraphJSON, zoom: number | 'fit'): void {
  container.replaceChildren();
  if (graph.nodes.length > MAX_DRAWN_NODES) {
    const p = document.createElement('p');
    p.className = 'muted';
    p.style.padding = '12px';
    p.textContent = `The graph has ${graph.nodes.length} nodes; only graphs up to ${MAX_DRAWN_NODES} nodes are drawn.`;
    container.append(p);
    return;
  }
  const layout = layoutGraph(
    graph.nodes.map((n) => n.id),
    graph.edges,
    { nodeWidth: NODE_W, nodeHeight: NODE_H, columnGap: 40, rowGap: 16 },
  );
  const width = layout.width + 2 * MARGIN;
  const height = layout.height + 2 * MARGIN;
  // `fit` shrinks a wide graph to the container, but not below a readable size.
  const scale =
    zoom === 'fit' ? Math.min(1, Math.max(0.8, (container.clientWidth - 2) / width)) : zoom;
  const svg = el('svg', {
    xmlns: SVG,
    width: Math.ceil(width * scale),
    height: Math.ceil(height * scale),
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `Computation graph with ${graph.nodes.length} nodes`,
  });
  const edges = el('g', { class: 'edges' }, svg);
  const nodes = el('g', { class: 'nodes' }, svg);
  const rootId = graph.nodes[graph.nodes.length - 1]?.id;
  const byId = new Map<NodeId, GraphNode>(graph.nodes.map((n) => [n.id, n]));

  for (const { from, to } of graph.edges) {
    const a = layout.nodes.get(from);
    const b = layout.nodes.get(to);
    if (a === undefined || b === undefined) continue;
    const x1 = MARGIN + a.x + NODE_W;
    const y1 = MARGIN + a.y + NODE_H / 2;
    const x2 = MARGIN + b.x + OP_W - opWidth(byId.get(to)?.op ?? '');
    const y2 = MARGIN + b.y + NODE_H / 2;
    const bend = Math.max(20, (x2 - x1) / 2);
    el(
      'path',
      { class: 'edge', d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}` },
      edges,
    );
  }

  for (const [id, place] of layout.nodes) {
    const n = byId.get(id);
    if (n === undefined) continue;
    const x = MARGIN + place.x;
    const y = MARGIN + place.y;
    const constant = n.op === '' && !n.requiresGrad;
    const classes = [
      'node',
      constant ? 'constant' : '',
      n.op === '' ? 'leaf' : '',
      id === rootId ? 'root' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const g = el(
      'g',
      {
        class: classes,
        'data-id': n.id,
        'data-label': n.label ?? '',
        'data-op': n.op,
        'data-data': String(n.data),
        'data-grad': String(n.grad),
      },
      nodes,
    );
    el('title', {}, g).textContent = nodeTitle(n);
    const cy = y + NODE_H / 2;
    if (n.op !== '') {
      const op = el('g', { class: 'op' }, g);
      const name = opName(n.op);
      const w = opWidth(n.op);
      el('rect', { x: x + OP_W - w, y: cy - OP_H / 2, width: w, height: OP_H, rx: OP_H / 2 }, op);
      text(x + OP_W - w / 2, cy, name, '', op);
      el('path', { class: 'edge', d: `M${x + OP_W},${cy} H${x + BOX_X}` }, g);
    }
    if (constant) {
      // A constant is just its value, in a small box next to the node that uses it.
      const shown = String(n.data).length <= 8 ? String(n.data) : formatNumber(n.data);
      const w = Math.max(36, 8 * shown.length + 14);
      el('rect', { x: x + NODE_W - w, y, width: w, height: NODE_H, rx: 4 }, g);
      text(x + NODE_W - w / 2, cy, shown, 'data constant-value', g);
      continue;
    }
    el('rect', { x: x + BOX_X, y, width: BOX_W, height: NODE_H, rx: 4 }, g);
    el(
      'path',
      {
        class: 'edge',
        d: `M${x + BOX_X + LABEL_W},${y} v${NODE_H} M${x + BOX_X + LABEL_W + DATA_W},${y} v${NODE_H}`,
      },
      g,
    );
    const label = n.label ?? '';
    text(x + BOX_X + 6, cy, label.length > 5 ? `${label.slice(0, 4)}…` : label, 'label', g);
    text(x + BOX_X + LABEL_W + 6, cy, `data ${formatNumber(n.data)}`, 'data', g);
    text(x + BOX_X + LABEL_W + DATA_W + 6, cy, `grad ${formatNumber(n.grad)}`, 'grad', g);
  }
  container.append(svg);
}
