// The network's inputs, computed from a point (x₁, x₂) of the plane: the raw coordinates and the hand-made features
// of the TensorFlow Playground. Points live in the plane's own units, PLANE_SCALE times the dataset's.
import type { FeatureName } from './state.js';

export interface Feature {
  name: FeatureName;
  /** As shown on the page. */
  label: string;
  of(x1: number, x2: number): number;
}

export const FEATURE_DEFS: Readonly<Record<FeatureName, Feature>> = {
  x1: { name: 'x1', label: 'X₁', of: (x1) => x1 },
  x2: { name: 'x2', label: 'X₂', of: (_, x2) => x2 },
  x1sq: { name: 'x1sq', label: 'X₁²', of: (x1) => x1 * x1 },
  x2sq: { name: 'x2sq', label: 'X₂²', of: (_, x2) => x2 * x2 },
  x1x2: { name: 'x1x2', label: 'X₁X₂', of: (x1, x2) => x1 * x2 },
  sinx1: { name: 'sinx1', label: 'sin(X₁)', of: (x1) => Math.sin(x1) },
  sinx2: { name: 'sinx2', label: 'sin(X₂)', of: (_, x2) => Math.sin(x2) },
};

/** The feature rows (n × features.length, row-major) of n points given as (x₁, x₂) pairs. */
export function featureMatrix(points: Float32Array, features: readonly FeatureName[]): Float32Array {
  const n = points.length / 2;
  const d = features.length;
  const out = new Float32Array(n * d);
  const defs = features.map((f) => FEATURE_DEFS[f]);
  for (let i = 0; i < n; i++) {
    const x1 = points[2 * i]!;
    const x2 = points[2 * i + 1]!;
    for (let j = 0; j < d; j++) out[i * d + j] = defs[j]!.of(x1, x2);
  }
  return out;
}
