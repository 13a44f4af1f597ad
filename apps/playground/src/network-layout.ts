/** Where the diagram puts each node: columns left to right, each column centred vertically. */
export interface NetworkLayout {
  /** Side of a node's square, in CSS pixels. */
  size: number;
  /** columns[c][k]: top-left corner of node k of column c. */
  columns: { x: number; y: number }[][];
}

/**
 * Lay out columns of nodes (inputs, hidden layers, output) in a width × height box: columns
 * spread evenly, nodes as large as the tallest column allows (at most `maxSize`, at least 4),
 * each column centred, so a link runs from a node's right edge to the next column's left edge.
 * @example
 *   networkLayout([2, 3, 1], 300, 200).columns[1].length; // 3
 *   networkLayout([2, 64, 1], 300, 200).size;            // small enough for 64 in 200 px
 */
export function networkLayout(
  counts: readonly number[],
  width: number,
  height: number,
  maxSize = 40,
): NetworkLayout {
  const tallest = Math.max(1, ...counts);
  // Each node takes its side plus a quarter of it as the gap below.
  const size = Math.max(4, Math.min(maxSize, Math.floor(height / (tallest * 1.25))));
  const gap = size * 0.25;
  const n = counts.length;
  const step = n > 1 ? (width - size) / (n - 1) : 0;
  const columns = counts.map((count, c) => {
    const total = count * size + (count - 1) * gap;
    const top = (height - total) / 2;
    return Array.from({ length: count }, (_, k) => ({
      x: n > 1 ? c * step : (width - size) / 2,
      y: top + k * (size + gap),
    }));
  });
  return { size, columns };
}

/**
 * Stroke width and opacity of a link for a weight: thicker and darker with |w|, as
 * TensorFlow Playground draws them (width grows linearly up to |w| = 2, then stays).
 * @example
 *   linkStyle(0).width;  // 0.5
 *   linkStyle(4).width;  // 6
 */
export function linkStyle(w: number): { width: number; alpha: number } {
  const m = Math.min(1, Math.abs(w) / 2);
  return { width: 0.5 + 5.5 * m, alpha: 0.25 + 0.7 * m };
}

/**
 * Distance from point p to the segment a–b (for finding the link under the pointer).
 * @example
 *   segmentDistance(1, 1, 0, 0, 2, 0); // 1
 *   segmentDistance(3, 0, 0, 0, 2, 0); // 1, past the end
 */
export function segmentDistance(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}
