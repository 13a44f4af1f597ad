/**
 * A timed workload: floors and variants interleaved in the same run, each
 * variant reported as a ratio to its own floor and checked against it.
 */
import { disagreements, type Outcome, type Tolerance } from './outcome.js';
import { formatBytes, type ResultRow } from './result-row.js';
import { timeInterleaved, type TimingPlan } from './timing.js';

export interface Variant {
  name: string;
  /** The key of its floor in the workload's floors. */
  floor: string;
  run: () => Outcome;
  target?: { text: string; met: (row: ResultRow) => boolean | null };
  /** Memory measured outside the timed runs (e.g. one step's graph). */
  memory?: () => { text: string; figures: Record<string, number> };
  note?: string;
  /** The guard's tolerance against the floor, if not 1e-9 relative (the float32 peers). */
  tolerance?: Tolerance;
}

/**
 * Times every floor and variant, then builds one row per variant.
 *
 * @example
 * const rows = runTimedWorkload('W2', { floor: handFit }, [{ name: 'eager', floor: 'floor', run: eagerFit }], plan);
 */
export function runTimedWorkload(
  workload: string,
  floors: Readonly<Record<string, () => Outcome>>,
  variants: readonly Variant[],
  plan: TimingPlan,
): ResultRow[] {
  const contenders: Record<string, () => Outcome> = {};
  for (const [name, run] of Object.entries(floors)) contenders[`floor:${name}`] = run;
  for (const v of variants) contenders[`variant:${v.name}`] = v.run;
  const times = timeInterleaved(contenders, plan);
  return variants.map((v) => {
    const mine = times[`variant:${v.name}`];
    const floor = times[`floor:${v.floor}`];
    if (mine === undefined || floor === undefined)
      throw new Error(`${workload} ${v.name}: unknown floor '${v.floor}'`);
    const problems = [
      ...disagreements(mine.result, floor.result, v.tolerance),
      ...unstable(mine.results, 'variant'),
      ...unstable(floor.results, 'floor'),
    ];
    const measured = v.memory?.() ?? runMemory(mine.result);
    const row: ResultRow = {
      workload,
      variant: v.name,
      medianSeconds: mine.median,
      floorMedianSeconds: floor.median,
      ratio: mine.median / floor.median,
      runs: mine.seconds,
      floorRuns: floor.seconds,
      target: v.target?.text ?? null,
      targetMet: null,
      memory: measured.text,
      memoryFigures: measured.figures,
      loss: mine.result.loss,
      floorLoss: floor.result.loss,
      guard: problems.length === 0 ? 'ok' : problems.join('; '),
    };
    if (v.target !== undefined) row.targetMet = v.target.met(row);
    if (v.note !== undefined) row.note = v.note;
    return row;
  });
}

/** A deterministic workload gives the same numbers on every run: what differs, if anything. */
export function unstable(results: readonly Outcome[], who: string): string[] {
  const first = results[0] as Outcome;
  for (let i = 1; i < results.length; i++) {
    const d = disagreements(results[i] as Outcome, first);
    if (d.length > 0) return [`${who} run ${i} differs from run 0: ${d.join(', ')}`];
  }
  return [];
}

function runMemory(outcome: Outcome): { text: string; figures: Record<string, number> } {
  const m = outcome.memory;
  if (m === undefined) return { text: '—', figures: {} };
  return {
    text: `peak heap +${formatBytes(m.peakHeapBytes)} (${Math.round(m.peakHeapBytes / m.nodes)} B/node)`,
    figures: { peakHeapBytes: m.peakHeapBytes, nodes: m.nodes },
  };
}
