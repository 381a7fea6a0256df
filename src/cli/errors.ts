// A mistake in what the user typed or gave (a flag, a value, a file): reported as one line plus the usage, exit code 2,
// never with a stack trace. Anything else is a bug: exit code 1, with its stack.
import { DataError } from '../data/dataset.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Whether an error is the user's mistake (bad flag, bad value, bad data file) rather than a bug. */
export function isUserError(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof DataError;
}

/** Whether an error says that memory ran out: the WASM heap's limit, or a typed array too large for the JS engine. */
export function isOutOfMemory(error: unknown): error is Error {
  const message = error instanceof Error ? error.message : '';
  return (
    message.startsWith('alloc: out of WASM memory') ||
    (error instanceof RangeError && /Invalid typed array length|Array buffer allocation failed/.test(message))
  );
}

/**
 * Writes what went wrong in `command` and returns the exit code: a user error is one line prefixed with the command
 * (DataErrors come from code that does not know it), a blank line and `usage`, code 2; a bug keeps its stack, code 1.
 */
export function reportFailure(error: unknown, command: string | undefined, usage: string, write: (text: string) => void): number {
  if (isUserError(error)) {
    const prefix = error instanceof DataError && command !== undefined ? `${command}: ` : '';
    write(`wasmgrad: ${prefix}${error.message.split('\n')[0]}\n\n${usage}`);
    return 2;
  }
  write(`wasmgrad: internal error (please report it): ${(error as Error)?.stack ?? String(error)}\n`);
  return 1;
}
