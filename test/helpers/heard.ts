import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { loadConfig } from '../../src/server/config.js';
import { buildHeard, type Heard, type HeardOptions } from '../../src/server/app.js';
import { ACTOR_SYSTEM, readEvent } from '../../src/server/core/events/types.js';
import { events } from '../../src/server/db/schema/index.js';
import { createTestDatabase, engine, type TestDatabase } from './database.js';

export interface TestHeard extends Heard {
  testDb: TestDatabase;
  stop(): Promise<void>;
}

/** A whole Heard on a fresh database, with fast polling and retries, driven through app.inject(). */
export async function startTestHeard(env: Record<string, string> = {}, opts: Partial<HeardOptions> = {}): Promise<TestHeard> {
  const testDb = await createTestDatabase();
  // Stored files (avatars, attachments) go to a folder of this test's own, never the checkout's ./data.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heard-test-'));
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    HEARD_DATA_DIR: dataDir,
    HEARD_ALLOW_PRIVATE_WEBHOOKS: '1',
    HEARD_LOGIN_RATE_LIMIT: '1000',
    HEARD_API_RATE_LIMIT: '100000',
    // No IMAP polling timer unless a test asks: tests poll when they mean to.
    HEARD_IMAP_POLL_SECONDS: '0',
    // On PostgreSQL with Redis at hand (vitest.config.ts), realtime fans out through Redis as on a cluster.
    ...(engine === 'postgres' && process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...env,
  });
  // No SMTP listener unless a test asks for one (smtpPort: 0 picks a free port): test files run side by side.
  const heard = await buildHeard({ config, database: testDb.database, pollMs: 100, jobPollingSeconds: 0.5, retryBaseMs: 200, smtpPort: false, ...opts });
  await heard.start();
  return {
    ...heard,
    testDb,
    async stop() {
      // Every event the suite's work recorded fits its kind's schema (core/events/types.ts).
      const recorded = await heard.ctx.db.select({ type: events.type, data: events.data, actorSystem: events.actorSystem }).from(events);
      const misfits = recorded.filter((e) => !readEvent(e) || (e.actorSystem !== null && !ACTOR_SYSTEM.safeParse(e.actorSystem).success));
      await heard.close();
      await testDb.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (misfits.length) throw new Error(`events that fit no schema: ${JSON.stringify(misfits.slice(0, 5))}`);
    },
  };
}

/** Parses a light-my-request response as JSON (problem+json included). */
export const json = <T = Record<string, any>>(res: LightMyRequestResponse): T => JSON.parse(res.body) as T;
