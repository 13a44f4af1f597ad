import type { ClassificationDataset } from '../dataset.js';
import {
  addNoise,
  halves,
  finish,
  parseClassification,
  type ClassificationOptions,
} from './classification.js';

/** Options of {@link yinYang}: those common to every classification generator. */
export type YinYangOptions = ClassificationOptions;

/** Radius of the two dots: a third of the radius of the two inner half-size circles. */
const YIN_YANG_DOT_RADIUS = 1 / 6;

/**
 * The class of a point of the unit disk in the yin-yang symbol. Class 0 (yin)
 * is the left half (x < 0) plus the upper inner circle (center (0, 0.5),
 * radius 0.5), without the dot of radius 1/6 at its center; class 1 (yang) is
 * the mirror image through the origin: the right half plus the lower inner
 * circle, without its dot. The map p → -p swaps the classes, so they have
 * equal area.
 *
 * @example
 * yinYangClass(-0.5, 0); // 0: the left half
 * yinYangClass(0, 0.5); // 1: the dot inside the upper circle
 */
export function yinYangClass(px: number, py: number): 0 | 1 {
  const dTop = Math.hypot(px, py - 0.5);
  const dBottom = Math.hypot(px, py + 0.5);
  if (dTop < YIN_YANG_DOT_RADIUS) return 1;
  if (dBottom < YIN_YANG_DOT_RADIUS) return 0;
  if (dTop < 0.5) return 0;
  if (dBottom < 0.5) return 1;
  return px < 0 ? 0 : 1;
}

/**
 * Two classes in the shape of the yin-yang symbol (see `yinYangClass`): points
 * uniform over the unit disk, n // 2 in class 0 and the rest in class 1 (a
 * draw for a full class is reflected through the origin, which lands it in the
 * other class); then Gaussian noise of std `noise` on each coordinate. This is
 * the two-class symbol, not the three-class "Yin-Yang dataset" with dots as a
 * class of their own.
 *
 * @example
 * const { x, y } = yinYang({ samples: 500 });
 * const signed = yinYang({ samples: 500, labels: 'pm1' });
 */
export function yinYang(options?: YinYangOptions): ClassificationDataset {
  const parsed = parseClassification('yinYang', options, [], () => 2);
  const rng = parsed.dataRng;
  const quota = halves(parsed.samples);
  const byClass: [number[][], number[][]] = [[], []];
  while (byClass[0].length < quota[0] || byClass[1].length < quota[1]) {
    // Uniform on the disk: r = sqrt(u) makes the area element uniform.
    const r = Math.sqrt(rng.next());
    const t = 2 * Math.PI * rng.next();
    let p = [r * Math.cos(t), r * Math.sin(t)];
    let k = yinYangClass(p[0] as number, p[1] as number);
    if (byClass[k].length >= quota[k]) {
      p = [-(p[0] as number), -(p[1] as number)];
      k = yinYangClass(p[0] as number, p[1] as number);
      if (byClass[k].length >= quota[k]) continue;
    }
    byClass[k].push(p);
  }
  const x = [...byClass[0], ...byClass[1]];
  const c = [...byClass[0].map(() => 0), ...byClass[1].map(() => 1)];
  addNoise(x, parsed.noise, rng);
  return finish(x, c, 2, parsed);
}
