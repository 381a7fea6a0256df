// The data points on top of a heat map: filled with their class colour, test points outlined in black.
import type { Points } from '../data.js';
import { PLANE_EXTENT } from '../data.js';
import { CLASS0, CLASS1, css } from './colors.js';

/** `radius` is in CSS pixels; the canvas may have more pixels than it shows (for sharp high-DPI drawing). */
export function drawPoints(canvas: HTMLCanvasElement, points: Points, outline: 'white' | 'black' | null, radius = 3.5): void {
  const ctx = canvas.getContext('2d')!;
  const scale = canvas.width / (2 * PLANE_EXTENT);
  const density = canvas.width / (canvas.clientWidth || canvas.width);
  radius *= density;
  ctx.lineWidth = density;
  ctx.strokeStyle = outline ?? 'transparent';
  for (let i = 0; i < points.n; i++) {
    const x = (points.xy[2 * i]! + PLANE_EXTENT) * scale;
    const y = (PLANE_EXTENT - points.xy[2 * i + 1]!) * scale;
    ctx.beginPath();
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
    ctx.fillStyle = css(points.label[i] === 1 ? CLASS1 : CLASS0);
    ctx.fill();
    if (outline !== null) ctx.stroke();
  }
}
