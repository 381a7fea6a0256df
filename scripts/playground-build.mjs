// Builds the playground (playground/) with Vite into a folder of static files: the page, its module worker, and
// wasmgrad's two .wasm builds as assets (found through `new URL(..., import.meta.url)` in src/wasm-files.ts).
// Used by `npm run playground` and by the browser tests.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT_DIR = join(ROOT, 'playground', 'dist');

/**
 * @param {{ outDir?: string, logger?: import('vite').Logger }} [options]
 * @returns {Promise<string>} the folder written
 */
export async function buildPlayground({ outDir = DEFAULT_OUT_DIR, logger } = {}) {
  await build({
    configFile: false,
    root: join(ROOT, 'playground'),
    // Relative asset URLs: the folder can be served from any path.
    base: './',
    logLevel: 'warn',
    ...(logger === undefined ? {} : { customLogger: logger }),
    build: { outDir, emptyOutDir: true },
    worker: { format: 'es' },
  });
  return outDir;
}
