import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiInbox, buildMember, buildTeam, sendInbound, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { conversations, events, messages } from '../../db/schema/index.js';

describe('macros', () => {
  let h: TestHeard;
  let admin: Client;
  let agent: Client;
  let teammate: Client;
  let stranger: Client;
  let inbox: { id: string };

  beforeAll(async () => {
    h = await startTestHeard();
    admin = await buildMember(h.ctx, { workspace: 'Macro Co', role: 'admin' });
    agent = await buildMember(h.ctx, { workspace: 'Macro Co', role: 'agent', name: 'Andy Agent' });
    teammate = await buildMember(h.ctx, { workspace: 'Macro Co', role: 'agent' });
    stranger = await buildMember(h.ctx, { workspace: 'Elsewhere', role: 'owner' });
    inbox = await buildApiInbox(h.app, admin);
  });
  afterAll(() => h.stop());

  const macro = (by: Client, payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url: '/api/v1/canned-responses', headers: by.headers, payload });
  const apply = (by: Client, conversationId: string, id: string, payload: Record<string, unknown> = {}) =>
    h.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/macros/${id}`, headers: by.headers, payload });
  const row = async (id: string) => (await h.ctx.db.select().from(conversations).where(eq(conversations.id, id)))[0];

  it('sends its reply and applies every change in one step', async () => {
    const team = await buildTeam(h.app, admin, { memberIds: [teammate.memberId] });
    const res = await macro(admin, {
      title: 'Hand to billing',
      body: 'Billing will take it from here.',
      shared: true,
      actions: { status: 'pending', priority: 'high', assigneeId: teammate.memberId, teamId: team.id, addTags: ['billing'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { conversationId } = await sendInbound(h.app, admin, inbox.id);
    const applied = await apply(agent, conversationId, json(res).id, { send: true });
    expect(applied.statusCode, applied.body).toBe(200);
    expect(json(applied).message).toMatchObject({ text: 'Billing will take it from here.', direction: 'out' });
    expect(await row(conversationId)).toMatchObject({ status: 'pending', priority: 'high', assigneeId: teammate.memberId, teamId: team.id, tags: ['billing'] });
    // A personal macro of the agent's: the text comes back as a draft, the changes land.
    const mine = await macro(agent, { title: 'Mine', body: 'Draft for {{contact.name}}', actions: { removeTags: ['billing'], priority: 'low' } });
    const drafted = await apply(agent, conversationId, json(mine).id);
    expect(json(drafted).draft).toBe('Draft for Customer');
    expect(await row(conversationId)).toMatchObject({ priority: 'low', tags: [] });
    expect((await apply(teammate, conversationId, json(mine).id)).statusCode).toBe(404);
  });

  it('changes nothing when one of its changes is refused', async () => {
    const foreign = await macro(admin, { title: 'Foreign', body: 'x', shared: true, actions: { assigneeId: stranger.memberId } });
    expect(foreign.statusCode).toBe(422);
    expect(json(foreign).errors[0].field).toBe('actions.assigneeId');
    // Valid when saved; its assignee leaves the workspace later.
    const leaver = await buildMember(h.ctx, { workspace: 'Macro Co', role: 'agent' });
    const res = await macro(admin, { title: 'To the leaver', body: 'Passing you on.', shared: true, actions: { status: 'solved', addTags: ['handed'], assigneeId: leaver.memberId } });
    expect(res.statusCode, res.body).toBe(201);
    expect((await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${leaver.memberId}`, headers: admin.headers, payload: { active: false } })).statusCode).toBe(200);
    const { conversationId } = await sendInbound(h.app, admin, inbox.id);
    const before = await row(conversationId);
    const refused = await apply(agent, conversationId, json(res).id, { send: true });
    expect(refused.statusCode).toBe(422);
    expect(json(refused).errors[0].field).toBe('assigneeId');
    expect(await row(conversationId)).toEqual(before);
    expect(await h.ctx.db.select().from(messages).where(and(eq(messages.conversationId, conversationId), eq(messages.direction, 'out')))).toEqual([]);
    expect(await h.ctx.db.select().from(events).where(and(eq(events.conversationId, conversationId), eq(events.type, 'conversation.updated')))).toEqual([]);
  });

  it('applies nothing when a teammate replied since the agent last looked, and says who', async () => {
    const res = await macro(admin, { title: 'Wrap up', body: 'All done, thanks!', shared: true, actions: { status: 'solved', addTags: ['done'] } });
    expect(res.statusCode, res.body).toBe(201);
    const { conversationId, messageId } = await sendInbound(h.app, admin, inbox.id);
    const teammateReply = await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, headers: admin.headers, payload: { text: 'I have it covered.' } });
    expect(teammateReply.statusCode, teammateReply.body).toBe(201);
    const before = await row(conversationId);
    const late = await apply(agent, conversationId, json(res).id, { send: true, lastSeenMessageId: messageId });
    expect(late.statusCode).toBe(409);
    expect(json(late).newerMessages.map((m: { text: string }) => m.text)).toEqual(['I have it covered.']);
    expect(await row(conversationId)).toEqual(before);
    // Having seen the reply, the agent applies it.
    const seen = json(teammateReply).id as string;
    expect((await apply(agent, conversationId, json(res).id, { send: true, lastSeenMessageId: seen })).statusCode).toBe(200);
    expect(await row(conversationId)).toMatchObject({ status: 'solved', tags: ['done'] });
  });
});
