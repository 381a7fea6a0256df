#!/usr/bin/env node
// The wasmgrad command line. User mistakes (a bad flag or value, a missing or ragged file, a directory that is not a
// model) print one line, then the usage, and exit with code 2; anything else is a bug and keeps its stack trace
// (exit code 1). `wasmgrad <command> --help` prints that command's usage.
import { readFileSync } from 'node:fs';
import { reportFailure, UsageError } from './errors.js';
import { COMMANDS, isCommand, usage } from './usage.js';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (isCommand(command) && command !== 'help' && (rest.includes('--help') || rest.includes('-h'))) {
    process.stdout.write(usage(command));
    return 0;
  }
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
      if (rest[0] !== undefined && !isCommand(rest[0])) {
        throw new UsageError(`help: unknown command '${rest[0]}'; expected one of ${COMMANDS.join(', ')}`);
      }
      process.stdout.write(usage(rest[0]));
      return 0;
    case '--version':
      process.stdout.write(`wasmgrad ${version()}\n`);
      return 0;
    case undefined:
      process.stderr.write(`wasmgrad: missing command; expected one of ${COMMANDS.join(', ')}\n\n${usage()}`);
      return 2;
    default:
      process.stderr.write(`wasmgrad: unknown command '${command}'; expected one of ${COMMANDS.join(', ')}\n\n${usage()}`);
      return 2;
  }
}

// A reader that stops early (`wasmgrad train | head`) closes the pipe: stop quietly instead of dying on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

const command = process.argv[2];
run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const section = isCommand(command) && command !== 'help' ? command : undefined;
    process.exitCode = reportFailure(error, section, usage(section), (text) => process.stderr.write(text));
  },
);
