// The registered suites, in the order they run. To add one, write bench/suites/<name>.ts exporting a `Suite`
// (bench/core/types.ts) and add it to this list.
import type { Suite } from '../core/types.js';
import { activationSuite, elementwiseSuite } from './elementwise.js';
import { gemmSuite } from './gemm.js';
import { optimizerSuite } from './optimizers.js';
import { trainingMlpSuite, trainingXorSuite } from './training.js';

export const SUITES: Suite[] = [
  gemmSuite,
  elementwiseSuite,
  activationSuite,
  optimizerSuite,
  trainingMlpSuite,
  trainingXorSuite,
];
