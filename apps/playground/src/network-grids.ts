import type { LayerWeights } from './mlp-snapshot.js';
import { forwardLayers } from './mlp-snapshot.js';
import type { PlotDomain } from './plot-domain.js';
import { fromPixelX, fromPixelY } from './plot-domain.js';

/** Every neuron's activation over a resolution² grid of the plot's plane, row by row from the top. */
export interface NeuronGrids {
  resolution: number;
  /** One grid per model input (the chosen features), each resolution² values. */
  inputs: Float32Array[];
  /** `layers[l]` holds layer l's neurons one after another: neuron j at [j·res², (j+1)·res²). */
  layers: Float32Array[];
}

/**
 * The plane point at the centre of grid cell (row, col), where the grids are evaluated.
 * @example
 *   gridPoint({ xMin: 0, xMax: 2, yMin: 0, yMax: 2 }, 2, 0, 0); // [0.5, 1.5]
 */
export function gridPoint(
  domain: PlotDomain,
  resolution: number,
  row: number,
  col: number,
): [number, number] {
  return [fromPixelX(domain, resolution, col), fromPixelY(domain, resolution, row)];
}

/**
 * Evaluate every input and every neuron at each cell of a grid over the plane: what the
 * network diagram paints in each neuron. One forward pass per cell gives all neurons at once.
 * @example
 *   const g = neuronGrids(layers, domain, (p) => p, 16);
 *   g.layers[0][3 * 256 + 16 * row + col]; // neuron 3 of the first layer at that cell
 */
export function neuronGrids(
  layers: readonly LayerWeights[],
  domain: PlotDomain,
  inputsOf: (point: readonly number[]) => number[],
  resolution: number,
): NeuronGrids {
  const cells = resolution * resolution;
  const nin = layers[0]?.nin ?? 0;
  const inputs = Array.from({ length: nin }, () => new Float32Array(cells));
  const grids = layers.map((l) => new Float32Array(l.nout * cells));
  const out = layers.map((l) => new Float64Array(l.nout));
  for (let row = 0; row < resolution; row++) {
    for (let col = 0; col < resolution; col++) {
      const x = inputsOf(gridPoint(domain, resolution, row, col));
      const cell = row * resolution + col;
      x.forEach((v, i) => {
        const grid = inputs[i];
        if (grid !== undefined) grid[cell] = v;
      });
      forwardLayers(layers, x, out);
      out.forEach((values, l) => {
        const grid = grids[l] as Float32Array;
        for (let j = 0; j < values.length; j++) grid[j * cells + cell] = values[j] as number;
      });
    }
  }
  return { resolution, inputs, layers: grids };
}
