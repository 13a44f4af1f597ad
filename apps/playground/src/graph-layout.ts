/**
 * A layered (Sugiyama-style) layout for a computation graph, drawn left to right:
 * each node one column right of its deepest operand, each leaf one column left of its
 * first user.
 * Within a column, nodes are ordered by the mean position of their neighbours
 * (the barycenter heuristic), which removes most edge crossings in small graphs.
 * Everything is iterative, so a deep chain cannot overflow the stack.
 */

export type NodeId = string | number;

export interface LayoutEdge {
  /** The operand. */
  from: NodeId;
  /** The node computed from it. */
  to: NodeId;
}

export interface LayoutOptions {
  nodeWidth: number;
  nodeHeight: number;
  columnGap: number;
  rowGap: number;
  /** Barycenter sweeps (each one left-to-right and back). */
  sweeps?: number;
}

export interface PlacedNode {
  id: NodeId;
  column: number;
  row: number;
  /** Top-left corner. */
  x: number;
  y: number;
}

export interface GraphLayout {
  width: number;
  height: number;
  nodes: Map<NodeId, PlacedNode>;
  columns: NodeId[][];
}

/**
 * Place the nodes of a graph in columns by depth and rows by the barycenter heuristic.
 * @example
 *   const layout = layoutGraph(['a', 'b', 'c'], [{ from: 'a', to: 'c' }, { from: 'b', to: 'c' }], sizes);
 *   layout.nodes.get('c')?.column; // 1
 */
export function layoutGraph(
  ids: readonly NodeId[],
  edges: readonly LayoutEdge[],
  options: LayoutOptions,
): GraphLayout {
  const index = new Map<NodeId, number>();
  ids.forEach((id, i) => index.set(id, i));
  const n = ids.length;
  const inputs: number[][] = Array.from({ length: n }, () => []);
  const outputs: number[][] = Array.from({ length: n }, () => []);
  for (const { from, to } of edges) {
    const a = index.get(from);
    const b = index.get(to);
    if (a === undefined || b === undefined) {
      throw new RangeError(
        `layoutGraph: edge ${String(from)} -> ${String(to)} names a node that is not in ids`,
      );
    }
    (inputs[b] as number[]).push(a);
    (outputs[a] as number[]).push(b);
  }

  // Column = longest path from a leaf, computed in topological order (Kahn's algorithm).
  const column = new Array<number>(n).fill(0);
  const pending = inputs.map((list) => list.length);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (pending[i] === 0) queue.push(i);
  let visited = 0;
  for (let head = 0; head < queue.length; head++) {
    const i = queue[head] as number;
    visited++;
    for (const j of outputs[i] as number[]) {
      column[j] = Math.max(column[j] as number, (column[i] as number) + 1);
      pending[j] = (pending[j] as number) - 1;
      if (pending[j] === 0) queue.push(j);
    }
  }
  if (visited !== n) throw new RangeError('layoutGraph: the graph has a cycle');
  // A leaf sits just left of its first user, so a constant used deep in the graph does not
  // send a long edge across every column.
  for (let i = 0; i < n; i++) {
    const users = outputs[i] as number[];
    if ((inputs[i] as number[]).length > 0 || users.length === 0) continue;
    column[i] = users.reduce((m, j) => Math.min(m, column[j] as number), Infinity) - 1;
  }

  const columnCount = column.reduce((m, c) => Math.max(m, c), -1) + 1;
  const columns: number[][] = Array.from({ length: columnCount }, () => []);
  // Start from the given order (the graph's own order is a decent first guess).
  for (let i = 0; i < n; i++) (columns[column[i] as number] as number[]).push(i);

  const row = new Array<number>(n).fill(0);
  const renumber = (list: number[]): void => list.forEach((i, r) => (row[i] = r));
  columns.forEach(renumber);

  const key = new Float64Array(n);
  const sortByBarycenter = (list: number[], neighbours: number[][]): void => {
    if (list.length < 2) return;
    for (const i of list) {
      const ns = neighbours[i] as number[];
      key[i] =
        ns.length === 0
          ? (row[i] as number)
          : ns.reduce((s, j) => s + (row[j] as number), 0) / ns.length;
    }
    // A stable sort keeps ties in their current order.
    list.sort((a, b) => (key[a] as number) - (key[b] as number));
    renumber(list);
  };
  const sweeps = options.sweeps ?? 4;
  for (let s = 0; s < sweeps; s++) {
    for (let c = 1; c < columnCount; c++) sortByBarycenter(columns[c] as number[], inputs);
    for (let c = columnCount - 2; c >= 0; c--) sortByBarycenter(columns[c] as number[], outputs);
  }

  const tallest = columns.reduce((m, list) => Math.max(m, list.length), 0);
  const rowPitch = options.nodeHeight + options.rowGap;
  const columnPitch = options.nodeWidth + options.columnGap;
  const height = tallest === 0 ? 0 : tallest * rowPitch - options.rowGap;
  const width = columnCount === 0 ? 0 : columnCount * columnPitch - options.columnGap;
  const nodes = new Map<NodeId, PlacedNode>();
  columns.forEach((list, c) => {
    // Centre each column vertically.
    const offset = (height - (list.length * rowPitch - options.rowGap)) / 2;
    list.forEach((i, r) => {
      const id = ids[i] as NodeId;
      nodes.set(id, { id, column: c, row: r, x: c * columnPitch, y: offset + r * rowPitch });
    });
  });
  return {
    width,
    height,
    nodes,
    columns: columns.map((list) => list.map((i) => ids[i] as NodeId)),
  };
}
