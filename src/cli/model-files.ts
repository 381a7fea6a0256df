// What the CLI keeps beside a saved model (cli.json): how to rebuild its data (the split, the CSV standardization),
// the loss it was trained with, and its class names; and the checks that a --model directory is one.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Standardizer } from '../data/dataset.js';
import { LOSS_NAMES, type LossName } from '../nn/index.js';
import type { DataSpec } from './datasets.js';
import { UsageError } from './errors.js';

export const CLI_META_FILE = 'cli.json';

export interface CliMeta {
  format: 'wasmgrad-cli';
  version: 1;
  data: DataSpec;
  loss: LossName;
  classNames: string[];
  features: number;
  standardizer: Standardizer | null;
}

export function writeMeta(dir: string, meta: CliMeta): void {
  writeFileSync(join(dir, CLI_META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
}

/** The metadata of a model directory written by `wasmgrad train`, or a UsageError saying what is wrong. */
export function readMeta(command: string, dir: string): CliMeta {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`${command}: --model '${dir}' is not a directory`);
  }
  if (!existsSync(join(dir, 'model.json'))) {
    throw new UsageError(`${command}: --model '${dir}' is not a model directory (no model.json; train one with wasmgrad train --out DIR)`);
  }
  let meta: CliMeta;
  try {
    meta = JSON.parse(readFileSync(join(dir, CLI_META_FILE), 'utf8')) as CliMeta;
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? `no ${CLI_META_FILE}` : `${CLI_META_FILE} is not valid JSON`;
    throw new UsageError(`${command}: --model '${dir}' was not written by wasmgrad train (${why})`);
  }
  if (meta?.format !== 'wasmgrad-cli' || meta.version !== 1 || !(LOSS_NAMES as readonly string[]).includes(meta.loss)) {
    throw new UsageError(`${command}: --model '${dir}': ${CLI_META_FILE} is not a wasmgrad-cli version 1 file`);
  }
  return meta;
}
