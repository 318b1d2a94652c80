import { configDefaults, defineConfig } from 'vitest/config';

// Every suite runs on the embedded PGlite; with DATABASE_URL set, again on PostgreSQL
// (and with REDIS_URL, the realtime suites use Redis there). The multi-node suite starts
// real `heard` processes that share one PostgreSQL and one Redis, so it runs only in the
// PostgreSQL project, and only when REDIS_URL is set.
const redisUrl = process.env.REDIS_URL;
const engines = ['pglite', ...(process.env.DATABASE_URL ? ['postgres'] : [])];
const multiNode = 'test/multi-node/**';
// The browser suites run apart: `npm run test:e2e` (vitest.e2e.config.ts).
const e2e = 'test/e2e/**';
const clientSide = ['src/web/**', 'src/widget/**', 'src/help/**'];
// Who may call which route, and what bad input gets, is decided before any SQL, and PGlite is
// PostgreSQL compiled to WebAssembly: with both engines, these two HTTP-layer suites (every
// route × every role, every field × every bad value) run once, on PostgreSQL, where they are
// quickest. Without DATABASE_URL they run on PGlite.
const httpLayer = ['src/server/core/http/authorization-matrix.test.ts', 'src/server/core/http/input-fuzz.test.ts'];

export default defineConfig({
  test: {
    // Vitest's default is one worker fewer than the CPUs: one, on CI's two. Test files spend
    // much of their time waiting on PostgreSQL, mail servers and child processes, and each
    // has its own database and ports, so they run side by side.
    maxWorkers: Number(process.env.HEARD_TEST_WORKERS ?? 3),
    projects: [
      // The browser-side suites (the app's, the widget's, the help center's) touch no database: once is enough.
      { test: { name: 'client', include: clientSide.map((d) => `${d}/*.test.ts`), pool: 'forks' } },
      ...engines.map((engine) => ({
        test: {
          name: engine,
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, e2e, ...clientSide, ...(engine === 'postgres' && redisUrl ? [] : [multiNode]), ...(engine === 'pglite' && process.env.DATABASE_URL ? httpLayer : [])],
          env: { HEARD_TEST_ENGINE: engine, ...(engine === 'postgres' && redisUrl ? { REDIS_URL: redisUrl } : {}) },
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
          // A worker runs its test files one after another in one module graph: each file
          // brings its own database, server and ports, and nothing in the server keeps state
          // in a module, so importing the whole server again for every file (seconds of CPU
          // each, most of a run's time on two cores) buys no isolation. HEARD_TEST_ISOLATE=1
          // brings the default back.
          isolate: process.env.HEARD_TEST_ISOLATE === '1',
          // Migrates one template database per engine; each test file's database is a copy of it.
          globalSetup: ['test/global-setup.ts'],
        },
      })),
    ],
  },
});
