// wasmgrad next to its peers, in one process and one run (`wasmgrad bench --peers`):
//   TensorFlow.js 4.22 on its WASM backend (SIMD; single-threaded, as Node gives it no worker threads) and on its
//   plain-JavaScript CPU backend, each through the layers API (model.trainOnBatch) and through a manual gradient loop
//   (optimizer.minimize over tf.variables); and brain.js 1.6 (its NeuralNetwork, which learns sample by sample).
// Tasks: the GEMM shapes of the core suite's training step and squares; the 784-128-10 MLP (ReLU, softmax
// cross-entropy, Adam 1e-3) at batch 64; XOR 2-8-1 (tanh, mse, SGD 0.1) at batch 4.
// Fairness: each peer runs with its documented settings (tf.enableProdMode, the SIMD WASM binary, brain.js's own
// defaults plus the Adam praxis it offers), every case is warmed up before it is timed, and every timed call ends
// with its result on the host (dataSync / the loss read back / brain.js's synchronous train), so nothing is left
// queued. wasmgrad's GEMM case reads its result back too, so both sides pay that copy.
// Not in SUITES (bench/suites/index.ts): the peers are devDependencies and take minutes, so they run only on request.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { Adam, createWasmBackend, Dense, Random, SGD, Sequential, type Backend } from 'wasmgrad';
import { machineInfo } from '../core/machine.js';
import { formatRate } from '../core/table.js';

type Tf = typeof import('@tensorflow/tfjs-core');
type Tfl = typeof import('@tensorflow/tfjs-layers');

export interface PeerOptions {
  filter?: string | null;
  quick?: boolean;
  json?: boolean;
  /** Where the JSON report goes (default bench/results/peers.json; with `json`, nothing is written). */
  outFile?: string | null;
}

interface Contender {
  /** Implementation label, e.g. 'tfjs-wasm layers'. */
  impl: string;
  /** Sets up and returns the timed call, or null if this contender does not do this task. */
  prepare(): Promise<Timed | null>;
}

interface Timed {
  run(): void | Promise<void>;
  /** Work per call when it differs from the task's (brain.js trains several epochs per call). */
  work?: number;
  dispose(): void;
}

interface Task {
  group: 'gemm' | 'training';
  name: string;
  unit: 'GFLOP/s' | 'samples/s';
  /** Work per call in the unit (flops / 1e9, or samples). */
  work: number;
  contenders: Contender[];
}

export interface PeerResult {
  group: string;
  task: string;
  impl: string;
  unit: string;
  rate?: number;
  medianMs?: number;
  samples?: number;
  skipped?: string;
  error?: string;
}

const DEFAULT_OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'results', 'peers.json');

const GEMM_SHAPES: { name: string; m: number; n: number; k: number; tA: boolean; tB: boolean; quick: boolean }[] = [
  { name: '128³', m: 128, n: 128, k: 128, tA: false, tB: false, quick: true },
  { name: '256³', m: 256, n: 256, k: 256, tA: false, tB: false, quick: true },
  { name: '512³', m: 512, n: 512, k: 512, tA: false, tB: false, quick: false },
  { name: '1024³', m: 1024, n: 1024, k: 1024, tA: false, tB: false, quick: false },
  { name: 'fwd X·W [64×784]·[784×128]', m: 64, n: 128, k: 784, tA: false, tB: false, quick: true },
  { name: 'dW = Xᵀ·dY, X 64×784, dY 64×128', m: 784, n: 128, k: 64, tA: true, tB: false, quick: true },
  { name: 'dX = dY·Wᵀ, dY 64×128, W 784×128', m: 64, n: 784, k: 128, tA: false, tB: true, quick: true },
  { name: 'out [64×128]·[128×10]', m: 64, n: 10, k: 128, tA: false, tB: false, quick: true },
];

/** tfjs-cpu takes seconds per call above this many flops; it is not timed there. */
const CPU_MAX_FLOPS = 2 * 512 ** 3;

function randoms(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const rng = new Random(seed);
  return Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
}

// ---- the training data shared by every contender -------------------------------------------------------------------

const MLP = { batch: 64, batches: 8, inputs: 784, hidden: 128, classes: 10 };
const mlpX = randoms(MLP.batches * MLP.batch * MLP.inputs, 7, 0, 1);
const mlpLabels = (() => {
  const rng = new Random(8);
  return Float32Array.from({ length: MLP.batches * MLP.batch }, () => rng.int(MLP.classes));
})();
const mlpOneHot = (() => {
  const y = new Float32Array(mlpLabels.length * MLP.classes);
  mlpLabels.forEach((c, i) => (y[i * MLP.classes + c] = 1));
  return y;
})();
const xorX = new Float32Array([0, 0, 0, 1, 1, 0, 1, 1]);
const xorY = new Float32Array([0, 1, 1, 0]);

// ---- wasmgrad ------------------------------------------------------------------------------------------------------

function wasmgradGemm(be: Backend, s: (typeof GEMM_SHAPES)[number]): Contender {
  return {
    impl: `wasmgrad (${be.build})`,
    prepare: async () => {
      const a = be.alloc(s.m * s.k);
      const b = be.alloc(s.k * s.n);
      const c = be.alloc(s.m * s.n);
      be.write(a, randoms(s.m * s.k, 1));
      be.write(b, randoms(s.k * s.n, 2));
      const host = new Float32Array(s.m * s.n);
      const lda = s.tA ? s.m : s.k;
      const ldb = s.tB ? s.k : s.n;
      return {
        run: () => {
          be.gemm(s.tA, s.tB, s.m, s.n, s.k, 1, a, lda, b, ldb, 0, c, s.n);
          be.read(c, host);
        },
        dispose: () => [a, b, c].forEach((buf) => be.free(buf)),
      };
    },
  };
}

function wasmgradMlp(be: Backend): Contender {
  return {
    impl: `wasmgrad (${be.build})`,
    prepare: async () => {
      const model = new Sequential([new Dense(MLP.inputs, MLP.hidden, { activation: 'relu' }), new Dense(MLP.hidden, MLP.classes)], { backend: be, seed: 1 });
      model.compile({ loss: 'softmaxCrossEntropy', optimizer: new Adam({ lr: 1e-3 }) });
      let b = 0;
      return {
        run: () => {
          model.trainOnBatch(mlpX.subarray(b * MLP.batch * MLP.inputs, (b + 1) * MLP.batch * MLP.inputs), mlpLabels.subarray(b * MLP.batch, (b + 1) * MLP.batch));
          b = (b + 1) % MLP.batches;
        },
        dispose: () => model.dispose(),
      };
    },
  };
}

function wasmgradXor(be: Backend): Contender {
  return {
    impl: `wasmgrad (${be.build})`,
    prepare: async () => {
      const model = new Sequential([new Dense(2, 8, { activation: 'tanh' }), new Dense(8, 1)], { backend: be, seed: 1 });
      model.compile({ loss: 'mse', optimizer: new SGD({ lr: 0.1 }) });
      return { run: () => void model.trainOnBatch(xorX, xorY), dispose: () => model.dispose() };
    },
  };
}

// ---- TensorFlow.js -------------------------------------------------------------------------------------------------

async function loadTf(): Promise<{ tf: Tf; tfl: Tfl }> {
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-cpu');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const tfl = await import('@tensorflow/tfjs-layers');
  const require = createRequire(import.meta.url);
  wasm.setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'))}/`);
  tf.enableProdMode();
  return { tf, tfl };
}

/** Switches tfjs to `backend` (each contender prepares on its own backend). */
async function use(tf: Tf, backend: 'wasm' | 'cpu'): Promise<void> {
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs could not start its ${backend} backend`);
  await tf.ready();
}

function tfGemm(tf: Tf, backend: 'wasm' | 'cpu', s: (typeof GEMM_SHAPES)[number]): Contender {
  return {
    impl: `tfjs-${backend}`,
    prepare: async () => {
      if (backend === 'cpu' && 2 * s.m * s.n * s.k > CPU_MAX_FLOPS) return null;
      await use(tf, backend);
      const a = tf.tensor2d(randoms(s.m * s.k, 1), s.tA ? [s.k, s.m] : [s.m, s.k]);
      const b = tf.tensor2d(randoms(s.k * s.n, 2), s.tB ? [s.n, s.k] : [s.k, s.n]);
      return {
        run: () => {
          const c = tf.matMul(a, b, s.tA, s.tB);
          c.dataSync();
          c.dispose();
        },
        dispose: () => tf.dispose([a, b]),
      };
    },
  };
}

function tfLayersMlp(tf: Tf, tfl: Tfl, backend: 'wasm' | 'cpu'): Contender {
  return {
    impl: `tfjs-${backend} layers`,
    prepare: async () => {
      await use(tf, backend);
      const model = tfl.sequential({
        layers: [
          tfl.layers.dense({ inputShape: [MLP.inputs], units: MLP.hidden, activation: 'relu' }),
          tfl.layers.dense({ units: MLP.classes, activation: 'softmax' }),
        ],
      });
      model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
      const xs = Array.from({ length: MLP.batches }, (_, b) => tf.tensor2d(mlpX.subarray(b * MLP.batch * MLP.inputs, (b + 1) * MLP.batch * MLP.inputs), [MLP.batch, MLP.inputs]));
      const ys = Array.from({ length: MLP.batches }, (_, b) => tf.tensor2d(mlpOneHot.subarray(b * MLP.batch * MLP.classes, (b + 1) * MLP.batch * MLP.classes), [MLP.batch, MLP.classes]));
      let b = 0;
      return {
        run: async () => {
          await model.trainOnBatch(xs[b]!, ys[b]!); // resolves with the loss read back
          b = (b + 1) % MLP.batches;
        },
        dispose: () => {
          tf.dispose([...xs, ...ys]);
          model.dispose();
        },
      };
    },
  };
}

function tfManualMlp(tf: Tf, backend: 'wasm' | 'cpu'): Contender {
  return {
    impl: `tfjs-${backend} manual`,
    prepare: async () => {
      await use(tf, backend);
      const glorot = (fanIn: number, fanOut: number, seed: number) => {
        const limit = Math.sqrt(6 / (fanIn + fanOut));
        return tf.variable(tf.tensor2d(randoms(fanIn * fanOut, seed, -limit, limit), [fanIn, fanOut]));
      };
      const w1 = glorot(MLP.inputs, MLP.hidden, 11);
      const b1 = tf.variable(tf.zeros([MLP.hidden]));
      const w2 = glorot(MLP.hidden, MLP.classes, 12);
      const b2 = tf.variable(tf.zeros([MLP.classes]));
      const optimizer = tf.train.adam(1e-3);
      const xs = Array.from({ length: MLP.batches }, (_, b) => tf.tensor2d(mlpX.subarray(b * MLP.batch * MLP.inputs, (b + 1) * MLP.batch * MLP.inputs), [MLP.batch, MLP.inputs]));
      const ys = Array.from({ length: MLP.batches }, (_, b) => tf.tensor2d(mlpOneHot.subarray(b * MLP.batch * MLP.classes, (b + 1) * MLP.batch * MLP.classes), [MLP.batch, MLP.classes]));
      let b = 0;
      return {
        run: () => {
          const x = xs[b]!;
          const y = ys[b]!;
          const cost = optimizer.minimize(() => {
            const h = tf.relu(tf.add(tf.matMul(x, w1), b1));
            const logits = tf.add(tf.matMul(h, w2), b2);
            return tf.losses.softmaxCrossEntropy(y, logits) as import('@tensorflow/tfjs-core').Scalar;
          }, true)!;
          cost.dataSync();
          cost.dispose();
          b = (b + 1) % MLP.batches;
        },
        dispose: () => {
          optimizer.dispose();
          tf.dispose([w1, b1, w2, b2, ...xs, ...ys]);
        },
      };
    },
  };
}

function tfLayersXor(tf: Tf, tfl: Tfl, backend: 'wasm' | 'cpu'): Contender {
  return {
    impl: `tfjs-${backend} layers`,
    prepare: async () => {
      await use(tf, backend);
      const model = tfl.sequential({
        layers: [tfl.layers.dense({ inputShape: [2], units: 8, activation: 'tanh' }), tfl.layers.dense({ units: 1 })],
      });
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
      const x = tf.tensor2d(xorX, [4, 2]);
      const y = tf.tensor2d(xorY, [4, 1]);
      return {
        run: async () => void (await model.trainOnBatch(x, y)),
        dispose: () => {
          tf.dispose([x, y]);
          model.dispose();
        },
      };
    },
  };
}

function tfManualXor(tf: Tf, backend: 'wasm' | 'cpu'): Contender {
  return {
    impl: `tfjs-${backend} manual`,
    prepare: async () => {
      await use(tf, backend);
      const w1 = tf.variable(tf.tensor2d(randoms(16, 21), [2, 8]));
      const b1 = tf.variable(tf.zeros([8]));
      const w2 = tf.variable(tf.tensor2d(randoms(8, 22), [8, 1]));
      const b2 = tf.variable(tf.zeros([1]));
      const optimizer = tf.train.sgd(0.1);
      const x = tf.tensor2d(xorX, [4, 2]);
      const y = tf.tensor2d(xorY, [4, 1]);
      return {
        run: () => {
          const cost = optimizer.minimize(() => tf.losses.meanSquaredError(y, tf.add(tf.matMul(tf.tanh(tf.add(tf.matMul(x, w1), b1)), w2), b2)) as import('@tensorflow/tfjs-core').Scalar, true)!;
          cost.dataSync();
          cost.dispose();
        },
        dispose: () => {
          optimizer.dispose();
          tf.dispose([w1, b1, w2, b2, x, y]);
        },
      };
    },
  };
}

// ---- brain.js ------------------------------------------------------------------------------------------------------

interface BrainNet {
  train(data: { input: number[]; output: number[] }[], options: Record<string, unknown>): { error: number; iterations: number };
}
type BrainModule = { NeuralNetwork: new (options: Record<string, unknown>) => BrainNet };

async function loadBrain(): Promise<BrainModule> {
  const mod = (await import('brain.js')) as unknown as BrainModule & { default?: BrainModule };
  return mod.NeuralNetwork ? mod : mod.default!;
}

/**
 * brain.js learns one sample at a time; a timed call is one `train` over `data` for `iterations` epochs, with the
 * smallest error threshold it accepts (1e-12) so that it never stops early.
 */
function brainContender(impl: string, load: () => Promise<BrainModule>, make: (brain: BrainModule) => BrainNet, data: { input: number[]; output: number[] }[], iterations: number, trainOpts: Record<string, unknown>): Contender {
  return {
    impl,
    prepare: async () => {
      const brain = await load();
      const net = make(brain);
      const options = { iterations, errorThresh: 1e-12, log: false, ...trainOpts };
      return {
        work: iterations * data.length,
        run: () => {
          const status = net.train(data, options);
          if (status.iterations !== iterations) throw new Error(`brain.js stopped after ${status.iterations} of ${iterations} epochs`);
        },
        dispose: () => {},
      };
    },
  };
}

// ---- the run -------------------------------------------------------------------------------------------------------

function tasks(be: Backend, tf: Tf, tfl: Tfl, brain: () => Promise<BrainModule>, quick: boolean): Task[] {
  const list: Task[] = [];
  for (const s of GEMM_SHAPES.filter((g) => !quick || g.quick)) {
    list.push({
      group: 'gemm',
      name: s.name,
      unit: 'GFLOP/s',
      work: (2 * s.m * s.n * s.k) / 1e9,
      contenders: [wasmgradGemm(be, s), tfGemm(tf, 'wasm', s), tfGemm(tf, 'cpu', s)],
    });
  }
  const mlpSamples = Array.from({ length: MLP.batch }, (_, i) => ({
    input: Array.from(mlpX.subarray(i * MLP.inputs, (i + 1) * MLP.inputs)),
    output: Array.from(mlpOneHot.subarray(i * MLP.classes, (i + 1) * MLP.classes)),
  }));
  list.push({
    group: 'training',
    name: 'MLP 784-128-10, ReLU, softmax CE, Adam, batch 64',
    unit: 'samples/s',
    work: MLP.batch,
    contenders: [
      wasmgradMlp(be),
      tfLayersMlp(tf, tfl, 'wasm'),
      tfManualMlp(tf, 'wasm'),
      tfLayersMlp(tf, tfl, 'cpu'),
      tfManualMlp(tf, 'cpu'),
      // brain.js has no softmax cross-entropy (its error is squared); ReLU layers, with its default update (SGD with
      // momentum, the one its documentation recommends) and with the Adam praxis it also offers (8× slower here).
      brainContender('brain.js', brain, (b) => new b.NeuralNetwork({ hiddenLayers: [MLP.hidden], activation: 'relu' }), mlpSamples, 1, {}),
      brainContender('brain.js (praxis adam)', brain, (b) => new b.NeuralNetwork({ hiddenLayers: [MLP.hidden], activation: 'relu' }), mlpSamples, 1, { praxis: 'adam', learningRate: 1e-3 }),
    ],
  });
  const xorSamples = [0, 1, 2, 3].map((i) => ({ input: [xorX[2 * i]!, xorX[2 * i + 1]!], output: [xorY[i]!] }));
  list.push({
    group: 'training',
    name: 'XOR 2-8-1, tanh, mse, SGD, batch 4',
    unit: 'samples/s',
    work: 4,
    contenders: [
      wasmgradXor(be),
      tfLayersXor(tf, tfl, 'wasm'),
      tfManualXor(tf, 'wasm'),
      tfLayersXor(tf, tfl, 'cpu'),
      tfManualXor(tf, 'cpu'),
      // brain.js's XOR example settings (learning rate 0.3, momentum 0.1: its defaults); 25 epochs of the 4 samples per
      // call, so that its per-call set-up (formatting the data) is spread as it is in a real training run.
      brainContender('brain.js', brain, (b) => new b.NeuralNetwork({ hiddenLayers: [8], activation: 'tanh' }), xorSamples, 25, {}),
    ],
  });
  return list;
}

async function measure(timed: Timed, work: number, timeMs: number): Promise<Pick<PeerResult, 'rate' | 'medianMs' | 'samples' | 'error'>> {
  try {
    const bench = new Bench({ time: timeMs, iterations: 5, warmupTime: Math.min(200, timeMs / 2), warmupIterations: 3, throws: true });
    bench.add('case', () => timed.run());
    await bench.run();
    const result = bench.tasks[0]!.result;
    if (result.state !== 'completed') return { error: 'error' in result ? result.error.message : `tinybench state ${result.state}` };
    const median = result.latency.p50;
    return { rate: work / (median / 1000), medianMs: median, samples: result.latency.samplesCount };
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0]! };
  } finally {
    timed.dispose();
  }
}

/** A --filter that matches no case: nothing is run, printed or written. */
export class NoMatchError extends Error {
  override readonly name = 'NoMatchError';
}

/** Runs every task on wasmgrad and the peers, prints the tables, writes the JSON report, returns the results. */
export async function runPeers(options: PeerOptions = {}): Promise<PeerResult[]> {
  const quick = options.quick ?? false;
  const timeMs = quick ? 200 : 600;
  const filter = options.filter ? new RegExp(options.filter, 'i') : null;
  const log = options.json ? (_: string) => {} : (line: string) => console.log(line);
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  const be = await createWasmBackend();
  const { tf, tfl } = await loadTf();
  let brainModule: BrainModule | null = null;
  const brain = async () => (brainModule ??= await loadBrain());
  const results: PeerResult[] = [];
  for (const task of tasks(be, tf, tfl, brain, quick)) {
    // --filter matches 'group/task/implementation'; wasmgrad runs wherever a peer does, for the ratio.
    const chosen = task.contenders.filter((c, i) => i > 0 && (!filter || filter.test(`${task.group}/${task.name}/${c.impl}`)));
    if (chosen.length === 0 && filter && !filter.test(`${task.group}/${task.name}/${task.contenders[0]!.impl}`)) continue;
    for (const c of [task.contenders[0]!, ...chosen]) {
      progress(`${task.group}/${task.name}: ${c.impl}`);
      const base = { group: task.group, task: task.name, impl: c.impl, unit: task.unit };
      let timed: Timed | null;
      try {
        timed = await c.prepare();
      } catch (error) {
        results.push({ ...base, error: (error as Error).message.split('\n')[0]! });
        continue;
      }
      if (timed === null) {
        results.push({ ...base, skipped: 'too slow at this size' });
        continue;
      }
      results.push({ ...base, ...(await measure(timed, timed.work ?? task.work, timeMs)) });
    }
  }
  be.dispose();
  if (results.length === 0) throw new NoMatchError(`--filter '${options.filter}' matches no peer case (they are named group/task/implementation, e.g. 'training/XOR 2-8-1, tanh, mse, SGD, batch 4/tfjs-cpu manual')`);

  const machine = machineInfo();
  const versions = peerVersions();
  for (const group of ['gemm', 'training'] as const) {
    const rows = results.filter((r) => r.group === group);
    if (rows.length === 0) continue;
    log('');
    log(group === 'gemm' ? '### GEMM, C ← op(A)·op(B) (GFLOP/s, result read back)' : '### Training steps (samples/s)');
    log('');
    log(formatTable(rows));
  }
  log('');
  log(`${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}; ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(', ')}; single thread each; medians of tinybench samples after warm-up.`);
  const outFile = options.outFile !== undefined ? options.outFile : options.json ? null : DEFAULT_OUT;
  if (outFile !== null) {
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(outFile, `${JSON.stringify({ startedAt: new Date().toISOString(), machine, versions, results }, null, 2)}\n`);
    log(`wrote ${outFile}`);
  }
  if (options.json) process.stdout.write(`${JSON.stringify({ machine, versions, results })}\n`);
  return results;
}

/** One row per task and implementation, with the ratio of each peer's rate to wasmgrad's on the same task. */
function formatTable(rows: PeerResult[]): string {
  const lines = [`| task | implementation | ${rows[0]!.unit} | ÷ wasmgrad |`, '| --- | --- | ---: | ---: |'];
  let task = '';
  let ours: number | undefined;
  for (const r of rows) {
    if (r.task !== task) {
      task = r.task;
      ours = rows.find((x) => x.task === task && x.impl.startsWith('wasmgrad'))?.rate;
    }
    const rate = r.rate !== undefined ? formatRate(r.rate) : r.skipped ? '—' : `error: ${r.error}`;
    const ratio = r.rate !== undefined && ours !== undefined ? `${formatRate(r.rate / ours)}×` : '';
    lines.push(`| ${r.task} | ${r.impl} | ${rate} | ${ratio} |`);
  }
  return lines.join('\n');
}

function peerVersions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const version = (name: string): string => {
    try {
      return (require(`${name}/package.json`) as { version: string }).version;
    } catch {
      return 'missing';
    }
  };
  return {
    '@tensorflow/tfjs-core': version('@tensorflow/tfjs-core'),
    '@tensorflow/tfjs-backend-wasm': version('@tensorflow/tfjs-backend-wasm'),
    'brain.js': version('brain.js'),
  };
}
