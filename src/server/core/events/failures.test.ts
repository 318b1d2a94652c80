import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventFailures, events } from '../../db/schema/index.js';
import { buildMember, signIn, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { Dispatcher, MAX_ATTEMPTS, type Processor } from './dispatcher.js';
import { recordEvent } from './record-event.js';

describe('event delivery per processor', () => {
  let h: TestHeard;
  let owner: Client;
  let agent: Client;

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'Deliveries Co' });
    agent = await buildMember(h.ctx, { workspace: 'Deliveries Co', role: 'agent' });
    // The processors under test run in dispatchers of the test's own.
    await h.dispatcher.stop();
  });
  afterAll(() => h.stop());

  /** A processor of contact.updated events that fails while `failing` says so, counting its calls per event. */
  const counting = (name: string, failing: (e: { data: Record<string, unknown> }, call: number) => boolean) => {
    const calls = new Map<string, number>();
    const p: Processor = {
      name,
      handles: (e) => e.type === 'contact.updated',
      async process(e) {
        const n = (calls.get(e.id) ?? 0) + 1;
        calls.set(e.id, n);
        if (failing(e, n)) throw new Error(`${name} could not (call ${n})`);
      },
    };
    return { p, calls };
  };
  const event = (contactId: string) => recordEvent(h.ctx.db, { workspaceId: owner.workspaceId, type: 'contact.updated', data: { contactId } });
  const failuresOf = (eventId: string) => h.ctx.db.select().from(eventFailures).where(eq(eventFailures.eventId, eventId));
  async function runUntil(d: Dispatcher, done: () => Promise<boolean>) {
    for (let i = 0; i < 200 && !(await done()); i++) {
      await d.flush();
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('retries only the processor that failed, until it succeeds, and runs the others once', async () => {
    const steady = counting('steady', () => false);
    const flaky = counting('flaky', (_e, call) => call <= 2);
    const e = await event('flaky-1');
    const d = new Dispatcher(h.ctx.database, [steady.p, flaky.p], h.app.log, 1000, 60, 300);
    d.start();
    await d.flush();
    const [row] = await h.ctx.db.select().from(events).where(eq(events.id, e.id));
    expect(row.dispatchedAt).not.toBeNull();
    expect(await failuresOf(e.id)).toMatchObject([{ processor: 'flaky', attempts: 1, lastError: 'flaky could not (call 1)', deadAt: null }]);

    await runUntil(d, async () => (await failuresOf(e.id)).length === 0);
    await d.stop();
    expect(flaky.calls.get(e.id)).toBe(3);
    expect(steady.calls.get(e.id)).toBe(1);
  });

  it('gives up after the last attempt and shows the dead event to admins, who can retry it', async () => {
    let broken = true;
    const stubborn = counting('stubborn', () => broken);
    const e = await event('stubborn-1');
    const d = new Dispatcher(h.ctx.database, [stubborn.p], h.app.log, 1000, 60, 5);
    d.start();
    await runUntil(d, async () => (await failuresOf(e.id))[0]?.deadAt != null);
    expect(stubborn.calls.get(e.id)).toBe(MAX_ATTEMPTS);
    // Dead: no more automatic attempts.
    await d.flush();
    await new Promise((r) => setTimeout(r, 50));
    await d.flush();
    expect(stubborn.calls.get(e.id)).toBe(MAX_ATTEMPTS);

    const session = await signIn(h.app, owner.email);
    const list = await h.app.inject({ url: '/api/v1/event-failures?dead=true', headers: session.headers });
    expect(list.statusCode).toBe(200);
    expect(json(list).items).toContainEqual(
      expect.objectContaining({ eventId: e.id, processor: 'stubborn', eventType: 'contact.updated', attempts: MAX_ATTEMPTS, lastError: `stubborn could not (call ${MAX_ATTEMPTS})` }),
    );
    expect((await h.app.inject({ url: '/api/v1/event-failures', headers: agent.headers })).statusCode).toBe(403);
    const stranger = await buildMember(h.ctx, { workspace: 'Elsewhere Co' });
    expect(json(await h.app.inject({ url: '/api/v1/event-failures', headers: stranger.headers })).items).toEqual([]);
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/event-failures/${e.id}/stubborn/retry`, headers: stranger.headers })).statusCode).toBe(404);

    broken = false;
    const retry = await h.app.inject({ method: 'POST', url: `/api/v1/event-failures/${e.id}/stubborn/retry`, headers: session.headers });
    expect(retry.statusCode).toBe(204);
    await runUntil(d, async () => (await failuresOf(e.id)).length === 0);
    await d.stop();
    expect(stubborn.calls.get(e.id)).toBe(MAX_ATTEMPTS + 1);
  });

  it('hands a processor its events of a claim at once; when that fails, offers each alone and records only the one that fails', async () => {
    const batches: string[][] = [];
    const single = new Map<string, number>();
    const batchwise: Processor = {
      name: 'batchwise',
      handles: (e) => e.type === 'contact.updated' && String(e.data.contactId).startsWith('batch-'),
      async process(e) {
        single.set(e.id, (single.get(e.id) ?? 0) + 1);
        if (e.data.contactId === 'batch-bad') throw new Error('batch-bad cannot be processed');
      },
      async processBatch(list) {
        batches.push(list.map((e) => String(e.data.contactId)));
        if (list.some((e) => e.data.contactId === 'batch-bad')) throw new Error('one of the batch cannot be processed');
      },
    };
    const good = [await event('batch-1'), await event('batch-2'), await event('batch-3')];
    const d = new Dispatcher(h.ctx.database, [batchwise], h.app.log, 1000, 60, 300);
    d.start();
    await d.flush();
    // One claim, one call, in the order the events were recorded; process() was never needed.
    expect(batches).toEqual([['batch-1', 'batch-2', 'batch-3']]);
    expect(single.size).toBe(0);
    for (const e of good) expect(await failuresOf(e.id)).toEqual([]);

    await d.stop();
    const mixed = [await event('batch-4'), await event('batch-bad'), await event('batch-5')];
    d.start();
    await d.flush();
    await d.stop();
    expect(batches[1]).toEqual(['batch-4', 'batch-bad', 'batch-5']);
    // The batch failed: each event was offered once by itself, and only the bad one is left to retry.
    expect(mixed.map((e) => single.get(e.id))).toEqual([1, 1, 1]);
    expect(await failuresOf(mixed[0].id)).toEqual([]);
    expect(await failuresOf(mixed[1].id)).toMatchObject([{ processor: 'batchwise', attempts: 1, lastError: 'batch-bad cannot be processed' }]);
    expect(await failuresOf(mixed[2].id)).toEqual([]);
    const dispatched = await h.ctx.db.select({ id: events.id, at: events.dispatchedAt }).from(events).where(inArray(events.id, mixed.map((e) => e.id)));
    expect(dispatched.every((r) => r.at !== null)).toBe(true);
  });
});
