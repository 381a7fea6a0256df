// The network's weights as curves between the boxes that stand for its units: the input features, each hidden neuron
// and the output. Blue for a positive weight, orange for a negative one, thicker for a larger magnitude.
import { CLASS0, CLASS1, css } from './colors.js';

const SVG = 'http://www.w3.org/2000/svg';
const POSITIVE = css(CLASS1);
const NEGATIVE = css(CLASS0);

/**
 * Draws into `svg` (which covers `container`) one curve per weight: `columns[i]` are the boxes of layer i's inputs,
 * `columns[i + 1]` its outputs, and `weights[i]` its inputs × outputs matrix, row-major.
 */
export function drawLinks(svg: SVGSVGElement, container: HTMLElement, columns: Element[][], weights: Float32Array[]): void {
  const origin = container.getBoundingClientRect();
  svg.setAttribute('width', String(origin.width));
  svg.setAttribute('height', String(origin.height));
  const count = weights.reduce((sum, w) => sum + w.length, 0);
  if (svg.childElementCount !== count) svg.replaceChildren(...Array.from({ length: count }, () => document.createElementNS(SVG, 'path')));
  // Every box is measured before any path changes, so that the layout is computed once, not once per layer.
  const boxes = columns.map((column) => column.map((el) => el.getBoundingClientRect()));
  let k = 0;
  for (let layer = 0; layer < weights.length; layer++) {
    const from = boxes[layer]!;
    const to = boxes[layer + 1]!;
    const w = weights[layer]!;
    for (let i = 0; i < from.length; i++) {
      for (let j = 0; j < to.length; j++, k++) {
        const value = w[i * to.length + j] ?? 0;
        const x1 = from[i]!.right - origin.left;
        const y1 = from[i]!.top + from[i]!.height / 2 - origin.top;
        const x2 = to[j]!.left - origin.left;
        const y2 = to[j]!.top + to[j]!.height / 2 - origin.top;
        const xm = (x1 + x2) / 2;
        const path = svg.children[k]!;
        path.setAttribute('d', `M${x1},${y1} C${xm},${y1} ${xm},${y2} ${x2},${y2}`);
        path.setAttribute('stroke', value >= 0 ? POSITIVE : NEGATIVE);
        path.setAttribute('stroke-width', String(Math.min(6, Math.max(0.3, 1.5 * Math.abs(value)))));
      }
    }
  }
}
