import type { BackpropWalk } from './backprop-walk.js';
import { backpropWalk } from './backprop-walk.js';
import type { DiagramOverlay } from './network-diagram.js';
import { neuronName } from './network-diagram.js';
import { formatNumber } from './number-format.js';
import { pageElement } from './page-element.js';
import { toPixelX, toPixelY } from './plot-domain.js';
import type { ProbeResult } from './trainer-protocol.js';
import type { TrainView } from './train-view.js';

/** Rows of a layer the table lists; the diagram shows every neuron. */
const MAX_ROWS = 12;
const STEP_MS = 1100;

/** Every number of a walk, in one list, to compare with backward()'s. */
function numbers(w: Pick<BackpropWalk, 'a' | 'da' | 'dw' | 'loss'>): number[] {
  return [...w.a.flat(), ...w.da.flat(), ...w.dw.flat(2), w.loss];
}

/**
 * Backprop, one sample, step by step: the user picks a training point on the plot; the
 * diagram then shows the forward pass (each neuron's value) layer by layer, the loss, and
 * the backward pass (each link's contribution, each neuron's grad) layer by layer back.
 * The numbers are worked out here by the chain rule and checked against `backward()` run
 * by the worker on the same sample and the same weights.
 */
export class Walkthrough {
  readonly #pick = pageElement('walk-pick', HTMLButtonElement);
  readonly #prev = pageElement('walk-prev', HTMLButtonElement);
  readonly #next = pageElement('walk-next', HTMLButtonElement);
  readonly #play = pageElement('walk-play', HTMLButtonElement);
  readonly #close = pageElement('walk-close', HTMLButtonElement);
  readonly #stageText = pageElement('walk-stage', HTMLParagraphElement);
  readonly #table = pageElement('walk-table', HTMLDivElement);
  readonly #check = pageElement('walk-check', HTMLParagraphElement);
  readonly #marker = pageElement('walk-marker', HTMLDivElement);
  readonly #plot = pageElement('plot', HTMLDivElement);
  #picking = false;
  #walk: BackpropWalk | undefined;
  #probe: ProbeResult | undefined;
  #stage = 0;
  #timer = 0;

  constructor(private readonly train: TrainView) {
    this.#pick.addEventListener('click', () => this.#setPicking(!this.#picking));
    this.#plot.addEventListener('click', (e) => {
      if (this.#picking) void this.#choose(e);
    });
    this.#prev.addEventListener('click', () => this.#go(this.#stage - 1));
    this.#next.addEventListener('click', () => this.#go(this.#stage + 1));
    this.#play.addEventListener('click', () => this.#animate());
    this.#close.addEventListener('click', () => this.clear());
    (window as unknown as { walkthrough: Walkthrough }).walkthrough = this;
  }

  /** The walk on show and backward()'s numbers for it (for the tests). */
  get last(): { walk: BackpropWalk; probe: ProbeResult } | undefined {
    return this.#walk === undefined || this.#probe === undefined
      ? undefined
      : { walk: this.#walk, probe: this.#probe };
  }

  #setPicking(on: boolean): void {
    this.#picking = on;
    this.#pick.setAttribute('aria-pressed', String(on));
    this.#plot.classList.toggle('picking', on);
    if (on) {
      this.train.pause();
      this.#stageText.textContent = 'Click a training point on the plot.';
    }
  }

  /** The training point nearest the click. */
  async #choose(event: MouseEvent): Promise<void> {
    const data = this.train.data;
    if (data === undefined || data.train.x.length === 0) return;
    const box = this.#plot.getBoundingClientRect();
    const px = ((event.clientX - box.left) / box.width) * 480;
    const py = ((event.clientY - box.top) / box.height) * 480;
    let best = 0;
    let bestDistance = Infinity;
    data.train.x.forEach((p, i) => {
      const x = toPixelX(data.domain, 480, p[0] ?? 0);
      const y = data.oneDimensional
        ? toPixelY(data.domain, 480, data.train.y[i] ?? 0)
        : toPixelY(data.domain, 480, p[1] ?? 0);
      const d = Math.hypot(x - px, y - py);
      if (d < bestDistance) {
        bestDistance = d;
        best = i;
      }
    });
    this.#setPicking(false);
    await this.show(best);
  }

  /** Walk training sample `index` through the model and show the first stage. */
  async show(index: number): Promise<void> {
    const probe = await this.train.probe(index);
    if ('error' in probe) {
      this.#stageText.textContent = `Cannot walk this sample: ${probe.error}`;
      return;
    }
    const walk = backpropWalk(probe.weights, probe.inputs, probe.target, this.train.state.loss);
    this.#walk = walk;
    this.#probe = probe;
    const ours = numbers(walk);
    const theirs = numbers({
      a: probe.activations,
      da: probe.neuronGrads,
      dw: probe.weightGrads,
      loss: probe.loss,
    });
    const same = ours.length === theirs.length && ours.every((x, i) => Object.is(x, theirs[i]));
    this.#check.dataset.match = String(same);
    this.#check.dataset.count = String(ours.length);
    this.#check.textContent = same
      ? `✓ backward() on this sample gives the same ${ours.length} numbers, bit for bit.`
      : '✗ backward() gives different numbers: please report this.';
    this.#check.className = `small ${same ? 'ok' : 'problems'}`;
    const data = this.train.data;
    if (data !== undefined) {
      const x = toPixelX(data.domain, 480, probe.point[0] ?? 0);
      const y = data.oneDimensional
        ? toPixelY(data.domain, 480, data.train.y[index] ?? 0)
        : toPixelY(data.domain, 480, probe.point[1] ?? 0);
      this.#marker.style.left = `${(x / 480) * 100}%`;
      this.#marker.style.top = `${(y / 480) * 100}%`;
      this.#marker.hidden = false;
    }
    for (const b of [this.#prev, this.#next, this.#play, this.#close]) b.disabled = false;
    this.#go(0);
  }

  clear(): void {
    clearInterval(this.#timer);
    this.#walk = undefined;
    this.#probe = undefined;
    this.#marker.hidden = true;
    this.#stageText.textContent = '';
    this.#table.replaceChildren();
    this.#check.textContent = '';
    for (const b of [this.#prev, this.#next, this.#play, this.#close]) b.disabled = true;
    this.train.diagram.setOverlay(undefined);
  }

  get stages(): number {
    const layers = this.#walk?.a.length ?? 0;
    return 2 * layers + 2;
  }

  #animate(): void {
    clearInterval(this.#timer);
    this.#go(0);
    this.#timer = window.setInterval(() => {
      if (this.#stage >= this.stages - 1) clearInterval(this.#timer);
      else this.#go(this.#stage + 1);
    }, STEP_MS);
  }

  /**
   * Stage 0: the inputs. Stages 1…L: layer l's values. Stage L + 1: the loss. Stages
   * L + 2 … 2L + 1: the backward pass through layer L − 1 down to layer 0.
   */
  #go(stage: number): void {
    const walk = this.#walk;
    const probe = this.#probe;
    if (walk === undefined || probe === undefined) return;
    const L = walk.a.length;
    this.#stage = Math.max(0, Math.min(this.stages - 1, stage));
    this.#prev.disabled = this.#stage === 0;
    this.#next.disabled = this.#stage === this.stages - 1;
    const s = this.#stage;
    const f = formatNumber;
    const neurons = new Map<number, (string | undefined)[]>();
    neurons.set(-1, walk.inputs.map(f));
    let links: DiagramOverlay['links'];
    const rows: string[][] = [];
    let heading: string[] = [];
    const name = (l: number, j: number): string => neuronName(l, j, L);
    const inputName = (l: number, i: number): string => this.train.diagram.inputName(l, i);

    if (s === 0) {
      this.#stageText.textContent = `Sample ${probe.index}: the point (${probe.point.map(f).join(', ')}), target ${f(probe.target)}. The inputs are its features.`;
      heading = ['input', 'value'];
      walk.inputs.forEach((v, i) => rows.push([inputName(0, i), f(v)]));
    } else if (s <= L) {
      const l = s - 1;
      for (let k = 0; k <= l; k++) neurons.set(k, (walk.a[k] ?? []).map(f));
      const act = probe.weights[l]?.activation ?? 'linear';
      this.#stageText.textContent = `Forward, ${l === L - 1 ? 'the output' : `layer ${l + 1}`}: z = Σ w·input + b, value = ${act}(z).`;
      heading = ['neuron', 'z', 'value'];
      (walk.a[l] ?? [])
        .slice(0, MAX_ROWS)
        .forEach((a, j) => rows.push([name(l, j), f(walk.z[l]?.[j] ?? NaN), f(a)]));
    } else if (s === L + 1) {
      for (let k = 0; k < L; k++) neurons.set(k, (walk.a[k] ?? []).map(f));
      const out = walk.a[L - 1]?.[0] ?? NaN;
      this.#stageText.textContent = `Loss (${this.train.state.loss}) of output ${f(out)} against target ${f(probe.target)}: ${f(walk.loss)}; its grad ∂loss/∂output = ${f(walk.da[L - 1]?.[0] ?? NaN)} starts the backward pass.`;
      neurons.set(L - 1, [`g ${f(walk.da[L - 1]?.[0] ?? NaN)}`]);
      heading = ['', 'value'];
      rows.push(
        ['output', f(out)],
        ['target', f(probe.target)],
        ['loss', f(walk.loss)],
        ['∂loss/∂output', f(walk.da[L - 1]?.[0] ?? NaN)],
      );
    } else {
      const l = L - 1 - (s - L - 2);
      for (let k = 0; k < L; k++)
        neurons.set(
          k,
          (walk.a[k] ?? []).map((a, j) =>
            k >= l - 1 && k >= l ? `g ${f(walk.da[k]?.[j] ?? NaN)}` : f(a),
          ),
        );
      if (l > 0)
        neurons.set(
          l - 1,
          (walk.da[l - 1] ?? []).map((g) => `g ${f(g)}`),
        );
      links = { layer: l, text: (j, i) => f(walk.dw[l]?.[j]?.[i] ?? NaN) };
      this.#stageText.textContent = `Backward, ${l === L - 1 ? 'the output' : `layer ${l + 1}`}: δ = act′(z)·∂loss/∂value; each link gets ∂loss/∂w = input × δ; ${l > 0 ? `each neuron of layer ${l} gets Σ w·δ over its links.` : 'the inputs need no grad.'}`;
      heading = ['neuron', '∂loss/∂value', 'δ = ∂loss/∂z', '∂loss/∂w per input, then ∂loss/∂b'];
      (walk.a[l] ?? [])
        .slice(0, MAX_ROWS)
        .forEach((_, j) =>
          rows.push([
            name(l, j),
            f(walk.da[l]?.[j] ?? NaN),
            f(walk.dz[l]?.[j] ?? NaN),
            (walk.dw[l]?.[j] ?? []).slice(0, 8).map(f).join(', ') +
              ((walk.dw[l]?.[j]?.length ?? 0) > 8 ? ', …' : ''),
          ]),
        );
    }
    this.#stageText.dataset.stage = String(s);
    this.#table.replaceChildren(table(heading, rows));
    this.train.diagram.setOverlay({ neurons, links });
  }
}

function table(heading: string[], rows: string[][]): HTMLTableElement {
  const t = document.createElement('table');
  const head = t.createTHead().insertRow();
  for (const h of heading) {
    const th = document.createElement('th');
    th.textContent = h;
    head.append(th);
  }
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const cell of row) tr.insertCell().textContent = cell;
  }
  return t;
}
