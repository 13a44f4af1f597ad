/**
 * The forward rules that JavaScript's `Math` does not have, or gets wrong for
 * autodiff: each written to be exact (to a few ulp) and free of overflow in
 * its tails. ops.ts names them as the ops' forward rules; generated code calls
 * these same functions, so every path computes the same bits.
 */

/** σ(a) = 1/(1 + e⁻ᵃ); for a < 0 as eᵃ/(1 + eᵃ), so e⁻ᵃ never overflows. */
export function stableSigmoid(a: number): number {
  if (a >= 0) return 1 / (1 + Math.exp(-a));
  const e = Math.exp(a);
  return e / (1 + e);
}

/** ln(1 + eᵃ) = max(a, 0) + ln(1 + e^−|a|): never overflows. */
export function softplus(a: number): number {
  return Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a)));
}

/** max(a, 0), NaN kept. */
export function relu(a: number): number {
  return a <= 0 ? 0 : a;
}

/**
 * aᵇ as IEEE 754 pow (and PyTorch) defines it: 1ᵇ = 1 and (−1)^±∞ = 1 even for
 * a NaN or infinite b, where JavaScript's `Math.pow` gives NaN.
 */
export function ieeePow(a: number, b: number): number {
  if (a === 1) return 1;
  if (a === -1 && (b === Infinity || b === -Infinity)) return 1;
  return Math.pow(a, b);
}

/** −1, 0 or 1; sign(±0) = 0 (PyTorch), NaN stays NaN. */
export function sign(a: number): number {
  return a > 0 ? 1 : a < 0 ? -1 : a === 0 ? 0 : a;
}

/** Round half to even (IEEE 754 roundTiesToEven, as NumPy and PyTorch), not `Math.round`'s half up. */
export function roundHalfEven(a: number): number {
  const r = Math.round(a); // ties toward +∞
  // A tie rounded up to an odd integer goes down to the even one instead.
  return r - a === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** a for a > 0, else slope·a (the left branch at 0, as PyTorch). */
export function leakyRelu(a: number, slope: number): number {
  return a > 0 ? a : a * slope;
}

/** a for a > 0, else α(eᵃ − 1), with expm1 so small |a| keep their digits. */
export function elu(a: number, alpha: number): number {
  return a > 0 ? a : alpha * Math.expm1(a);
}

/** max(a, lo) with NaN kept (PyTorch's clamp_min). */
export function clampMin(a: number, lo: number): number {
  return a < lo ? lo : a;
}

/** min(a, hi) with NaN kept (PyTorch's clamp_max). */
export function clampMax(a: number, hi: number): number {
  return a > hi ? hi : a;
}

/**
 * x·Φ(x), Φ the standard normal CDF, in the exact erf form; Φ(x) is written
 * ½·erfc(−x/√2) so that it keeps its relative precision as x → −∞ (where
 * ½(1 + erf(x/√2)) would cancel to 0) and gelu(x) underflows to 0 without NaN.
 */
export function gelu(x: number): number {
  return 0.5 * x * erfc(-x * Math.SQRT1_2);
}

/** x·σ(x), with the stable sigmoid: no overflow for large negative x. */
export function silu(x: number): number {
  return x * stableSigmoid(x);
}

// ---- erf and erfc ------------------------------------------------------------
// The rational approximations of Sun Microsystems' fdlibm s_erf.c (as shipped
// in FreeBSD's msun; "Developed at SunPro, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this software is freely
// granted, provided that this notice is preserved."), under 1 ulp. Their
// coefficients are published numbers; the structure follows the paper's
// intervals: [0, 0.84375), [0.84375, 1.25), [1.25, 1/0.35), [1/0.35, 28).

const ERX = 8.45062911510467529297e-1;
const EFX = 1.28379167095512586316e-1;
const PP = [
  1.28379167095512558561e-1, -3.2504210724700149937e-1, -2.84817495755985104766e-2,
  -5.77027029648944159157e-3, -2.37630166566501626084e-5,
];
const QQ = [
  3.97917223959155352819e-1, 6.50222499887672944485e-2, 5.08130628187576562776e-3,
  1.32494738004321644526e-4, -3.9602282787753681232e-6,
];
const PA = [
  -2.36211856075265944077e-3, 4.14856118683748331666e-1, -3.72207876035701323847e-1,
  3.18346619901161753674e-1, -1.10894694282396677476e-1, 3.54783043256182359371e-2,
  -2.166375594868790843e-3,
];
const QA = [
  1.06420880400844228286e-1, 5.40397917702171048937e-1, 7.18286544141962662868e-2,
  1.26171219808761642112e-1, 1.36370839120290507362e-2, 1.1984499846799107417e-2,
];
const RA = [
  -9.86494403484714822705e-3, -6.93858572707181764372e-1, -1.05586262253232909814e1,
  -6.23753324503260060396e1, -1.62396669462573470355e2, -1.84605092906711035994e2,
  -8.12874355063065934246e1, -9.81432934416914548592,
];
const SA = [
  1.96512716674392571292e1, 1.376577541435190426e2, 4.34565877475229228821e2,
  6.45387271733267880336e2, 4.29008140027567833386e2, 1.08635005541779435134e2,
  6.57024977031928170135, -6.04244152148580987438e-2,
];
const RB = [
  -9.86494292470009928597e-3, -7.99283237680523006574e-1, -1.77579549177547519889e1,
  -1.60636384855821916062e2, -6.37566443368389627722e2, -1.02509513161107724954e3,
  -4.83519191608651397019e2,
];
const SB = [
  3.03380607434824582924e1, 3.25792512996573918826e2, 1.53672958608443695994e3,
  3.19985821950859553908e3, 2.55305040643316442583e3, 4.74528541206955367215e2,
  -2.24409524465858183362e1,
];

/** c₀ + z(c₁ + z(c₂ + …)), Horner's rule. */
function poly(c: readonly number[], z: number): number {
  let r = c[c.length - 1] as number;
  for (let i = c.length - 2; i >= 0; i--) r = (c[i] as number) + z * r;
  return r;
}
/** 1 + z(c₀ + z(c₁ + …)). */
const poly1 = (c: readonly number[], z: number): number => 1 + z * poly(c, z);

// The high 32 bits of a double, to pick an interval exactly as s_erf.c does.
const bits = new DataView(new ArrayBuffer(8));
function highWord(x: number): number {
  bits.setFloat64(0, x);
  return bits.getUint32(0) & 0x7fffffff;
}

/** e^(−x² − 0.5625 + R/S) for x ≥ 1.25, with x² split exactly (s_erf.c's note 1). */
function tailExp(x: number, rs: number): number {
  bits.setFloat64(0, x);
  bits.setUint32(4, 0); // z: x with its low 32 bits cleared, so z·z is exact
  const z = bits.getFloat64(0);
  return Math.exp(-z * z - 0.5625) * Math.exp((z - x) * (z + x) + rs);
}

/** R/S of the two tail intervals of s_erf.c, at s = 1/x². */
function tailRatio(ix: number, s: number): number {
  return ix < 0x4006db6e ? poly(RA, s) / poly1(SA, s) : poly(RB, s) / poly1(SB, s);
}

/** The error function, 2/√π ∫₀ˣ e^(−t²) dt. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ix = highWord(x);
  const ax = Math.abs(x);
  if (ix < 0x3feb0000) {
    // |x| < 0.84375
    if (ix < 0x3e300000) return x + EFX * x; // |x| < 2⁻²⁸
    const z = x * x;
    return x + x * (poly(PP, z) / poly1(QQ, z));
  }
  if (ix < 0x3ff40000) {
    // 0.84375 ≤ |x| < 1.25
    const s = ax - 1;
    const r = ERX + poly(PA, s) / poly1(QA, s);
    return x >= 0 ? r : -r;
  }
  if (ix >= 0x40180000) return x >= 0 ? 1 : -1; // |x| ≥ 6 (and ±∞)
  const r = tailExp(ax, tailRatio(ix, 1 / (ax * ax))) / ax;
  return x >= 0 ? 1 - r : r - 1;
}

/** The complementary error function 1 − erf(x), exact also where erf(x) rounds to ±1. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  const ix = highWord(x);
  const ax = Math.abs(x);
  if (ix < 0x3feb0000) {
    // |x| < 0.84375
    if (ix < 0x3c700000) return 1 - x; // |x| < 2⁻⁵⁶
    const z = x * x;
    const y = poly(PP, z) / poly1(QQ, z);
    if (x < 0.25) return 1 - (x + x * y);
    return 0.5 - (x * y + (x - 0.5));
  }
  if (ix < 0x3ff40000) {
    // 0.84375 ≤ |x| < 1.25
    const s = ax - 1;
    const pq = poly(PA, s) / poly1(QA, s);
    return x >= 0 ? 1 - ERX - pq : 1 + (ERX + pq);
  }
  if (ix < 0x403c0000) {
    // |x| < 28
    if (x < 0 && ix >= 0x40180000) return 2; // x ≤ −6: 2 − tiny
    const r = tailExp(ax, tailRatio(ix, 1 / (ax * ax))) / ax;
    return x > 0 ? r : 2 - r;
  }
  return x > 0 ? 0 : 2; // |x| ≥ 28 (and ±∞): underflow, or 2 − tiny
}
