/** The rectangle of data space a plot shows, and the maps between it and pixels. */
export interface PlotDomain {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/**
 * The smallest square (equal scale on both axes, so circles look round) around the points,
 * with `pad` of its side added on every edge.
 * @example
 *   squareDomain([[0, 0], [2, 1]], 0); // { xMin: 0, xMax: 2, yMin: -0.5, yMax: 1.5 }
 *   squareDomain([[1, 1]], 0.1);       // a unit square around (1, 1): a single point still gets an area
 */
export function squareDomain(points: readonly (readonly number[])[], pad = 0.1): PlotDomain {
  let xMin = Infinity;
  let xMax = -Infinity;
  let yMin = Infinity;
  let yMax = -Infinity;
  for (const p of points) {
    const x = p[0] ?? 0;
    const y = p[1] ?? 0;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    xMin = Math.min(xMin, x);
    xMax = Math.max(xMax, x);
    yMin = Math.min(yMin, y);
    yMax = Math.max(yMax, y);
  }
  if (xMin > xMax) return { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  const side = Math.max(xMax - xMin, yMax - yMin) || 1;
  const half = side / 2 + side * pad;
  const cx = (xMin + xMax) / 2;
  const cy = (yMin + yMax) / 2;
  return { xMin: cx - half, xMax: cx + half, yMin: cy - half, yMax: cy + half };
}

/**
 * A domain around 1-D regression data: x and y ranges padded separately (no equal scale).
 * @example
 *   rangeDomain([0, 1], [7, 12], 0); // { xMin: 0, xMax: 1, yMin: 7, yMax: 12 }
 */
export function rangeDomain(xs: readonly number[], ys: readonly number[], pad = 0.08): PlotDomain {
  const span = (v: readonly number[]): [number, number] => {
    let lo = Infinity;
    let hi = -Infinity;
    for (const x of v) {
      if (!Number.isFinite(x)) continue;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    if (lo > hi) return [-1, 1];
    const width = hi - lo || 1;
    return [lo - width * pad, hi + width * pad];
  };
  const [xMin, xMax] = span(xs);
  const [yMin, yMax] = span(ys);
  return { xMin, xMax, yMin, yMax };
}

/** Pixel column of data x in a plot `width` pixels wide. */
export function toPixelX(d: PlotDomain, width: number, x: number): number {
  return ((x - d.xMin) / (d.xMax - d.xMin)) * width;
}

/** Pixel row of data y (y grows upwards in data space, downwards on screen). */
export function toPixelY(d: PlotDomain, height: number, y: number): number {
  return ((d.yMax - y) / (d.yMax - d.yMin)) * height;
}

/** Data x at the centre of pixel column `px`. */
export function fromPixelX(d: PlotDomain, width: number, px: number): number {
  return d.xMin + ((px + 0.5) / width) * (d.xMax - d.xMin);
}

/** Data y at the centre of pixel row `py`. */
export function fromPixelY(d: PlotDomain, height: number, py: number): number {
  return d.yMax - ((py + 0.5) / height) * (d.yMax - d.yMin);
}
