import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, noteMentions } from '../../db/schema/index.js';
import { buildApiInbox, buildMember, sendInbound, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { startReceiver, waitFor } from '../../../../test/helpers/receiver.js';
import { systemActor } from '../../core/actor.js';
import { inTransaction } from '../../core/context.js';
import { addAgentMessage, updateConversation } from './service.js';


const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

describe('snooze, send later, mentions and collisions', () => {
  let h: TestHeard;
  let owner: Client;
  let agent: Client;
  let other: Client;
  let inbox: { id: string };
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  beforeAll(async () => {
    h = await startTestHeard();
    receiver = await startReceiver();
    owner = await buildMember(h.ctx, { workspace: 'Later Co', name: 'Oona Owner' });
    agent = await buildMember(h.ctx, { workspace: 'Later Co', role: 'agent', name: 'Abe Agent', email: `abe-${Date.now()}@example.test` });
    other = await buildMember(h.ctx, { workspace: 'Later Co', role: 'agent', name: 'Ola Other' });
    inbox = await buildApiInbox(h.app, owner, receiver.url);
  });
  afterAll(async () => {
    await h.stop();
    await receiver.close();
  });

  const get = async (id: string) => json(await h.app.inject({ url: `/api/v1/conversations/${id}`, headers: owner.headers }));
  const timeline = async (id: string) => json(await h.app.inject({ url: `/api/v1/conversations/${id}/timeline`, headers: owner.headers }));
  const patch = (by: Client, id: string, payload: Record<string, unknown>) => h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${id}`, headers: by.headers, payload });
  const post = (by: Client, id: string, payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/messages`, headers: by.headers, payload });
  const updates = (t: any) => t.items.filter((i: any) => i.type === 'event' && i.event.type === 'conversation.updated').map((i: any) => i.event.data.changes);

  describe('snooze', () => {
    it('hides the conversation until its time, then a job wakes it: open, snoozedUntil null, on the timeline', async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'snooze-job' } });
      await patch(owner, c.conversationId, { status: 'pending' });
      const until = inSeconds(1.5);
      const res = await patch(owner, c.conversationId, { snoozedUntil: until });
      expect(res.statusCode, res.body).toBe(200);
      expect(json(res).snoozedUntil).toBe(new Date(until).toISOString());
      const woke = await waitFor(async () => {
        const conv = await get(c.conversationId);
        return conv.snoozedUntil === null && conv;
      });
      expect(woke.status).toBe('open');
      const last = (await timeline(c.conversationId)).items.filter((i: any) => i.type === 'event' && i.event.type === 'conversation.updated').at(-1).event;
      expect(last.data.changes).toEqual({ snoozedUntil: { from: new Date(until).toISOString(), to: null }, status: { from: 'pending', to: 'open' } });
      // No member did it: the timeline names the job that did.
      expect(last).toMatchObject({ actorMemberId: null, actorName: null, actorSystem: { kind: 'job', name: 'wake-snoozed' } });
    });

    it('wakes at once when the customer writes', async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'snooze-customer' } });
      await patch(owner, c.conversationId, { snoozedUntil: inSeconds(3600) });
      await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'snooze-customer' }, text: 'Hello again' });
      const conv = await get(c.conversationId);
      expect(conv.snoozedUntil).toBeNull();
      expect(updates(await timeline(c.conversationId)).at(-1)).toMatchObject({ snoozedUntil: { to: null } });
    });

    it('refuses a time in the past, and an agent may wake it by hand (null)', async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'snooze-past' } });
      const past = await patch(owner, c.conversationId, { snoozedUntil: new Date(Date.now() - 1000).toISOString() });
      expect(past.statusCode).toBe(422);
      expect(json(past).errors[0].field).toBe('snoozedUntil');
      expect((await patch(owner, c.conversationId, { snoozedUntil: 'tomorrow' })).statusCode).toBe(422);
      await patch(owner, c.conversationId, { snoozedUntil: inSeconds(3600) });
      expect(json(await patch(owner, c.conversationId, { snoozedUntil: null })).snoozedUntil).toBeNull();
    });
  });

  describe('send later', () => {
    it('stores a reply as scheduled and sends it at its time through the normal delivery', async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'later-send' } });
      const res = await post(agent, c.conversationId, { text: 'Sent a little later', sendAt: inSeconds(1.5) });
      expect(res.statusCode, res.body).toBe(201);
      const m = json(res);
      expect(m).toMatchObject({ deliveryStatus: 'scheduled', sendAt: expect.any(String) });
      // Not answered yet: the customer is still waiting.
      expect((await get(c.conversationId)).waitingSince).not.toBeNull();
      await waitFor(() => receiver.received.find((r) => r.id === m.id));
      const sent = await waitFor(async () => {
        const t = await timeline(c.conversationId);
        const msg = t.items.find((i: any) => i.type === 'message' && i.message.id === m.id)?.message;
        return msg?.deliveryStatus === 'sent' && msg;
      });
      expect(sent.text).toBe('Sent a little later');
      const [queued] = await h.ctx.db
        .select()
        .from(events)
        .where(and(eq(events.type, 'message.delivery'), sql`${events.data}->>'messageId' = ${m.id}`, sql`${events.data}->>'deliveryStatus' = 'queued'`));
      expect(queued).toMatchObject({ actorMemberId: null, actorSystem: { kind: 'job', name: 'send-scheduled' } });
      const conv = await get(c.conversationId);
      expect(conv.waitingSince).toBeNull();
      expect(conv.firstResponseAt).not.toBeNull();
    });

    it('cancels a scheduled reply when the customer writes first', async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'later-cancel' } });
      const m = json(await post(agent, c.conversationId, { text: 'Will never go', sendAt: inSeconds(2) }));
      await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'later-cancel' }, text: 'Never mind, solved it' });
      const t = await timeline(c.conversationId);
      expect(t.items.find((i: any) => i.type === 'message' && i.message.id === m.id).message.deliveryStatus).toBe('cancelled');
      expect(t.items.some((i: any) => i.type === 'event' && i.event.type === 'message.delivery' && i.event.data.deliveryStatus === 'cancelled')).toBe(true);
      await new Promise((r) => setTimeout(r, 2500));
      expect(receiver.received.find((r) => r.id === m.id)).toBeUndefined();
    });

    it('DELETE /messages/:id cancels a scheduled reply: its author or an admin, only while scheduled', async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'later-delete' } });
      const m = json(await post(agent, c.conversationId, { text: 'Later', sendAt: inSeconds(3600) }));
      const del = (by: Client, id = m.id) => h.app.inject({ method: 'DELETE', url: `/api/v1/messages/${id}`, headers: by.headers });
      expect((await del(other)).statusCode).toBe(403);
      const stranger = await buildMember(h.ctx, { workspace: 'Later Elsewhere' });
      expect((await del(stranger)).statusCode).toBe(404);
      const ok = await del(agent);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(json(ok).deliveryStatus).toBe('cancelled');
      expect((await del(agent)).statusCode).toBe(409);
      const m2 = json(await post(agent, c.conversationId, { text: 'Later again', sendAt: inSeconds(3600) }));
      expect((await del(owner, m2.id)).statusCode).toBe(200);
      const note = json(await post(agent, c.conversationId, { text: 'a note', kind: 'note' }));
      expect((await del(agent, note.id)).statusCode).toBe(409);
    });

    it('refuses sendAt in the past or on a note', async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'later-bad' } });
      const past = await post(agent, c.conversationId, { text: 'x', sendAt: new Date(Date.now() - 1000).toISOString() });
      expect(past.statusCode).toBe(422);
      expect(json(past).errors[0].field).toBe('sendAt');
      const note = await post(agent, c.conversationId, { text: 'x', kind: 'note', sendAt: inSeconds(60) });
      expect(json(note).errors[0].field).toBe('sendAt');
    });
  });

  describe('mentions', () => {
    it('records members @mentioned in a note by name or e-mail, with an event each; the Mentions view counts them', async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'mention' } });
      const res = await post(owner, c.conversationId, { kind: 'note', text: `@abe agent and @${other.email.toUpperCase()}: please check. @Oona Owner (me) and @nobody` });
      expect(res.statusCode, res.body).toBe(201);
      const m = json(res);
      const rows = await h.ctx.db.select().from(noteMentions).where(eq(noteMentions.messageId, m.id));
      expect(rows.map((r) => r.memberId).sort()).toEqual([agent.memberId, other.memberId].sort());
      const t = await timeline(c.conversationId);
      const mentioned = t.items.filter((i: any) => i.type === 'event' && i.event.type === 'member.mentioned').map((i: any) => i.event.data);
      expect(mentioned).toEqual(
        expect.arrayContaining([
          { memberId: agent.memberId, conversationId: c.conversationId, messageId: m.id },
          { memberId: other.memberId, conversationId: c.conversationId, messageId: m.id },
        ]),
      );
      const views = json(await h.app.inject({ url: '/api/v1/views', headers: agent.headers }));
      expect(views.mentions).toBeGreaterThanOrEqual(1);
      const list = json(await h.app.inject({ url: '/api/v1/conversations?view=mentions', headers: agent.headers }));
      expect(list.items.map((i: any) => i.id)).toContain(c.conversationId);
    });

    it('does not take a longer word for a name, and ignores replies', async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'mention-no' } });
      const note = json(await post(owner, c.conversationId, { kind: 'note', text: '@abe agentship is not a person' }));
      expect(await h.ctx.db.select().from(noteMentions).where(eq(noteMentions.messageId, note.id))).toEqual([]);
      const reply = json(await post(owner, c.conversationId, { text: 'Thanks @abe agent' }));
      expect(await h.ctx.db.select().from(noteMentions).where(eq(noteMentions.messageId, reply.id))).toEqual([]);
    });
  });

  describe('rules and jobs', () => {
    it('lets a rule change a conversation assigned to someone else and write a note, named on the timeline as the rule', async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'by-rule' } });
      await patch(owner, c.conversationId, { assigneeId: other.memberId });
      const ruleId = '0190a1b2-0000-7000-8000-000000000001';
      const rule = systemActor.rule(owner.workspaceId, ruleId, 'VIP to tier 2');
      await inTransaction(h.ctx, async (tx) => {
        await updateConversation(tx, rule, c.conversationId, { priority: 'high' });
        await addAgentMessage(tx, rule, c.conversationId, { kind: 'note', text: 'VIP customer: @abe agent please take a look' });
      });
      const t = await timeline(c.conversationId);
      const note = t.items.find((i: any) => i.type === 'message' && i.message.direction === 'note').message;
      expect(note).toMatchObject({ authorMemberId: null, text: 'VIP customer: @abe agent please take a look' });
      const byRule = t.items.filter((i: any) => i.type === 'event' && i.event.actorSystem).map((i: any) => [i.event.type, i.event.actorMemberId, i.event.actorSystem]);
      expect(byRule).toEqual([
        ['conversation.updated', null, { kind: 'rule', id: ruleId, name: 'VIP to tier 2' }],
        ['member.mentioned', null, { kind: 'rule', id: ruleId, name: 'VIP to tier 2' }],
      ]);
    });
  });

  describe('collisions', () => {
    it("answers 409 with the newer replies when someone else replied since the agent's last seen message, unless forced", async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'collide' } });
      const seen = c.messageId;
      const theirs = json(await post(other, c.conversationId, { text: 'I got this one' }));
      const res = await post(agent, c.conversationId, { text: 'Me too', lastSeenMessageId: seen });
      expect(res.statusCode).toBe(409);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const body = json(res);
      expect(body.detail).toMatch(/replied/);
      expect(body.newerMessages.map((m: any) => m.id)).toEqual([theirs.id]);
      expect(body.newerMessages[0]).toMatchObject({ text: 'I got this one', authorMemberId: other.memberId });

      // Having seen it, or forcing, sends.
      expect((await post(agent, c.conversationId, { text: 'Adding to that', lastSeenMessageId: theirs.id })).statusCode).toBe(201);
      expect((await post(other, c.conversationId, { text: 'Forced', lastSeenMessageId: seen, force: true })).statusCode).toBe(201);
      // One's own replies and notes are no collision.
      const mine = json(await post(agent, c.conversationId, { text: 'Mine' }));
      await post(other, c.conversationId, { text: 'just a note', kind: 'note' });
      expect((await post(agent, c.conversationId, { text: 'Mine again', lastSeenMessageId: mine.id })).statusCode).toBe(201);
      const unknown = await post(agent, c.conversationId, { text: 'x', lastSeenMessageId: '0190a0a0-0000-7000-8000-000000000000' });
      expect(json(unknown).errors[0].field).toBe('lastSeenMessageId');
    });
  });
});
