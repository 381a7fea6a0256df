// Types of playground-build.mjs, for the TypeScript tests that build the playground.
import type { Logger } from 'vite';

export const ROOT: string;
export const DEFAULT_OUT_DIR: string;
export function buildPlayground(options?: { outDir?: string; logger?: Logger }): Promise<string>;
