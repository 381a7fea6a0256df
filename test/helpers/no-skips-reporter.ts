// In CI (CI=true) a skipped or todo test fails the run: a test that did not run proves nothing.
import type { Reporter, TestModule } from 'vitest/node';

export default class NoSkipsInCi implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    if (process.env.CI !== 'true') return;
    const skipped: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'skipped' || state === 'pending') skipped.push(`${module.moduleId}: ${test.fullName}`);
      }
    }
    if (skipped.length > 0) {
      console.error(`\nCI=true: ${skipped.length} test(s) did not run, which fails the run:\n  ${skipped.join('\n  ')}\n`);
      process.exitCode = 1;
    }
  }
}
