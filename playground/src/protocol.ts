// Messages between the page and the training worker. The worker owns the backend, the network and the race; the page
// only draws. Training is paced by the page: after each update the page draws, then acknowledges, and only then does
// the worker train the next frame's epochs, so a slow page is never flooded.
import type { Points } from './data.js';
import type { RacePath } from '../../src/viz/race.js';
import type { PlaygroundState } from './state.js';
import type { Snapshot } from './trainer.js';

export type ToWorker =
  /** Builds the data and a fresh network for this state (epoch 0); answered by 'reset'. */
  | { type: 'setup'; state: PlaygroundState }
  | { type: 'play' }
  | { type: 'pause' }
  /** One epoch, then pause. */
  | { type: 'step' }
  /** The page has drawn the last update. */
  | { type: 'ack' }
  | { type: 'race'; fn: string; start: [number, number] };

export type FromWorker =
  | { type: 'backend'; name: string; build: string }
  /** The backend could not start: nothing will train. */
  | { type: 'fatal'; message: string }
  | { type: 'reset'; train: Points; test: Points; snapshot: Snapshot }
  | { type: 'update'; snapshot: Snapshot }
  | { type: 'race'; fn: string; start: [number, number]; paths: RacePath[] }
  | { type: 'error'; message: string };
