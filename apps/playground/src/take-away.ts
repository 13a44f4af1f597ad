import { programFor } from './code-export.js';
import type { ModelFormat } from './model-files.js';
import { MODEL_FORMATS } from './model-files.js';
import { pageElement } from './page-element.js';
import type { PlaygroundState } from './playground-state.js';
import type { TrainView } from './train-view.js';

/**
 * "Copy as code" and the downloads: a program that repeats the run outside the page, and
 * the model as `stateDict()` JSON, as safetensors weights (PyTorch) or as ONNX.
 */
export class TakeAway {
  readonly #status = pageElement('take-status', HTMLSpanElement);
  readonly #preview = pageElement('code-preview', HTMLPreElement);
  readonly #precision = pageElement('download-precision', HTMLSelectElement);

  constructor(
    private readonly train: TrainView,
    private readonly state: () => PlaygroundState,
  ) {
    pageElement('copy-code', HTMLButtonElement).addEventListener('click', () => this.#copy());
    for (const format of MODEL_FORMATS)
      pageElement(`download-${format}`, HTMLButtonElement).addEventListener('click', () => {
        void this.#download(format);
      });
  }

  #copy(): void {
    const frame = this.train.frame;
    const data = this.train.data;
    if (frame === undefined || data === undefined) return;
    const code = programFor(this.state(), frame.steps, data.parameterCount);
    this.#preview.textContent = code;
    this.#preview.hidden = false;
    this.#preview.dataset.steps = String(frame.steps);
    this.#preview.dataset.trainLoss = String(frame.metrics.trainLoss);
    navigator.clipboard.writeText(code).then(
      () => this.#say(`Copied: it prints the train loss after ${frame.steps} updates.`),
      () => this.#say('Select the code below to copy it.'),
    );
  }

  async #download(format: ModelFormat): Promise<void> {
    const precision = this.#precision.value === 'float32' ? 'float32' : 'float64';
    const file = await this.train.file(format, precision);
    if ('error' in file) {
      this.#say(`No file: ${file.error}`);
      return;
    }
    const url = URL.createObjectURL(new Blob([file.bytes as BlobPart], { type: file.type }));
    const a = document.createElement('a');
    a.href = url;
    a.download = file.name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.#say(file.note);
  }

  #say(text: string): void {
    this.#status.textContent = text;
  }
}
