/** Seconds over which the rate forgets: long enough to ride out a slow step, short enough to follow a real change. */
const TIME_CONSTANT_S = 5;

/**
 * The time left in a run, from a smoothed rate. The rate is an exponential moving average
 * over time: each update's rate (units / seconds since the last update) enters with weight
 * α = 1 − e^(−Δt/τ), τ = 5 s, so a stretch of time counts by its length and not by how
 * many updates fell in it: over a window of steady work the average is units / seconds,
 * whatever the mix of short and long steps. A rate from the last few updates alone
 * (cli-progress's own ETA) swings with every slow step.
 *
 * @example
 * const eta = new EtaEstimator(100);
 * eta.update(10, 1000); eta.update(20, 2000); // 10 units a second
 * eta.seconds();                              // 8
 */
export class EtaEstimator {
  private rate = Number.NaN;
  private lastDone = 0;
  private lastMs = Number.NaN;

  constructor(private readonly total: number) {}

  /** Records that `done` units are finished at time `ms` (milliseconds, any fixed origin). */
  update(done: number, ms: number): void {
    if (Number.isNaN(this.lastMs)) {
      // The first update only starts the clock: nothing is known of the rate yet.
      this.lastMs = ms;
      this.lastDone = done;
      return;
    }
    const dt = (ms - this.lastMs) / 1000;
    if (!(dt > 0)) return;
    const rate = (done - this.lastDone) / dt;
    const alpha = 1 - Math.exp(-dt / TIME_CONSTANT_S);
    this.rate = Number.isNaN(this.rate) ? rate : this.rate + alpha * (rate - this.rate);
    this.lastMs = ms;
    this.lastDone = done;
  }

  /** Seconds left at the smoothed rate; NaN until two updates have given a rate. */
  seconds(): number {
    if (!(this.rate > 0)) return Number.NaN;
    return Math.max(0, (this.total - this.lastDone) / this.rate);
  }
}

/**
 * Seconds as a short duration for the bar: `-` while unknown, then `42s`, `3m05s`, `2h07m`.
 *
 * @example
 * formatEta(185); // '3m05s'
 */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds)) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
