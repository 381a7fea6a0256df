// Writing what the user asked for (--out, --plot): a path that cannot be written is the user's to fix, reported as a
// usage error naming the flag and the path.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './errors.js';

/** Runs `write` after creating `path`'s parent folder; a file-system error becomes a UsageError naming `flag`. */
export async function writeTo<T>(command: string, flag: string, path: string, write: () => T | Promise<T>): Promise<T> {
  try {
    mkdirSync(dirname(path), { recursive: true });
    return await write();
  } catch (error) {
    if (typeof (error as NodeJS.ErrnoException).code !== 'string') throw error;
    const message = (error as Error).message.split('\n')[0];
    throw new UsageError(`${command}: cannot write ${flag} '${path}': ${message}`);
  }
}

/** Writes a file, through writeTo. */
export function writeFileTo(command: string, flag: string, path: string, data: string | Uint8Array): Promise<void> {
  return writeTo(command, flag, path, () => writeFileSync(path, data));
}
