import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactIdentities, contacts, conversations, events, messages } from '../../db/schema/index.js';
import { Dispatcher, type Processor } from '../../core/events/dispatcher.js';
import { recordEvent, type EventRow } from '../../core/events/record-event.js';
import { buildApiInbox, buildMember, sendInbound, type Client } from '../../../../test/factories.js';
import { startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { ingest } from './ingest.js';

describe('ingest under concurrency', () => {
  let h: TestHeard;
  let owner: Client;
  let inboxId: string;
  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx);
    inboxId = (await buildApiInbox(h.app, owner)).id;
  });
  afterAll(() => h.stop());

  const count = async (table: typeof messages | typeof contacts | typeof conversations, where: ReturnType<typeof eq>) => {
    const [{ n }] = await h.ctx.db.select({ n: sql<number>`count(*)::int` }).from(table).where(where);
    return n;
  };

  it('stores a message sent 20 times at once exactly once', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => sendInbound(h.app, owner, inboxId, { contact: { externalId: 'same-sender' }, clientMessageId: 'burst-1', text: 'once' })),
    );
    expect(new Set(results.map((r) => r.messageId)).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(await count(messages, eq(messages.externalId, 'burst-1'))).toBe(1);
  });

  it('makes one contact and one conversation of a new sender whose messages arrive together', async () => {
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => sendInbound(h.app, owner, inboxId, { contact: { externalId: 'new-sender', email: 'new@example.com' }, clientMessageId: `nb-${i}` })),
    );
    expect(new Set(results.map((r) => r.contactId)).size).toBe(1);
    expect(new Set(results.map((r) => r.conversationId)).size).toBe(1);
    const [c] = await h.ctx.db.select().from(contactIdentities).where(eq(contactIdentities.value, 'new-sender'));
    expect(await count(contacts, eq(contacts.id, c.contactId))).toBe(1);
    expect(await count(messages, eq(messages.conversationId, results[0].conversationId))).toBe(12);
  });

  it('numbers conversations without gaps or repeats when they open at once', async () => {
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => sendInbound(h.app, owner, inboxId, { contact: { externalId: `many-${i}` } })));
    const numbers = results.map((r) => r.conversationNumber).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(15);
    expect(numbers[14] - numbers[0]).toBe(14);
  });

  it('writes nothing when a message is rejected', async () => {
    const before = await count(contacts, eq(contacts.workspaceId, owner.workspaceId));
    await expect(ingest(h.ctx, { workspaceId: owner.workspaceId, inboxId, contact: { externalId: 'empty-one' }, text: '   ', externalId: 'empty-1' })).rejects.toThrow(/text/);
    expect(await count(contacts, eq(contacts.workspaceId, owner.workspaceId))).toBe(before);
  });
});

describe('the outbox dispatcher', () => {
  let h: TestHeard;
  let owner: Client;
  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx);
  });
  afterAll(() => h.stop());

  function collector() {
    const seen: EventRow[] = [];
    const p: Processor = { name: 'test', handles: (e) => e.type === 'contact.updated', process: async (e) => void seen.push(e) };
    return { seen, p };
  }

  it('takes over events claimed by a node that died, and leaves live claims alone', async () => {
    await h.dispatcher.stop();
    const dead = await recordEvent(h.ctx.db, { workspaceId: owner.workspaceId, type: 'contact.updated', data: { contactId: 'dead' } });
    const live = await recordEvent(h.ctx.db, { workspaceId: owner.workspaceId, type: 'contact.updated', data: { contactId: 'live' } });
    await h.ctx.db.update(events).set({ claimedAt: sql`now() - interval '2 minutes'` }).where(eq(events.id, dead.id));
    await h.ctx.db.update(events).set({ claimedAt: sql`now()` }).where(eq(events.id, live.id));
    const { seen, p } = collector();
    const d = new Dispatcher(h.ctx.database, [p], h.app.log, 50, 60);
    d.start();
    await d.flush();
    await d.stop();
    expect(seen.map((e) => e.data.contactId)).toEqual(['dead']);
    const [row] = await h.ctx.db.select().from(events).where(eq(events.id, dead.id));
    expect(row.dispatchedAt).not.toBeNull();
  });

  it('delivers each committed event once across two dispatchers, in order, and never a rolled-back one', async () => {
    await h.ctx.db.update(events).set({ dispatchedAt: sql`now()` }).where(sql`${events.dispatchedAt} is null`);
    await h.ctx.db
      .transaction(async (tx) => {
        await recordEvent(tx, { workspaceId: owner.workspaceId, type: 'contact.updated', data: { contactId: 'rolled back' } });
        throw new Error('abort');
      })
      .catch(() => undefined);
    for (let i = 0; i < 30; i++) await recordEvent(h.ctx.db, { workspaceId: owner.workspaceId, type: 'contact.updated', data: { contactId: String(i) } });
    const a = collector();
    const b = collector();
    const da = new Dispatcher(h.ctx.database, [a.p], h.app.log, 20);
    const db = new Dispatcher(h.ctx.database, [b.p], h.app.log, 20);
    da.start();
    db.start();
    await Promise.all([da.flush(), db.flush()]);
    await Promise.all([da.stop(), db.stop()]);
    const all = [...a.seen, ...b.seen].map((e) => Number(e.data.contactId));
    expect(all.sort((x, y) => Number(x) - Number(y))).toEqual(Array.from({ length: 30 }, (_, i) => i));
    for (const s of [a.seen, b.seen]) expect(s.map((e) => e.seq)).toEqual([...s.map((e) => e.seq)].sort((x, y) => x - y));
  });
  it('under a stream of commits, takes what came in during its pause after a pass in one claim', async () => {
    await h.dispatcher.stop();
    await h.ctx.db.update(events).set({ dispatchedAt: sql`now()` }).where(sql`${events.dispatchedAt} is null`);
    const batches: number[] = [];
    const p: Processor = {
      name: 'batches',
      handles: (e) => e.type === 'contact.updated',
      process: async () => void batches.push(1),
      processBatch: async (es) => void batches.push(es.length),
    };
    // No poll timer during the test: only the kicks after each commit, as in production.
    const d = new Dispatcher(h.ctx.database, [p], h.app.log, 600_000);
    d.start();
    await d.flush();
    // Eight commits one after another, each kicking, right after a pass: mail on several connections.
    for (let i = 0; i < 8; i++) {
      await recordEvent(h.ctx.db, { workspaceId: owner.workspaceId, type: 'contact.updated', data: { contactId: `stream-${i}` } });
      d.kick();
    }
    await d.flush();
    await d.stop();
    expect(batches.reduce((a, b) => a + b, 0)).toBe(8);
    // Without the pause, each commit's kick made a pass of its own (five passes for the eight on PostgreSQL).
    expect(batches.length).toBeLessThanOrEqual(2);
  });
});
