import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import * as data from './index.js';

const run = promisify(execFile);
const packageDir = join(import.meta.dirname, '..');
const tsx = join(packageDir, '..', '..', 'node_modules', '.bin', 'tsx');

/**
 * A run of every generator and tool with fixed seeds, as JSON. The child
 * processes evaluate this same source text against `@ag/data` resolved
 * through its `@ag/source` export condition.
 */
const SCRIPT = `
const d = await import('@ag/data');
const rng = new d.Rng('determinism');
const draws = [rng.next(), rng.normal(), rng.int(0, 1000), rng.shuffle([1, 2, 3, 4, 5]), rng.fork().next()];
const sets = [
  d.linear({ samples: 20, slope: 3, intercept: 4, noise: 0.1, seed: 1 }),
  d.polynomial({ samples: 20, seed: 2 }),
  d.sine({ samples: 20, seed: 3 }),
  d.moons({ samples: 20, noise: 0.1, seed: 4 }),
  d.circles({ samples: 20, noise: 0.1, seed: 5 }),
  d.blobs({ samples: 20, seed: 6 }),
  d.spirals({ samples: 20, noise: 0.1, seed: 7 }),
  d.xor({ samples: 20, noise: 0.1, seed: 8 }),
  d.yinYang({ samples: 20, noise: 0.1, seed: 9 }),
];
const split = d.trainTestSplit(sets[3], { seed: 10 });
const order = [...d.batches(sets[3], { size: 7, shuffle: true, seed: 11 })].map((b) => b.indices);
process.stdout.write(JSON.stringify({ draws, sets, split, order, state: rng.getState() }));
`;

async function inChild(): Promise<string> {
  const { stdout } = await run(
    tsx,
    ['--conditions=@ag/source', '--input-type=module', '-e', SCRIPT],
    {
      cwd: packageDir,
    },
  );
  return stdout;
}

describe('determinism across processes', () => {
  it('gives byte-identical data in two separate processes', async () => {
    const [a, b] = await Promise.all([inChild(), inChild()]);
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toBe(a);
  }, 30_000);

  it('gives different data for different seeds', () => {
    const a = JSON.stringify(data.moons({ samples: 20, noise: 0.1, seed: 1 }));
    const b = JSON.stringify(data.moons({ samples: 20, noise: 0.1, seed: 2 }));
    expect(a).not.toBe(b);
  });
});
