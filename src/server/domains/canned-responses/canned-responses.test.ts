import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, cannedResponses } from '../../db/schema/index.js';
import { buildApiInbox, buildMember, sendInbound, signIn, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { fillVariables } from './service.js';

describe('canned responses', () => {
  let h: TestHeard;
  let admin: Client;
  let agent: Client;
  let other: Client;
  let light: Client;

  beforeAll(async () => {
    h = await startTestHeard();
    admin = await buildMember(h.ctx, { workspace: 'Canned Co', role: 'admin', name: 'Ada Admin' });
    agent = await buildMember(h.ctx, { workspace: 'Canned Co', role: 'agent', name: 'Andy Agent' });
    other = await buildMember(h.ctx, { workspace: 'Canned Co', role: 'agent', name: 'Olive Other' });
    light = await buildMember(h.ctx, { workspace: 'Canned Co', role: 'light' });
  });
  afterAll(() => h.stop());

  const create = (by: Pick<Client, 'headers'>, payload: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: '/api/v1/canned-responses', headers: by.headers, payload });
  const list = async (by: Pick<Client, 'headers'>, q = '') =>
    json(await h.app.inject({ url: `/api/v1/canned-responses${q ? `?q=${encodeURIComponent(q)}` : ''}`, headers: by.headers })).items as any[];
  const render = (by: Pick<Client, 'headers'>, id: string, conversationId: string) =>
    h.app.inject({ method: 'POST', url: `/api/v1/canned-responses/${id}/render`, headers: by.headers, payload: { conversationId } });

  it('lets an admin share a response that everyone reads, and agents keep personal ones to themselves', async () => {
    const shared = await create(admin, { title: 'Refund policy', body: 'Refunds within 30 days.', shortcut: 'refund', shared: true });
    expect(shared.statusCode).toBe(201);
    expect(json(shared)).toMatchObject({ title: 'Refund policy', shortcut: 'refund', shared: true, ownerMemberId: null });
    const mine = await create(agent, { title: 'My greeting', body: 'Hi there!' });
    expect(mine.statusCode).toBe(201);
    expect(json(mine)).toMatchObject({ shared: false, ownerMemberId: agent.memberId });

    expect((await list(agent)).map((r) => r.title)).toEqual(['My greeting', 'Refund policy']);
    expect((await list(other)).map((r) => r.title)).toEqual(['Refund policy']);
    expect((await list(light)).map((r) => r.title)).toEqual(['Refund policy']);
    expect((await list(agent, 'REF')).map((r) => r.title)).toEqual(['Refund policy']);
    expect((await list(agent, '%')).map((r) => r.title)).toEqual([]);

    // Another member's personal response is not there for anyone else, admins included.
    for (const who of [other, admin]) {
      expect((await h.app.inject({ url: `/api/v1/canned-responses/${json(mine).id}`, headers: who.headers })).statusCode).toBe(404);
      const p = await h.app.inject({ method: 'PATCH', url: `/api/v1/canned-responses/${json(mine).id}`, headers: who.headers, payload: { title: 'Mine now' } });
      expect(p.statusCode).toBe(404);
    }
    expect(json(await h.app.inject({ url: `/api/v1/canned-responses/${json(mine).id}`, headers: agent.headers })).title).toBe('My greeting');
    const audited = (await h.ctx.db.select().from(auditLog)).filter((a) => a.action.startsWith('canned_response.'));
    expect(audited.map((a) => a.targetId)).toEqual([json(shared).id]);
  });

  it('lets the owner change and delete a personal response, and only admins a shared one', async () => {
    const shared = json(await create(admin, { title: 'Shared', body: 'Body', shared: true }));
    const before = await countRows(h.ctx.db, cannedResponses);
    expect((await create(agent, { title: 'Sneaky', body: 'x', shared: true })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'PATCH', url: `/api/v1/canned-responses/${shared.id}`, headers: agent.headers, payload: { body: 'Changed' } })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/canned-responses/${shared.id}`, headers: agent.headers })).statusCode).toBe(403);
    // An admin's token without the admin scope cannot write shared ones either.
    const adminWrite = await buildMember(h.ctx, { workspace: 'Canned Co', role: 'admin', scopes: ['read', 'write'] });
    expect((await create(adminWrite, { title: 'Also sneaky', body: 'x', shared: true })).statusCode).toBe(403);
    expect(await countRows(h.ctx.db, cannedResponses)).toBe(before);

    const patched = await h.app.inject({ method: 'PATCH', url: `/api/v1/canned-responses/${shared.id}`, headers: admin.headers, payload: { body: 'New body', shortcut: null } });
    expect(patched.statusCode).toBe(200);
    expect(json(patched)).toMatchObject({ title: 'Shared', body: 'New body', shortcut: null, shared: true });

    const mine = json(await create(light, { title: 'Light one', body: 'Noted.', shortcut: 'noted' }));
    const renamed = await h.app.inject({ method: 'PATCH', url: `/api/v1/canned-responses/${mine.id}`, headers: light.headers, payload: { title: 'Light two' } });
    expect(json(renamed)).toMatchObject({ title: 'Light two', shortcut: 'noted' });
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/canned-responses/${mine.id}`, headers: light.headers })).statusCode).toBe(204);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/canned-responses/${shared.id}`, headers: admin.headers })).statusCode).toBe(204);
    expect(await countRows(h.ctx.db, cannedResponses)).toBe(before - 1);
  });

  it('fills the variables for a conversation and lists the ones it could not fill', async () => {
    const inbox = await buildApiInbox(h.app, admin);
    const conv = await sendInbound(h.app, admin, inbox.id, { contact: { externalId: 'ext-jane', name: 'Jane van Dyke' } });
    const r = json(
      await create(agent, {
        title: 'Hello',
        body: 'Hi {{contact.first_name}} ({{ contact.name }}), this is {{agent.first_name}} / {{agent.name}} at {{workspace.name}} about #{{conversation.number}}. {{order.id}} {{nope}}',
      }),
    );
    const res = await render(agent, r.id, conv.conversationId);
    expect(res.statusCode).toBe(200);
    expect(json(res)).toEqual({
      text: `Hi Jane (Jane van Dyke), this is Andy / Andy Agent at Canned Co about #${conv.conversationNumber}. {{order.id}} {{nope}}`,
      missing: ['order.id', 'nope'],
    });
    // By conversation number too; a contact without a name leaves its variables for the agent.
    const nameless = await sendInbound(h.app, admin, inbox.id, { contact: { externalId: 'ext-nameless' } });
    const named = json(await render(agent, r.id, String(nameless.conversationNumber)));
    expect(named.text).toMatch(/^Hi \{\{contact\.first_name\}\} \(\{\{ contact\.name \}\}\)/);
    expect(named.missing).toEqual(['contact.first_name', 'contact.name', 'order.id', 'nope']);

    expect(fillVariables('{{ a }} {{b}} {{a}}', { a: 'A' })).toEqual({ text: 'A {{b}} A', missing: ['b'] });
    expect(fillVariables('No {variables} {{ }} here', {})).toEqual({ text: 'No {variables} {{ }} here', missing: [] });
  });

  it('rejects bad input with the field, and writes nothing', async () => {
    const before = await countRows(h.ctx.db, cannedResponses);
    const cases: [Record<string, unknown>, string][] = [
      [{ title: '', body: 'x' }, 'title'],
      [{ title: 'x', body: '   ' }, 'body'],
      [{ title: 'x', body: 'x', shortcut: 'has space' }, 'shortcut'],
      [{ title: 'x', body: 'x', shared: 'yes' }, 'shared'],
      [{ body: 'x' }, 'title'],
    ];
    for (const [payload, field] of cases) {
      const res = await create(agent, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json(res).errors.map((e: any) => e.field)).toEqual([field]);
    }
    const r = json(await create(agent, { title: 'Valid', body: 'x' }));
    const badRender = await render(agent, r.id, 'not-a-conversation');
    expect(badRender.statusCode).toBe(422);
    expect(json(badRender).errors.map((e: any) => e.field)).toEqual(['conversationId']);
    expect((await render(agent, r.id, '0190a0a0-0000-7000-8000-000000000000')).statusCode).toBe(404);
    expect(await countRows(h.ctx.db, cannedResponses)).toBe(before + 1);
  });

  it("keeps workspaces apart: another workspace's admin gets 404, and cannot render with another workspace's conversation", async () => {
    const shared = json(await create(admin, { title: 'Private shared', body: 'Hello {{contact.name}}', shared: true }));
    const stranger = await buildMember(h.ctx, { workspace: 'Canned Elsewhere' });
    expect((await h.app.inject({ url: `/api/v1/canned-responses/${shared.id}`, headers: stranger.headers })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'PATCH', url: `/api/v1/canned-responses/${shared.id}`, headers: stranger.headers, payload: { body: 'Stolen' } })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/canned-responses/${shared.id}`, headers: stranger.headers })).statusCode).toBe(404);
    expect(await list(stranger)).toEqual([]);

    const inbox = await buildApiInbox(h.app, admin);
    const conv = await sendInbound(h.app, admin, inbox.id);
    expect((await render(stranger, shared.id, conv.conversationId)).statusCode).toBe(404);
    const theirs = json(await create(stranger, { title: 'Theirs', body: 'Hi {{contact.name}}' }));
    expect((await render(stranger, theirs.id, conv.conversationId)).statusCode).toBe(404);
    expect(json(await h.app.inject({ url: `/api/v1/canned-responses/${shared.id}`, headers: admin.headers })).body).toBe('Hello {{contact.name}}');
  });

  it('works from a signed-in session as from a token', async () => {
    const session = await signIn(h.app, agent.email);
    const res = await create(session, { title: 'From the browser', body: 'Hi' });
    expect(res.statusCode).toBe(201);
    expect((await list(session)).map((r) => r.title)).toContain('From the browser');
  });
});
