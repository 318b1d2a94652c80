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
