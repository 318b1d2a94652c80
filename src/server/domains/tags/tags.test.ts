import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tags } from '../../db/schema/index.js';
import { buildApiInbox, buildMember, sendInbound, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

describe('tags', () => {
  let h: TestHeard;
  let admin: Client;
  let agent: Client;
  let light: Client;
  let inbox: { id: string };

  beforeAll(async () => {
    h = await startTestHeard();
    admin = await buildMember(h.ctx, { workspace: 'Tags Co', role: 'admin' });
    agent = await buildMember(h.ctx, { workspace: 'Tags Co', role: 'agent' });
    light = await buildMember(h.ctx, { workspace: 'Tags Co', role: 'light' });
    inbox = await buildApiInbox(h.app, admin);
  });
  afterAll(() => h.stop());

  const create = (by: Pick<Client, 'headers'>, payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url: '/api/v1/tags', headers: by.headers, payload });
  const list = async (by: Pick<Client, 'headers'>) => json(await h.app.inject({ url: '/api/v1/tags', headers: by.headers }));
  /** A conversation carrying these tags. */
  const tagged = async (t: string[]) => {
    const c = await sendInbound(h.app, admin, inbox.id);
    const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${c.conversationId}`, headers: admin.headers, payload: { tags: t } });
    if (res.statusCode !== 200) throw new Error(res.body);
    return c.conversationId;
  };
  const tagsOf = async (id: string) => json(await h.app.inject({ url: `/api/v1/conversations/${id}`, headers: admin.headers })).tags as string[];

  it('lets an admin list tags with colours; everyone reads them with usage counts, and unlisted tags in use', async () => {
    const res = await create(admin, { name: 'billing', color: '#3B82F6' });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({ name: 'billing', color: '#3B82F6', count: 0 });
    await create(admin, { name: 'Bug' });
    await tagged(['billing', 'vip']);
    await tagged(['billing']);
    for (const who of [agent, light]) {
      const body = await list(who);
      expect(body.items.map((t: any) => [t.name, t.color, t.count])).toEqual([
        ['billing', '#3B82F6', 2],
        ['Bug', null, 0],
      ]);
      expect(body.unlisted).toEqual([{ name: 'vip', count: 1 }]);
    }
  });

  it('renames a tag on every conversation in the same step, merging where a conversation has both names', async () => {
    const t = json(await create(admin, { name: 'refnd' }));
    const a = await tagged(['refnd', 'urgent']);
    const b = await tagged(['refund', 'refnd']);
    const c = await tagged(['other']);
    const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/tags/${t.id}`, headers: admin.headers, payload: { name: 'refund', color: '#ff0000' } });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ name: 'refund', color: '#ff0000', count: 2 });
    expect(await tagsOf(a)).toEqual(['refund', 'urgent']);
    expect(await tagsOf(b)).toEqual(['refund']);
    expect(await tagsOf(c)).toEqual(['other']);
    // A colour alone leaves conversations untouched.
    expect(json(await h.app.inject({ method: 'PATCH', url: `/api/v1/tags/${t.id}`, headers: admin.headers, payload: { color: null } }))).toMatchObject({ name: 'refund', color: null });
  });

  it('deletes a tag from the list and from every conversation', async () => {
    const t = json(await create(admin, { name: 'temporary' }));
    const a = await tagged(['temporary', 'keep']);
    const del = await h.app.inject({ method: 'DELETE', url: `/api/v1/tags/${t.id}`, headers: admin.headers });
    expect(del.statusCode).toBe(204);
    expect(await tagsOf(a)).toEqual(['keep']);
    expect((await list(admin)).items.map((x: any) => x.name)).not.toContain('temporary');
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/tags/${t.id}`, headers: admin.headers })).statusCode).toBe(404);
  });

  it('refuses agents and light members on tag changes (403), and changes nothing; conversations still take any tag', async () => {
    const t = json(await create(admin, { name: 'locked' }));
    const a = await tagged(['locked']);
    const before = await countRows(h.ctx.db, tags);
    for (const who of [agent, light]) {
      expect((await create(who, { name: 'mine' })).statusCode).toBe(403);
      expect((await h.app.inject({ method: 'PATCH', url: `/api/v1/tags/${t.id}`, headers: who.headers, payload: { name: 'taken' } })).statusCode).toBe(403);
      expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/tags/${t.id}`, headers: who.headers })).statusCode).toBe(403);
    }
    expect(await countRows(h.ctx.db, tags)).toBe(before);
    expect(await tagsOf(a)).toEqual(['locked']);
    const free = await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${a}`, headers: agent.headers, payload: { addTags: ['anything-goes'] } });
    expect(free.statusCode).toBe(200);
    expect(json(free).tags).toEqual(['locked', 'anything-goes']);
  });

  it('rejects bad input and duplicate names without writing anything', async () => {
    await create(admin, { name: 'Unique' });
    const before = await countRows(h.ctx.db, tags);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '' }, 'name'],
      [{ name: 'a,b' }, 'name'],
      [{ name: 'x'.repeat(51) }, 'name'],
      [{ name: 'ok', color: 'blue' }, 'color'],
      [{}, 'name'],
    ];
    for (const [payload, field] of cases) {
      const res = await create(admin, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(json(res).errors.map((e: any) => e.field)).toEqual([field]);
    }
    for (const name of ['Unique', 'unique', ' UNIQUE ']) {
      const dupe = await create(admin, { name });
      expect(dupe.statusCode, name).toBe(409);
      expect(dupe.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    const other = json(await create(admin, { name: 'Other' }));
    const a = await tagged(['Other']);
    const clash = await h.app.inject({ method: 'PATCH', url: `/api/v1/tags/${other.id}`, headers: admin.headers, payload: { name: 'UNIQUE' } });
    expect(clash.statusCode).toBe(409);
    expect(await tagsOf(a)).toEqual(['Other']);
    expect(await countRows(h.ctx.db, tags)).toBe(before + 1);
  });

  it("keeps workspaces apart: another workspace's admin gets 404, and its conversations are not touched by a rename", async () => {
    const t = json(await create(admin, { name: 'shared-name' }));
    const a = await tagged(['shared-name']);
    const stranger = await buildMember(h.ctx, { workspace: 'Tags Elsewhere' });
    const theirInbox = await buildApiInbox(h.app, stranger);
    const theirs = await sendInbound(h.app, stranger, theirInbox.id);
    await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${theirs.conversationId}`, headers: stranger.headers, payload: { tags: ['shared-name'] } });
    const theirTag = json(await create(stranger, { name: 'shared-name' }));

    expect((await h.app.inject({ method: 'PATCH', url: `/api/v1/tags/${t.id}`, headers: stranger.headers, payload: { name: 'stolen' } })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/tags/${t.id}`, headers: stranger.headers })).statusCode).toBe(404);
    expect(await list(stranger)).toEqual({ items: [expect.objectContaining({ name: 'shared-name', count: 1 })], unlisted: [] });

    await h.app.inject({ method: 'PATCH', url: `/api/v1/tags/${theirTag.id}`, headers: stranger.headers, payload: { name: 'renamed' } });
    expect(await tagsOf(a)).toEqual(['shared-name']);
    await h.app.inject({ method: 'DELETE', url: `/api/v1/tags/${t.id}`, headers: admin.headers });
    const theirConv = json(await h.app.inject({ url: `/api/v1/conversations/${theirs.conversationId}`, headers: stranger.headers }));
    expect(theirConv.tags).toEqual(['renamed']);
  });
});
