// Reading a CSV file from disk (Node only). The parsing itself is in csv.ts.
import { readFileSync } from 'node:fs';
import { type CsvOptions, parseCsv } from './csv.js';
import { type Dataset, DataError } from './dataset.js';

/** Reads and parses a CSV file; a missing or unreadable file is a DataError naming the path. */
export function readCsvFile(path: string, options: Omit<CsvOptions, 'source'> = {}): Dataset {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : String((err as Error).message);
    throw new DataError(`cannot read CSV file '${path}': ${why}`);
  }
  return parseCsv(text, { ...options, source: path });
}
