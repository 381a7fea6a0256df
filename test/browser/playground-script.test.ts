// `npm run playground` as a user runs it: the script builds the page, serves it on 127.0.0.1 and prints the URL;
// bad arguments end with the usage and exit code 2.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCRIPT = 'scripts/playground.mjs';

describe('npm run playground', () => {
  it('builds, serves the page on 127.0.0.1 and prints its URL', async () => {
    const child = spawn(process.execPath, [SCRIPT, '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`no URL printed within 60 s; output so far:\n${out}`)), 60_000);
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /wasmgrad playground: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
        child.on('exit', (code) => reject(new Error(`the script exited with ${code} before printing a URL:\n${out}`)));
      });
      const page = await fetch(url);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('<title>wasmgrad playground</title>');
      const script = /src="\.\/(assets\/index-[^"]+\.js)"/.exec(html);
      expect(script).not.toBeNull();
      const js = await fetch(new URL(script![1]!, url));
      expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    } finally {
      child.kill('SIGTERM');
    }
  }, 90_000);

  it('refuses an unknown argument or a bad port with the usage and exit code 2', () => {
    for (const args of [['--frobnicate'], ['--port', 'x'], ['--port', '70000']]) {
      const run = spawnSync(process.execPath, [SCRIPT, ...args], { cwd: ROOT, encoding: 'utf8' });
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toContain('usage: npm run playground');
    }
  });
});
