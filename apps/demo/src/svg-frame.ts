/** The parts every chart shares: a plot area with scales, ticks, axes and labels, as hand-written SVG. */

export interface FrameSetup {
  width?: number;
  height?: number;
  title: string;
  xLabel: string;
  yLabel: string;
  /** Data ranges; an empty range (min = max) is widened so the scale stays finite. */
  x: readonly [number, number];
  y: readonly [number, number];
  /** Log-10 scale on y; the range must be positive. */
  yLog?: boolean;
}

export interface Frame {
  readonly width: number;
  readonly height: number;
  /** Plot area in pixels. */
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  sx(x: number): number;
  sy(y: number): number;
  /** Axes, ticks, grid and labels, drawn under the data. */
  axes(): string;
  /** The whole SVG document around `body`. */
  document(body: string): string;
}

/**
 * Escapes the five XML special characters for text and attribute values.
 *
 * @example
 * escapeXml('a < b & "c"'); // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => {
    switch (ch) {
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '&':
        return '&amp;';
      case '"':
        return '&quot;';
      default:
        return '&apos;';
    }
  });
}

/** Pixel coordinates with two decimals keep the files small and the output stable. */
export function px(n: number): string {
  return (Math.round(n * 100) / 100).toString();
}

/**
 * Round tick values covering [min, max]: steps of 1, 2 or 5 times a power of ten.
 *
 * @example
 * niceTicks(0, 1, 5);   // [0, 0.2, 0.4, 0.6, 0.8, 1]
 * niceTicks(-3, 7, 5);  // [-2, 0, 2, 4, 6]
 */
export function niceTicks(min: number, max: number, count: number): number[] {
  const span = max - min;
  if (!(span > 0) || !Number.isFinite(span)) return [min];
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  const step = (unit < 1.5 ? 1 : unit < 3 ? 2 : unit < 7 ? 5 : 10) * power;
  const ticks: number[] = [];
  for (let k = Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) {
    // k·step, then a round trip through toPrecision, so 0.30000000000000004 prints as 0.3.
    ticks.push(Number((k * step).toPrecision(12)));
  }
  return ticks;
}

/** Short tick text: 0.001, 250, 1.5e+6. */
export function tickText(n: number): string {
  if (n === 0) return '0';
  const a = Math.abs(n);
  return a >= 1e5 || a < 1e-3 ? n.toExponential(0) : Number(n.toPrecision(4)).toString();
}

/**
 * Tick values for a log-10 axis over [min, max] (both > 0): 1, 2 and 5 times each power of
 * ten while the range spans at most three decades, so a loss from 1.8 down to 0.011 reads
 * 0.02, 0.05, 0.1, 0.2, 0.5, 1 rather than 0.1 and 1 alone; over more decades the powers of
 * ten only, thinned as niceTicks thins any scale.
 *
 * @example
 * logTicks(0.0114, 1.8); // [0.02, 0.05, 0.1, 0.2, 0.5, 1]
 * logTicks(1e-6, 1e3);   // [1e-6, 1e-4, 0.01, 1, 100]
 */
export function logTicks(min: number, max: number): number[] {
  const lo = Math.log10(min);
  const hi = Math.log10(max);
  const inRange = (v: number): boolean => v >= min * (1 - 1e-9) && v <= max * (1 + 1e-9);
  if (hi - lo <= 3) {
    const ticks: number[] = [];
    for (let k = Math.floor(lo); k <= Math.ceil(hi); k++) {
      for (const m of [1, 2, 5]) {
        // Through toPrecision, so 2·10⁻² is 0.02 and not 0.020000000000000004.
        const v = Number((m * 10 ** k).toPrecision(12));
        if (inRange(v)) ticks.push(v);
      }
    }
    return ticks;
  }
  return niceTicks(Math.floor(lo), Math.ceil(hi), 6)
    .filter((k) => Number.isInteger(k) && k >= lo - 1e-9 && k <= hi + 1e-9)
    .map((k) => Number((10 ** k).toPrecision(12)));
}

function widen([lo, hi]: readonly [number, number], log: boolean): [number, number] {
  if (lo < hi) return [lo, hi];
  if (log) return [lo / 10, hi * 10];
  const pad = lo === 0 ? 1 : Math.abs(lo) * 0.1;
  return [lo - pad, hi + pad];
}

/**
 * A plot area with linear x and linear or log-10 y scales.
 *
 * @example
 * const f = createFrame({ title: 'Loss', xLabel: 'epoch', yLabel: 'loss', x: [0, 10], y: [0, 1] });
 * f.document(f.axes() + `<circle cx="${f.sx(5)}" cy="${f.sy(0.5)}" r="3"/>`);
 */
export function createFrame(setup: FrameSetup): Frame {
  const width = setup.width ?? 640;
  const height = setup.height ?? 420;
  const yLog = setup.yLog === true;
  const left = 70;
  const right = width - 24;
  const top = 44;
  const bottom = height - 54;
  const [x0, x1] = widen(setup.x, false);
  const [y0, y1] = widen(setup.y, yLog);
  const ty = (y: number): number => (yLog ? Math.log10(y) : y);
  const ly0 = ty(y0);
  const ly1 = ty(y1);
  const sx = (x: number): number => left + ((x - x0) / (x1 - x0)) * (right - left);
  const sy = (y: number): number => bottom - ((ty(y) - ly0) / (ly1 - ly0)) * (bottom - top);

  const axes = (): string => {
    const parts: string[] = [];
    for (const t of niceTicks(x0, x1, 6)) {
      const x = px(sx(t));
      parts.push(`<line x1="${x}" y1="${px(top)}" x2="${x}" y2="${px(bottom)}" class="grid"/>`);
      parts.push(
        `<text x="${x}" y="${px(bottom + 18)}" text-anchor="middle">${escapeXml(tickText(t))}</text>`,
      );
    }
    const yTicks = yLog ? logTicks(y0, y1) : niceTicks(y0, y1, 6);
    for (const t of yTicks) {
      const y = px(sy(t));
      parts.push(`<line x1="${px(left)}" y1="${y}" x2="${px(right)}" y2="${y}" class="grid"/>`);
      parts.push(
        `<text x="${px(left - 8)}" y="${y}" text-anchor="end" dy="4">${escapeXml(tickText(t))}</text>`,
      );
    }
    parts.push(
      `<rect x="${px(left)}" y="${px(top)}" width="${px(right - left)}" height="${px(bottom - top)}" class="frame"/>`,
      `<text x="${px(width / 2)}" y="26" text-anchor="middle" class="title">${escapeXml(setup.title)}</text>`,
      `<text x="${px((left + right) / 2)}" y="${px(height - 14)}" text-anchor="middle">${escapeXml(setup.xLabel)}</text>`,
      `<text transform="translate(18 ${px((top + bottom) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(
        setup.yLabel + (yLog ? ' (log scale)' : ''),
      )}</text>`,
    );
    return parts.join('\n');
  };

  const document = (body: string): string =>
    [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
      '<style>.grid{stroke:#e5e5e5;stroke-width:1}.frame{fill:none;stroke:#888}.title{font-size:15px;font-weight:bold}</style>',
      `<rect width="${width}" height="${height}" fill="#fff"/>`,
      body,
      '</svg>',
      '',
    ].join('\n');

  return { width, height, left, right, top, bottom, sx, sy, axes, document };
}
