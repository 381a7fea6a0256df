import { fileURLToPath } from 'node:url';

/** Where each test file leaves its largest errors for the end-of-run table. */
export const ERRORS_DIR = fileURLToPath(new URL('../../build/test-errors/', import.meta.url));
