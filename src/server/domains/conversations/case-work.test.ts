import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events } from '../../db/schema/index.js';
import { buildApiInbox, buildMember, sendInbound, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

describe('calls, merge, split and participants', () => {
  let h: TestHeard;
  let owner: Client;
  let agent: Client;
  let light: Client;
  let stranger: Client;
  let inbox: { id: string };
  let phone: { id: string };

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'Cases Co' });
    agent = await buildMember(h.ctx, { workspace: 'Cases Co', role: 'agent' });
    light = await buildMember(h.ctx, { workspace: 'Cases Co', role: 'light' });
    stranger = await buildMember(h.ctx, { workspace: 'Cases Elsewhere' });
    inbox = await buildApiInbox(h.app, owner);
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: owner.headers, payload: { name: 'Phone', channel: 'phone' } });
    expect(res.statusCode, res.body).toBe(201);
    phone = json(res);
  });
  afterAll(() => h.stop());

  const call = { direction: 'outbound', number: '+44 20 7946 0000', durationSeconds: 185, outcome: 'answered', notes: 'Walked them through the refund' };
  const post = (by: Client, url: string, payload?: Record<string, unknown>) => h.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: by.headers, payload });
  const get = async (by: Client, id: string) => json(await h.app.inject({ url: `/api/v1/conversations/${id}`, headers: by.headers }));
  const timeline = async (id: string) => json(await h.app.inject({ url: `/api/v1/conversations/${id}/timeline`, headers: owner.headers }));
  const messagesOf = async (id: string) => (await timeline(id)).items.filter((i: any) => i.type === 'message').map((i: any) => i.message);
  const eventsOf = async (id: string, type: string) => (await timeline(id)).items.filter((i: any) => i.type === 'event' && i.event.type === type).map((i: any) => i.event);

  describe('call logs', () => {
    it('logs a call on a conversation as a phone message with its call data, on the timeline', async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'caller' } });
      const res = await post(agent, `/conversations/${c.conversationId}/calls`, call);
      expect(res.statusCode, res.body).toBe(201);
      expect(json(res)).toMatchObject({
        channel: 'phone',
        direction: 'out',
        deliveryStatus: 'sent',
        authorMemberId: agent.memberId,
        text: 'Walked them through the refund',
        call: { number: '+44 20 7946 0000', durationSeconds: 185, outcome: 'answered', notes: 'Walked them through the refund' },
      });
      const inbound = json(await post(agent, `/conversations/${c.conversationId}/calls`, { direction: 'inbound', number: '+44 20 7946 0000', durationSeconds: 0, outcome: 'no_answer' }));
      expect(inbound).toMatchObject({ direction: 'in', text: 'Inbound call, no answer', call: { outcome: 'no_answer' } });
      const msgs = await messagesOf(c.conversationId);
      expect(msgs.map((m: any) => m.call?.outcome ?? null)).toEqual([null, 'answered', 'no_answer']);
      // The outbound call answered the customer.
      expect((await get(owner, c.conversationId)).waitingSince).toBeNull();
    });

    it('refuses a bad call, a light member on a conversation not theirs, and another workspace', async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'caller-bad' } });
      const bad = await post(agent, `/conversations/${c.conversationId}/calls`, { ...call, outcome: 'hung_up', durationSeconds: -1 });
      expect(bad.statusCode).toBe(422);
      expect(json(bad).errors.map((e: any) => e.field).sort()).toEqual(['durationSeconds', 'outcome']);
      expect((await post(light, `/conversations/${c.conversationId}/calls`, call)).statusCode).toBe(403);
      expect((await post(stranger, `/conversations/${c.conversationId}/calls`, call)).statusCode).toBe(404);
    });

    it('opens a conversation from a call in a phone inbox, numbering it and finding the contact by phone', async () => {
      const first = await post(agent, '/calls', { ...call, direction: 'inbound', inboxId: phone.id, contact: { name: 'Phil Phone', phone: '+1 555 0100' }, subject: 'Billing question' });
      expect(first.statusCode, first.body).toBe(201);
      const body = json(first);
      expect(body.conversation).toMatchObject({ subject: 'Billing question', channel: 'phone', inboxId: phone.id, status: 'open', number: expect.any(Number), contact: { name: 'Phil Phone' } });
      expect(body.message).toMatchObject({ direction: 'in', channel: 'phone', call: { outcome: 'answered' } });
      expect(await eventsOf(body.conversation.id, 'conversation.created')).toHaveLength(1);
      // The same number again is the same contact, in a new conversation with the next number.
      const second = json(await post(agent, '/calls', { ...call, inboxId: phone.id, contact: { phone: '+1 555 0100' } }));
      expect(second.conversation.contactId).toBe(body.conversation.contactId);
      expect(second.conversation.number).toBe(body.conversation.number + 1);
      expect(second.conversation.subject).toBe('Call with Phil Phone');

      const notPhone = await post(agent, '/calls', { ...call, inboxId: inbox.id, contact: { phone: '+1 555 0100' } });
      expect(notPhone.statusCode).toBe(422);
      expect(json(notPhone).errors[0].field).toBe('inboxId');
      expect(json(await post(stranger, '/calls', { ...call, inboxId: phone.id, contact: { phone: '+1 555 0100' } })).errors[0].field).toBe('inboxId');
      expect((await post(light, '/calls', { ...call, inboxId: phone.id, contact: { phone: '+1 555 0100' } })).statusCode).toBe(403);
    });
  });

  describe('merge', () => {
    it("moves the source's messages into the target and shows its history there, leaves its events in place, closes the source with a pointer", async () => {
      const target = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'merge-a' }, text: 'First question' });
      const source = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'merge-b', name: 'Bea Other' }, text: 'Same question, other address' });
      await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${source.conversationId}`, headers: owner.headers, payload: { tags: ['dupe'] } });
      await post(agent, `/conversations/${source.conversationId}/messages`, { kind: 'note', text: 'a note on the source' });

      const eventRows = () => h.ctx.db.select({ id: events.id, conversationId: events.conversationId }).from(events).where(inArray(events.conversationId, [target.conversationId, source.conversationId])).orderBy(events.seq);
      const before = await eventRows();
      const res = await post(agent, `/conversations/${target.conversationId}/merge`, { sourceId: source.conversationId });
      expect(res.statusCode, res.body).toBe(200);
      expect(json(res).tags).toEqual(['dupe']);
      // Events are never rewritten: the source's stay its own; the merge only adds new ones.
      expect((await eventRows()).slice(0, before.length)).toEqual(before);
      const msgs = await messagesOf(target.conversationId);
      expect(msgs.map((m: any) => m.text)).toEqual(['First question', 'Same question, other address', 'a note on the source']);
      const merged = await eventsOf(target.conversationId, 'conversation.merged');
      expect(merged).toHaveLength(1);
      expect(merged[0].data).toMatchObject({ sourceId: source.conversationId, sourceNumber: source.conversationNumber, messages: 2 });
      // The target's timeline shows the source's history, in order, and says where each came from.
      const history = (await timeline(target.conversationId)).items.filter((i: any) => i.type === 'event').map((i: any) => [i.event.type, i.event.conversationId]);
      expect(history).toEqual([
        ['conversation.created', target.conversationId],
        ['conversation.created', source.conversationId],
        ['conversation.updated', source.conversationId],
        ['conversation.merged', target.conversationId],
      ]);

      const src = await get(owner, source.conversationId);
      expect(src).toMatchObject({ status: 'closed', mergedIntoId: target.conversationId });
      expect(await messagesOf(source.conversationId)).toEqual([]);
      expect((await eventsOf(source.conversationId, 'conversation.updated')).at(-1).data.changes).toEqual({
        status: { from: 'open', to: 'closed' },
        mergedIntoId: { from: null, to: target.conversationId },
      });
      // The source's customer is now on the target.
      expect((await get(owner, target.conversationId)).participants).toEqual([{ contactId: source.contactId, name: 'Bea Other', role: 'cc' }]);

      const again = await post(agent, `/conversations/${target.conversationId}/merge`, { sourceId: source.conversationId });
      expect(json(again).errors[0].field).toBe('sourceId');
      expect(json(await post(agent, `/conversations/${target.conversationId}/merge`, { sourceId: target.conversationId })).errors[0].field).toBe('sourceId');
    });

    it('refuses across workspaces (404) and a light member on conversations not theirs', async () => {
      const mine = await sendInbound(h.app, owner, inbox.id);
      const strangerInbox = await buildApiInbox(h.app, stranger);
      const theirs = await sendInbound(h.app, stranger, strangerInbox.id);
      expect((await post(owner, `/conversations/${mine.conversationId}/merge`, { sourceId: theirs.conversationId })).statusCode).toBe(404);
      expect((await post(stranger, `/conversations/${theirs.conversationId}/merge`, { sourceId: mine.conversationId })).statusCode).toBe(404);
      const other = await sendInbound(h.app, owner, inbox.id);
      expect((await post(light, `/conversations/${mine.conversationId}/merge`, { sourceId: other.conversationId })).statusCode).toBe(403);
    });
  });

  describe('split', () => {
    it('splits a customer message off into a new conversation with the same inbox and contact, recorded on both', async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'split' }, text: 'Where is my order?' });
      const second = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'split' }, text: 'Also: can I change my address?\nThanks' });
      expect(second.conversationId).toBe(c.conversationId);
      const res = await post(agent, `/messages/${second.messageId}/split`);
      expect(res.statusCode, res.body).toBe(201);
      const created = json(res);
      expect(created).toMatchObject({ inboxId: inbox.id, contactId: c.contactId, subject: 'Also: can I change my address?', status: 'open', waitingSince: expect.any(String) });
      expect(created.number).toBeGreaterThan(c.conversationNumber);
      expect((await messagesOf(created.id)).map((m: any) => m.id)).toEqual([second.messageId]);
      expect((await messagesOf(c.conversationId)).map((m: any) => m.text)).toEqual(['Where is my order?']);
      expect((await eventsOf(c.conversationId, 'conversation.split'))[0].data).toEqual({ messageId: second.messageId, newConversationId: created.id, newNumber: created.number });
      expect((await eventsOf(created.id, 'conversation.created'))[0].data).toMatchObject({ splitFromId: c.conversationId, messageId: second.messageId });

      // The only message left cannot be split off; nor can a reply; nor another workspace's message.
      expect(json(await post(agent, `/messages/${c.messageId}/split`)).errors[0].field).toBe('id');
      const reply = json(await post(agent, `/conversations/${c.conversationId}/messages`, { text: 'Checking' }));
      expect(json(await post(agent, `/messages/${reply.id}/split`)).errors[0].field).toBe('id');
      expect((await post(stranger, `/messages/${c.messageId}/split`)).statusCode).toBe(404);
    });
  });

  describe('participants', () => {
    it('adds customers as cc by contact or by e-mail, lists them on the conversation, and removes them', async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'cc-main' } });
      const other = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'cc-other', name: 'Otto Other' } });
      const byId = await post(agent, `/conversations/${c.conversationId}/participants`, { contactId: other.contactId });
      expect(byId.statusCode, byId.body).toBe(201);
      const byEmail = json(await post(agent, `/conversations/${c.conversationId}/participants`, { email: 'cc@example.test', name: 'Cee Cee' }));
      expect(byEmail.participants).toEqual([
        { contactId: other.contactId, name: 'Otto Other', role: 'cc' },
        { contactId: expect.any(String), name: 'Cee Cee', role: 'cc' },
      ]);
      // The same e-mail again is the same contact: no duplicate.
      expect(json(await post(agent, `/conversations/${c.conversationId}/participants`, { email: 'cc@example.test' })).participants).toHaveLength(2);
      expect((await get(agent, c.conversationId)).participants).toHaveLength(2);

      const del = await h.app.inject({ method: 'DELETE', url: `/api/v1/conversations/${c.conversationId}/participants/${other.contactId}`, headers: agent.headers });
      expect(del.statusCode, del.body).toBe(200);
      expect(json(del).participants.map((p: any) => p.name)).toEqual(['Cee Cee']);
      expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/conversations/${c.conversationId}/participants/${other.contactId}`, headers: agent.headers })).statusCode).toBe(404);
      const changes = (await eventsOf(c.conversationId, 'conversation.updated')).map((e: any) => e.data.changes.participants.to.length);
      expect(changes).toEqual([1, 2, 1]);
    });

    it("refuses the conversation's own customer, another workspace's contact, and bad input", async () => {
      const c = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'cc-refuse' } });
      expect(json(await post(agent, `/conversations/${c.conversationId}/participants`, { contactId: c.contactId })).errors[0].field).toBe('contactId');
      const strangerInbox = await buildApiInbox(h.app, stranger);
      const theirs = await sendInbound(h.app, stranger, strangerInbox.id);
      expect(json(await post(agent, `/conversations/${c.conversationId}/participants`, { contactId: theirs.contactId })).errors[0].field).toBe('contactId');
      expect((await post(agent, `/conversations/${c.conversationId}/participants`, {})).statusCode).toBe(422);
      expect((await post(agent, `/conversations/${c.conversationId}/participants`, { email: 'not-an-email' })).statusCode).toBe(422);
      expect((await post(stranger, `/conversations/${c.conversationId}/participants`, { email: 'x@example.test' })).statusCode).toBe(404);
    });
  });
});
