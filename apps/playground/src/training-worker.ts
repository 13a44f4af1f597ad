/// <reference lib="webworker" />
import type { TrainerCommand, TrainerMessage } from './trainer-protocol.js';
import { Trainer } from './trainer.js';

// The worker's end of the page: commands in, frames out. All training happens here.
const scope = self as unknown as DedicatedWorkerGlobalScope;
const trainer = new Trainer((message: TrainerMessage, transfer) =>
  scope.postMessage(message, transfer),
);
scope.onmessage = (event: MessageEvent<TrainerCommand>) => trainer.handle(event.data);
