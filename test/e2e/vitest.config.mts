import { defineConfig } from 'vitest/config';

/** The Playground e2e: a real browser, a real bot, a simulated tenant. Not part of `vitest run`. */
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
