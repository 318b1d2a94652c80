import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../core/context.js';
import { verifySignature } from '../../core/webhooks/signature.js';
import { createInbox } from '../../domains/inboxes/service.js';
import { buildApiInbox, buildMember, sendInbound, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { startReceiver, waitFor } from '../../../../test/helpers/receiver.js';


describe('API channel', () => {
  let h: TestHeard;
  let owner: Client;
  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx);
  });
  afterAll(() => h.stop());

  it('opens a conversation from an inbound message and threads the next one into it', async () => {
    const inbox = await buildApiInbox(h.app, owner);
    const first = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'tw-100', name: 'Ann Lee' }, text: 'My order is late', clientMessageId: 'a1' });
    const second = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'tw-100' }, text: 'Any news?', clientMessageId: 'a2' });
    expect(second.conversationId).toBe(first.conversationId);
    expect(second.contactId).toBe(first.contactId);
    const timeline = json(await h.app.inject({ url: `/api/v1/conversations/${first.conversationId}/timeline`, headers: owner.headers }));
    const texts = timeline.items.filter((i: any) => i.type === 'message').map((i: any) => i.message.text);
    expect(texts).toEqual(['My order is late', 'Any news?']);
    expect(timeline.conversation.subject).toBe('My order is late');
    // The opening reads first, then the customer's first message (they share a transaction time).
    expect(timeline.items[0]).toMatchObject({ type: 'event', event: { type: 'conversation.created' } });
    expect(timeline.items[1]).toMatchObject({ type: 'message', message: { text: 'My order is late' } });
  });

  it('stores a repeated clientMessageId once and answers with the same ids', async () => {
    const inbox = await buildApiInbox(h.app, owner);
    const a = await sendInbound(h.app, owner, inbox.id, { clientMessageId: 'dup-1' });
    const b = await sendInbound(h.app, owner, inbox.id, { clientMessageId: 'dup-1' });
    expect(b).toMatchObject({ conversationId: a.conversationId, messageId: a.messageId, duplicate: true });
    const timeline = json(await h.app.inject({ url: `/api/v1/conversations/${a.conversationId}/timeline`, headers: owner.headers }));
    expect(timeline.items.filter((i: any) => i.type === 'message')).toHaveLength(1);
  });

  it('posts a reply to the callback URL, signed, and marks it sent', async () => {
    const receiver = await startReceiver(() => 200);
    try {
      const inbox = await buildApiInbox(h.app, owner, receiver.url);
      const inbound = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: 'fb-7', name: 'Bo' } });
      const res = await h.app.inject({
        method: 'POST',
        url: `/api/v1/conversations/${inbound.conversationId}/messages`,
        headers: owner.headers,
        payload: { text: 'Hi Bo, it ships today.' },
      });
      expect(res.statusCode).toBe(201);
      const reply = json(res);
      expect(reply.deliveryStatus).toBe('queued');
      const got = await waitFor(() => receiver.received[0]);
      const body = JSON.parse(got.body);
      expect(body).toMatchObject({ id: reply.id, type: 'message.created', message: { text: 'Hi Bo, it ships today.' }, contact: { externalId: 'fb-7' } });
      expect(got.headers['heard-event-id']).toBe(reply.id);
      const ok = verifySignature(inbox.signingSecret, got.body, got.headers['heard-timestamp'] as string, got.headers['heard-signature'] as string);
      expect(ok).toEqual({ ok: true });
      expect(verifySignature('whsec_wrong', got.body, got.headers['heard-timestamp'] as string, got.headers['heard-signature'] as string).ok).toBe(false);
      const status = await waitFor(async () => {
        const t = json(await h.app.inject({ url: `/api/v1/conversations/${inbound.conversationId}/timeline`, headers: owner.headers }));
        const m = t.items.find((i: any) => i.type === 'message' && i.message.id === reply.id)?.message;
        return m?.deliveryStatus === 'sent' ? m : undefined;
      });
      expect(status.deliveredAt).toBeTruthy();
    } finally {
      await receiver.close();
    }
  });

  it('retries a failing callback with back-off, keeping the same event id', async () => {
    const receiver = await startReceiver((n) => (n < 3 ? 503 : 200));
    try {
      const inbox = await buildApiInbox(h.app, owner, receiver.url);
      const inbound = await sendInbound(h.app, owner, inbox.id);
      const reply = json(
        await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${inbound.conversationId}/messages`, headers: owner.headers, payload: { text: 'Retry me' } }),
      );
      await waitFor(() => receiver.received.length >= 3 || undefined, 25_000);
      expect(new Set(receiver.received.map((r) => r.headers['heard-event-id']))).toEqual(new Set([reply.id]));
      await waitFor(async () => {
        const c = json(await h.app.inject({ url: `/api/v1/conversations/${inbound.conversationId}/timeline`, headers: owner.headers }));
        return c.items.some((i: any) => i.message?.id === reply.id && i.message.deliveryStatus === 'sent') || undefined;
      });
    } finally {
      await receiver.close();
    }
  });
});

const owners = (c: Client) => ({ workspaceId: c.workspaceId, memberId: c.memberId, userId: '', role: 'owner' as const, via: 'token' as const, scopes: ['read', 'write', 'admin'] as const });

async function replyAndWaitForFailure(h: TestHeard, owner: Client, inboxId: string) {
  const inbound = await sendInbound(h.app, owner, inboxId);
  const reply = json(
    await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${inbound.conversationId}/messages`, headers: owner.headers, payload: { text: 'Hello?' } }),
  );
  return waitFor(async () => {
    const t = json(await h.app.inject({ url: `/api/v1/conversations/${inbound.conversationId}/timeline`, headers: owner.headers }));
    const m = t.items.find((i: any) => i.message?.id === reply.id)?.message;
    return m?.deliveryStatus === 'failed' ? { message: m, timeline: t } : undefined;
  }, 20_000);
}

describe('API channel callbacks to private addresses', () => {
  let h: TestHeard;
  let owner: Client;
  beforeAll(async () => {
    h = await startTestHeard({ HEARD_ALLOW_PRIVATE_WEBHOOKS: '0' });
    owner = await buildMember(h.ctx);
  });
  afterAll(() => h.stop());

  it('refuses a callback URL on a private address when the inbox is saved', async () => {
    for (const callbackUrl of ['http://10.0.0.5/hook', 'http://localhost:8080/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest']) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: owner.headers, payload: { name: 'Internal', channel: 'api', callbackUrl } });
      expect(res.statusCode, callbackUrl).toBe(422);
      expect(json(res).errors[0].field).toBe('callbackUrl');
    }
  });

  it('fails at once, without retrying, a callback whose name resolves to a private address, and says why', async () => {
    // Saved past the check (as if DNS changed after it was saved): the guard at delivery time must still refuse.
    const inbox = await inTransaction(h.ctx, (tx) => createInbox(tx, owners(owner), { name: 'Rebound', channel: 'api', callbackUrl: 'http://localhost:9/hook' }, true));
    const { message, timeline } = await replyAndWaitForFailure(h, owner, inbox.id);
    expect(message.deliveryError).toMatch(/resolves to a private address/);
    expect(timeline.items.some((i: any) => i.event?.type === 'message.delivery' && i.event.data.deliveryStatus === 'failed')).toBe(true);
  });
});

describe('API channel callbacks that keep failing', () => {
  let h: TestHeard;
  let owner: Client;
  beforeAll(async () => {
    // A retry window of 3.6 s instead of 72 h.
    h = await startTestHeard({ HEARD_WEBHOOK_MAX_AGE_HOURS: '0.001' });
    owner = await buildMember(h.ctx);
  });
  afterAll(() => h.stop());

  it('marks the reply failed with the last reason once the retry window has passed', async () => {
    const receiver = await startReceiver(() => 500);
    try {
      const inbox = await buildApiInbox(h.app, owner, receiver.url);
      const { message } = await replyAndWaitForFailure(h, owner, inbox.id);
      expect(message.deliveryError).toMatch(/^gave up after \d+ attempts: callback answered HTTP 500/);
      expect(receiver.received.length).toBeGreaterThanOrEqual(2);
    } finally {
      await receiver.close();
    }
  });
});
