// Printing a suite's results as a Markdown table: the median rate per variant and the ratio to the reference.
import type { CaseReport, SuiteReport } from './report.js';
import type { VariantName } from './types.js';

const LABEL: Record<VariantName, string> = {
  ref: 'reference',
  'wasm-simd': 'WASM SIMD',
  'wasm-relaxed': 'WASM relaxed',
};

/** 3 significant digits, no exponent for the magnitudes a rate has. */
export function formatRate(x: number): string {
  if (x >= 100) return x.toFixed(0);
  if (x >= 10) return x.toFixed(1);
  if (x >= 1) return x.toFixed(2);
  return x.toPrecision(3);
}

function cell(c: CaseReport, v: VariantName): string {
  const r = c.variants[v];
  if (r === undefined) return '';
  if ('skipped' in r) return '—';
  if ('error' in r) return 'error';
  return formatRate(r.rate);
}

function ratio(c: CaseReport, v: VariantName): string {
  const r = c.variants[v];
  const ref = c.variants.ref;
  if (r === undefined || ref === undefined || !('rate' in r) || !('rate' in ref)) return '';
  return `${formatRate(r.rate / ref.rate)}×`;
}

export function formatSuite(suite: SuiteReport, variants: readonly VariantName[]): string {
  const wasm = variants.filter((v) => v !== 'ref');
  const header = [
    'case',
    ...variants.map((v) => `${LABEL[v]} (${suite.unit})`),
    ...(variants.includes('ref') ? wasm.map((v) => `${LABEL[v]} ÷ ref`) : []),
  ];
  const rows = suite.cases.map((c) => [
    c.name,
    ...variants.map((v) => cell(c, v)),
    ...(variants.includes('ref') ? wasm.map((v) => ratio(c, v)) : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((s, i) => (i === 0 ? s.padEnd(widths[i]!) : s.padStart(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|`;
  const errors = suite.cases.flatMap((c) =>
    Object.entries(c.variants).flatMap(([v, r]) => (r && 'error' in r ? [`  ${c.name} on ${v}: ${r.error}`] : [])),
  );
  return [
    `${suite.title}: median ${suite.unit}, higher is better`,
    '',
    line(header),
    rule,
    ...rows.map(line),
    ...(errors.length ? ['', 'errors:', ...errors] : []),
  ].join('\n');
}
