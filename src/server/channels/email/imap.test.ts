import { and, eq, inArray } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imapStates, mailHolds, messages } from '../../db/schema/index.js';
import type { FileStore } from '../../core/files/file-store.js';
import { buildMember, type Client } from '../../../../test/factories.js';
import { engine } from '../../../../test/helpers/database.js';
import { type Dovecot, startDovecot } from '../../../../test/helpers/dovecot.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { checkImapConnection, pollImapInbox } from './imap-poller.js';
import { closeMailParser } from './receive.js';

let n = 0;
/** A customer's message with a Message-ID of its own. */
function customerMail(subject: string) {
  const id = `imap-${Date.now().toString(36)}-${n++}@customer.example`;
  const raw = [
    'From: "Gus Gum" <gus@customer.example>',
    'To: support@imap.test',
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${id}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `${subject}: the parcel has not arrived.`,
    '',
  ].join('\r\n');
  return { id, raw };
}

describe('IMAP polling (real Dovecot)', () => {
  let h: TestHeard;
  let dovecot: Dovecot;
  let owner: Client;
  let inboxId: string;

  const settings = (over: Record<string, unknown> = {}) => ({ host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, folder: 'INBOX', afterFetch: 'seen', ...over });
  const createInbox = async (address: string, imap: Record<string, unknown>) => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: owner.headers, payload: { name: address, channel: 'email', address, imap } });
    expect(res.statusCode, res.body).toBe(201);
    return json(res).id as string;
  };
  const state = async (id = inboxId) => (await h.ctx.db.select().from(imapStates).where(eq(imapStates.inboxId, id)))[0];
  const stored = async (ids: string[], inbox = inboxId) => h.ctx.db.select().from(messages).where(and(eq(messages.inboxId, inbox), inArray(messages.externalId, ids)));
  const poll = (id = inboxId, files: FileStore = h.app.files) => pollImapInbox(h.ctx, files, id);

  beforeAll(async () => {
    dovecot = await startDovecot();
    // Polls are called by the tests here; the timer's are tested below.
    h = await startTestHeard({ HEARD_IMAP_POLL_SECONDS: '0' });
    owner = await buildMember(h.ctx, { name: 'Ann Agent' });
    inboxId = await createInbox('support@imap.test', settings());
  });
  afterAll(async () => {
    await h?.stop();
    await dovecot?.stop();
  });

  it('ingests every new message, read elsewhere or not, in UID order, and flags each \\Seen once stored', async () => {
    const mails = [customerMail('Read on the phone'), customerMail('Unread'), customerMail('Also read')];
    const uids = [await dovecot.append(mails[0].raw, { seen: true }), await dovecot.append(mails[1].raw), await dovecot.append(mails[2].raw, { seen: true })];

    const r = await poll();
    expect(r).toMatchObject({ fetched: 3, ingested: 3, duplicates: 0, held: 0 });
    expect(r.error).toBeUndefined();
    const rows = await stored(mails.map((m) => m.id));
    expect(rows.map((m) => m.externalId).sort()).toEqual(mails.map((m) => m.id).sort());
    // In UID order: the conversation's messages were created in the order the mailbox holds them.
    expect([...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id)).map((m) => m.externalId)).toEqual(mails.map((m) => m.id));
    for (const uid of uids) expect(await dovecot.flags('INBOX', uid)).toContain('\\Seen');
    expect(await state()).toMatchObject({ lastUid: uids[2], uidValidity: await dovecot.uidValidity(), lastError: null });

    // Nothing new: a second poll fetches nothing.
    expect(await poll()).toMatchObject({ fetched: 0 });
  });

  it('never flags \\Seen before the message is stored: when storing fails it stays unseen and the last UID stays put', async () => {
    const mail = customerMail('Storage is down');
    const uid = await dovecot.append(mail.raw);
    const before = await state();
    const brokenDisk: FileStore = {
      put: async () => {
        throw new Error('ENOSPC: no space left on device');
      },
      get: (sha) => h.app.files.get(sha),
    };

    const r = await poll(inboxId, brokenDisk);
    expect(r.error).toMatch(/no space left/);
    expect(await dovecot.flags('INBOX', uid)).not.toContain('\\Seen');
    expect(await stored([mail.id])).toHaveLength(0);
    const after = await state();
    expect(after.lastUid).toBe(before.lastUid);
    expect(after.lastError).toMatch(/no space left/);

    // The disk is back: the next poll takes it, once, and only then flags it.
    expect(await poll()).toMatchObject({ fetched: 1, ingested: 1 });
    expect(await dovecot.flags('INBOX', uid)).toContain('\\Seen');
    expect(await stored([mail.id])).toHaveLength(1);
    expect(await state()).toMatchObject({ lastUid: uid, lastError: null });
  });

  it('an outage: a poll while the server is down records why; after it, the mail that came meanwhile is back-filled, each message once', async () => {
    await dovecot.down();
    const r = await poll();
    expect(r.error).toMatch(/Cannot connect to 127\.0\.0\.1:\d+: the connection was refused/);
    expect((await state()).lastError).toBe(r.error);

    await dovecot.up();
    const mails = Array.from({ length: 5 }, (_, i) => customerMail(`During the outage ${i + 1}`));
    await dovecot.appendMany(mails.slice(0, 2).map((m) => m.raw), { seen: true });
    await dovecot.appendMany(mails.slice(2).map((m) => m.raw));
    expect(await poll()).toMatchObject({ fetched: 5, ingested: 5 });
    const rows = await stored(mails.map((m) => m.id));
    expect(rows).toHaveLength(5);
    expect((await state()).lastError).toBeNull();
    for (const uid of await dovecot.listUids()) expect(await dovecot.flags('INBOX', uid)).toContain('\\Seen');
  });

  it('a new UIDVALIDITY: the folder is read again from the start, and nothing is stored twice', async () => {
    const all = await h.ctx.db.select({ id: messages.id }).from(messages).where(eq(messages.inboxId, inboxId));
    const before = await state();
    await dovecot.resetUidValidity('INBOX');
    const uidValidity = await dovecot.uidValidity();
    expect(uidValidity).not.toBe(before.uidValidity);
    const count = (await dovecot.listUids()).length;

    const r = await poll();
    expect(r).toMatchObject({ fetched: count, duplicates: count, ingested: 0 });
    expect(await h.ctx.db.select({ id: messages.id }).from(messages).where(eq(messages.inboxId, inboxId))).toHaveLength(all.length);
    expect(await state()).toMatchObject({ uidValidity, lastUid: Math.max(...(await dovecot.listUids())) });
  });

  it('a connection that drops in the middle of a poll: the next poll carries on, and nothing is stored twice', async () => {
    const mails = Array.from({ length: 60 }, (_, i) => customerMail(`Dropped ${i}`));
    await dovecot.appendMany(mails.map((m) => m.raw));
    const polling = poll();
    // Let it store some, then take the server away under it.
    await expect.poll(async () => (await stored(mails.map((m) => m.id))).length, { timeout: 10_000, interval: 20 }).toBeGreaterThan(5);
    await dovecot.down();
    const first = await polling;
    await dovecot.up();
    expect(first.error).toMatch(/closed unexpectedly|Cannot connect/);
    expect(first.fetched).toBeLessThan(60);
    expect((await state()).lastError).toBe(first.error);

    const second = await poll();
    expect(second.error).toBeUndefined();
    expect(first.ingested + second.ingested).toBe(60);
    const rows = await stored(mails.map((m) => m.id));
    expect(rows).toHaveLength(60);
    for (const uid of await dovecot.listUids()) expect(await dovecot.flags('INBOX', uid)).toContain('\\Seen');
  });

  it('mail larger than HEARD_MAIL_MAX_BYTES is passed over and left unread in the mailbox; the rest comes in', async () => {
    const small = customerMail('Small');
    const big = customerMail('Big');
    const bigRaw = big.raw.replace('the parcel has not arrived.', `the parcel has not arrived.\r\n${'x'.repeat(76)}`.repeat(100));
    const bigUid = await dovecot.append(bigRaw);
    const smallUid = await dovecot.append(small.raw);
    const ctx = { ...h.ctx, config: { ...h.ctx.config, HEARD_MAIL_MAX_BYTES: 4096 } };
    try {
      expect(await pollImapInbox(ctx, h.app.files, inboxId)).toMatchObject({ tooLarge: 1, ingested: 1 });
    } finally {
      await closeMailParser(ctx);
    }
    expect(await stored([big.id])).toHaveLength(0);
    expect(await stored([small.id])).toHaveLength(1);
    expect(await dovecot.flags('INBOX', bigUid)).not.toContain('\\Seen');
    expect(await dovecot.flags('INBOX', smallUid)).toContain('\\Seen');
    expect((await state()).lastUid).toBe(smallUid);
    // An admin sees it in the quarantine: who wrote, the subject, how large, and that it is still in the mailbox.
    const held = await h.ctx.db.select().from(mailHolds).where(eq(mailHolds.inboxId, inboxId));
    const big1 = held.find((x) => x.subject === 'Big');
    expect(big1).toMatchObject({ reason: 'unparseable', source: 'imap' });
    expect(big1!.size).toBeGreaterThan(4096);
    expect(big1!.detail).toContain('still in the mailbox');
  });

  it('one poll per mailbox at a time: in this process, and across nodes (PostgreSQL advisory lock)', async () => {
    const mail = customerMail('Polled once');
    await dovecot.append(mail.raw);
    const [a, b] = await Promise.all([poll(), poll()]);
    expect([a.skipped, b.skipped].filter(Boolean)).toEqual(['a poll of this mailbox is running']);
    expect(a.fetched + b.fetched).toBe(1);

    if (engine !== 'postgres') return;
    // Another node holds the mailbox: its session lock, taken on a connection of its own.
    const other = new pg.Client({ connectionString: h.testDb.url });
    await other.connect();
    try {
      await other.query('select pg_advisory_lock(hashtext($1))', [`imap-poll:${inboxId}`]);
      const ctx = { ...h.ctx, config: { ...h.ctx.config, DATABASE_URL: h.testDb.url } };
      expect(await pollImapInbox(ctx, h.app.files, inboxId)).toMatchObject({ skipped: 'another node is polling this mailbox' });
      // That node dies: its connection goes, and the lock with it.
    } finally {
      await other.end();
    }
    const ctx = { ...h.ctx, config: { ...h.ctx.config, DATABASE_URL: h.testDb.url } };
    expect((await pollImapInbox(ctx, h.app.files, inboxId)).skipped).toBeUndefined();
  });

  it("afterFetch 'move': stored mail is moved out of the folder (the target is created when missing)", async () => {
    const moving = await createInbox('orders@imap.test', settings({ folder: 'Orders', afterFetch: 'move', moveTo: 'Orders.Done' }));
    const mails = [customerMail('Move me'), customerMail('Move me too')];
    await dovecot.appendMany(
      mails.map((m) => m.raw),
      { folder: 'Orders' },
    );
    expect(await poll(moving)).toMatchObject({ fetched: 2, ingested: 2 });
    expect(await stored(mails.map((m) => m.id), moving)).toHaveLength(2);
    expect(await dovecot.listUids('Orders')).toEqual([]);
    expect(await dovecot.listUids('Orders.Done')).toHaveLength(2);
  });

  it('checks a connection and says plainly what is wrong', async () => {
    const ok = await checkImapConnection(settings() as never, true);
    expect(ok).toMatchObject({ ok: true });
    if (ok.ok) expect(ok.folders).toEqual(expect.arrayContaining(['INBOX', 'Orders']));
    expect(await checkImapConnection(settings({ password: 'wrong' }) as never, true)).toEqual({ ok: false, error: expect.stringMatching(/refused the user name or password/) });
    expect(await checkImapConnection(settings({ folder: 'Nope' }) as never, true)).toEqual({ ok: false, error: 'The folder "Nope" was not found on the server.' });
    expect(await checkImapConnection(settings({ secure: true }) as never, true)).toEqual({ ok: false, error: expect.stringMatching(/does not speak TLS: turn TLS off for this port/) });
    const closedPort = dovecot.port === 1 ? 2 : 1;
    expect(await checkImapConnection(settings({ port: closedPort }) as never, true)).toEqual({ ok: false, error: expect.stringMatching(/^Cannot connect to 127\.0\.0\.1:\d+: the connection was refused/) });
  });

  it('polls a backlog of 100 messages in batches (throughput)', async () => {
    const backlog = await createInbox('backlog@imap.test', settings({ folder: 'Backlog' }));
    const mails = Array.from({ length: 100 }, (_, i) => customerMail(`Backlog ${i}`));
    await dovecot.appendMany(
      mails.map((m) => m.raw),
      { folder: 'Backlog' },
    );
    const t0 = performance.now();
    expect(await poll(backlog)).toMatchObject({ fetched: 100, ingested: 100 });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`IMAP poll: 100 messages in ${seconds.toFixed(2)} s = ${(100 / seconds).toFixed(0)} msgs/s`);
    expect(await stored(mails.map((m) => m.id), backlog)).toHaveLength(100);
  });
});

describe('IMAP polling on a schedule', () => {
  let h: TestHeard;
  let dovecot: Dovecot;

  beforeAll(async () => {
    dovecot = await startDovecot();
    h = await startTestHeard({ HEARD_IMAP_POLL_SECONDS: '1' });
  });
  afterAll(async () => {
    await h?.stop();
    await dovecot?.stop();
  });

  it('worker nodes poll every email inbox with IMAP settings through the poll-imap job; archived inboxes are left alone', async () => {
    const owner = await buildMember(h.ctx, { name: 'Ann Agent' });
    const imap = (folder: string) => ({ host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, folder, afterFetch: 'seen' });
    const create = async (address: string, folder: string) => {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: owner.headers, payload: { name: address, channel: 'email', address, imap: imap(folder) } });
      expect(res.statusCode, res.body).toBe(201);
      return json(res).id as string;
    };
    const live = await create('live@imap.test', 'Live');
    const archived = await create('archived@imap.test', 'Archived');
    const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${archived}`, headers: owner.headers, payload: { archived: true } });
    expect(res.statusCode, res.body).toBe(200);
    const a = customerMail('Polled by the timer');
    const b = customerMail('Not polled: the inbox is archived');
    const uid = await dovecot.append(a.raw, { folder: 'Live' });
    const uidB = await dovecot.append(b.raw, { folder: 'Archived' });

    await expect.poll(async () => (await h.ctx.db.select().from(messages).where(eq(messages.externalId, a.id))).length, { timeout: 20_000, interval: 250 }).toBe(1);
    await expect.poll(async () => dovecot.flags('Live', uid), { timeout: 5_000 }).toContain('\\Seen');
    expect((await h.ctx.db.select().from(imapStates).where(eq(imapStates.inboxId, live)))[0]).toMatchObject({ lastUid: uid, lastError: null });
    expect(await h.ctx.db.select().from(messages).where(eq(messages.externalId, b.id))).toHaveLength(0);
    expect(await dovecot.flags('Archived', uidB)).not.toContain('\\Seen');
  });
});
