// A site built into a fresh temporary folder, served on 127.0.0.1, and a Chromium to look at it: the set-up shared
// by the browser suites that build something (the Vite-bundled page, the playground).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStaticServer, type StaticServer } from '../../../scripts/static-server.mjs';
import { startChromium, type ChromiumSession } from './chromium.js';

export interface BuiltSite {
  /** The folder the site was built into. */
  dir: string;
  server: StaticServer;
  browser: ChromiumSession;
  /** Stops the browser and the server and removes the folder. */
  close(): Promise<void>;
}

export async function buildAndServe(name: string, buildInto: (dir: string) => Promise<unknown>): Promise<BuiltSite> {
  const dir = await mkdtemp(join(tmpdir(), `wasmgrad-${name}-`));
  let server: StaticServer | null = null;
  try {
    await buildInto(dir);
    server = await startStaticServer({ root: dir });
    const browser = await startChromium();
    const running = server;
    return {
      dir,
      server,
      browser,
      async close() {
        await browser.close();
        await running.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
