// The playground page: reads the state from the URL, builds the controls, hands the training to the worker and
// draws what it sends back. Every change of a setting rewrites the URL and starts the network afresh from the seed,
// so the URL always describes the run on screen.
import { makePoints, PLANE_EXTENT, type Points } from './data.js';
import { drawOutput, drawNeuron, drawField } from './draw/heatmap.js';
import { diverging } from './draw/colors.js';
import { drawLinks } from './draw/links.js';
import { drawLossChart, type LossHistory } from './draw/loss-chart.js';
import { drawPoints } from './draw/points.js';
import { FEATURE_DEFS } from './features.js';
import type { FromWorker, ToWorker } from './protocol.js';
import { FUNCTIONS, FUNCTION_NAMES } from './race/functions.js';
import { RaceView } from './race/view.js';
import {
  ACTIVATION_CHOICES,
  DATASETS,
  decodeState,
  encodeState,
  FEATURES,
  L2_RATES,
  LEARNING_RATES,
  MAX_LAYERS,
  MAX_NEURONS,
  OPTIMIZER_CHOICES,
  type DatasetName,
  type PlaygroundState,
  type View,
} from './state.js';
import type { Snapshot } from './trainer.js';
import { GRID } from './trainer.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`playground: no element #${id}`);
  return el as T;
};

const DATASET_LABELS: Record<DatasetName, string> = {
  circles: 'Circle',
  xor: 'XOR',
  gaussians: 'Gaussians',
  spiral: 'Spiral',
  moons: 'Moons',
};
const OPTIMIZER_LABELS: Record<string, string> = {
  sgd: 'SGD',
  momentum: 'Momentum',
  rmsprop: 'RMSprop',
  adam: 'Adam',
  adamw: 'AdamW',
};

const PLAY_ICON = '<svg viewBox="0 0 24 24" width="26" height="26"><path d="M8 5v14l11-7z" fill="currentColor"/></svg>';
const PAUSE_ICON = '<svg viewBox="0 0 24 24" width="26" height="26"><path d="M6 5h4v14H6zM14 5h4v14h-4z" fill="currentColor"/></svg>';

const decoded = decodeState(location.search.slice(1));
const state: PlaygroundState = decoded.state;
if (decoded.problems.length > 0) {
  const box = $('problems');
  box.textContent = `Some settings in the link were not understood and were left at their defaults: ${decoded.problems.join('; ')}.`;
  box.hidden = false;
}

let playing = false;
let data: { train: Points; test: Points } | null = null;
let last: Snapshot | null = null;
let losses: LossHistory = { train: [], test: [] };
let workerAlive = true;

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (message: ToWorker): void => worker.postMessage(message);

function fatal(message: string): void {
  workerAlive = false;
  const box = $('fatal');
  box.textContent = `The WASM backend could not start, so nothing can train: ${message}`;
  box.hidden = false;
  const badge = $('backend-status');
  badge.textContent = 'WASM backend failed';
  badge.className = 'badge';
  setPlaying(false);
}

worker.onerror = (event) => fatal(event.message || 'the training worker failed to load');

// ---- URL and reset ---------------------------------------------------------------------------------------------

function writeUrl(): void {
  history.replaceState(null, '', `${location.pathname}?${encodeState(state)}`);
}

/** After a change of a setting: a new URL and a fresh network from the seed. */
function restart(): void {
  writeUrl();
  if (workerAlive) send({ type: 'setup', state: structuredClone(state) });
}

function setPlaying(on: boolean): void {
  playing = on;
  const button = $('play');
  button.innerHTML = on ? PAUSE_ICON : PLAY_ICON;
  button.setAttribute('aria-label', on ? 'pause' : 'play');
  button.setAttribute('aria-pressed', String(on));
}

// ---- controls ---------------------------------------------------------------------------------------------------

function fillSelect(select: HTMLSelectElement, values: readonly (string | number)[], label = (v: string | number) => String(v)): void {
  select.replaceChildren(
    ...values.map((v) => {
      const option = document.createElement('option');
      option.value = String(v);
      option.textContent = label(v);
      return option;
    }),
  );
}

function bindSelect<K extends keyof PlaygroundState>(id: string, key: K, values: readonly (string | number)[], label?: (v: string | number) => string): void {
  const select = $<HTMLSelectElement>(id);
  const list = values.includes(state[key] as string | number) ? values : [...values, state[key] as string | number];
  fillSelect(select, list, label);
  select.value = String(state[key]);
  select.addEventListener('change', () => {
    const raw = select.value;
    state[key] = (typeof state[key] === 'number' ? Number(raw) : raw) as PlaygroundState[K];
    restart();
  });
}

function bindRange(id: string, key: 'noise' | 'trainPercent' | 'batchSize', show: (v: number) => string): void {
  const input = $<HTMLInputElement>(id);
  const out = $(`${id}-value`);
  input.value = String(state[key]);
  out.textContent = show(state[key]);
  input.addEventListener('input', () => (out.textContent = show(Number(input.value))));
  input.addEventListener('change', () => {
    state[key] = Number(input.value);
    if (key === 'noise') drawDatasetThumbnails();
    restart();
  });
}

function buildToolbar(): void {
  bindSelect('lr', 'lr', LEARNING_RATES);
  bindSelect('activation', 'activation', ACTIVATION_CHOICES);
  bindSelect('optimizer', 'optimizer', OPTIMIZER_CHOICES, (v) => OPTIMIZER_LABELS[v] ?? String(v));
  bindSelect('l2', 'l2', L2_RATES);
  const seed = $<HTMLInputElement>('seed');
  seed.value = String(state.seed);
  seed.addEventListener('change', () => {
    const v = Number(seed.value);
    if (Number.isInteger(v) && v >= 0 && v < 2 ** 31) {
      state.seed = v;
      drawDatasetThumbnails();
      restart();
    } else seed.value = String(state.seed);
  });
  bindRange('ratio', 'trainPercent', (v) => String(v));
  bindRange('noise', 'noise', (v) => v.toFixed(2));
  bindRange('batch', 'batchSize', (v) => String(v));
  $('regenerate').addEventListener('click', () => {
    state.seed = (state.seed + 1) % 2 ** 31;
    seed.value = String(state.seed);
    drawDatasetThumbnails();
    restart();
  });
  $('play').addEventListener('click', () => {
    if (!workerAlive) return;
    setPlaying(!playing);
    send({ type: playing ? 'play' : 'pause' });
  });
  $('step').addEventListener('click', () => {
    if (!workerAlive) return;
    setPlaying(false);
    send({ type: 'step' });
  });
  $('reset').addEventListener('click', () => restart());
  const showTest = $<HTMLInputElement>('show-test');
  showTest.checked = state.showTest;
  showTest.addEventListener('change', () => {
    state.showTest = showTest.checked;
    writeUrl();
    drawOutputView();
  });
}

// ---- data: dataset thumbnails --------------------------------------------------------------------------------------

const thumbnails = new Map<DatasetName, HTMLCanvasElement>();

function buildDatasets(): void {
  const box = $('datasets');
  for (const name of DATASETS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.dataset = name;
    button.title = DATASET_LABELS[name];
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 108;
    thumbnails.set(name, canvas);
    button.append(canvas, DATASET_LABELS[name]);
    button.addEventListener('click', () => {
      state.dataset = name;
      markDataset();
      restart();
    });
    box.append(button);
  }
  markDataset();
  drawDatasetThumbnails();
}

function markDataset(): void {
  for (const button of $('datasets').querySelectorAll<HTMLButtonElement>('button')) {
    button.setAttribute('aria-pressed', String(button.dataset.dataset === state.dataset));
  }
}

function drawDatasetThumbnails(): void {
  for (const [name, canvas] of thumbnails) {
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    const { train, test } = makePoints(name, state.noise, 50, state.seed);
    drawPoints(canvas, train, null, 1);
    drawPoints(canvas, test, null, 1);
  }
}

// ---- features ----------------------------------------------------------------------------------------------------

function buildFeatures(): void {
  const box = $('features');
  for (const name of FEATURES) {
    const label = document.createElement('label');
    label.className = 'feature';
    label.dataset.feature = name;
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.id = `feature-${name}`;
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 68;
    drawFeature(canvas, name);
    label.append(input, FEATURE_DEFS[name].label, canvas);
    input.addEventListener('change', () => {
      const on = new Set(state.features);
      if (input.checked) on.add(name);
      else if (on.size > 1) on.delete(name);
      else input.checked = true; // the network needs at least one input
      state.features = FEATURES.filter((f) => on.has(f));
      markFeatures();
      buildLayers();
      restart();
    });
    box.append(label);
  }
  markFeatures();
}

function markFeatures(): void {
  for (const label of $('features').querySelectorAll<HTMLElement>('.feature')) {
    const on = state.features.includes(label.dataset.feature as (typeof FEATURES)[number]);
    label.classList.toggle('on', on);
    label.querySelector('input')!.checked = on;
  }
}

function drawFeature(canvas: HTMLCanvasElement, name: (typeof FEATURES)[number]): void {
  const values = new Float32Array(GRID * GRID);
  const cell = (2 * PLANE_EXTENT) / GRID;
  let peak = 1e-9;
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      const v = FEATURE_DEFS[name].of(-PLANE_EXTENT + (c + 0.5) * cell, PLANE_EXTENT - (r + 0.5) * cell);
      values[r * GRID + c] = v;
      peak = Math.max(peak, Math.abs(v));
    }
  }
  drawField(canvas, GRID, values, 1, 0, (v) => diverging(v / peak));
}

// ---- network editor ----------------------------------------------------------------------------------------------

function buildLayers(): void {
  const box = $('layers');
  box.replaceChildren();
  $('layer-count').textContent = `${state.layers.length} hidden layer${state.layers.length === 1 ? '' : 's'}`;
  state.layers.forEach((units, i) => {
    const column = document.createElement('div');
    column.className = 'layer';
    column.dataset.layer = String(i);
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    const more = smallButton('+', `Add a neuron to layer ${i + 1}`, units < MAX_NEURONS, () => (state.layers[i] = units + 1));
    const fewer = smallButton('−', `Remove a neuron from layer ${i + 1}`, units > 1, () => (state.layers[i] = units - 1));
    more.classList.add('add-neuron');
    fewer.classList.add('remove-neuron');
    buttons.append(more, fewer);
    const caption = document.createElement('span');
    caption.className = 'caption';
    caption.textContent = `${units} neuron${units === 1 ? '' : 's'}`;
    column.append(buttons, caption);
    for (let u = 0; u < units; u++) {
      const canvas = document.createElement('canvas');
      canvas.className = 'neuron';
      canvas.width = canvas.height = 80;
      canvas.title = `layer ${i + 1}, neuron ${u + 1}`;
      column.append(canvas);
    }
    box.append(column);
  });
  ($<HTMLButtonElement>('add-layer')).disabled = state.layers.length >= MAX_LAYERS;
  ($<HTMLButtonElement>('remove-layer')).disabled = state.layers.length === 0;
}

function smallButton(text: string, title: string, enabled: boolean, change: () => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'small';
  button.textContent = text;
  button.title = title;
  button.disabled = !enabled;
  button.addEventListener('click', () => {
    change();
    buildLayers();
    restart();
  });
  return button;
}

function buildNetworkEditor(): void {
  $('add-layer').addEventListener('click', () => {
    if (state.layers.length >= MAX_LAYERS) return;
    state.layers.push(state.layers.at(-1) ?? 2);
    buildLayers();
    restart();
  });
  $('remove-layer').addEventListener('click', () => {
    state.layers.pop();
    buildLayers();
    restart();
  });
  buildLayers();
}

// ---- drawing what the worker sends -----------------------------------------------------------------------------

function formatEpoch(epoch: number): string {
  return String(epoch).padStart(6, '0').replace(/(\d{3})$/, ',$1');
}

function drawOutputView(): void {
  if (last === null || data === null) return;
  const canvas = $<HTMLCanvasElement>('heatmap');
  drawOutput(canvas, GRID, last.output);
  drawPoints(canvas, data.train, 'white');
  if (state.showTest) drawPoints(canvas, data.test, 'black');
}

function show(snapshot: Snapshot): void {
  last = snapshot;
  $('epoch').textContent = formatEpoch(snapshot.epoch);
  $('train-loss').textContent = snapshot.trainLoss.toFixed(3);
  $('test-loss').textContent = snapshot.testLoss.toFixed(3);
  drawOutputView();
  drawLossChart($<HTMLCanvasElement>('loss-chart'), losses);
  drawNetworkLinks(snapshot);
  snapshot.hidden.forEach((values, i) => {
    const units = state.layers[i]!;
    const canvases = $('layers').querySelectorAll<HTMLCanvasElement>(`.layer[data-layer="${i}"] canvas.neuron`);
    canvases.forEach((canvas, u) => {
      if (u < units) drawNeuron(canvas, GRID, values, units, u);
    });
  });
}

/** The weights as links: active features → each hidden layer's neurons → the output heat map. */
function drawNetworkLinks(snapshot: Snapshot): void {
  if ($('view-network').hidden) return;
  const features = state.features.map((f) => $('features').querySelector(`.feature[data-feature="${f}"] canvas`)!);
  const layers = state.layers.map((_, i) => [...$('layers').querySelectorAll(`.layer[data-layer="${i}"] canvas.neuron`)]);
  drawLinks($<SVGSVGElement & HTMLElement>('links'), $('columns'), [features, ...layers, [$('heatmap')]], snapshot.weights);
}

// ---- the optimizer race --------------------------------------------------------------------------------------------

const race = new RaceView($<HTMLCanvasElement>('race-canvas'), $('race-legend'), $('race-step'), (x, y) => {
  state.raceStart = [x, y];
  writeUrl();
  requestRace();
});

function requestRace(): void {
  const fn = FUNCTIONS[state.raceFunction];
  race.setFunction(fn);
  $('race-formula').textContent = fn.formula;
  const start = state.raceStart ?? [fn.start[0], fn.start[1]];
  if (workerAlive) send({ type: 'race', fn: fn.name, start });
}

function buildRace(): void {
  const select = $<HTMLSelectElement>('race-fn');
  fillSelect(select, FUNCTION_NAMES, (v) => FUNCTIONS[v as keyof typeof FUNCTIONS].label);
  select.value = state.raceFunction;
  select.addEventListener('change', () => {
    state.raceFunction = select.value as PlaygroundState['raceFunction'];
    state.raceStart = null;
    writeUrl();
    requestRace();
  });
  $('race-replay').addEventListener('click', () => requestRace());
  $('race-default-start').addEventListener('click', () => {
    state.raceStart = null;
    writeUrl();
    requestRace();
  });
}

// ---- views ------------------------------------------------------------------------------------------------------

function showView(view: View): void {
  state.view = view;
  $('view-network').hidden = view !== 'network';
  $('view-race').hidden = view !== 'race';
  for (const tab of document.querySelectorAll<HTMLButtonElement>('header nav button')) {
    tab.setAttribute('aria-pressed', String(tab.dataset.view === view));
  }
  if (view === 'race') requestRace();
  else if (last !== null) drawNetworkLinks(last);
}

for (const tab of document.querySelectorAll<HTMLButtonElement>('header nav button')) {
  tab.addEventListener('click', () => {
    showView(tab.dataset.view as View);
    writeUrl();
  });
}

// ---- messages from the worker --------------------------------------------------------------------------------

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'backend': {
      const badge = $('backend-status');
      badge.textContent = `${message.name.toUpperCase()} backend (${message.build})`;
      badge.className = 'badge ok';
      badge.dataset.backend = message.name;
      badge.dataset.build = message.build;
      return;
    }
    case 'fatal':
      fatal(message.message);
      return;
    case 'reset':
      data = { train: message.train, test: message.test };
      losses = { train: [message.snapshot.trainLoss], test: [message.snapshot.testLoss] };
      show(message.snapshot);
      return;
    case 'update':
      losses.train.push(message.snapshot.trainLoss);
      losses.test.push(message.snapshot.testLoss);
      requestAnimationFrame(() => {
        show(message.snapshot);
        send({ type: 'ack' });
      });
      return;
    case 'race':
      if (message.fn === state.raceFunction) race.setPaths(message.start, message.paths);
      return;
    case 'error': {
      setPlaying(false);
      const box = $('problems');
      box.textContent = `Training stopped: ${message.message}`;
      box.hidden = false;
      return;
    }
  }
};

buildToolbar();
buildDatasets();
buildFeatures();
buildNetworkEditor();
buildRace();
setPlaying(false);
showView(state.view);
restart();
