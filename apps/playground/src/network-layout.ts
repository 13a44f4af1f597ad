/** Where the diagram puts each node: columns left to right, each column centred vertically. */
export interface NetworkLayout {
  /** Side of the nodes' squares in each column, in CSS pixels. */
  sizes: number[];
  /** columns[c][k]: top-left corner of node k of column c. */
  columns: { x: number; y: number }[][];
}

/**
 * Lay out columns of nodes (inputs, hidden layers, output) in a width × height box: column
 * centres spread evenly, each column's nodes as large as its own count allows (at most
 * `maxSize`, at least 4) and centred, so seven inputs stay legible beside 64 neurons.
 * @example
 *   networkLayout([2, 3, 1], 300, 200).columns[1].length; // 3
 *   networkLayout([7, 64, 1], 300, 400).sizes;            // [40, 5, 40]
 */
export function networkLayout(
  counts: readonly number[],
  width: number,
  height: number,
  maxSize = 40,
): NetworkLayout {
  // Each node takes its side plus a quarter of it as the gap below.
  const sizes = counts.map((count) =>
    Math.max(4, Math.min(maxSize, Math.floor(height / (Math.max(1, count) * 1.25)))),
  );
  const n = counts.length;
  const step = n > 1 ? (width - maxSize) / (n - 1) : 0;
  const columns = counts.map((count, c) => {
    const size = sizes[c] as number;
    const gap = size * 0.25;
    const total = count * size + (count - 1) * gap;
    const top = (height - total) / 2;
    const centre = n > 1 ? maxSize / 2 + c * step : width / 2;
    return Array.from({ length: count }, (_, k) => ({
      x: centre - size / 2,
      y: top + k * (size + gap),
    }));
  });
  return { sizes, columns };
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
