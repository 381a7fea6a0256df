// Argument checks shared by every backend, so that both report bad input with the same words.

/** A non-negative integer size. */
export function checkSize(where: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${where}: ${name} must be a non-negative integer, got ${String(value)}`);
  }
}

/** A finite number. */
export function checkFinite(where: string, name: string, value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`${where}: ${name} must be a finite number, got ${String(value)}`);
  }
}

/** A finite number in a range; `open` ends are excluded. */
export function checkRange(
  where: string,
  name: string,
  value: number,
  lo: number,
  hi: number,
  { loOpen = false, hiOpen = false } = {},
): void {
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (loOpen ? value > lo : value >= lo) &&
    (hiOpen ? value < hi : value <= hi);
  if (!ok || (!Number.isFinite(value) && Number.isFinite(lo) && Number.isFinite(hi))) {
    const range = `${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`;
    throw new Error(`${where}: ${name} must be in ${range}, got ${String(value)}`);
  }
}

/** A boolean. */
export function checkBoolean(where: string, name: string, value: unknown): void {
  if (typeof value !== 'boolean') throw new Error(`${where}: ${name} must be a boolean, got ${String(value)}`);
}

/** Elements a row-major rows×cols matrix with row stride ld spans (0 when empty). */
export function matrixExtent(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

/** A leading dimension: an integer no smaller than the row it strides over (and at least 1). */
export function checkLeading(where: string, name: string, ld: number, rowLength: number, detail: string): void {
  if (!Number.isInteger(ld) || ld < Math.max(1, rowLength)) {
    throw new Error(`${where}: ${name} must be an integer ≥ ${Math.max(1, rowLength)} (${detail}), got ${String(ld)}`);
  }
}
