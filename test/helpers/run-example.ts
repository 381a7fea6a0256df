// Runs a documentation example as written, with its `import { … } from 'wasmgrad'` bound to the package's entry point,
// and returns the arguments of each console.log call it made.
import { expect } from 'vitest';
import * as wasmgrad from '../../src/index.js';

/** Every ```js block of a Markdown text, in order. */
export function jsExamples(markdown: string): string[] {
  return [...markdown.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

export async function runExample(code: string): Promise<unknown[][]> {
  const body = code.replace(/import\s*\{([^}]*)\}\s*from\s*'wasmgrad';/g, 'const {$1} = wasmgrad;');
  expect(body).not.toMatch(/^\s*import /m);
  const logged: unknown[][] = [];
  const console = { log: (...args: unknown[]) => void logged.push(args) };
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
    ...args: string[]
  ) => (...a: unknown[]) => Promise<void>;
  await new AsyncFunction('wasmgrad', 'console', body)(wasmgrad, console);
  return logged;
}
