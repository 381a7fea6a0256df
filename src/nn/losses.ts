// Losses by name. Each is a kernel of the interface that returns the mean loss over a batch and, given a buffer, writes
// its gradient with respect to the network's output in the same call.
//
//   mse                  Σ(p − t)² / (m·n)
//   mae                  Σ|p − t| / (m·n)
//   huber                ½r² for |r| ≤ δ, else δ(|r| − ½δ), mean over m·n (δ = 1 unless given)
//   binaryCrossEntropy   from logits z against targets in [0, 1]: mean of max(z, 0) − z·t + log(1 + e^(−|z|))
//   softmaxCrossEntropy  from logits, against integer class labels (one per row) or one-hot / soft target rows:
//                        −Σᵢ log softmax(zᵢ)[yᵢ] / m
import type { Backend, Buf } from '../backend/types.js';
import { checkOneOf, checkPositive, show } from './validate.js';

export const LOSS_NAMES = ['mse', 'mae', 'huber', 'binaryCrossEntropy', 'softmaxCrossEntropy'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

/** How targets are laid out for a loss over `outputs`-wide predictions. */
export type TargetKind = 'dense' | 'labels';

export interface Loss {
  readonly name: LossName;
  /** Huber's δ. */
  readonly delta?: number;
  /**
   * The loss of an m×n batch of predictions against targets laid out as `kind`; with `grad`, also writes ∂J/∂pred
   * (m×n) there.
   */
  compute(be: Backend, kind: TargetKind, m: number, n: number, pred: Buf, target: Buf, grad: Buf | null): number;
  /** Whether integer labels (one per row) are accepted as well as dense targets. */
  readonly acceptsLabels: boolean;
}

export type LossSpec = LossName | { name: LossName; delta?: number } | Loss;

function denseOnly(name: LossName, kernel: (be: Backend, m: number, n: number, p: Buf, t: Buf, g: Buf | null) => number): Loss {
  return { name, acceptsLabels: false, compute: (be, _kind, m, n, p, t, g) => kernel(be, m, n, p, t, g) };
}

/** The loss named by `spec` (a name, `{ name, delta }`, or a Loss object, returned as is). */
export function resolveLoss(spec: LossSpec): Loss {
  if (typeof spec === 'object' && spec !== null && 'compute' in spec) return spec;
  const name = checkOneOf('compile', 'loss', typeof spec === 'object' && spec !== null ? spec.name : spec, LOSS_NAMES);
  switch (name) {
    case 'mse':
      return denseOnly(name, (be, m, n, p, t, g) => be.mse(m, n, p, t, g));
    case 'mae':
      return denseOnly(name, (be, m, n, p, t, g) => be.mae(m, n, p, t, g));
    case 'huber': {
      const delta = typeof spec === 'object' ? (spec.delta ?? 1) : 1;
      checkPositive('huber', 'delta', delta);
      return { ...denseOnly(name, (be, m, n, p, t, g) => be.huber(m, n, p, t, delta, g)), delta };
    }
    case 'binaryCrossEntropy':
      return denseOnly(name, (be, m, n, p, t, g) => be.bceWithLogits(m, n, p, t, g));
    case 'softmaxCrossEntropy':
      return {
        name,
        acceptsLabels: true,
        compute: (be, kind, m, n, p, t, g) =>
          kind === 'labels' ? be.softmaxCrossEntropy(m, n, p, t, g) : be.softmaxCrossEntropyDense(m, n, p, t, g),
      };
  }
}

/** Describes a loss for a saved manifest. */
export function lossConfig(loss: Loss): { name: LossName; delta?: number } {
  return loss.delta === undefined ? { name: loss.name } : { name: loss.name, delta: loss.delta };
}

/**
 * Works out how `count` target values for `samples` rows of `outputs` predictions are laid out, or throws naming
 * the expected counts (and `outputOf()`, the layer that gives the outputs, when known).
 */
export function targetKind(where: string, loss: Loss, samples: number, outputs: number, count: number, outputOf?: () => string): TargetKind {
  if (count === samples * outputs) return 'dense';
  if (loss.acceptsLabels && count === samples) return 'labels';
  const expected = loss.acceptsLabels
    ? `${samples} integer labels or ${samples}×${outputs} = ${samples * outputs} target values`
    : `${samples}×${outputs} = ${samples * outputs} target values`;
  const source = outputOf === undefined ? '' : ` (the output layer ${outputOf()} gives ${outputs} per sample)`;
  throw new Error(`${where}: y has ${count} values for ${samples} samples; expected ${expected} for loss ${loss.name}${source}`);
}

/** Throws naming the first sample whose label is not an integer class in 0..classes−1. */
export function checkLabels(where: string, labels: ArrayLike<number>, classes: number): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new Error(`${where}: y[${i}] must be an integer class label in 0..${classes - 1}, got ${show(label)}`);
    }
  }
}
