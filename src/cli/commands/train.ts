// wasmgrad train: load a dataset, build a dense network, train it epoch by epoch with a progress bar (the manual
// path: one trainOnBatch per mini-batch), validate after each epoch, then report the test accuracy, the confusion
// matrix and the time, and save the model.
import { resolve } from 'node:path';
import { shiftImages } from '../../data/augment.js';
import type { Dataset } from '../../data/dataset.js';
import { init } from '../../init.js';
import { ACTIVATIONS, type Activation, type Backend } from '../../index.js';
import { Dense, LOSS_NAMES, type LossName, type Optimizer, ReduceLROnPlateau, Sequential } from '../../nn/index.js';
import { Random } from '../../random.js';
import { choice, type FlagSpec, int, intList, num, parseFlags, str } from '../args.js';
import { type DataKind, dataKind, type DataSpec, loadData } from '../datasets.js';
import { isOutOfMemory, UsageError } from '../errors.js';
import { confusionMatrix, count, duration, formatConfusion, percent } from '../format.js';
import { writeMeta } from '../model-files.js';
import { writeFileTo, writeTo } from '../output.js';
import { CLI_OPTIMIZERS, type CliOptimizer, createOptimizer, defaultLr, learningRate, SCHEDULES, type ScheduleName } from '../optimizers.js';
import { lossChart } from '../plot.js';
import { ProgressBar } from '../progress.js';
import { accuracy, outputUnits, predictClasses, targetsFor } from '../targets.js';

export const TRAIN_FLAGS: FlagSpec = {
  dataset: { type: 'string' },
  label: { type: 'string' },
  layers: { type: 'string' },
  activation: { type: 'string' },
  loss: { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  schedule: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  'validation-split': { type: 'string' },
  'test-split': { type: 'string' },
  samples: { type: 'string' },
  noise: { type: 'string' },
  augment: { type: 'string' },
  seed: { type: 'string' },
  backend: { type: 'string' },
  out: { type: 'string' },
  plot: { type: 'string' },
  json: { type: 'boolean' },
};

export interface TrainConfig {
  data: DataSpec;
  kind: DataKind;
  layers: number[];
  activation: Activation;
  loss: LossName;
  optimizer: CliOptimizer;
  lr: number;
  schedule: ScheduleName;
  epochs: number;
  batchSize: number;
  validationSplit: number;
  augment: number;
  backend: 'wasm' | 'ref';
  out: string;
  plot: string | undefined;
  json: boolean;
}

/** Reads and checks every flag; the defaults depend on the dataset (MNIST gets the tuned main job). */
export function trainConfig(argv: string[]): TrainConfig {
  const c = 'train';
  const f = parseFlags(c, argv, TRAIN_FLAGS);
  const dataset = str(f, 'dataset', 'mnist');
  const kind = dataKind(c, dataset);
  const mnist = kind === 'mnist';
  const optimizer = choice(c, f, 'optimizer', 'adam', CLI_OPTIMIZERS);
  const samples = f.samples === undefined ? undefined : int(c, f, 'samples', 0, 4, mnist ? 10_000 : 10_000_000);
  const noise = f.noise === undefined ? undefined : num(c, f, 'noise', 0, { lo: 0 });
  if (kind !== 'synthetic' && noise !== undefined) throw new UsageError(`${c}: --noise applies to the 2-D datasets only`);
  if (kind !== 'csv' && f.label !== undefined) throw new UsageError(`${c}: --label applies to CSV files only`);
  if (!mnist && f.augment !== undefined) throw new UsageError(`${c}: --augment applies to mnist only`);
  if (kind === 'csv' && f.samples !== undefined) throw new UsageError(`${c}: --samples applies to mnist and the 2-D datasets, not to a CSV file`);
  const plot = str(f, 'plot');
  if (plot !== undefined && !/\.svg$/i.test(plot)) throw new UsageError(`${c}: --plot writes an SVG image: give a file ending in .svg, got '${plot}'`);
  const data: DataSpec = {
    dataset,
    testSplit: num(c, f, 'test-split', 0.2, { lo: 0, hi: 1, loOpen: true, hiOpen: true }),
    seed: int(c, f, 'seed', 1, 0, 2 ** 31 - 1),
  };
  if (f.label !== undefined) data.label = str(f, 'label');
  if (samples !== undefined) data.samples = samples;
  if (noise !== undefined) data.noise = noise;
  const name = kind === 'csv' ? 'csv' : dataset;
  return {
    data,
    kind,
    layers: intList(c, f, 'layers', mnist ? [128] : kind === 'csv' ? [32] : [16, 16]),
    activation: choice(c, f, 'activation', 'relu', ACTIVATIONS),
    loss: choice(c, f, 'loss', 'softmaxCrossEntropy', LOSS_NAMES),
    optimizer,
    lr: num(c, f, 'lr', mnist && optimizer === 'adam' ? 0.002 : defaultLr(optimizer), { lo: 0, loOpen: true }),
    schedule: choice(c, f, 'schedule', mnist ? 'cosine' : 'constant', SCHEDULES),
    epochs: int(c, f, 'epochs', mnist ? 20 : 100, 1, 100_000),
    batchSize: int(c, f, 'batch-size', 64, 1, 1_000_000),
    validationSplit: num(c, f, 'validation-split', 0.1, { lo: 0, hi: 1, hiOpen: true }),
    augment: mnist ? int(c, f, 'augment', 1, 0, 8) : 0,
    backend: choice(c, f, 'backend', 'wasm', ['wasm', 'ref'] as const),
    out: str(f, 'out', `models/${name}`),
    plot,
    json: f.json === true,
  };
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss?: number;
  val_accuracy?: number;
  lr: number;
  seconds: number;
  samplesPerSecond: number;
}

export interface TrainResult {
  dataset: string;
  backend: string;
  build: string;
  architecture: number[];
  activation: Activation;
  loss: LossName;
  optimizer: string;
  samples: { train: number; validation: number; test: number };
  epochs: EpochRecord[];
  test: { loss: number; accuracy: number; confusion: number[][]; classNames: string[] };
  trainSeconds: number;
  totalSeconds: number;
  modelDir: string;
  plot?: string;
}

/** Holds out the last `fraction` of the (already shuffled) training rows for validation. */
function holdOut(train: Dataset, fraction: number): { fit: Dataset; val: Dataset | null } {
  const held = Math.floor(train.n * fraction);
  if (held === 0) return { fit: train, val: null };
  const keep = train.n - held;
  if (keep < 1) throw new UsageError(`train: --validation-split ${fraction} leaves no training rows`);
  const d = train.features;
  const part = (from: number, to: number): Dataset => ({
    ...train,
    x: train.x.subarray(from * d, to * d),
    y: train.y.subarray(from, to),
    n: to - from,
  });
  return { fit: part(0, keep), val: part(keep, train.n) };
}

/** Builds the dense network: He initialization before ReLU-like activations, Glorot elsewhere; a linear output. */
function buildModel(sizes: number[], activation: Activation, seed: number, backend: Backend): Sequential {
  const layers = sizes.slice(1).map((width, i) => {
    const last = i === sizes.length - 2;
    return new Dense(sizes[i]!, width, {
      activation: last ? 'identity' : activation,
      kernelInitializer: !last && /relu|elu|gelu|silu/i.test(activation) ? 'heUniform' : 'glorotUniform',
    });
  });
  return new Sequential(layers, { seed, backend });
}

/** Trains epoch by epoch (one trainOnBatch per mini-batch), with the progress bar and a line per epoch. */
function fitEpochs(model: Sequential, optimizer: Optimizer, fit: Dataset, val: Dataset | null, cfg: TrainConfig, log: (line?: string) => void): EpochRecord[] {
  const plateau = cfg.schedule === 'plateau' ? new ReduceLROnPlateau({ monitor: val ? 'val_loss' : 'loss', factor: 0.5, patience: 3 }) : null;
  plateau?.setModel(model);
  plateau?.onTrainBegin();
  const yFit = targetsFor(cfg.loss, fit);
  const yVal = val ? targetsFor(cfg.loss, val) : null;
  const yWidth = yFit.length / fit.n;
  const xBatch = new Float32Array(Math.min(cfg.batchSize, fit.n) * fit.features);
  const yBatch = new Float32Array(Math.min(cfg.batchSize, fit.n) * yWidth);
  const xEpoch = cfg.augment > 0 ? new Float32Array(fit.x.length) : fit.x;
  const order = new Uint32Array(fit.n).map((_, i) => i);
  const rng = new Random(cfg.data.seed + 1);
  const bar = new ProgressBar(process.stderr, !cfg.json && Boolean(process.stderr.isTTY));
  const epochs: EpochRecord[] = [];
  try {
    for (let epoch = 1; epoch <= cfg.epochs; epoch++) {
      const label = `epoch ${String(epoch).padStart(String(cfg.epochs).length)}/${cfg.epochs}`;
      const lr = optimizer.lr;
      const t0 = performance.now();
      bar.begin();
      if (cfg.augment > 0) shiftImages(fit.x, xEpoch, fit.n, 28, 28, cfg.augment, rng);
      rng.shuffle(order);
      for (const metric of model.metrics) metric.reset();
      let lossSum = 0;
      for (let start = 0; start < fit.n; start += cfg.batchSize) {
        const m = Math.min(cfg.batchSize, fit.n - start);
        for (let i = 0; i < m; i++) {
          const row = order[start + i]!;
          xBatch.set(xEpoch.subarray(row * fit.features, (row + 1) * fit.features), i * fit.features);
          yBatch.set(yFit.subarray(row * yWidth, (row + 1) * yWidth), i * yWidth);
        }
        const loss = model.trainOnBatch(
          m === cfg.batchSize ? xBatch : xBatch.subarray(0, m * fit.features),
          m === cfg.batchSize ? yBatch : yBatch.subarray(0, m * yWidth),
        );
        if (!Number.isFinite(loss)) throw new UsageError(`train: the loss became ${loss} in epoch ${epoch}; lower --lr (now ${cfg.lr})`);
        lossSum += loss * m;
        bar.update(label, start + m, fit.n, lossSum / (start + m));
      }
      const seconds = (performance.now() - t0) / 1000;
      const record: EpochRecord = {
        epoch,
        loss: lossSum / fit.n,
        accuracy: model.metrics[0]!.result(),
        lr,
        seconds,
        samplesPerSecond: fit.n / seconds,
      };
      if (val) {
        const v = model.evaluate(val.x, yVal!, { batchSize: 512 });
        record.val_loss = v.loss;
        record.val_accuracy = v.accuracy;
      }
      epochs.push(record);
      if (plateau) plateau.onEpochEnd(epoch - 1, { loss: record.loss, ...(val ? { val_loss: record.val_loss! } : {}) });
      bar.clear();
      log(
        `${label}  loss ${record.loss.toFixed(4)}  acc ${percent(record.accuracy)}` +
          (val ? `  val_loss ${record.val_loss!.toFixed(4)}  val_acc ${percent(record.val_accuracy!)}` : '') +
          `  ${duration(seconds)}  ${count(record.samplesPerSecond)} samples/s`,
      );
    }
  } finally {
    bar.clear();
  }
  return epochs;
}

export async function runTrain(argv: string[]): Promise<TrainResult> {
  const cfg = trainConfig(argv);
  const log = cfg.json ? () => {} : (line = '') => process.stdout.write(`${line}\n`);

  // Fail before training, not after, when --out or --plot cannot be written (their folders are created here).
  const modelDir = resolve(cfg.out);
  const plot = cfg.plot === undefined ? undefined : resolve(cfg.plot);
  await writeTo('train', '--out', modelDir, () => {});
  if (plot !== undefined) await writeTo('train', '--plot', plot, () => {});

  const backend: Backend = await init({ backend: cfg.backend });
  const data = await loadData(cfg.data);
  if (data.test.n === 0) {
    const n = data.train.n + data.test.n;
    throw new UsageError(`train: --test-split ${cfg.data.testSplit} of ${n} rows leaves no test rows; use more rows or a larger split`);
  }
  const { fit, val } = holdOut(data.train, cfg.validationSplit);
  const units = outputUnits(cfg.loss, data.train.classes);
  const sizes = [data.train.features, ...cfg.layers, units];
  log(
    `wasmgrad train: ${data.train.name}, ${count(fit.n)} train / ${count(val?.n ?? 0)} validation / ${count(data.test.n)} test rows; ` +
      `backend ${backend.name} (${backend.build})\n` +
      `network ${sizes.join('-')} ${cfg.activation}, ${cfg.loss}, ${cfg.optimizer} lr ${cfg.lr}` +
      `${cfg.schedule !== 'constant' ? ` (${cfg.schedule})` : ''}, batch ${cfg.batchSize}, ${cfg.epochs} epoch${cfg.epochs === 1 ? '' : 's'}` +
      `${cfg.augment > 0 ? `, random shifts of up to ${cfg.augment} px` : ''}`,
  );

  let model: Sequential;
  let epochs: EpochRecord[];
  let predicted: Int32Array;
  let testLoss: number;
  let trainSeconds: number;
  try {
    model = buildModel(sizes, cfg.activation, cfg.data.seed, backend);
    const stepsPerEpoch = Math.ceil(fit.n / cfg.batchSize);
    const optimizer = createOptimizer(cfg.optimizer, learningRate(cfg.schedule, cfg.lr, stepsPerEpoch, cfg.epochs));
    model.compile({ loss: cfg.loss, optimizer, metrics: ['accuracy'] });
    const trainStart = performance.now();
    epochs = fitEpochs(model, optimizer, fit, val, cfg, log);
    trainSeconds = (performance.now() - trainStart) / 1000;
    predicted = predictClasses(model.predict(data.test.x, { batchSize: 512 }), data.test.n, units);
    testLoss = model.evaluate(data.test.x, targetsFor(cfg.loss, data.test), { batchSize: 512 }).loss;
  } catch (error) {
    if (!isOutOfMemory(error)) throw error;
    throw new UsageError(
      `train: the network ${sizes.join('-')} at batch ${cfg.batchSize} does not fit in memory (${error.message.split('\n')[0]}); ` +
        'use smaller --layers or --batch-size',
    );
  }
  const confusion = confusionMatrix(data.test.y, predicted, data.test.classes);
  const testAccuracy = accuracy(data.test.y, predicted);

  await writeTo('train', '--out', modelDir, async () => {
    await model.save(modelDir);
    writeMeta(modelDir, {
      format: 'wasmgrad-cli',
      version: 1,
      // A CSV by its absolute path, so that evaluate finds it from any working directory.
      data: cfg.kind === 'csv' ? { ...cfg.data, dataset: resolve(cfg.data.dataset) } : cfg.data,
      loss: cfg.loss,
      classNames: [...data.train.classNames],
      features: data.train.features,
      standardizer: data.standardizer,
    });
  });
  model.dispose();

  if (plot !== undefined) {
    await writeFileTo('train', '--plot', plot, lossChart(epochs, `${data.train.name} ${sizes.join('-')} ${cfg.optimizer}`));
  }
  const totalSeconds = performance.now() / 1000; // since the process started: loading Node and the data included
  const result: TrainResult = {
    dataset: data.train.name,
    backend: backend.name,
    build: backend.build,
    architecture: sizes,
    activation: cfg.activation,
    loss: cfg.loss,
    optimizer: cfg.optimizer,
    samples: { train: fit.n, validation: val?.n ?? 0, test: data.test.n },
    epochs,
    test: { loss: testLoss, accuracy: testAccuracy, confusion, classNames: [...data.test.classNames] },
    trainSeconds,
    totalSeconds,
    modelDir,
    ...(plot !== undefined ? { plot } : {}),
  };
  if (cfg.json) {
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } else {
    log();
    log(`test accuracy ${percent(testAccuracy)} (${count(testAccuracy * data.test.n)}/${count(data.test.n)}), test loss ${testLoss.toFixed(4)}`);
    log('confusion matrix (rows: true class, columns: predicted):');
    log(formatConfusion(confusion, data.test.classNames));
    log();
    log(`total time ${duration(totalSeconds)} (training ${duration(trainSeconds)}), backend ${backend.name}, ${backend.name === 'wasm' ? `WASM build ${backend.build}` : 'the TypeScript reference'}`);
    log(`model saved to ${modelDir}`);
    if (plot !== undefined) log(`plot written to ${plot}`);
  }
  backend.dispose();
  return result;
}
