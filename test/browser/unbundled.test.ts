// The package in a real browser without a bundler: a plain static server, an import map for 'wasmgrad' and
// '@assemblyscript/loader', the .wasm found next to dist/ by `new URL(..., import.meta.url)` or handed over
// explicitly, and a clear error for a wrong path. Needs `npm run build` (the pretest script runs it).
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../scripts/static-server.mjs';
import { expectClose } from '../helpers/close.js';
import { describeInChromium, startChromium, type ChromiumSession } from './helpers/chromium.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const EPS32 = 2 ** -23;

describeInChromium('wasmgrad imported unbundled through an import map (Chromium)', () => {
  let server: StaticServer;
  let browser: ChromiumSession;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    server = await startStaticServer({ root: ROOT });
    browser = await startChromium();
    ({ page, errors } = await browser.open(`${server.url}test/browser/fixtures/unbundled.html`));
    await page.waitForFunction(() => (window as { checksReady?: boolean }).checksReady === true, null, {
      timeout: 20_000,
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const check = <T>(name: string, ...args: unknown[]): Promise<T> =>
    page.evaluate(
      ([fn, rest]) => (window as unknown as { checks: Record<string, (...a: unknown[]) => T> }).checks[fn]!(...rest),
      [name, args] as [string, unknown[]],
    );

  it('loads with no console errors and picks relaxed SIMD, which this Chromium validates', async () => {
    const features = await check<{ name: string; build: string; simd: boolean; relaxed: boolean }>('features');
    expect(features.simd).toBe(true);
    expect(features.relaxed).toBe(true);
    expect(features.name).toBe('wasm');
    expect(features.build).toBe('relaxed-simd');
    expect(errors).toEqual([]);
  });

  it('computes the same gemm as the reference backend in the page', async () => {
    for (const [m, n, k] of [
      [1, 1, 1],
      [5, 7, 3],
      [33, 17, 65],
    ] as const) {
      const { wasm, ref } = await check<{ wasm: number[]; ref: number[] }>('gemmAgainstReference', m, n, k, 7 * m + k);
      // Inputs in [-1, 1): |c − ĉ| ≤ 2·k·ε·max|a|·max|b| + ε (ARCHITECTURE.md §5), with max|a|, max|b| ≤ 1.
      expectClose(new Float32Array(wasm), new Float32Array(ref), { atol: 2 * k * EPS32 + EPS32, rtol: 0 });
    }
  });

  it('takes the module explicitly as a URL, bytes, a Response or a compiled module', async () => {
    const names = await check<string[]>('sourceNames');
    expect(names.length).toBe(7);
    for (const name of names) {
      const { build, c } = await check<{ build: string; c: number[] }>('initFrom', name);
      expect(c, name).toEqual([4, 5, 10, 11]);
      expect(build, name).toBe(name === 'simd and relaxed pair' ? 'relaxed-simd' : 'simd');
    }
    expect(errors).toEqual([]);
  });

  it('trains XOR with the network API to a low loss', async () => {
    const result = await check<{ build: string; firstLoss: number; loss: number; predictions: number[] }>('trainXor');
    expect(result.build).toBe('relaxed-simd');
    expect(result.firstLoss).toBeGreaterThan(0.1);
    expect(result.loss).toBeLessThan(0.01);
    expect(result.predictions.map(Math.round)).toEqual([0, 1, 1, 0]);
    console.log(`[unbundled] XOR: mse ${result.firstLoss.toFixed(4)} → ${result.loss.toExponential(2)} after 2000 epochs`);
    expect(errors).toEqual([]);
  });

  it('a wrong path fails with an error naming the URL and the HTTP status', async () => {
    const { message } = await check<{ message: string | null }>('initFromMissing', '/build/no-such.wasm');
    expect(message).toContain(`${server.url}build/no-such.wasm`);
    expect(message).toContain('HTTP 404');
  });
});
