// CSV to Dataset: numeric feature columns and one label column, chosen by header name or by index.
// The parser is plain string code (browsers can use it); readCsvFile adds Node's file reading.
import { type Dataset, DataError, indexNames } from './dataset.js';

export interface CsvOptions {
  /**
   * The label column: a header name, or a 0-based index (negative counts from the end: −1 is the last column); a
   * string of digits that is not a header name is taken as an index.
   * Default: the last column. `null`: no label column (for prediction inputs); every row then gets label 0.
   */
  label?: string | number | null;
  /** Whether the first row is a header. Default: detected (a first row with any non-numeric field is a header). */
  header?: boolean;
  /** The name used in messages (a file name). Default 'csv'. */
  source?: string;
  /**
   * Class names to map label values onto (from a trained model), so that a label gets the same index it had in
   * training. Without it: integer labels 0, 1, 2, … are used as they are; otherwise the distinct values, sorted.
   */
  classNames?: readonly string[];
}

/** A parsed table plus where each row came from, for messages. */
interface Table {
  header: string[] | null;
  rows: string[][];
  lines: number[];
}

/** Splits one line into fields; double quotes may enclose a field, and "" inside quotes is a quote. */
function splitLine(line: string, source: string, lineNo: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) throw new DataError(`${source} line ${lineNo}: a quoted field is not closed`);
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      while (i < line.length && line[i] !== ',') field += line[i++];
    } else {
      while (i < line.length && line[i] !== ',') field += line[i++];
    }
    fields.push(field.trim());
    if (i >= line.length) return fields;
    i++; // the comma
  }
}

function isNumber(field: string): boolean {
  return field !== '' && Number.isFinite(Number(field));
}

function parseTable(text: string, source: string, header: boolean | undefined): Table {
  // A byte-order mark (spreadsheets write one) would make the first field non-numeric, so the first row a header.
  const rawLines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r?\n/);
  const rows: string[][] = [];
  const lines: number[] = [];
  for (let i = 0; i < rawLines.length; i++) {
    if (rawLines[i].trim() === '') continue;
    rows.push(splitLine(rawLines[i], source, i + 1));
    lines.push(i + 1);
  }
  if (rows.length === 0) throw new DataError(`${source}: the file has no rows`);
  const hasHeader = header ?? rows[0].some((f) => !isNumber(f));
  const width = rows[0].length;
  for (let r = 1; r < rows.length; r++) {
    if (rows[r].length !== width) {
      throw new DataError(`${source} line ${lines[r]}: expected ${width} fields like line ${lines[0]}, found ${rows[r].length}`);
    }
  }
  if (!hasHeader) return { header: null, rows, lines };
  if (rows.length === 1) throw new DataError(`${source}: the file has a header but no data rows`);
  return { header: rows[0], rows: rows.slice(1), lines: lines.slice(1) };
}

function labelIndex(table: Table, label: string | number, source: string): number {
  const width = table.rows[0].length;
  if (typeof label === 'number') {
    if (!Number.isInteger(label) || label >= width || label < -width) {
      throw new DataError(`${source}: label column ${label} is out of range; the file has ${width} columns (0..${width - 1}, or −1 for the last)`);
    }
    return label < 0 ? width + label : label;
  }
  if (/^-?\d+$/.test(label) && !(table.header ?? []).includes(label)) return labelIndex(table, Number(label), source);
  if (table.header === null) {
    throw new DataError(`${source}: label column '${label}' was given by name but the file has no header row; give its index instead`);
  }
  const at = table.header.indexOf(label);
  if (at < 0) throw new DataError(`${source}: no column named '${label}'; the columns are ${table.header.join(', ')}`);
  return at;
}

/**
 * Class indices for the label fields: by the given names, else integers as they are, else sorted distinct values.
 * All numbers but not all whole ones: the column is a measurement, not a class (a feature taken for the label).
 */
function labelsOf(values: string[], lines: number[], source: string, column: string, given?: readonly string[]): { y: Float32Array; names: string[] } {
  const y = new Float32Array(values.length);
  if (given !== undefined) {
    const index = new Map(given.map((name, i) => [name, i]));
    values.forEach((v, r) => {
      const at = index.get(v) ?? (isNumber(v) ? index.get(String(Number(v))) : undefined);
      if (at === undefined) throw new DataError(`${source} line ${lines[r]}: label '${v}' is not one of the model's classes (${given.join(', ')})`);
      y[r] = at;
    });
    return { y, names: [...given] };
  }
  if (values.every((v) => isNumber(v) && Number.isInteger(Number(v)) && Number(v) >= 0)) {
    let max = 0;
    values.forEach((v, r) => {
      y[r] = Number(v);
      max = Math.max(max, y[r]);
    });
    return { y, names: indexNames(max + 1) };
  }
  if (values.every(isNumber)) {
    const r = values.findIndex((v) => !Number.isInteger(Number(v)));
    if (r >= 0) {
      throw new DataError(
        `${source} line ${lines[r]}: label ${values[r]} of column ${column} is not a whole number: class labels are whole ` +
          'numbers or names; if this column is a feature, choose the label column (--label)',
      );
    }
  }
  const names = [...new Set(values)].sort();
  const index = new Map(names.map((name, i) => [name, i]));
  values.forEach((v, r) => (y[r] = index.get(v)!));
  return { y, names };
}

/** Parses CSV text into a Dataset. Errors name the source, the line and the column. */
export function parseCsv(text: string, options: CsvOptions = {}): Dataset {
  const source = options.source ?? 'csv';
  const table = parseTable(text, source, options.header);
  const width = table.rows[0].length;
  const labelCol = options.label === null ? -1 : labelIndex(table, options.label ?? -1, source);
  const featureCols: number[] = [];
  for (let c = 0; c < width; c++) if (c !== labelCol) featureCols.push(c);
  if (featureCols.length === 0) throw new DataError(`${source}: no feature columns besides the label column`);
  const n = table.rows.length;
  const d = featureCols.length;
  const x = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    const row = table.rows[r];
    for (let j = 0; j < d; j++) {
      const field = row[featureCols[j]];
      const value = Number(field);
      if (!isNumber(field)) {
        const column = table.header ? `'${table.header[featureCols[j]]}'` : String(featureCols[j]);
        throw new DataError(`${source} line ${table.lines[r]}, column ${column}: expected a number, found '${field}'`);
      }
      x[r * d + j] = value;
    }
  }
  if (labelCol < 0) {
    const names = options.classNames ? [...options.classNames] : indexNames(1);
    return { name: source, x, y: new Float32Array(n), n, features: d, classes: names.length, classNames: names };
  }
  const { y, names } = labelsOf(
    table.rows.map((row) => row[labelCol]),
    table.lines,
    source,
    table.header ? `'${table.header[labelCol]}'` : String(labelCol),
    options.classNames,
  );
  return { name: source, x, y, n, features: d, classes: names.length, classNames: names };
}
