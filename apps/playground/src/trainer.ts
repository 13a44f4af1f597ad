import { copyLayers } from './mlp-snapshot.js';
import { neuronGrids } from './network-grids.js';
import type { PlotDomain } from './plot-domain.js';
import { rangeDomain, squareDomain } from './plot-domain.js';
import type { PlaygroundState } from './playground-state.js';
import { isOneDimensional } from './playground-state.js';
import type { FrameMessage, TrainerCommand, TrainerMessage } from './trainer-protocol.js';
import { TrainingSession } from './training-session.js';

/** Training time between looks at the message queue; short, so Pause answers at once. */
const SLICE_MS = 20;
/** Frames are sent at most this often, and the page must have drawn the last one. */
const FRAME_INTERVAL_MS = 50;
/** Cells per side of the diagram's neuron maps. */
const THUMBNAIL_RESOLUTION = 20;

/**
 * The plot's grid for a model: 64² cells for a small model, down to 24² for a large one
 * (each cell is one forward pass), so a frame's maps stay a few milliseconds.
 * @example
 *   mapResolution(337);   // 64
 *   mapResolution(21057); // 24
 */
export function mapResolution(parameterCount: number): number {
  return Math.round(Math.max(24, Math.min(64, Math.sqrt(2e6 / parameterCount))));
}

export function domainOf(s: TrainingSession): PlotDomain {
  const x = [...s.train.x, ...s.test.x];
  if (isOneDimensional(s.state.dataset))
    return rangeDomain(
      x.map((p) => p[0] ?? 0),
      [...s.train.y, ...s.test.y],
    );
  return squareDomain(x);
}

/**
 * The training side of the page, independent of where it runs: it takes commands and
 * sends messages. In the page it runs in a Web Worker (training-worker.ts), so training
 * never takes the main thread's frames; tests run it directly.
 */
export class Trainer {
  #session: TrainingSession | undefined;
  #domain: PlotDomain = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };
  #run = 0;
  #playing = false;
  #waitingForPage = false;
  #nextFrame = 0;
  #scheduled = false;

  constructor(
    private readonly send: (message: TrainerMessage, transfer: Transferable[]) => void,
    private readonly later: (task: () => void) => void = (task) => setTimeout(task, 0),
    private readonly now: () => number = () => performance.now(),
  ) {}

  handle(command: TrainerCommand): void {
    switch (command.type) {
      case 'reset':
        this.#reset(command);
        return;
      case 'play':
        this.#playing = true;
        this.#schedule();
        return;
      case 'pause':
        this.#playing = false;
        this.#frame();
        return;
      case 'step':
        this.#playing = false;
        this.#guard(() => this.#session?.step());
        this.#frame();
        return;
      case 'drawn':
        this.#waitingForPage = false;
        return;
      case 'setWeight':
        this.#guard(() =>
          this.#session?.setWeight(command.layer, command.neuron, command.input, command.value),
        );
        this.#frame();
        return;
      case 'probe': {
        const s = this.#session;
        try {
          if (s === undefined) throw new Error('no run yet');
          this.send({ type: 'probe', id: command.id, result: s.probe(command.index) }, []);
        } catch (error) {
          this.send({ type: 'probe', id: command.id, result: { error: messageOf(error) } }, []);
        }
        return;
      }
      case 'stateDict':
        this.send(
          {
            type: 'stateDict',
            id: command.id,
            json: JSON.stringify(this.#session?.model.stateDict() ?? {}, null, 1),
          },
          [],
        );
        return;
    }
  }

  #reset(command: { state: PlaygroundState }): void {
    this.#run++;
    let session: TrainingSession;
    try {
      session = new TrainingSession(command.state);
    } catch (error) {
      this.#playing = false;
      this.send({ type: 'error', run: this.#run, message: messageOf(error) }, []);
      return;
    }
    this.#session = session;
    this.#domain = domainOf(session);
    this.send(
      {
        type: 'data',
        run: this.#run,
        train: session.train,
        test: session.test,
        domain: this.#domain,
        regression: session.regression,
        oneDimensional: isOneDimensional(session.state.dataset),
        parameterCount: session.model.parameterCount,
      },
      [],
    );
    this.#waitingForPage = false;
    this.#frame();
  }

  #guard(action: () => unknown): boolean {
    try {
      action();
      return true;
    } catch (error) {
      this.#playing = false;
      this.send({ type: 'error', run: this.#run, message: messageOf(error) }, []);
      return false;
    }
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.later(() => {
      this.#scheduled = false;
      this.#loop();
    });
  }

  #loop(): void {
    if (!this.#playing || this.#session === undefined) return;
    const s = this.#session;
    this.#guard(() => s.runFor(SLICE_MS, this.now));
    if (!this.#waitingForPage && this.now() >= this.#nextFrame) this.#frame();
    if (this.#playing) this.#schedule();
  }

  /** Measure and map the model as it is now, and send it. */
  #frame(): void {
    const s = this.#session;
    if (s === undefined) return;
    const start = this.now();
    const weights = copyLayers(s.model);
    const inputsOf = (p: readonly number[]): number[] => s.inputsOf(p);
    const thumbnails = neuronGrids(weights, this.#domain, inputsOf, THUMBNAIL_RESOLUTION);
    const oneD = isOneDimensional(s.state.dataset);
    const resolution = oneD ? 1 : mapResolution(s.model.parameterCount);
    const full = oneD ? undefined : neuronGrids(weights, this.#domain, inputsOf, resolution);
    const values = full?.layers[full.layers.length - 1] ?? new Float32Array(1);
    if (!s.regression) {
      // Confidence of class 1 in [−1, 1]: tanh of the margin, or 2σ(z) − 1 = tanh(z/2) for logits.
      const scale = s.state.loss === 'bce' ? 0.5 : 1;
      for (let i = 0; i < values.length; i++) values[i] = Math.tanh(scale * (values[i] as number));
    }
    const frame: FrameMessage = {
      type: 'frame',
      run: this.#run,
      steps: s.steps,
      epochs: s.epochs,
      playing: this.#playing,
      metrics: s.metrics(),
      weights,
      grads: s.lastGrads,
      thumbnails,
      map: { resolution, values },
    };
    const transfer: Transferable[] = [values, ...thumbnails.inputs, ...thumbnails.layers].map(
      (a) => a.buffer as ArrayBuffer,
    );
    this.#waitingForPage = true;
    this.send(frame, transfer);
    const cost = this.now() - start;
    this.#nextFrame = start + Math.max(FRAME_INTERVAL_MS, 4 * cost);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
