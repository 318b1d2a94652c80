import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { defineJob, Jobs } from './queue.js';

describe('the job queue', () => {
  let h: TestHeard;
  let jobs: Jobs;
  // Never run here (this Jobs does not work): the test looks at what is queued.
  const probe = defineJob({ name: 'queue-test-probe', schema: z.object({ n: z.string() }), handler: async () => async () => undefined });

  beforeAll(async () => {
    h = await startTestHeard();
    jobs = new Jobs(h.ctx.database, [probe], h.app.log);
    await jobs.start(h.ctx, { work: false });
  });
  afterAll(async () => {
    await jobs.stop();
    await h.stop();
  });

  it('adds a job once per waiting singletonKey, and every job that has no key', async () => {
    const later = new Date(Date.now() + 60_000);
    const first = await jobs.send(probe, { n: 'a' }, { singletonKey: 'same', startAfter: later });
    const again = await jobs.send(probe, { n: 'a' }, { singletonKey: 'same', startAfter: later });
    expect(first).toBeTruthy();
    expect(again).toBeNull();
    const x = await jobs.send(probe, { n: 'x' }, { startAfter: later });
    const y = await jobs.send(probe, { n: 'y' }, { startAfter: later });
    expect(x).toBeTruthy();
    expect(y).toBeTruthy();
    expect(x).not.toBe(y);
  });

  it('stops only once a job that ran is recorded as done, so the database can close after', async () => {
    const slow = defineJob({ name: 'queue-test-slow', schema: z.object({}), handler: async () => async () => undefined });
    // pg-boss records a finished job without awaiting the statement: made slow here, so a
    // stop() that did not wait for it would return with the job still active.
    const { raw } = h.ctx.database;
    let completions = 0;
    const database = {
      ...h.ctx.database,
      raw: {
        ...raw,
        query: async (text: string, values?: unknown[]) => {
          if (text.includes('SET completed_on = now()')) {
            completions++;
            await new Promise((r) => setTimeout(r, 300));
          }
          return raw.query(text, values);
        },
      },
    } as typeof h.ctx.database;
    const worker = new Jobs(database, [slow], h.app.log);
    await worker.start(h.ctx, { work: true, pollingIntervalSeconds: 0.5 });
    const id = await worker.send(slow, {});
    await expect.poll(() => completions).toBe(1);
    await worker.stop();
    const { rows } = await raw.query<{ state: string }>('select state from pgboss.job where id = $1', [id]);
    expect(rows).toEqual([{ state: 'completed' }]);
  });
});
