// What every panel of the page shares: the state (also in the URL) and the two ways of committing a change to it.
import type { PlaygroundState } from '../state.js';

export interface PageContext {
  readonly state: PlaygroundState;
  /** Writes the state into the URL (for changes that do not touch the run: the view, the race, the test points). */
  writeUrl(): void;
  /** Writes the URL and starts the network afresh from the seed (for every change that shapes the run). */
  restart(): void;
}
