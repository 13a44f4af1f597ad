import { describe, expect, it } from 'vitest';
import { EtaEstimator, formatEta } from './eta.js';

describe('EtaEstimator', () => {
  it('at a steady rate, gives the exact time left', () => {
    // 10 epochs a second, 100 epochs: after 20 epochs, 80 / 10 = 8 s left.
    const eta = new EtaEstimator(100);
    expect(eta.seconds()).toBeNaN();
    eta.update(10, 1000);
    expect(eta.seconds()).toBeNaN();
    eta.update(20, 2000);
    expect(eta.seconds()).toBeCloseTo(8, 12);
    eta.update(30, 3000);
    expect(eta.seconds()).toBeCloseTo(7, 12);
  });

  it('rides out alternating quick and slow steps where the last step alone swings 19-fold', () => {
    // 10 epochs in 0.1 s, then 10 in 1.9 s, again and again: 20 epochs in 2 s, 10 a second
    // on average, so the truth after `done` epochs of 1000 is (1000 - done) / 10 seconds.
    const eta = new EtaEstimator(1000);
    let ms = 0;
    let done = 0;
    eta.update(done, ms);
    const ratios: number[] = [];
    const naive: number[] = [];
    for (let i = 0; i < 80; i++) {
      const dt = i % 2 === 0 ? 100 : 1900;
      ms += dt;
      done += 10;
      eta.update(done, ms);
      const truth = (1000 - done) / 10;
      // After 40 s the start is forgotten (each 2 s cycle keeps 0.67 of the error).
      if (ms > 40_000) {
        ratios.push(eta.seconds() / truth);
        naive.push((1000 - done) / (10 / (dt / 1000)) / truth);
      }
    }
    // The last step's rate says 10 times too soon, or 1.9 times too late: a 19-fold swing.
    expect(Math.max(...naive) / Math.min(...naive)).toBeCloseTo(19, 6);
    // By hand: with a = 1 - e^(-0.1/5) after a quick step (rate 100) and b = 1 - e^(-1.9/5)
    // after a slow one (rate 10/1.9), the rate settles at e_slow = 9.155 and e_quick = 10.954
    // (the fixed point of e_q = e_s + a(100 - e_s), e_s = e_q + b(5.263 - e_q)): the estimate
    // is 10/9.155 = 1.092 or 10/10.954 = 0.913 times the truth, a swing of 1.196.
    for (const r of ratios) expect(Math.abs(r - 1)).toBeLessThan(0.1);
    expect(Math.max(...ratios) / Math.min(...ratios)).toBeCloseTo(1.196, 2);
  });

  it('follows a real change of speed within a few time constants', () => {
    // 10 a second for 30 s, then 2 a second: 15 s later (three τ) the rate is within
    // e^-3 ≈ 5% of the change from the new one, so the estimate within about 25% of it.
    const eta = new EtaEstimator(10_000);
    let done = 0;
    for (let s = 0; s <= 30; s++) eta.update((done = 10 * s), s * 1000);
    for (let s = 1; s <= 15; s++) eta.update((done += 2), (30 + s) * 1000);
    const truth = (10_000 - done) / 2;
    expect(Math.abs(eta.seconds() / truth - 1)).toBeLessThan(0.25);
  });
});

describe('formatEta', () => {
  it('writes seconds, minutes or hours', () => {
    expect(formatEta(Number.NaN)).toBe('-');
    expect(formatEta(4.4)).toBe('4s');
    expect(formatEta(185)).toBe('3m05s');
    expect(formatEta(7620)).toBe('2h07m');
  });
});
