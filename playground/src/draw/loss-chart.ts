// The training and test loss per epoch as two lines, rescaled to the largest loss seen.
export interface LossHistory {
  train: number[];
  test: number[];
}

export function drawLossChart(canvas: HTMLCanvasElement, history: LossHistory): void {
  const ctx = canvas.getContext('2d')!;
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  const n = history.train.length;
  if (n < 2) return;
  let top = 1e-9;
  for (const v of [...history.train, ...history.test]) if (Number.isFinite(v) && v > top) top = v;
  const line = (values: number[], colour: string): void => {
    ctx.beginPath();
    values.forEach((v, i) => {
      const x = (i / (n - 1)) * (width - 2) + 1;
      const y = height - 1 - (Math.min(v, top) / top) * (height - 2);
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1.5 * (canvas.width / (canvas.clientWidth || canvas.width));
    ctx.stroke();
  };
  line(history.test, '#222');
  line(history.train, '#999');
}
