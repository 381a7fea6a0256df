// The training worker: starts the WASM backend, owns the network and runs the optimizer race, so that the page stays
// responsive while it trains. One epoch per frame: the page acknowledges each update after drawing it.
import { init } from '../../src/init.js';
import type { Backend } from '../../src/backend/types.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { testFunction } from '../../src/viz/functions.js';
import { runRace } from '../../src/viz/race.js';
import { Trainer, type Snapshot } from './trainer.js';

const post = (message: FromWorker, transfer: Transferable[] = []): void => postMessage(message, { transfer });

/** The snapshot's arrays, handed over to the page instead of copied (the worker does not keep them). */
const buffers = (s: Snapshot): Transferable[] => [s.output, ...s.hidden, ...s.weights].map((a) => a.buffer as ArrayBuffer);

let backend: Backend | null = null;
let trainer: Trainer | null = null;
let playing = false;
let awaitingAck = false;

const ready = init()
  .then((be) => {
    backend = be;
    post({ type: 'backend', name: be.name, build: be.build });
  })
  .catch((error: unknown) => post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) }));

/** Trains one epoch and sends the new state of the network. */
function frame(): void {
  if (trainer === null) return;
  trainer.trainEpoch();
  awaitingAck = true;
  const snapshot = trainer.snapshot();
  post({ type: 'update', snapshot }, buffers(snapshot));
}

function handle(message: ToWorker, be: Backend): void {
  switch (message.type) {
    case 'setup': {
      trainer?.dispose();
      trainer = null;
      const next = new Trainer(be, message.state);
      trainer = next;
      const snapshot = next.snapshot();
      post({ type: 'reset', train: next.data.train, test: next.data.test, snapshot }, buffers(snapshot));
      if (playing && !awaitingAck) frame();
      return;
    }
    case 'play':
      playing = true;
      if (!awaitingAck) frame();
      return;
    case 'pause':
      playing = false;
      return;
    case 'step':
      playing = false;
      frame();
      return;
    case 'ack':
      awaitingAck = false;
      if (playing) frame();
      return;
    case 'race': {
      const fn = testFunction(message.fn);
      if (fn === undefined) throw new Error(`no test function named ${JSON.stringify(message.fn)}`);
      post({ type: 'race', fn: message.fn, start: message.start, paths: runRace(be, fn, { start: message.start }) });
      return;
    }
  }
}

onmessage = async (event: MessageEvent<ToWorker>) => {
  await ready;
  if (backend === null) return; // 'fatal' was sent
  try {
    handle(event.data, backend);
  } catch (error) {
    playing = false;
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
