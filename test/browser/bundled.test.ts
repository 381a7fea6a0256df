// The package through a bundler: a page that imports 'wasmgrad' is built by Vite (resolving the package to dist/, as
// the package's "exports" do for an installed copy), the .wasm files must come out as assets found through
// `new URL(..., import.meta.url)`, the Node-only file loader must not trouble the bundler, and the page must run.
// Then the same page on Vite's dev server, with wasmgrad installed as a copy in node_modules (pre-bundled by Vite).
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, createLogger, createServer } from 'vite';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../scripts/static-server.mjs';
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

  it("runs under a strict Content-Security-Policy that allows only the site's own scripts and WASM", async () => {
    const strict = await startStaticServer({
      root: outDir,
      headers: { 'content-security-policy': "script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'" },
    });
    try {
      const { page, errors } = await browser.open(strict.url);
      await page.waitForFunction(() => 'bundledResult' in window, null, { timeout: 20_000 });
      const result = await page.evaluate(() => (window as unknown as { bundledResult: unknown }).bundledResult);
      expect(result).toEqual({ name: 'wasm', build: 'relaxed-simd', c: [4, 5, 10, 11], xorBelow: true });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await strict.close();
    }
  });

  it("runs on Vite's dev server with wasmgrad installed in node_modules and pre-bundled", async () => {
    const app = await mkdtemp(join(tmpdir(), 'wasmgrad-vite-dev-'));
    const dev = await (async () => {
      // An application folder as `npm install wasmgrad` leaves it: the package's files and its one dependency.
      const pkg = join(app, 'node_modules', 'wasmgrad');
      await mkdir(pkg, { recursive: true });
      for (const entry of ['package.json', 'dist', 'build']) await cp(join(ROOT, entry), join(pkg, entry), { recursive: true });
      await cp(join(ROOT, 'node_modules/@assemblyscript/loader'), join(app, 'node_modules/@assemblyscript/loader'), {
        recursive: true,
      });
      for (const file of ['index.html', 'main.js']) await cp(join(FIXTURE, file), join(app, file));
      await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
      const server = await createServer({
        configFile: false,
        root: app,
        logLevel: 'silent',
        cacheDir: join(app, '.vite'),
        server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
        // The risky path: wasmgrad pre-bundled into .vite/deps, away from its build/ folder (the only setting here).
        optimizeDeps: { include: ['wasmgrad'] },
      });
      await server.listen();
      return server;
    })();
    try {
      const { page, errors } = await browser.open(dev.resolvedUrls!.local[0]!);
      await page.waitForFunction(() => 'bundledResult' in window, null, { timeout: 30_000 });
      const result = await page.evaluate(() => (window as unknown as { bundledResult: unknown }).bundledResult);
      expect(result).toEqual({ name: 'wasm', build: 'relaxed-simd', c: [4, 5, 10, 11], xorBelow: true });
      expect(errors).toEqual([]);
      await page.close();
    } finally {
      await dev.close();
      await rm(app, { recursive: true, force: true });
    }
  });
});
