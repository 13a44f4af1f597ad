/* global document, location, window, requestAnimationFrame -- only inside callbacks that playwright runs in the page */
// End-to-end tests of the playground in a real browser: Debian's Chromium driven by
// playwright-core. Builds the static site, serves it with `vite preview` on a free
// localhost port, and checks what a user would: training moons, the heat map, the
// gradient graph, and that a shared link reproduces the setup.
//
//   node e2e/run.mjs            (from apps/playground; or `pnpm --filter @ag/playground test:e2e`)
//
// Screenshots go to apps/playground/test-artifacts/ (git-ignored). The last line printed is
// `N passed, M failed`; the exit code is 1 if anything failed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const appRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const artifacts = join(appRoot, 'test-artifacts');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// micrograd's published gradients for its README expression (test_more_ops).
const MICROGRAD = { g: 24.70408163265306, a: 138.83381924198252, b: 645.5772594752187 };

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root) {
    console.error(
      `Chromium is missing at ${CHROMIUM}. Install it with \`sudo apt-get install -y chromium\` ` +
        '(or set CHROMIUM_PATH to a Chromium binary), then run again.',
    );
    process.exit(1);
  }
  console.log(`Chromium is missing at ${CHROMIUM}; installing it with apt-get ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [
    ['update', '-qq'],
    ['install', '-y', '-qq', 'chromium'],
  ]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) {
      console.error(
        `apt-get ${args.join(' ')} failed (exit ${r.status}); install Chromium by hand.`,
      );
      process.exit(1);
    }
  }
  if (!existsSync(CHROMIUM)) {
    console.error(
      `apt-get installed chromium but ${CHROMIUM} still does not exist; set CHROMIUM_PATH.`,
    );
    process.exit(1);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const started = Date.now();
ensureChromium();
mkdirSync(artifacts, { recursive: true });

const { build, preview } = await import('vite');
const { chromium } = await import('playwright-core');

const configFile = join(appRoot, 'vite.config.ts');
await build({ root: appRoot, configFile, logLevel: 'warn' });
const port = await freePort();
const server = await preview({
  root: appRoot,
  configFile,
  logLevel: 'warn',
  preview: { port, strictPort: true, host: '127.0.0.1' },
});
const base = `http://127.0.0.1:${port}/`;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: CHROMIUM_ARGS,
  headless: true,
});
const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
const page = await context.newPage();
const pageErrors = [];
page.on('pageerror', (error) => pageErrors.push(error.message));
page.on('console', (message) => {
  if (message.type() === 'error') pageErrors.push(message.text());
});

const stat = async (p, id) => Number(await p.locator(`#${id}`).getAttribute('data-value'));

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('the page loads, wires itself and writes its setup into the URL', async () => {
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  const url = new URL(page.url());
  assert(
    url.searchParams.get('data') === 'moons',
    `expected data=moons in the URL, got ${url.search}`,
  );
  assert(
    url.searchParams.get('expr')?.includes('g += 10.0 / f'),
    'the URL should hold the expression',
  );
  assert(pageErrors.length === 0, `page errors: ${pageErrors.join(' | ')}`);
});

let lossBefore = NaN;
test('training moons reaches 95% accuracy and the loss falls', async () => {
  lossBefore = await stat(page, 'stat-train-loss');
  assert(Number.isFinite(lossBefore), `no initial loss (got ${lossBefore})`);
  // Record the time between animation frames while training, to report how smooth it stays.
  await page.evaluate(() => {
    const gaps = [];
    window.frameGaps = gaps;
    let last = performance.now();
    const loop = (t) => {
      gaps.push(t - last);
      last = t;
      if (document.body.dataset.playing !== 'false') requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  });
  const t0 = Date.now();
  await page.click('#play');
  await page.waitForFunction(
    () => {
      const acc = (id) => Number(document.getElementById(id)?.dataset.value);
      return acc('stat-train-acc') >= 0.95 && acc('stat-test-acc') >= 0.9;
    },
    null,
    { timeout: 60_000, polling: 100 },
  );
  // The page answers while training runs: pausing is an ordinary click.
  await page.click('#play');
  await page.waitForSelector('body[data-playing="false"]');
  const steps = await stat(page, 'stat-steps');
  const trainAcc = await stat(page, 'stat-train-acc');
  const testAcc = await stat(page, 'stat-test-acc');
  const lossAfter = await stat(page, 'stat-train-loss');
  const chartFirst = Number(
    await page.locator('#loss-chart').getAttribute('data-first-train-loss'),
  );
  const gaps = await page.evaluate(() => window.frameGaps.slice(1).sort((a, b) => a - b));
  const median = gaps[Math.floor(gaps.length / 2)] ?? NaN;
  console.log(
    `    ${gaps.length} frames while training: median ${median.toFixed(1)} ms, longest ${(gaps.at(-1) ?? NaN).toFixed(1)} ms`,
  );
  console.log(
    `    ${steps} updates in ${((Date.now() - t0) / 1000).toFixed(1)} s: train ${(100 * trainAcc).toFixed(1)}%, ` +
      `test ${(100 * testAcc).toFixed(1)}%, loss ${lossBefore.toFixed(4)} -> ${lossAfter.toFixed(4)}`,
  );
  assert(trainAcc >= 0.95, `train accuracy ${trainAcc}`);
  assert(lossAfter < 0.5 * lossBefore, `loss fell only from ${lossBefore} to ${lossAfter}`);
  assert(
    chartFirst === lossBefore,
    `the chart starts at ${chartFirst}, not at the initial loss ${lossBefore}`,
  );
});

test('the heat map under the points shows both classes', async () => {
  const counts = await page.evaluate(() => {
    const canvas = document.getElementById('heatmap');
    const ctx = canvas.getContext('2d');
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    let orange = 0;
    let blue = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, , b] = [data[i], data[i + 1], data[i + 2]];
      if (r - b > 60) orange++;
      else if (b - r > 60) blue++;
    }
    return { orange, blue, total: data.length / 4 };
  });
  console.log(
    `    heat map: ${((100 * counts.orange) / counts.total).toFixed(1)}% class 0, ${((100 * counts.blue) / counts.total).toFixed(1)}% class 1`,
  );
  assert(
    counts.orange > 0.15 * counts.total,
    `too little class 0 in the heat map: ${JSON.stringify(counts)}`,
  );
  assert(
    counts.blue > 0.15 * counts.total,
    `too little class 1 in the heat map: ${JSON.stringify(counts)}`,
  );
  await page.screenshot({ path: join(artifacts, 'playground-train.png') });
});

test("the graph view shows micrograd's gradients on the README expression", async () => {
  await page.click('#tab-graph');
  await page.waitForSelector('#graph svg [data-label="a"]');
  const read = (label) =>
    page.locator(`#graph svg g.node.leaf[data-label="${label}"]`).evaluate((g) => ({
      data: Number(g.dataset.data),
      grad: Number(g.dataset.grad),
    }));
  const a = await read('a');
  const b = await read('b');
  const g = Number(await page.locator('#expr-result').getAttribute('data-value'));
  console.log(`    g = ${g}, dg/da = ${a.grad}, dg/db = ${b.grad}`);
  const close = (x, y) => Math.abs(x - y) <= 1e-9 * Math.abs(y);
  assert(a.data === -4 && b.data === 2, `leaves a = ${a.data}, b = ${b.data}`);
  assert(close(g, MICROGRAD.g), `g = ${g}, micrograd gives ${MICROGRAD.g}`);
  assert(close(a.grad, MICROGRAD.a), `dg/da = ${a.grad}, micrograd gives ${MICROGRAD.a}`);
  assert(close(b.grad, MICROGRAD.b), `dg/db = ${b.grad}, micrograd gives ${MICROGRAD.b}`);
  const nodes = await page.locator('#graph svg g.node').count();
  assert(nodes >= 20, `only ${nodes} nodes drawn`);
  await page.screenshot({ path: join(artifacts, 'playground-graph.png'), fullPage: true });
});

test('a typed expression is parsed, differentiated and drawn; a bad one is reported', async () => {
  // z = relu(x·y − 1) + x² at x = 3, y = 2: z = 5 + 9 = 14, ∂z/∂x = y + 2x = 8, ∂z/∂y = x = 3.
  await page.fill('#expression', 'x = 3, y = 2\nz = relu(x*y - 1) + x**2');
  await page.waitForFunction(() => document.getElementById('expr-result')?.dataset.value === '14');
  const grad = (label) =>
    page.locator(`#leaf-table tr[data-label="${label}"]`).getAttribute('data-grad');
  assert((await grad('x')) === '8', `dz/dx = ${await grad('x')}`);
  assert((await grad('y')) === '3', `dz/dy = ${await grad('y')}`);
  assert(
    new URL(page.url()).searchParams.get('expr') === 'x = 3, y = 2\nz = relu(x*y - 1) + x**2',
    'URL expr',
  );

  await page.fill('#expression', 'x = 3\nx * (2 +');
  await page.waitForSelector('#expr-error:not([hidden])');
  const message = await page.locator('#expr-error').textContent();
  assert(/line 2/.test(message ?? ''), `error message without a position: ${message}`);
  await page.fill('#expression', 'x = 3, y = 2\nz = relu(x*y - 1) + x**2');
  await page.waitForSelector('#expr-error', { state: 'hidden' });
});

test('a shared link reproduces the setup and the run', async () => {
  await page.click('#tab-train');
  await page.selectOption('#dataset', 'spirals');
  await page.fill('#hidden', '8 8');
  await page.press('#hidden', 'Enter');
  await page.selectOption('#activation', 'relu');
  await page.selectOption('#loss', 'bce');
  await page.selectOption('#mode', 'online');
  await page.fill('#learningRate', '0.03');
  await page.press('#learningRate', 'Enter');
  await page.fill('#seed', '7');
  await page.press('#seed', 'Enter');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('seed') === '7');
  for (let i = 0; i < 5; i++) await page.click('#step');
  const shared = page.url();
  const fields = [
    'dataset',
    'samples',
    'noise',
    'seed',
    'testRatio',
    'hidden',
    'activation',
    'loss',
    'optimizer',
    'mode',
    'batchSize',
    'learningRate',
    'l2',
  ];
  const snapshot = async (p) => ({
    form: await p.evaluate((ids) => ids.map((id) => document.getElementById(id).value), fields),
    expression: await p.locator('#expression').inputValue(),
    loss: await stat(p, 'stat-train-loss'),
    steps: await stat(p, 'stat-steps'),
  });
  const original = await snapshot(page);
  assert(original.steps === 5, `expected 5 updates, got ${original.steps}`);

  const other = await (
    await browser.newContext({ viewport: { width: 1360, height: 900 } })
  ).newPage();
  await other.goto(shared);
  await other.waitForSelector('body[data-ready="true"]');
  for (let i = 0; i < 5; i++) await other.click('#step');
  const copy = await snapshot(other);
  assert(
    JSON.stringify(copy.form) === JSON.stringify(original.form),
    `form ${JSON.stringify(copy.form)} != ${JSON.stringify(original.form)}`,
  );
  assert(copy.expression === original.expression, 'the expression differs');
  assert(
    copy.form[0] === 'spirals' && copy.form[5] === '8 8' && copy.form[11] === '0.03',
    `form ${copy.form}`,
  );
  // Same data, same initial weights, same shuffling: the same loss after the same 5 updates, bit for bit.
  assert(
    copy.loss === original.loss,
    `loss after 5 updates: ${copy.loss} here, ${original.loss} in the original`,
  );
  await other.screenshot({ path: join(artifacts, 'playground-shared.png') });
  await other.context().close();
});

let passed = 0;
let failed = 0;
for (const { name, fn } of tests) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`  ✓ ${name} (${Date.now() - t0} ms)`);
  } catch (error) {
    failed++;
    console.log(
      `  ✗ ${name} (${Date.now() - t0} ms)\n    ${error instanceof Error ? error.message : String(error)}`,
    );
    await page.screenshot({ path: join(artifacts, `failure-${failed}.png`) }).catch(() => {});
  }
}
if (pageErrors.length > 0) {
  failed++;
  console.log(`  ✗ no errors in the page's console\n    ${pageErrors.join('\n    ')}`);
} else {
  passed++;
  console.log("  ✓ no errors in the page's console");
}

await browser.close();
await new Promise((resolve) => server.httpServer.close(resolve));
console.log(
  `playground e2e: ${((Date.now() - started) / 1000).toFixed(1)} s, screenshots in ${artifacts}`,
);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
