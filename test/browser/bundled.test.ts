// The package through a bundler: a page that imports 'wasmgrad' is built by Vite (resolving the package to dist/, as
// the package's "exports" do for an installed copy), the .wasm files must come out as assets found through
// `new URL(..., import.meta.url)`, the Node-only file loader must not trouble the bundler, and the page must run.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createLogger } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StaticServer } from '../../scripts/static-server.mjs';
import { describeInChromium, type ChromiumSession } from './helpers/chromium.js';
import { buildAndServe, type BuiltSite } from './helpers/site.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('./fixtures/bundled', import.meta.url));

describeInChromium('wasmgrad bundled by Vite (Chromium)', () => {
  const warnings: string[] = [];
  let site: BuiltSite;
  let outDir: string;
  let server: StaticServer;
  let browser: ChromiumSession;

  beforeAll(async () => {
    const logger = createLogger('warn');
    logger.warn = (message) => void warnings.push(message);
    logger.warnOnce = (message) => void warnings.push(message);
    site = await buildAndServe('vite', (dir) =>
      build({
        configFile: false,
        root: FIXTURE,
        logLevel: 'warn',
        customLogger: logger,
        resolve: { alias: [{ find: /^wasmgrad$/, replacement: join(ROOT, 'dist/index.js') }] },
        build: { outDir: dir, emptyOutDir: true },
      }),
    );
    ({ dir: outDir, server, browser } = site);
  }, 120_000);

  afterAll(async () => {
    await site?.close();
  });

  it('builds without warnings, packs no Node built-in, and emits both WASM builds as assets', async () => {
    expect(warnings).toEqual([]);
    const assets = await readdir(join(outDir, 'assets'));
    // A Node built-in that the bundler had to resolve turns into Vite's throwing stub chunk (webpack 5 refuses to build
    // at all): Node-only imports must keep their specifier in a variable, as src/backend/wasm/load.ts does.
    expect(assets.filter((f) => f.startsWith('__vite-browser-external'))).toEqual([]);
    expect(assets.filter((f) => /^wasmgrad\.simd-.*\.wasm$/.test(f))).toHaveLength(1);
    expect(assets.filter((f) => /^wasmgrad\.relaxed-.*\.wasm$/.test(f))).toHaveLength(1);
  });

  it('runs in the page: the relaxed-SIMD build, a correct product, XOR trained, no console errors', async () => {
    const { page, errors } = await browser.open(server.url);
    await page.waitForFunction(() => 'bundledResult' in window, null, { timeout: 20_000 });
    const result = await page.evaluate(() => (window as unknown as { bundledResult: unknown }).bundledResult);
    expect(result).toEqual({ name: 'wasm', build: 'relaxed-simd', c: [4, 5, 10, 11], xorBelow: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
