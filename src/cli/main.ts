#!/usr/bin/env node
// The wasmgrad command line. User mistakes (a bad flag or value, a missing or ragged file, a directory that is not a
// model) print one line, then the usage, and exit with code 2; anything else is a bug and keeps its stack trace.
import { isUserError } from './errors.js';
import { COMMANDS, usage } from './usage.js';

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'train':
      await (await import('./commands/train.js')).runTrain(rest);
      return 0;
    case 'evaluate':
      await (await import('./commands/evaluate.js')).runEvaluate(rest);
      return 0;
    case 'predict':
      await (await import('./commands/predict.js')).runPredict(rest);
      return 0;
    case 'bench':
      return (await import('./commands/bench.js')).runBenchCommand(rest);
    case 'descent':
      await (await import('./commands/descent.js')).runDescent(rest);
      return 0;
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(usage(rest[0]));
      return 0;
    case undefined:
      process.stderr.write(`wasmgrad: missing command; expected one of ${COMMANDS.join(', ')}\n\n${usage()}`);
      return 2;
    default:
      process.stderr.write(`wasmgrad: unknown command '${command}'; expected one of ${COMMANDS.join(', ')}\n\n${usage()}`);
      return 2;
  }
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isUserError(error)) {
      const command = process.argv[2];
      process.stderr.write(`wasmgrad: ${error.message}\n\n${usage(command)}`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`wasmgrad: internal error (please report it): ${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
