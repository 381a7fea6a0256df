// The points the playground trains on: one of the project's seeded synthetic sets (src/data/synthetic.ts), scaled up
// to the playground's plane [−6, 6]² (the TensorFlow Playground's, where sin x₁ has a couple of periods), and split
// into a training and a test set with the same seed.
import { syntheticDataset } from '../../src/data/synthetic.js';
import type { DatasetName } from './state.js';

/** The plane shown and sampled: [−PLANE_EXTENT, PLANE_EXTENT]². */
export const PLANE_EXTENT = 6;
/** Plane units per dataset unit: the synthetic sets lie roughly in [−1.5, 1.5]². */
export const PLANE_SCALE = 4;
/** Points per dataset, as in the TensorFlow Playground. */
export const POINTS = 500;
/** The Gaussian blobs' own standard deviation at noise 0 (the noise slider widens them further). */
const GAUSSIAN_SPREAD = 0.3;

/** Cells per side of the grid over the plane on which the output, every hidden neuron and every feature are drawn. */
export const GRID = 80;

/** The grid cells' centres as (x₁, x₂) pairs, top row first (x₂ decreasing), as drawn on a canvas. */
export function gridPoints(): Float32Array {
  const xy = new Float32Array(GRID * GRID * 2);
  const cell = (2 * PLANE_EXTENT) / GRID;
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      const i = r * GRID + c;
      xy[2 * i] = -PLANE_EXTENT + (c + 0.5) * cell;
      xy[2 * i + 1] = PLANE_EXTENT - (r + 0.5) * cell;
    }
  }
  return xy;
}

export interface Points {
  /** (x₁, x₂) pairs in plane units. */
  xy: Float32Array;
  /** 0 or 1 per point. */
  label: Float32Array;
  n: number;
}

export interface SplitPoints {
  train: Points;
  test: Points;
}

/** The dataset for these settings: the same arguments always give the same points and the same split. */
export function makePoints(dataset: DatasetName, noise: number, trainPercent: number, seed: number): SplitPoints {
  // The synthetic sets are already in a seeded random order, so the split takes the first rows for training.
  const spread = dataset === 'gaussians' ? GAUSSIAN_SPREAD + noise : noise;
  const ds = syntheticDataset(dataset, { n: POINTS, noise: spread, seed });
  const xy = ds.x.map((v) => v * PLANE_SCALE);
  const nTrain = Math.round((POINTS * trainPercent) / 100);
  const part = (from: number, to: number): Points => ({
    xy: xy.slice(2 * from, 2 * to),
    label: ds.y.slice(from, to),
    n: to - from,
  });
  return { train: part(0, nTrain), test: part(nTrain, POINTS) };
}
