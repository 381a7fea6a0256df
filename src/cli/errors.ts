// A mistake in what the user typed or gave (a flag, a value, a file): reported as one line plus the usage, exit code 2,
// never with a stack trace.
import { DataError } from '../data/dataset.js';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Whether an error is the user's mistake (bad flag, bad value, bad data file) rather than a bug. */
export function isUserError(error: unknown): error is Error {
  return error instanceof UsageError || error instanceof DataError;
}
