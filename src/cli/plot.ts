// --plot: train and validation loss and accuracy per epoch as a standalone SVG (two panels side by side).

export interface EpochPoint {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss?: number;
  val_accuracy?: number;
}

const W = 360;
const H = 240;
const PAD = { left: 52, right: 14, top: 30, bottom: 38 };
const COLORS = { train: '#1f77b4', val: '#ff7f0e' };

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** 'nice' tick values covering [lo, hi]. */
function ticks(lo: number, hi: number, count = 5): number[] {
  if (hi <= lo) hi = lo + 1;
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9 * step; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function panel(x0: number, title: string, series: { name: string; color: string; ys: (number | undefined)[] }[], epochs: number[], asPercent: boolean): string {
  const values = series.flatMap((s) => s.ys.filter((v): v is number => v !== undefined && Number.isFinite(v)));
  let lo = Math.min(...values);
  let hi = Math.max(...values);
  if (asPercent) hi = Math.min(1, hi);
  const span = hi - lo || Math.abs(hi) || 1;
  lo = asPercent ? Math.max(0, lo - 0.05 * span) : Math.max(0, lo - 0.05 * span);
  hi = hi + 0.05 * span;
  const e0 = epochs[0]!;
  const e1 = Math.max(epochs[epochs.length - 1]!, e0 + 1);
  const px = (e: number) => x0 + PAD.left + ((e - e0) / (e1 - e0)) * (W - PAD.left - PAD.right);
  const py = (v: number) => PAD.top + (1 - (v - lo) / (hi - lo)) * (H - PAD.top - PAD.bottom);
  const parts: string[] = [];
  parts.push(`<text x="${x0 + W / 2}" y="18" text-anchor="middle" font-size="13" font-weight="bold">${esc(title)}</text>`);
  for (const t of ticks(lo, hi)) {
    const y = py(t).toFixed(1);
    parts.push(`<line x1="${x0 + PAD.left}" x2="${x0 + W - PAD.right}" y1="${y}" y2="${y}" stroke="#e5e5e5"/>`);
    const label = asPercent ? `${(100 * t).toFixed(t * 100 < 10 ? 1 : 0)}%` : String(t);
    parts.push(`<text x="${x0 + PAD.left - 6}" y="${y}" dy="4" text-anchor="end" font-size="11">${label}</text>`);
  }
  for (const t of ticks(e0, e1, 6).filter((t) => Number.isInteger(t))) {
    parts.push(`<text x="${px(t).toFixed(1)}" y="${H - PAD.bottom + 16}" text-anchor="middle" font-size="11">${t}</text>`);
  }
  parts.push(`<text x="${x0 + PAD.left + (W - PAD.left - PAD.right) / 2}" y="${H - 6}" text-anchor="middle" font-size="11">epoch</text>`);
  parts.push(`<rect x="${x0 + PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}" fill="none" stroke="#999"/>`);
  series.forEach((s, k) => {
    const pts = epochs
      .map((e, i) => [e, s.ys[i]] as const)
      .filter((p): p is readonly [number, number] => p[1] !== undefined && Number.isFinite(p[1]))
      .map(([e, v]) => `${px(e).toFixed(1)},${py(v).toFixed(1)}`);
    if (pts.length === 0) return;
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.join(' ')}"/>`);
    if (pts.length === 1) parts.push(`<circle cx="${pts[0]!.split(',')[0]}" cy="${pts[0]!.split(',')[1]}" r="3" fill="${s.color}"/>`);
    // The legend goes where the curves usually are not: top right for a falling loss, bottom right for accuracy.
    const ly = asPercent ? H - PAD.bottom - 8 - 14 * (series.length - 1 - k) : PAD.top + 12 + 14 * k;
    const lx = x0 + W - PAD.right - 90;
    parts.push(`<line x1="${lx}" x2="${lx + 16}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"/>`);
    parts.push(`<text x="${lx + 20}" y="${ly}" font-size="11">${esc(s.name)}</text>`);
  });
  return parts.join('\n');
}

/** The SVG document. */
export function lossChart(records: readonly EpochPoint[], title: string): string {
  const epochs = records.map((r) => r.epoch);
  const hasVal = records.some((r) => r.val_loss !== undefined);
  const lossSeries = [{ name: 'train', color: COLORS.train, ys: records.map((r) => r.loss) }];
  const accSeries = [{ name: 'train', color: COLORS.train, ys: records.map((r) => r.accuracy) }];
  if (hasVal) {
    lossSeries.push({ name: 'validation', color: COLORS.val, ys: records.map((r) => r.val_loss) as number[] });
    accSeries.push({ name: 'validation', color: COLORS.val, ys: records.map((r) => r.val_accuracy) as number[] });
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${H + 20}" viewBox="0 0 ${2 * W} ${H + 20}" font-family="sans-serif">`,
    `<title>${esc(title)}</title>`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<g transform="translate(0,20)">`,
    panel(0, 'loss', lossSeries, epochs, false),
    panel(W, 'accuracy', accSeries, epochs, true),
    `</g>`,
    `<text x="${W}" y="16" text-anchor="middle" font-size="12" fill="#555">${esc(title)}</text>`,
    `</svg>`,
    '',
  ].join('\n');
}
