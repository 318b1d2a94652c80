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
});
