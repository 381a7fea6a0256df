// The toolbar: play/pause, step and reset, and the hyper-parameters (learning rate, activation, optimizer, L2 rate,
// seed) with the data column's regenerate button, which draws a new seed.
import { ACTIVATION_CHOICES, L2_RATES, LEARNING_RATES, OPTIMIZER_CHOICES, type PlaygroundState } from '../state.js';
import type { PageContext } from './context.js';
import { $, fillSelect } from './dom.js';

const OPTIMIZER_LABELS: Record<string, string> = {
  sgd: 'SGD',
  momentum: 'Momentum',
  rmsprop: 'RMSprop',
  adam: 'Adam',
  adamw: 'AdamW',
};
const PLAY_ICON = '<svg viewBox="0 0 24 24" width="26" height="26"><path d="M8 5v14l11-7z" fill="currentColor"/></svg>';
const PAUSE_ICON = '<svg viewBox="0 0 24 24" width="26" height="26"><path d="M6 5h4v14H6zM14 5h4v14h-4z" fill="currentColor"/></svg>';

export interface Transport {
  play(): void;
  pause(): void;
  step(): void;
  /** A new seed was chosen (the dataset thumbnails follow it). */
  seedChanged(): void;
}

export class Toolbar {
  private playing = false;

  constructor(
    private readonly page: PageContext,
    transport: Transport,
  ) {
    this.bindSelect('lr', 'lr', LEARNING_RATES);
    this.bindSelect('activation', 'activation', ACTIVATION_CHOICES);
    this.bindSelect('optimizer', 'optimizer', OPTIMIZER_CHOICES, (v) => OPTIMIZER_LABELS[v] ?? v);
    this.bindSelect('l2', 'l2', L2_RATES);
    const seed = $<HTMLInputElement>('seed');
    seed.value = String(page.state.seed);
    const setSeed = (value: number): void => {
      page.state.seed = value;
      seed.value = String(value);
      transport.seedChanged();
      page.restart();
    };
    seed.addEventListener('change', () => {
      const v = Number(seed.value);
      if (Number.isInteger(v) && v >= 0 && v < 2 ** 31) setSeed(v);
      else seed.value = String(page.state.seed);
    });
    $('regenerate').addEventListener('click', () => setSeed((page.state.seed + 1) % 2 ** 31));
    $('play').addEventListener('click', () => {
      this.setPlaying(!this.playing);
      if (this.playing) transport.play();
      else transport.pause();
    });
    $('step').addEventListener('click', () => {
      this.setPlaying(false);
      transport.step();
    });
    $('reset').addEventListener('click', () => page.restart());
    this.setPlaying(false);
  }

  /** Shows the play or the pause button. */
  setPlaying(on: boolean): void {
    this.playing = on;
    const button = $('play');
    button.innerHTML = on ? PAUSE_ICON : PLAY_ICON;
    button.setAttribute('aria-label', on ? 'pause' : 'play');
    button.setAttribute('aria-pressed', String(on));
  }

  private bindSelect<K extends 'lr' | 'activation' | 'optimizer' | 'l2'>(
    id: string,
    key: K,
    values: readonly PlaygroundState[K][],
    label?: (v: PlaygroundState[K]) => string,
  ): void {
    const { state } = this.page;
    const select = $<HTMLSelectElement>(id);
    // A value from the URL that is not among the choices is kept, as one more choice.
    const list = values.includes(state[key]) ? values : [...values, state[key]];
    fillSelect(select, list, label);
    select.value = String(state[key]);
    select.addEventListener('change', () => {
      state[key] = (typeof state[key] === 'number' ? Number(select.value) : select.value) as PlaygroundState[K];
      this.page.restart();
    });
  }
}
