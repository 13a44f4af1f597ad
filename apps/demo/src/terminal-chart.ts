import asciichart from 'asciichart';

/**
 * A small chart of the loss for the end of a terminal run. Long histories are averaged
 * down to `width` columns so the chart fits a terminal line.
 *
 * @example
 * terminalChart([4, 2, 1, 0.5], { width: 60, height: 8 });
 * // eight lines of box-drawing characters, the loss falling left to right
 */
export function terminalChart(
  losses: readonly number[],
  options: { width?: number; height?: number } = {},
): string {
  const width = options.width ?? 60;
  const finite = losses.filter(Number.isFinite);
  if (finite.length === 0) return '';
  const columns: number[] = [];
  const per = finite.length / Math.min(width, finite.length);
  for (let k = 0; k * per < finite.length; k++) {
    const slice = finite.slice(
      Math.floor(k * per),
      Math.max(Math.floor((k + 1) * per), Math.floor(k * per) + 1),
    );
    columns.push(slice.reduce((a, b) => a + b, 0) / slice.length);
  }
  return asciichart.plot(columns, {
    height: options.height ?? 8,
    format: (x: number) => formatAxis(x).padStart(10),
  });
}

function formatAxis(x: number): string {
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-2 && x !== 0) ? x.toExponential(2) : x.toFixed(4);
}
