import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Bundles dist/ once: the CLI tests run the built command line.
    globalSetup: ['test/cli/build.setup.ts'],
    // Fixed seeds for fast-check properties.
    setupFiles: ['test/fast-check.setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'threads',
  },
});
