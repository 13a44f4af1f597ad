/**
 * Size a canvas's backing store for the screen's pixel density and return a context that
 * draws in CSS pixels, so lines stay sharp on high-density screens.
 * @example
 *   const ctx = setupCanvas(canvas, 480, 480);
 *   ctx.fillRect(0, 0, 480, 480); // covers the whole canvas at any density
 */
export function setupCanvas(
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): CanvasRenderingContext2D {
  const ratio = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
  const w = Math.round(width * ratio);
  const h = Math.round(height * ratio);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (ctx === null) throw new Error('setupCanvas: this browser gives no 2D canvas context');
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}
