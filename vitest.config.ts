import { defineConfig } from 'vitest/config';

// Every suite runs on the embedded PGlite; with DATABASE_URL set, again on PostgreSQL
// (and with REDIS_URL, the realtime suites use Redis).
const engines = ['pglite', ...(process.env.DATABASE_URL ? ['postgres'] : [])];

export default defineConfig({
  test: {
    projects: engines.map((engine) => ({
      test: {
        name: engine,
        include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
        env: { HEARD_TEST_ENGINE: engine },
        testTimeout: 30_000,
        hookTimeout: 60_000,
        pool: 'forks',
      },
    })),
  },
});
