// Argument checks for the network API: each throws an Error naming where, the argument, what was expected and what
// was given. The kernel interface has its own (src/backend/checks.ts); these cover what sits above it.
export { checkBoolean, checkFinite, checkRange } from '../backend/checks.js';

/** An integer ≥ 1. */
export function checkPositiveInt(where: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${where}: ${name} must be an integer ≥ 1, got ${show(value)}`);
  }
}

/** An integer ≥ 0. */
export function checkNonNegativeInt(where: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new Error(`${where}: ${name} must be an integer ≥ 0, got ${show(value)}`);
  }
}

/** A finite number ≥ 0. */
export function checkNonNegative(where: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new Error(`${where}: ${name} must be a finite number ≥ 0, got ${show(value)}`);
  }
}

/** A finite number > 0. */
export function checkPositive(where: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new Error(`${where}: ${name} must be a finite number > 0, got ${show(value)}`);
  }
}

/** One of a fixed set of names; the error lists them. */
export function checkOneOf<T extends string>(where: string, name: string, value: unknown, valid: readonly T[]): T {
  if (typeof value !== 'string' || !(valid as readonly string[]).includes(value)) {
    throw new Error(`${where}: unknown ${name} ${show(value)}; expected one of ${valid.join(', ')}`);
  }
  return value as T;
}

/** A Float32Array (or Float64Array) of numbers. */
export function checkFloatArray(where: string, name: string, value: unknown): asserts value is Float32Array {
  if (!(value instanceof Float32Array || value instanceof Float64Array)) {
    throw new Error(`${where}: ${name} must be a Float32Array, got ${show(value)}`);
  }
}

/** A short description of any value, for error messages. */
export function show(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value === 'function') return 'a function';
  return (value as object).constructor?.name ?? typeof value;
}
