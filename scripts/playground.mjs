// `npm run playground`: builds the playground and serves it on http://127.0.0.1:PORT/ (default 8080, or the next free
// port), printing the URL. Options: --port N, --no-build (serve the last build).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildPlayground, DEFAULT_OUT_DIR, ROOT } from './playground-build.mjs';
import { startStaticServer } from './static-server.mjs';

const args = process.argv.slice(2);
const usage = 'usage: npm run playground [-- --port N] [-- --no-build]';
let port = Number(process.env.PORT ?? 8080);
let rebuild = true;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--port' && i + 1 < args.length) port = Number(args[++i]);
  else if (args[i] === '--no-build') rebuild = false;
  else {
    console.error(`playground: unknown argument ${args[i]}\n${usage}`);
    process.exit(2);
  }
}
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`playground: --port must be an integer in 0..65535, got ${port}\n${usage}`);
  process.exit(2);
}
for (const wasm of ['wasmgrad.simd.wasm', 'wasmgrad.relaxed.wasm']) {
  if (!existsSync(join(ROOT, 'build', wasm))) {
    console.error(`playground: build/${wasm} is missing; run \`npm run build:wasm\` (npm install does it) first`);
    process.exit(1);
  }
}

if (rebuild) {
  console.log('building the playground…');
  await buildPlayground();
} else if (!existsSync(join(DEFAULT_OUT_DIR, 'index.html'))) {
  console.error('playground: no build to serve; run without --no-build');
  process.exit(1);
}

let server;
for (let attempt = 0; ; attempt++) {
  try {
    server = await startStaticServer({ root: DEFAULT_OUT_DIR, port: port === 0 ? 0 : port + attempt });
    break;
  } catch (error) {
    if (error.code !== 'EADDRINUSE' || port === 0 || attempt >= 20) throw error;
  }
}
console.log(`wasmgrad playground: ${server.url}  (Ctrl+C to stop)`);
const stop = () => server.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
