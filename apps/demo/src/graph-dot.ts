import { toDot, type Value } from '@ag/core';

/**
 * The DOT text the `graph` command draws: `toDot`'s records, laid out top to bottom so that
 * a graph grows down a page instead of thousands of points to the right (micrograd's README
 * expression: 788 pt wide instead of 4,444), in a monospace font at 12 pt. Graphviz sizes
 * each record from its own estimate of the text; for Courier that estimate (0.6 em a
 * character) is what every monospace font draws, while for Times an SVG viewer without
 * Times draws a wider serif and the text ran over its cell.
 *
 * @example
 * const svg = await dotToSvg(graphDot(loss)); // a picture a page wide, however deep the graph
 */
export function graphDot(root: Value): string {
  return toDot(root, { rankdir: 'TB' }).replace(
    'digraph {\n',
    [
      'digraph {',
      '  graph [nodesep=0.2, ranksep=0.25];',
      '  node [fontname="Courier", fontsize=12];',
      '  edge [arrowsize=0.6];',
      '',
    ].join('\n'),
  );
}
