import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase, type TestDatabase } from '../../../test/helpers/database.js';
import { migrationsFolder } from './client.js';

/** The migrations up to and including `tag`, as a folder of their own: a database as an older Heard left it. */
function migrationsUpTo(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heard-migrations-'));
  fs.cpSync(migrationsFolder, dir, { recursive: true });
  const journalPath = path.join(dir, 'meta/_journal.json');
  const journal = JSON.parse(fs.readFileSync(journalPath, 'utf8')) as { entries: { tag: string; idx: number }[] };
  const last = journal.entries.find((e) => e.tag === tag);
  if (!last) throw new Error(`no migration ${tag}`);
  journal.entries = journal.entries.filter((e) => e.idx <= last.idx);
  fs.writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

describe('upgrading a database', () => {
  let db: TestDatabase;
  let older: string;
  beforeAll(async () => {
    db = await createEmptyDatabase();
    older = migrationsUpTo('0015_help_center_title_search');
  });
  afterAll(async () => {
    await db?.drop();
    fs.rmSync(older, { recursive: true, force: true });
  });

  it("keeps every article's and thread's views when they move to tables of their own (0016)", async () => {
    const { raw } = db.database;
    await db.database.migrate(older);
    const ws = crypto.randomUUID();
    const [cat, read, unread, thread] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await raw.query('insert into kb_categories (id, workspace_id, slug, name) values ($1, $2, $3, $4)', [cat, ws, 'orders', 'Orders']);
    await raw.query(
      `insert into kb_articles (id, workspace_id, category_id, slug, title, status, views) values
        ($1, $3, $4, 'read', 'Read a lot', 'published', 412), ($2, $3, null, 'unread', 'Never read', 'draft', 0)`,
      [read, unread, ws, cat],
    );
    await raw.query(`insert into community_threads (id, workspace_id, number, title, body, html, views) values ($1, $2, 1, 'Q', 'q', '<p>q</p>', 37)`, [thread, ws]);

    await db.database.migrate();
    const { rows: articles } = await raw.query('select article_id, workspace_id, status, category_id, views from kb_article_views order by views desc');
    expect(articles).toEqual([
      { article_id: read, workspace_id: ws, status: 'published', category_id: cat, views: 412 },
      { article_id: unread, workspace_id: ws, status: 'draft', category_id: null, views: 0 },
    ]);
    expect((await raw.query('select thread_id, views from community_thread_views')).rows).toEqual([{ thread_id: thread, views: 37 }]);
    // An article written after the upgrade has its row too, at 0.
    const later = crypto.randomUUID();
    await raw.query(`insert into kb_articles (id, workspace_id, slug, title, status) values ($1, $2, 'later', 'Later', 'published')`, [later, ws]);
    expect((await raw.query('select views from kb_article_views where article_id = $1', [later])).rows).toEqual([{ views: 0 }]);
  });
});

describe('upgrading a database with tokens made for others (0017)', () => {
  let db: TestDatabase;
  let older: string;
  beforeAll(async () => {
    db = await createEmptyDatabase();
    older = migrationsUpTo('0016_help_center_view_counts');
  });
  afterAll(async () => {
    await db?.drop();
    fs.rmSync(older, { recursive: true, force: true });
  });

  it('records who made each token, and revokes those an admin made as someone else', async () => {
    const { raw } = db.database;
    await db.database.migrate(older);
    const ws = crypto.randomUUID();
    await raw.query(`insert into workspaces (id, name) values ($1, 'Upgraded')`, [ws]);
    const member = async (role: string) => {
      const [user, id] = [crypto.randomUUID(), crypto.randomUUID()];
      await raw.query(`insert into users (id, email, name) values ($1, $2, 'Someone')`, [user, `${user}@example.test`]);
      await raw.query('insert into members (id, workspace_id, user_id, role) values ($1, $2, $3, $4)', [id, ws, user, role]);
      return id;
    };
    const [owner, admin, agent] = [await member('owner'), await member('admin'), await member('agent')];
    const token = async (memberId: string, madeBy: string | null) => {
      const id = crypto.randomUUID();
      await raw.query(`insert into api_tokens (id, workspace_id, member_id, name, token_hash, prefix, scopes) values ($1, $2, $3, 'old', $4, 'heard_pat_', '{read}')`, [id, ws, memberId, id]);
      if (madeBy) await raw.query(`insert into audit_log (id, workspace_id, actor_member_id, action, target_type, target_id) values ($1, $2, $3, 'token.create', 'api_token', $4)`, [crypto.randomUUID(), ws, madeBy, id]);
      return id;
    };
    const own = await token(admin, admin);
    const ownersForAgent = await token(agent, owner);
    const escalated = await token(owner, admin);
    const unknown = await token(agent, null);

    await db.database.migrate();
    const { rows } = await raw.query<{ id: string; created_by_member_id: string | null; revoked: boolean }>(
      'select id, created_by_member_id, revoked_at is not null as revoked from api_tokens',
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, { madeBy: r.created_by_member_id, revoked: r.revoked }]));
    expect(byId).toEqual({
      [own]: { madeBy: admin, revoked: false },
      [ownersForAgent]: { madeBy: owner, revoked: false },
      [escalated]: { madeBy: admin, revoked: true },
      [unknown]: { madeBy: null, revoked: false },
    });
  });
});

describe('upgrading a database whose chat widgets have hours of their own (0023)', () => {
  let db: TestDatabase;
  let older: string;
  beforeAll(async () => {
    db = await createEmptyDatabase();
    older = migrationsUpTo('0022_service-levels');
  });
  afterAll(async () => {
    await db?.drop();
    fs.rmSync(older, { recursive: true, force: true });
  });

  it("turns each widget's inline hours into a calendar named after the inbox, and leaves the rest as they were", async () => {
    const { raw } = db.database;
    await db.database.migrate(older);
    const ws = crypto.randomUUID();
    await raw.query(`insert into workspaces (id, name) values ($1, 'Upgraded')`, [ws]);
    const days = { mon: [{ from: '09:00', to: '12:00' }, { from: '13:00', to: '17:30' }], fri: [{ from: '10:00', to: '16:00' }] };
    const inbox = async (name: string, channel: string, config: Record<string, unknown>) => {
      const id = crypto.randomUUID();
      await raw.query('insert into inboxes (id, workspace_id, name, channel, config) values ($1, $2, $3, $4, $5)', [id, ws, name, channel, JSON.stringify(config)]);
      return id;
    };
    const shop = await inbox('Shop chat', 'widget', { publicKey: 'pk_shop', color: '#0f766e', businessHours: { timezone: 'Europe/Berlin', days } });
    const night = await inbox('Night desk', 'widget', { publicKey: 'pk_night', businessHours: { timezone: 'America/New_York', days: { sat: [{ from: '20:00', to: '23:00' }] } } });
    const always = await inbox('Always chat', 'widget', { publicKey: 'pk_always', businessHours: null });
    const plain = await inbox('Plain chat', 'widget', { publicKey: 'pk_plain' });
    const mail = await inbox('Mail', 'email', { address: 'help@upgraded.test' });

    await db.database.migrate();
    const { rows: calendars } = await raw.query<{ id: string; workspace_id: string; name: string; time_zone: string; hours: unknown; holidays: unknown }>(
      'select id, workspace_id, name, time_zone, hours, holidays from business_hours order by name',
    );
    expect(calendars.map(({ id: _id, ...c }) => c)).toEqual([
      { workspace_id: ws, name: 'Night desk chat hours', time_zone: 'America/New_York', hours: { sat: [{ from: '20:00', to: '23:00' }] }, holidays: [] },
      { workspace_id: ws, name: 'Shop chat chat hours', time_zone: 'Europe/Berlin', hours: days, holidays: [] },
    ]);
    // Ids like the app's own: UUIDv7.
    for (const c of calendars) expect(c.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const { rows } = await raw.query<{ id: string; config: Record<string, unknown> }>('select id, config from inboxes');
    const config = Object.fromEntries(rows.map((r) => [r.id, r.config]));
    const [nightCal, shopCal] = calendars;
    expect(config[shop]).toEqual({ publicKey: 'pk_shop', color: '#0f766e', businessHoursId: shopCal.id });
    expect(config[night]).toEqual({ publicKey: 'pk_night', businessHoursId: nightCal.id });
    expect(config[always]).toEqual({ publicKey: 'pk_always' });
    expect(config[plain]).toEqual({ publicKey: 'pk_plain' });
    expect(config[mail]).toEqual({ address: 'help@upgraded.test' });
  });
});

describe('upgrading a database with conversations', () => {
  let db: TestDatabase;
  let older: string;
  beforeAll(async () => {
    db = await createEmptyDatabase();
    older = migrationsUpTo('0034_password_resets');
  });
  afterAll(async () => {
    await db?.drop();
    fs.rmSync(older, { recursive: true, force: true });
  });

  it('fills the kept view counts from the conversations there (0038), and keeps them from then on', async () => {
    const { raw } = db.database;
    await db.database.migrate(older);
    const [ws, inbox, contact] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await raw.query(`insert into inboxes (id, workspace_id, name, channel) values ($1, $2, 'Mail', 'email')`, [inbox, ws]);
    await raw.query(`insert into contacts (id, workspace_id, name) values ($1, $2, 'Kim')`, [contact, ws]);
    await raw.query(
      `insert into conversations (id, workspace_id, number, inbox_id, contact_id, status, tags, snoozed_until, sla_due_at) values
        (gen_random_uuid(), $1, 1, $2, $3, 'open', '{vip}', null, '2026-01-01T10:20:00Z'),
        (gen_random_uuid(), $1, 2, $2, $3, 'open', '{vip,late}', now() + interval '1 day', '2026-01-01T10:40:00Z'),
        (gen_random_uuid(), $1, 3, $2, $3, 'solved', '{}', null, '2026-01-01T10:50:00Z')`,
      [ws, inbox, contact],
    );

    await db.database.migrate();
    const counts = async () =>
      (await raw.query<{ tag: string; status: string; snoozed: boolean; n: number }>(
        `select tag, status, snoozed, sum(n)::int as n from (select * from conversation_counts union all select * from conversation_count_deltas) k
          group by 1, 2, 3 having sum(n) <> 0 order by 1, 2, 3`,
      )).rows;
    expect(await counts()).toEqual([
      { tag: '', status: 'open', snoozed: false, n: 1 },
      { tag: '', status: 'open', snoozed: true, n: 1 },
      { tag: '', status: 'solved', snoozed: false, n: 1 },
      { tag: 'late', status: 'open', snoozed: true, n: 1 },
      { tag: 'vip', status: 'open', snoozed: false, n: 1 },
      { tag: 'vip', status: 'open', snoozed: true, n: 1 },
    ]);
    // The solved one has no running target to count.
    expect((await raw.query(`select due_hour::text as hour, n::int as n from conversation_due_counts`)).rows).toEqual([{ hour: '2026-01-01 10:00:00', n: 2 }]);
    await raw.query(`update conversations set status = 'solved', snoozed_until = null where number = 2`);
    expect(await counts()).toEqual([
      { tag: '', status: 'open', snoozed: false, n: 1 },
      { tag: '', status: 'solved', snoozed: false, n: 2 },
      { tag: 'late', status: 'solved', snoozed: false, n: 1 },
      { tag: 'vip', status: 'open', snoozed: false, n: 1 },
      { tag: 'vip', status: 'solved', snoozed: false, n: 1 },
    ]);
  });
});
