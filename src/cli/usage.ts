// The help text: `wasmgrad help`, and what follows every usage error.

const HEAD = `Usage: wasmgrad <command> [flags]        (npm start runs: wasmgrad train)

Commands:
  train      train a dense network, print its progress and test results, save it
  evaluate   evaluate a saved model on a dataset
  predict    print the predicted class (and probabilities) of each row of a CSV file
  bench      run the benchmark suite; --peers adds TensorFlow.js and brain.js on the same tasks
  descent    draw optimizers racing down a 2-D function into an animated GIF
  help       show this text (wasmgrad <command> --help: that command's flags; --version: the version)`;

const SECTIONS: Record<string, string> = {
  train: `train [flags]                default: MNIST 784-128-10, ReLU, softmax cross-entropy, Adam
  --dataset NAME|FILE.csv    mnist (default), xor, spiral, moons, circles, gaussians, or a CSV file
  --label NAME|INDEX         label column of a CSV file (default: the last column)
  --layers 128,64            hidden layer widths ('none' for none); default mnist 128, 2-D sets 16,16, CSV 32
  --activation NAME          hidden activation (default relu): relu, tanh, sigmoid, leakyRelu, elu, selu, gelu,
                             silu, softplus, identity
  --loss NAME                softmaxCrossEntropy (default), binaryCrossEntropy (2 classes), mse, mae, huber
  --optimizer NAME           sgd, momentum, nesterov, rmsprop, adam (default), adamw, adagrad
  --lr X                     learning rate (default mnist 0.002, others 0.01; sgd family 0.1)
  --schedule NAME            constant, cosine, step, exponential, plateau (default mnist cosine, others constant)
  --epochs N                 default mnist 20, others 100
  --batch-size N             default 64
  --validation-split F       fraction of the training rows held out for validation (default 0.1)
  --test-split F             fraction of the data held out as the test set (default 0.2)
  --samples N                rows: generated for 2-D sets (default 1000), a seeded subset of MNIST's 10,000
  --noise X                  noise of the 2-D sets (standard deviation)
  --augment PIXELS           MNIST: shift each training image by up to this many pixels, anew each epoch (default 1)
  --seed N                   seeds the data split, initial weights and shuffling (default 1)
  --backend wasm|ref         WASM kernels (default) or the TypeScript reference
  --out DIR                  where to save the model (default models/<dataset>)
  --plot FILE.svg            draw train and validation loss and accuracy per epoch
  --json                     print the results as JSON on stdout, no progress bar`,
  evaluate: `evaluate --model DIR [--dataset NAME|FILE.csv] [--label NAME|INDEX] [--backend wasm|ref] [--json]
                             the test split of the model's own dataset by default (same seed and split); another
                             CSV file whole, its label column by default the one the model was trained with`,
  predict: `predict --model DIR --input FILE.csv [--label NAME|INDEX] [--backend wasm|ref] [--json]
                             the CSV holds the model's feature columns; a label column (--label, by default the
                             one the model was trained with) is ignored`,
  bench: `bench [--filter REGEX] [--quick] [--peers [--json]]
                             medians and ratios from tinybench; --peers: TensorFlow.js (wasm, cpu; layers API
                             and a manual gradient loop) and brain.js on the same GEMM shapes and training tasks`,
  descent: `descent [--function NAME] [--steps N] [--every N] [--size PIXELS] [--out FILE.gif]
                 [--backend wasm|ref] [--json]
                             NAME: rosenbrock (default), beale, saddle, himmelblau, rastrigin; --every: steps per
                             frame (default steps/100); --out: default NAME.gif in the working directory`,
};

/** The usage text: every command, or one command's section. */
export function usage(command?: string): string {
  const sections = command !== undefined && SECTIONS[command] ? [SECTIONS[command]] : Object.values(SECTIONS);
  return `${HEAD}\n\n${sections.map((s) => `wasmgrad ${s}`).join('\n\n')}\n`;
}

export const COMMANDS = ['train', 'evaluate', 'predict', 'bench', 'descent', 'help'] as const;
export type Command = (typeof COMMANDS)[number];

export function isCommand(name: string | undefined): name is Command {
  return (COMMANDS as readonly (string | undefined)[]).includes(name);
}
