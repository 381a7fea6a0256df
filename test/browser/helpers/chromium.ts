// Headless Chromium for the browser tests: Debian's `chromium` package driven by playwright-core through its
// executablePath (playwright never downloads a browser here). Where Chromium is missing the suites are skipped with
// the install command, except in CI (CI=true), where a missing browser fails the run.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { describe } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const INSTALL_HINT = 'apt-get update && apt-get install -y chromium';
const IN_CI = process.env.CI === 'true';

/** Flags for a headless Chromium on a machine without a GPU and without outside network. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `describe`, or, where Chromium is missing outside CI, a skipped describe that says how to install it. */
export function describeInChromium(title: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH) || IN_CI) {
    describe(title, body);
    return;
  }
  console.warn(
    `[browser tests] skipping "${title}": no Chromium at ${CHROMIUM_PATH}. ` +
      `Install Debian's chromium (${INSTALL_HINT}) or set CHROMIUM_PATH; in CI (CI=true) a missing browser fails.`,
  );
  describe.skip(`${title} (skipped: no Chromium at ${CHROMIUM_PATH}; ${INSTALL_HINT})`, body);
}

/** A page that records console errors and uncaught exceptions. */
export interface WatchedPage {
  page: Page;
  /** Console messages of type 'error' and uncaught page errors, in order. */
  errors: string[];
}

export interface ChromiumSession {
  context: BrowserContext;
  open(url: string): Promise<WatchedPage>;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh, empty profile directory (removed again by close()). */
export async function startChromium(): Promise<ChromiumSession> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}; the browser tests must run in CI (CI=true): install it with \`${INSTALL_HINT}\` ` +
        '(.ci/run does) or set CHROMIUM_PATH',
    );
  }
  const profile = await mkdtemp(join(tmpdir(), 'wasmgrad-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: FLAGS,
      viewport: { width: 1280, height: 900 },
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    async open(url: string): Promise<WatchedPage> {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
      });
      page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
      await page.goto(url);
      return { page, errors };
    },
    async close(): Promise<void> {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
