// The static server behind the playground and the browser tests: the MIME types browsers insist on, nothing outside
// the served folder, clear answers for what it does not serve.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer, type StaticServer } from '../../scripts/static-server.mjs';

/** A raw request, so that the path reaches the server exactly as written (fetch would normalise ".."). */
function raw(server: StaticServer, method: string, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type'] ?? ''), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('static server', () => {
  let parent: string;
  let server: StaticServer;

  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'wasmgrad-static-'));
    const root = join(parent, 'site');
    await mkdir(join(root, 'sub'), { recursive: true });
    await writeFile(join(parent, 'secret.txt'), 'TOP SECRET: not to be served');
    await writeFile(join(root, 'index.html'), '<!doctype html><title>home</title>');
    await writeFile(join(root, 'sub', 'index.html'), '<!doctype html><title>sub</title>');
    await writeFile(join(root, 'app.js'), 'export const x = 1;');
    await writeFile(join(root, 'kernel.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    server = await startStaticServer({ root, headers: { 'x-test': 'yes' } });
  });

  afterAll(async () => {
    await server?.close();
    await rm(parent, { recursive: true, force: true });
  });

  it('listens on 127.0.0.1 and serves files with their MIME types and the extra headers', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
    const wasm = await fetch(`${server.url}kernel.wasm`);
    expect(wasm.status).toBe(200);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(wasm.headers.get('x-test')).toBe('yes');
    expect(wasm.headers.get('cache-control')).toBe('no-store');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    const js = await fetch(`${server.url}app.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('export const x = 1;');
  });

  it('serves index.html for a folder, and a query string does not matter', async () => {
    expect(await (await fetch(server.url)).text()).toContain('<title>home</title>');
    expect(await (await fetch(`${server.url}sub/?a=1`)).text()).toContain('<title>sub</title>');
  });

  it('answers 404 naming the path, never serves outside the folder, 405 for other methods, HEAD without a body', async () => {
    const missing = await raw(server, 'GET', '/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('/nope.js');
    // Dot segments are resolved by URL parsing before the file system is asked (so these stay inside: 404); an encoded
    // slash survives parsing and is caught by the folder check (403). None of them reads the file outside.
    for (const [path, status] of [
      ['/../secret.txt', 404],
      ['/%2e%2e/secret.txt', 404],
      ['/sub/../../secret.txt', 404],
      ['/..%2fsecret.txt', 403],
      ['/sub/..%2f..%2fsecret.txt', 403],
    ] as const) {
      const outside = await raw(server, 'GET', path);
      expect(outside.status, path).toBe(status);
      expect(outside.body, path).not.toContain('TOP SECRET: not to be served');
    }
    expect((await raw(server, 'POST', '/app.js')).status).toBe(405);
    const head = await raw(server, 'HEAD', '/app.js');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });
});
