import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A focused test is a failure; test/helpers/no-skips-reporter.ts makes a skipped one fail in CI.
    allowOnly: false,
    setupFiles: ['test/helpers/record-errors.ts'],
    globalSetup: ['test/helpers/global-setup.ts'],
    reporters: ['default', './test/helpers/no-skips-reporter.ts'],
  },
});
