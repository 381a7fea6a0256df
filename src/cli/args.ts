// Command-line flags: node:util parseArgs in strict mode, with its errors turned into one-line usage errors, and
// typed readers for the values that check them and name the flag.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;
export type Flags = Record<string, string | boolean | undefined>;

/** Parses `argv` against `spec`: unknown flags, missing values and stray arguments are UsageErrors. */
export function parseFlags(command: string, argv: string[], spec: FlagSpec): Flags {
  // A value that starts with '-' (--lr -1) would read as a flag: attach it (--lr=-1) so that the value is checked.
  const args: string[] = [];
  for (const arg of argv) {
    const prev = args[args.length - 1];
    const takesValue = prev !== undefined && /^--[\w-]+$/.test(prev) && spec[prev.slice(2)]?.type === 'string';
    if (takesValue && /^-\.?\d/.test(arg)) args[args.length - 1] = `${prev}=${arg}`;
    else args.push(arg);
  }
  try {
    const { values, positionals } = parseArgs({ args, options: spec, strict: true, allowPositionals: true });
    if (positionals.length > 0) throw new UsageError(`${command}: unexpected argument '${positionals[0]}'`);
    return values as Flags;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as { code?: string }).code;
    const message = (error as Error).message;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const flag = /'([^']+)'/.exec(message)?.[1] ?? message;
      throw new UsageError(`${command}: unknown flag '${flag}'`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const flag = /'(--?[\w-]+)/.exec(message)?.[1] ?? '';
      throw new UsageError(`${command}: flag ${flag} needs a value`.replace(/ +/g, ' '));
    }
    throw new UsageError(`${command}: ${message.split('\n')[0]}`);
  }
}

function text(flags: Flags, name: string): string | undefined {
  const v = flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** A string flag. */
export function str(flags: Flags, name: string, fallback: string): string;
export function str(flags: Flags, name: string): string | undefined;
export function str(flags: Flags, name: string, fallback?: string): string | undefined {
  return text(flags, name) ?? fallback;
}

/** A finite number in [lo, hi] (ends excluded when open). */
export function num(
  command: string,
  flags: Flags,
  name: string,
  fallback: number,
  range: { lo?: number; hi?: number; loOpen?: boolean; hiOpen?: boolean } = {},
): number {
  const raw = text(flags, name);
  if (raw === undefined) return fallback;
  // Decimal notation only: Number() would also take '0x10', '0b1' and 'Infinity'.
  const value = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i.test(raw) ? Number(raw) : NaN;
  const { lo = -Infinity, hi = Infinity, loOpen = false, hiOpen = false } = range;
  const ok = Number.isFinite(value) && (loOpen ? value > lo : value >= lo) && (hiOpen ? value < hi : value <= hi);
  if (!ok) {
    const left = lo === -Infinity ? '' : `${loOpen ? '>' : '≥'} ${lo}`;
    const right = hi === Infinity ? '' : `${hiOpen ? '<' : '≤'} ${hi}`;
    const bounds = [left, right].filter(Boolean).join(' and ');
    throw new UsageError(`${command}: --${name} must be ${bounds ? `a number ${bounds}` : 'a finite number'}, got '${raw}'`);
  }
  return value;
}

/** An integer in [lo, hi]. */
export function int(command: string, flags: Flags, name: string, fallback: number, lo = 1, hi = Number.MAX_SAFE_INTEGER): number {
  const raw = text(flags, name);
  if (raw === undefined) return fallback;
  const value = /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < lo || value > hi) {
    const want = hi === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${lo}` : `an integer in ${lo}..${hi}`;
    throw new UsageError(`${command}: --${name} must be ${want}, got '${raw}'`);
  }
  return value;
}

/** One of a list of names. */
export function choice<T extends string>(command: string, flags: Flags, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = text(flags, name);
  if (raw === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new UsageError(`${command}: --${name} must be one of ${allowed.join('|')}, got '${raw}'`);
  }
  return raw as T;
}

/** A comma-separated list of positive integers, e.g. --layers 128,64 (an empty string or 'none': no hidden layer). */
export function intList(command: string, flags: Flags, name: string, fallback: number[]): number[] {
  const raw = text(flags, name);
  if (raw === undefined) return fallback;
  if (raw.trim() === '' || raw.trim() === 'none') return [];
  return raw.split(',').map((part) => {
    const p = part.trim();
    const value = /^\d+$/.test(p) ? Number(p) : NaN;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new UsageError(`${command}: --${name} must be comma-separated positive integers like 128,64, got '${raw}' ('${p}' is not one)`);
    }
    return value;
  });
}
