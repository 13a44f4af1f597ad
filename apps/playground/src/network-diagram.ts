import { setupCanvas } from './canvas-setup.js';
import type { DiagramGeometry } from './diagram-render.js';
import { FEATURE_INFO } from './features.js';
import type { LayerWeights } from './mlp-snapshot.js';
import type { NetworkLayout } from './network-layout.js';
import { networkLayout, segmentDistance } from './network-layout.js';
import { formatNumber } from './number-format.js';
import type { FeatureName, PlaygroundState } from './playground-state.js';
import { FEATURES, LIMITS, isOneDimensional } from './playground-state.js';
import type { FrameMessage } from './trainer-protocol.js';

/** What the diagram asks of the page. */
export interface DiagramActions {
  toggleFeature(feature: FeatureName): void;
  setHidden(hidden: number[]): void;
  setWeight(layer: number, neuron: number, input: number, value: number): void;
  /** The pointer is over a node: show its map on the big plot (undefined: the output again). */
  preview(grid: Float32Array | undefined, resolution: number): void;
  /** The nodes moved (or the walk-through's highlight changed): the worker paints there. */
  geometry(geometry: DiagramGeometry): void;
}

/** A link of the drawn network: from node `input` of column `layer` to `neuron` of the next. */
export interface LinkRef {
  layer: number;
  neuron: number;
  input: number;
}

/** Numbers the step-by-step walk-through puts on the diagram. */
export interface DiagramOverlay {
  /** Text under each neuron, by layer (layer −1: the inputs). */
  neurons: Map<number, (string | undefined)[]>;
  /** Links of this layer are highlighted, with this text for each (by neuron, then input). */
  links: { layer: number; text: (neuron: number, input: number) => string } | undefined;
}

const HIT_DISTANCE = 5;

/** Neuron j of hidden layer l as people count them: layer and neuron from 1. */
export const neuronName = (layer: number, neuron: number, layers: number): string =>
  layer === layers - 1 ? 'the output' : `neuron ${layer + 1}.${neuron + 1}`;

/**
 * The network drawn as TensorFlow Playground draws it: a column of inputs (each feature a
 * toggle), a column per hidden layer and the output; every node a small map of its value
 * over the plane, every link coloured by its weight's sign (blue +, orange −) and as thick
 * as it is large. Hover a link for its weight and gradient; click it (or a neuron, or press
 * Enter on one) to type weights; + and − add and remove layers and neurons.
 */
export class NetworkDiagram {
  readonly #root: HTMLElement;
  readonly #body: HTMLElement;
  readonly #links: HTMLCanvasElement;
  readonly #tip: HTMLElement;
  readonly #editor: HTMLElement;
  #state: PlaygroundState | undefined;
  #layout: NetworkLayout = { sizes: [], columns: [] };
  /** Node buttons by column: the inputs column holds all seven features (or the line's x). */
  #nodes: HTMLButtonElement[][] = [];
  /** The model's inputs: indices into the inputs column, in model order. */
  #inputColumn: number[] = [];
  #frame: FrameMessage | undefined;
  #overlay: DiagramOverlay | undefined;
  #labels: HTMLElement[][] = [];
  #editing: { layer: number; neuron: number } | undefined;
  #hovered: LinkRef | undefined;

  constructor(
    root: HTMLElement,
    private readonly actions: DiagramActions,
  ) {
    this.#root = root;
    root.innerHTML = `
      <div class="net-toolbar">
        <button type="button" class="net-add-layer" aria-label="Add a hidden layer">+ layer</button>
        <button type="button" class="net-remove-layer" aria-label="Remove the last hidden layer">− layer</button>
        <span class="net-summary muted small" aria-live="polite"></span>
      </div>
      <div class="net-body">
        <canvas class="net-links" aria-hidden="true"></canvas>
      </div>
      <div class="net-tip" role="status" hidden></div>
      <div class="net-editor" role="group" aria-label="Weights of a neuron" hidden></div>`;
    this.#body = root.querySelector('.net-body') as HTMLElement;
    this.#links = root.querySelector('.net-links') as HTMLCanvasElement;
    this.#tip = root.querySelector('.net-tip') as HTMLElement;
    this.#editor = root.querySelector('.net-editor') as HTMLElement;
    root.querySelector('.net-add-layer')?.addEventListener('click', () => {
      const hidden = this.#state?.hidden ?? [];
      if (hidden.length < LIMITS.hiddenLayers.max)
        this.actions.setHidden([...hidden, hidden.at(-1) ?? 4]);
    });
    root.querySelector('.net-remove-layer')?.addEventListener('click', () => {
      const hidden = this.#state?.hidden ?? [];
      if (hidden.length > 0) this.actions.setHidden(hidden.slice(0, -1));
    });
    this.#body.addEventListener('pointermove', (e) => this.#hover(e));
    this.#body.addEventListener('pointerleave', () => {
      this.#tip.hidden = true;
      this.actions.preview(undefined, 0);
    });
    this.#body.addEventListener('click', (e) => {
      // The link the tooltip names is the one the user means (a click's integer
      // coordinates can land nearer a crossing link).
      const link = this.#tip.hidden ? this.#linkAt(e) : this.#hovered;
      if (link !== undefined) this.openEditor(link.layer, link.neuron, link.input);
    });
    new ResizeObserver(() => this.#relayout()).observe(this.#body);
  }

  /** Rebuild for a new architecture or feature set. */
  setState(state: PlaygroundState): void {
    this.#state = state;
    this.#frame = undefined;
    this.#overlay = undefined;
    this.closeEditor();
    this.#build();
  }

  /** Paint a new frame: node maps, links, and the editor's values. */
  update(frame: FrameMessage): void {
    this.#frame = frame;
    this.#paintLinks(frame.diagram);
    frame.diagram?.close();
    frame.diagram = undefined;
    if (this.#editing !== undefined) this.#fillEditor();
  }

  /** Put the walk-through's numbers on the diagram (undefined: take them off). */
  setOverlay(overlay: DiagramOverlay | undefined): void {
    const layer = this.#overlay?.links?.layer;
    this.#overlay = overlay;
    this.#paintLabels();
    // The worker fades the other layers' links, and sends a frame with the new picture.
    if (overlay?.links?.layer !== layer) this.#sendGeometry();
  }

  get frame(): FrameMessage | undefined {
    return this.#frame;
  }

  #build(): void {
    const state = this.#state;
    if (state === undefined) return;
    for (const node of this.#body.querySelectorAll('.net-node, .net-column-head, .net-label'))
      node.remove();
    const oneD = isOneDimensional(state.dataset);
    const inputs = oneD ? ['x'] : [...FEATURES];
    this.#inputColumn = oneD
      ? [0]
      : FEATURES.flatMap((f, k) => (state.features.includes(f) ? [k] : []));
    const counts = [inputs.length, ...state.hidden, 1];
    this.#nodes = counts.map(() => []);
    this.#labels = counts.map(() => []);
    const layers = state.hidden.length + 1;

    inputs.forEach((name, k) => {
      const feature = name as FeatureName;
      const label = oneD ? 'x' : FEATURE_INFO[feature].label;
      const button = this.#node(0, k, oneD ? `input ${label}` : `feature ${label}`);
      if (!oneD) {
        const on = state.features.includes(feature);
        button.setAttribute('aria-pressed', String(on));
        button.classList.toggle('off', !on);
        button.dataset.feature = feature;
        button.title = `${label}: ${on ? 'used' : 'not used'} as an input (click to toggle)`;
        button.addEventListener('click', () => this.actions.toggleFeature(feature));
        button.addEventListener('pointerenter', () => this.#previewInput(k));
      }
      const caption = document.createElement('span');
      caption.className = 'net-label net-feature-label';
      caption.textContent = label;
      button.append(caption);
    });
    for (let l = 0; l < layers; l++) {
      const count = counts[l + 1] as number;
      for (let j = 0; j < count; j++) {
        const name = neuronName(l, j, layers);
        const button = this.#node(l + 1, j, `${name}: edit its weights`);
        button.dataset.layer = String(l);
        button.dataset.neuron = String(j);
        button.addEventListener('click', () => this.openEditor(l, j, 0));
        button.addEventListener('pointerenter', () => this.#previewNode(l, j));
        button.addEventListener('focus', () => this.#previewNode(l, j));
      }
      if (l < layers - 1) {
        const head = document.createElement('div');
        head.className = 'net-column-head';
        head.dataset.column = String(l + 1);
        head.innerHTML = `<button type="button" aria-label="Add a neuron to layer ${l + 1}">+</button><button type="button" aria-label="Remove a neuron from layer ${l + 1}">−</button><span class="small muted">${count}</span>`;
        const [plus, minus] = head.querySelectorAll('button');
        plus?.addEventListener('click', () => this.#resize(l, +1));
        minus?.addEventListener('click', () => this.#resize(l, -1));
        this.#body.append(head);
      }
    }
    const summary = this.#root.querySelector('.net-summary');
    if (summary !== null)
      summary.textContent = `${state.hidden.length} hidden layer${state.hidden.length === 1 ? '' : 's'}`;
    this.#relayout();
  }

  #node(column: number, k: number, label: string): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `net-node${column === 0 ? ' net-input' : ''}`;
    button.setAttribute('aria-label', label);
    button.dataset.column = String(column);
    button.dataset.index = String(k);
    const value = document.createElement('span');
    value.className = 'net-value';
    button.append(value);
    this.#body.append(button);
    (this.#nodes[column] as HTMLButtonElement[])[k] = button;
    (this.#labels[column] as HTMLElement[])[k] = value;
    return button;
  }

  #resize(layer: number, delta: number): void {
    const hidden = [...(this.#state?.hidden ?? [])];
    const width = (hidden[layer] ?? 1) + delta;
    if (width < LIMITS.width.min || width > LIMITS.width.max) return;
    hidden[layer] = width;
    this.actions.setHidden(hidden);
  }

  #relayout(): void {
    const width = this.#body.clientWidth;
    const height = this.#body.clientHeight;
    if (width === 0 || height === 0) return;
    const counts = this.#nodes.map((c) => c.length);
    // Room on the left for the feature labels and at the top for the + / − buttons.
    const top = 40;
    const layout = networkLayout(counts, width - 8, height - top - 4, 44);
    layout.columns = layout.columns.map((col) => col.map((p) => ({ x: p.x + 4, y: p.y + top })));
    this.#layout = layout;
    this.#body.querySelectorAll<HTMLButtonElement>('.net-node').forEach((button) => {
      const column = Number(button.dataset.column);
      const p = layout.columns[column]?.[Number(button.dataset.index)];
      const size = layout.sizes[column] ?? 0;
      if (p === undefined) return;
      button.style.left = `${p.x}px`;
      button.style.top = `${p.y}px`;
      button.style.width = `${size}px`;
      button.style.height = `${size}px`;
    });
    this.#body.querySelectorAll<HTMLElement>('.net-column-head').forEach((head) => {
      const column = Number(head.dataset.column);
      const p = layout.columns[column]?.[0];
      if (p !== undefined) head.style.left = `${p.x + (layout.sizes[column] ?? 0) / 2}px`;
    });
    this.#sendGeometry();
  }

  #sendGeometry(): void {
    const width = this.#body.clientWidth;
    const height = this.#body.clientHeight;
    if (width === 0 || height === 0) return;
    this.actions.geometry({
      width,
      height,
      dpr: Math.max(1, Math.min(3, window.devicePixelRatio || 1)),
      sizes: this.#layout.sizes,
      columns: this.#layout.columns,
      inputColumn: this.#inputColumn,
      highlight: this.#overlay?.links?.layer,
    });
  }

  /** The map a node shows: an input's or a neuron's values over the plane. */
  #gridOf(column: number, k: number): Float32Array | undefined {
    const t = this.#frame?.thumbnails;
    if (t === undefined) return undefined;
    const cells = t.resolution * t.resolution;
    if (column === 0) {
      const m = this.#inputColumn.indexOf(k);
      if (m >= 0) return t.inputs[m];
      // A feature not in use is still drawn, from its formula, so the user sees what it would add.
      return undefined;
    }
    const layer = t.layers[column - 1];
    return layer?.subarray(k * cells, (k + 1) * cells);
  }

  /** An input's map on the big plot (only inputs in use have one in the frame). */
  #previewInput(k: number): void {
    const t = this.#frame?.thumbnails;
    const grid = this.#gridOf(0, k);
    if (t !== undefined && grid !== undefined) this.actions.preview(grid, t.resolution);
  }

  #previewNode(layer: number, neuron: number): void {
    const t = this.#frame?.thumbnails;
    const grid = this.#gridOf(layer + 1, neuron);
    if (t !== undefined && grid !== undefined) this.actions.preview(grid, t.resolution);
  }

  #paintLabels(): void {
    this.#labels.forEach((column, c) =>
      column.forEach((label, k) => {
        const text = this.#overlay?.neurons.get(c - 1)?.[
          c === 0 ? this.#inputColumn.indexOf(k) : k
        ];
        label.textContent = text ?? '';
        label.hidden = text === undefined;
      }),
    );
  }

  /** Endpoints of a link in the body's CSS pixels. */
  #ends(link: LinkRef): [number, number, number, number] | undefined {
    const { sizes, columns } = this.#layout;
    const from =
      columns[link.layer]?.[link.layer === 0 ? (this.#inputColumn[link.input] ?? -1) : link.input];
    const to = columns[link.layer + 1]?.[link.neuron];
    const a = sizes[link.layer] ?? 0;
    const b = sizes[link.layer + 1] ?? 0;
    if (from === undefined || to === undefined) return undefined;
    return [from.x + a, from.y + a / 2, to.x, to.y + b / 2];
  }

  /** Show the worker's picture of links and maps, and the walk-through's numbers on links. */
  #paintLinks(picture: ImageBitmap | undefined): void {
    const width = this.#body.clientWidth;
    const height = this.#body.clientHeight;
    if (width === 0 || picture === undefined) return;
    const ctx = setupCanvas(this.#links, width, height);
    ctx.clearRect(0, 0, width, height);
    ctx.drawImage(picture, 0, 0, width, height);
    const weights = this.#frame?.weights;
    const highlight = this.#overlay?.links;
    const layer = highlight === undefined ? undefined : weights?.[highlight.layer];
    if (highlight === undefined || layer === undefined) return;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    // Numbers on at most 24 links, so they stay readable.
    let shown = 0;
    for (let j = 0; j < layer.nout && shown < 24; j++) {
      for (let i = 0; i < layer.nin && shown < 24; i++, shown++) {
        const ends = this.#ends({ layer: highlight.layer, neuron: j, input: i });
        if (ends === undefined) continue;
        const t = 0.35 + (0.3 * ((i + j) % 3)) / 2;
        const x = ends[0] + t * (ends[2] - ends[0]);
        const y = ends[1] + t * (ends[3] - ends[1]);
        const text = highlight.text(j, i);
        const w = ctx.measureText(text).width + 6;
        ctx.fillStyle = 'rgba(255, 255, 255, 0.9)';
        ctx.fillRect(x - w / 2, y - 7, w, 14);
        ctx.fillStyle = '#1f2328';
        ctx.fillText(text, x, y + 4);
      }
    }
  }

  #linkAt(event: MouseEvent): LinkRef | undefined {
    const weights = this.#frame?.weights;
    if (weights === undefined) return undefined;
    if ((event.target as Element).closest('.net-node, .net-column-head') !== null) return undefined;
    const box = this.#body.getBoundingClientRect();
    const px = event.clientX - box.left;
    const py = event.clientY - box.top;
    let best: LinkRef | undefined;
    let bestDistance = HIT_DISTANCE;
    weights.forEach((layer, l) => {
      for (let j = 0; j < layer.nout; j++)
        for (let i = 0; i < layer.nin; i++) {
          const ends = this.#ends({ layer: l, neuron: j, input: i });
          if (ends === undefined) continue;
          const d = segmentDistance(px, py, ...ends);
          if (d < bestDistance) {
            bestDistance = d;
            best = { layer: l, neuron: j, input: i };
          }
        }
    });
    return best;
  }

  #hover(event: PointerEvent): void {
    const link = this.#linkAt(event);
    const frame = this.#frame;
    if (link === undefined || frame === undefined) {
      this.#tip.hidden = true;
      this.#body.style.cursor = '';
      return;
    }
    this.#body.style.cursor = 'pointer';
    this.#tip.textContent = this.describeLink(link);
    const box = this.#root.getBoundingClientRect();
    this.#tip.style.left = `${event.clientX - box.left + 12}px`;
    this.#tip.style.top = `${event.clientY - box.top + 12}px`;
    this.#tip.hidden = false;
    this.#hovered = link;
    this.#tip.dataset.layer = String(link.layer);
    this.#tip.dataset.neuron = String(link.neuron);
    this.#tip.dataset.input = String(link.input);
  }

  /** "weight x₁ → neuron 1.2 = 0.31, gradient −0.0042" */
  describeLink(link: LinkRef): string {
    const frame = this.#frame;
    const layer = frame?.weights[link.layer];
    if (layer === undefined || frame === undefined) return '';
    const k = link.neuron * layer.nin + link.input;
    const w = layer.w[k] as number;
    const g = frame.grads?.[link.layer]?.w[k];
    return `weight ${this.inputName(link.layer, link.input)} → ${neuronName(link.layer, link.neuron, frame.weights.length)} = ${formatNumber(w)}, gradient ${g === undefined ? '– (no update yet)' : formatNumber(g)}`;
  }

  inputName(layer: number, input: number): string {
    if (layer > 0) return neuronName(layer - 1, input, this.#frame?.weights.length ?? Infinity);
    const state = this.#state;
    if (state === undefined || isOneDimensional(state.dataset)) return 'x';
    const feature = FEATURES[this.#inputColumn[input] ?? 0] as FeatureName;
    return FEATURE_INFO[feature].label;
  }

  /** Open the weight editor of one neuron, with the input of weight `focus` focused (−1: bias). */
  openEditor(layer: number, neuron: number, focus: number): void {
    this.#editing = { layer, neuron };
    this.#fillEditor(true);
    this.#editor.hidden = false;
    const input = this.#editor.querySelector<HTMLInputElement>(`input[data-input="${focus}"]`);
    input?.focus();
    input?.select();
  }

  closeEditor(): void {
    this.#editing = undefined;
    this.#editor.hidden = true;
  }

  #fillEditor(rebuild = false): void {
    const editing = this.#editing;
    const frame = this.#frame;
    const layer = editing === undefined ? undefined : frame?.weights[editing.layer];
    if (editing === undefined || layer === undefined || frame === undefined) return;
    const grads: LayerWeights | undefined = frame.grads?.[editing.layer];
    const { neuron } = editing;
    const rows = [...Array.from({ length: layer.nin }, (_, i) => i), -1];
    if (rebuild || this.#editor.dataset.for !== `${editing.layer}.${neuron}`) {
      this.#editor.dataset.for = `${editing.layer}.${neuron}`;
      this.#editor.innerHTML = `<div class="net-editor-head"><strong>Weights into ${neuronName(editing.layer, neuron, frame.weights.length)}</strong> <button type="button" class="net-editor-close" aria-label="Close the weight editor">×</button></div>
        <p class="small muted">Type a weight and press Enter: training goes on from there.</p>
        <div class="net-editor-rows"></div>`;
      const list = this.#editor.querySelector('.net-editor-rows') as HTMLElement;
      for (const i of rows) {
        const label = document.createElement('label');
        const name = i === -1 ? 'bias' : `from ${this.inputName(editing.layer, i)}`;
        label.innerHTML = `<span>${name}</span><input type="number" step="any" data-input="${i}" /><span class="net-grad small muted"></span>`;
        const input = label.querySelector('input') as HTMLInputElement;
        input.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') {
            const value = Number(input.value);
            const ok = input.value.trim() !== '' && Number.isFinite(value);
            input.classList.toggle('invalid', !ok);
            if (ok) this.actions.setWeight(editing.layer, neuron, i, value);
          } else if (e.key === 'Escape') this.closeEditor();
        });
        list.append(label);
      }
      this.#editor
        .querySelector('.net-editor-close')
        ?.addEventListener('click', () => this.closeEditor());
    }
    for (const input of this.#editor.querySelectorAll<HTMLInputElement>('input[data-input]')) {
      const i = Number(input.dataset.input);
      const w = i === -1 ? layer.b[neuron] : layer.w[neuron * layer.nin + i];
      const g = i === -1 ? grads?.b[neuron] : grads?.w[neuron * layer.nin + i];
      if (document.activeElement !== input) input.value = String(w);
      const grad = input.parentElement?.querySelector('.net-grad');
      if (grad) grad.textContent = g === undefined ? '' : `grad ${formatNumber(g)}`;
    }
  }
}
