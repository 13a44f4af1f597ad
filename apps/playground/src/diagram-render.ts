import { heatColor } from './color-scale.js';
import type { LayerWeights } from './mlp-snapshot.js';
import type { NeuronGrids } from './network-grids.js';
import { linkStyle } from './network-layout.js';

/** Where the page has put the diagram's nodes, for the worker to paint links and maps there. */
export interface DiagramGeometry {
  /** CSS pixels of the drawing and the screen's pixel ratio. */
  width: number;
  height: number;
  dpr: number;
  /** Side of the nodes in each column, and each column's node corners (column 0: every feature shown). */
  sizes: number[];
  columns: { x: number; y: number }[][];
  /** Which nodes of column 0 are the model's inputs, in model order. */
  inputColumn: number[];
  /** The walk-through's layer: its links stand out, the others fade. */
  highlight: number | undefined;
}

const NEGATIVE = '232, 137, 28';
const POSITIVE = '31, 119, 180';
/** Strength levels the links are drawn in. */
const LEVELS = 8;

type Context2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

/**
 * Paint the diagram: links coloured by sign (blue +, orange −) and as thick as they are
 * strong, then every node's map over them. Links are stroked in buckets of sign and
 * strength, one path per bucket: a 6 × 64 network has 21,000 of them. The worker paints
 * this off the page's thread; the page only shows the picture.
 * @example
 *   renderDiagram(ctx, geometry, frame.weights, frame.thumbnails, (k) => undefined);
 */
export function renderDiagram(
  ctx: Context2D,
  g: DiagramGeometry,
  weights: readonly LayerWeights[],
  grids: NeuronGrids,
  featureGrid: (k: number) => Float32Array | undefined,
): void {
  ctx.setTransform(g.dpr, 0, 0, g.dpr, 0, 0);
  ctx.clearRect(0, 0, g.width, g.height);
  const { sizes, columns } = g;
  const ends = (l: number, j: number, i: number): [number, number, number, number] | undefined => {
    const from = columns[l]?.[l === 0 ? (g.inputColumn[i] ?? -1) : i];
    const to = columns[l + 1]?.[j];
    const a = sizes[l] ?? 0;
    const b = sizes[l + 1] ?? 0;
    if (from === undefined || to === undefined) return undefined;
    return [from.x + a, from.y + a / 2, to.x, to.y + b / 2];
  };
  const buckets = new Map<number, number[]>();
  weights.forEach((layer, l) => {
    const dim = g.highlight !== undefined && g.highlight !== l ? 1 : 0;
    for (let j = 0; j < layer.nout; j++) {
      for (let i = 0; i < layer.nin; i++) {
        const e = ends(l, j, i);
        if (e === undefined) continue;
        const w = layer.w[j * layer.nin + i] as number;
        const level = Math.round(Math.min(1, Math.abs(w) / 2) * LEVELS);
        const key = (dim * 2 + (w < 0 ? 1 : 0)) * (LEVELS + 1) + level;
        let list = buckets.get(key);
        if (list === undefined) buckets.set(key, (list = []));
        list.push(e[0], e[1], e[2], e[3]);
      }
    }
  });
  for (const [key, list] of buckets) {
    const level = key % (LEVELS + 1);
    const negative = Math.floor(key / (LEVELS + 1)) % 2 === 1;
    const dim = key >= 2 * (LEVELS + 1);
    const { width, alpha } = linkStyle((2 * level) / LEVELS);
    ctx.strokeStyle = `rgba(${negative ? NEGATIVE : POSITIVE}, ${dim ? alpha * 0.2 : alpha})`;
    ctx.lineWidth = width;
    ctx.beginPath();
    for (let k = 0; k < list.length; k += 4) {
      ctx.moveTo(list[k] as number, list[k + 1] as number);
      ctx.lineTo(list[k + 2] as number, list[k + 3] as number);
    }
    ctx.stroke();
  }

  // Each node's map, cell (row, col) of the grid filling its share of the node's square.
  const res = grids.resolution;
  const cells = res * res;
  columns.forEach((column, c) => {
    const side = Math.max(1, Math.round((sizes[c] ?? 0) * g.dpr));
    const image = ctx.createImageData(side, side);
    const px = image.data;
    column.forEach((p, k) => {
      let grid: Float32Array | undefined;
      if (c === 0) {
        const m = g.inputColumn.indexOf(k);
        grid = m >= 0 ? grids.inputs[m] : featureGrid(k);
      } else {
        grid = grids.layers[c - 1]?.subarray(k * cells, (k + 1) * cells);
      }
      if (grid === undefined) return;
      for (let y = 0; y < side; y++) {
        const row = Math.min(res - 1, Math.floor(((y + 0.5) / side) * res));
        for (let x = 0; x < side; x++) {
          const col = Math.min(res - 1, Math.floor(((x + 0.5) / side) * res));
          const [r, gr, b] = heatColor(grid[row * res + col] as number);
          const o = 4 * (y * side + x);
          px[o] = r;
          px[o + 1] = gr;
          px[o + 2] = b;
          px[o + 3] = 255;
        }
      }
      ctx.putImageData(image, Math.round(p.x * g.dpr), Math.round(p.y * g.dpr));
    });
  });
}
