import { programFor } from './code-export.js';
import { pageElement } from './page-element.js';
import type { PlaygroundState } from './playground-state.js';
import type { TrainView } from './train-view.js';

/**
 * "Copy as code" and "Download weights": a program that repeats the run outside the page,
 * and the model's weights as `stateDict()` JSON.
 */
export class TakeAway {
  readonly #status = pageElement('take-status', HTMLSpanElement);
  readonly #preview = pageElement('code-preview', HTMLPreElement);

  constructor(
    private readonly train: TrainView,
    private readonly state: () => PlaygroundState,
  ) {
    pageElement('copy-code', HTMLButtonElement).addEventListener('click', () => this.#copy());
    pageElement('download-weights', HTMLButtonElement).addEventListener('click', () => {
      void this.#download();
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

  async #download(): Promise<void> {
    const json = await this.train.stateDict();
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `ag-playground-weights-seed${this.state().seed}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    this.#say('Weights saved as stateDict() JSON: load them with model.loadStateDict(json).');
  }

  #say(text: string): void {
    this.#status.textContent = text;
  }
}
