import { instance } from '@viz-js/viz';

/**
 * Renders Graphviz DOT text to SVG with Graphviz compiled to WebAssembly (no native `dot`).
 *
 * @example
 * const svg = await dotToSvg('digraph { rankdir=LR; a -> b }');
 * svg.includes('<svg'); // true
 */
export async function dotToSvg(dot: string): Promise<string> {
  const viz = await instance();
  const result = viz.render(dot, { format: 'svg' });
  if (result.status !== 'success') {
    const why = result.errors.map((e) => e.message).join('; ');
    throw new Error(`Graphviz could not render the graph: ${why}`);
  }
  return result.output;
}
