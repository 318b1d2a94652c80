import { defineConfig } from 'vitest/config';

// End-to-end tests (`npm run test:e2e`): a real `heard start` and Debian's Chromium through
// playwright-core (test/e2e/harness.ts). On PostgreSQL when DATABASE_URL is set, else PGlite.
// Two files run side by side, each with its own Heard, database, ports and browser: most of
// a file's time is spent waiting for a page or a delivery, not computing.
export default defineConfig({
  test: {
    name: 'e2e',
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: Number(process.env.HEARD_TEST_WORKERS ?? 2),
    globalSetup: ['test/e2e/global-setup.ts'],
    // What a person sees can take a moment (a delivery, a realtime event): poll for it, never sleep.
    expect: { poll: { timeout: 10_000, interval: 50 } },
  },
});
