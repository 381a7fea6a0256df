// Loading a --model directory: any failure to read it is the user's mistake (a directory that is not a model, or a
// damaged one), reported as a usage error naming the directory.
import type { Backend } from '../../backend/types.js';
import { Sequential } from '../../nn/index.js';
import { UsageError } from '../errors.js';

export async function loadSavedModel(command: string, dir: string, backend: Backend): Promise<Sequential> {
  try {
    return await Sequential.load(dir, { backend });
  } catch (error) {
    throw new UsageError(`${command}: --model '${dir}' could not be loaded: ${(error as Error).message.split('\n')[0]}`);
  }
}
