// The network column and its neighbours: the input features (toggles with their own maps), the hidden layers (add or
// remove layers and neurons, each neuron's map) and the weights drawn as links from inputs to output.
import { GRID, gridPoints } from '../data.js';
import { drawNeuron } from '../draw/heatmap.js';
import { drawLinks } from '../draw/links.js';
import { FEATURE_DEFS, featureMatrix } from '../features.js';
import { FEATURES, MAX_LAYERS, MAX_NEURONS, type FeatureName } from '../state.js';
import type { Snapshot } from '../trainer.js';
import type { PageContext } from './context.js';
import { $, smallButton } from './dom.js';

export class NetworkPanel {
  constructor(private readonly page: PageContext) {
    this.buildFeatures();
    $('add-layer').addEventListener('click', () => {
      const { layers } = page.state;
      if (layers.length >= MAX_LAYERS) return;
      layers.push(layers.at(-1) ?? 2);
      this.changed();
    });
    $('remove-layer').addEventListener('click', () => {
      page.state.layers.pop();
      this.changed();
    });
    this.buildLayers();
  }

  /** Draws every hidden neuron's map and the links for a snapshot of the network. */
  draw(snapshot: Snapshot): void {
    const { state } = this.page;
    snapshot.hidden.forEach((values, i) => {
      const units = state.layers[i]!;
      this.neurons(i).forEach((canvas, u) => {
        if (u < units) drawNeuron(canvas, GRID, values, units, u);
      });
    });
    this.drawLinks(snapshot);
  }

  /** The weights as links: active features → each hidden layer's neurons → the output heat map. */
  drawLinks(snapshot: Snapshot): void {
    if ($('view-network').hidden) return;
    const { state } = this.page;
    const features = state.features.map((f) => $('features').querySelector(`.feature[data-feature="${f}"] canvas`)!);
    const layers = state.layers.map((_, i) => this.neurons(i));
    drawLinks($<SVGSVGElement & HTMLElement>('links'), $('columns'), [features, ...layers, [$('heatmap')]], snapshot.weights);
  }

  private neurons(layer: number): HTMLCanvasElement[] {
    return [...$('layers').querySelectorAll<HTMLCanvasElement>(`.layer[data-layer="${layer}"] canvas.neuron`)];
  }

  private changed(): void {
    this.buildLayers();
    this.page.restart();
  }

  private buildFeatures(): void {
    const { state } = this.page;
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
        this.markFeatures();
        this.changed();
      });
      box.append(label);
    }
    this.markFeatures();
  }

  private markFeatures(): void {
    for (const label of $('features').querySelectorAll<HTMLElement>('.feature')) {
      const on = this.page.state.features.includes(label.dataset.feature as FeatureName);
      label.classList.toggle('on', on);
      label.querySelector('input')!.checked = on;
    }
  }

  private buildLayers(): void {
    const { layers } = this.page.state;
    const box = $('layers');
    box.replaceChildren();
    $('layer-count').textContent = `${layers.length} hidden layer${layers.length === 1 ? '' : 's'}`;
    layers.forEach((units, i) => {
      const column = document.createElement('div');
      column.className = 'layer';
      column.dataset.layer = String(i);
      const buttons = document.createElement('div');
      buttons.className = 'buttons';
      buttons.append(
        smallButton('+', `Add a neuron to layer ${i + 1}`, units < MAX_NEURONS, () => {
          layers[i] = units + 1;
          this.changed();
        }),
        smallButton('−', `Remove a neuron from layer ${i + 1}`, units > 1, () => {
          layers[i] = units - 1;
          this.changed();
        }),
      );
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
    $<HTMLButtonElement>('add-layer').disabled = layers.length >= MAX_LAYERS;
    $<HTMLButtonElement>('remove-layer').disabled = layers.length === 0;
  }
}

/** A feature's value over the plane, scaled by its largest magnitude. */
function drawFeature(canvas: HTMLCanvasElement, name: FeatureName): void {
  drawNeuron(canvas, GRID, featureMatrix(gridPoints(), [name]), 1, 0);
}
