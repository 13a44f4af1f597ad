import { describe, expect, it } from 'vitest';
import { build } from './graph-command.js';
import { graphDot } from './graph-dot.js';
import { dotToSvg } from './graph-svg.js';

/**
 * A width no renderer's font exceeds, in em: monospace fonts draw 0.6 em a character
 * (Courier, Liberation Mono; DejaVu Sans Mono 0.602); proportional fonts draw digits
 * (most of these labels) at 0.5 (Times) to 0.636 em (DejaVu Serif, rsvg's stand-in
 * for Times), so 0.65 bounds them.
 */
const emPerChar = (family: string): number => (/^Courier/.test(family) ? 0.62 : 0.65);

interface Box {
  left: number;
  right: number;
}

const numbers = (text: string): number[] => text.split(/[ ,]/).filter(Boolean).map(Number);

/**
 * Each text of the SVG Graphviz drew with the horizontal extent of the cell it sits in: a
 * record's polygon cut by its vertical separators, or an ellipse.
 */
function textsInCells(svg: string): { text: string; width: number; cell: Box; x: number }[] {
  const found: { text: string; width: number; cell: Box; x: number }[] = [];
  for (const chunk of svg.split('<g id="node').slice(1)) {
    const node = chunk.slice(0, chunk.indexOf('</g>'));
    const polygon = /<polygon [^>]*points="([^"]*)"/.exec(node)?.[1];
    const ellipse = /<ellipse [^>]*cx="([^"]*)"[^>]*rx="([^"]*)"/.exec(node);
    let bounds: number[];
    if (polygon !== undefined) {
      const xs = numbers(polygon).filter((_, i) => i % 2 === 0);
      // A separator between fields side by side is a vertical polyline: both points share x.
      const cuts = [...node.matchAll(/<polyline [^>]*points="([^"]*)"/g)]
        .map((m) => numbers(m[1] ?? ''))
        .filter((p) => p[0] === p[2])
        .map((p) => p[0] ?? 0);
      bounds = [Math.min(...xs), Math.max(...xs), ...cuts].sort((a, b) => a - b);
    } else if (ellipse !== null) {
      const [cx, rx] = [Number(ellipse[1]), Number(ellipse[2])];
      bounds = [cx - rx, cx + rx];
    } else {
      throw new Error(`a node with neither a polygon nor an ellipse: ${node.slice(0, 80)}`);
    }
    for (const t of node.matchAll(
      /<text [^>]*x="([^"]*)"[^>]*font-family="([^"]*)" font-size="([^"]*)">([^<]*)</g,
    )) {
      const x = Number(t[1]);
      const text = (t[4] ?? '').replace(/&#45;/g, '-').replace(/&[a-z]+;/g, '&');
      const width = text.trim().length * emPerChar(t[2] ?? '') * Number(t[3]);
      const left = bounds.filter((b) => b <= x).at(-1) ?? Number.NaN;
      const right = bounds.find((b) => b > x) ?? Number.NaN;
      found.push({ text, width, x, cell: { left, right } });
    }
  }
  return found;
}

describe('the graph picture', () => {
  it('is at most 800 pt wide, so its 12 pt text is over 10 px tall at 700 px', async () => {
    const { root } = build('readme');
    root.backward();
    const svg = await dotToSvg(graphDot(root));
    const width = Number(/<svg width="([\d.]+)pt"/.exec(svg)?.[1]);
    expect(width).toBeGreaterThan(100);
    expect(width).toBeLessThanOrEqual(800);
    const fontPt = Number(/font-size="([\d.]+)"/.exec(svg)?.[1]);
    // Shown 700 px wide, a font of f pt in a picture w pt wide is f·700/w px tall.
    expect((fontPt * 700) / width).toBeGreaterThan(10);
  });

  it.each(['readme', 'neuron'] as const)(
    'keeps every text of the %s graph inside its cell, measured at a width no font exceeds',
    async (name) => {
      const { root } = build(name);
      root.backward();
      const texts = textsInCells(await dotToSvg(graphDot(root)));
      expect(texts.length).toBeGreaterThan(10);
      for (const { text, width, x, cell } of texts) {
        expect(x - width / 2, text).toBeGreaterThanOrEqual(cell.left);
        expect(x + width / 2, text).toBeLessThanOrEqual(cell.right);
      }
    },
  );
});
