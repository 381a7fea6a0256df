// Compiles assembly/ twice from the same source: the plain SIMD build ("release" target) and the relaxed-SIMD build
// (fused multiply-add), into build/. src/wasm-files.ts and its compiled twin dist/wasm-files.js sit at the same depth,
// so both find them as `new URL('../build/…', import.meta.url)`.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const asc = join(dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');

for (const target of ['release', 'relaxed']) {
  execFileSync(process.execPath, [asc, '--config', 'asconfig.json', '--target', target], { cwd: root, stdio: 'inherit' });
}
