import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiInbox, buildMember, sendInbound, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { startReceiver, waitFor } from '../../../../test/helpers/receiver.js';
import { startSmtpSink } from '../../../../test/helpers/smtp-sink.js';

/** Nothing listens on the discard port: every attempt is refused. */
const DEAD = 'http://127.0.0.1:9/heard';

describe('delivery problems: a reply to a dead callback', () => {
  let h: TestHeard;
  let owner: Client;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    sink = await startSmtpSink();
    // A retry window of 7.2 s instead of 72 h (long enough to see retries on a busy machine), and an outgoing mail server for "send by e-mail instead".
    h = await startTestHeard({ HEARD_WEBHOOK_MAX_AGE_HOURS: '0.002', SMTP_URL: sink.url });
    owner = await buildMember(h.ctx);
  });
  afterAll(async () => {
    await h.stop();
    await sink.close();
  });

  const get = async (url: string, who: Client = owner) => json(await h.app.inject({ url: `/api/v1${url}`, headers: who.headers }));
  const post = (url: string, who: Client = owner, payload?: object) => h.app.inject({ method: 'POST', url: `/api/v1${url}`, headers: who.headers, payload });
  const messageOf = async (conversationId: string, id: string) => (await get(`/conversations/${conversationId}/timeline`)).items.find((i: any) => i.message?.id === id)?.message;

  async function replyToDeadCallback(contact: Record<string, unknown> = {}, attachmentIds: string[] = []) {
    const inbox = await buildApiInbox(h.app, owner, DEAD);
    const inbound = await sendInbound(h.app, owner, inbox.id, { contact: { externalId: `ext-${Math.random()}`, name: 'Dana Dead', ...contact } });
    const reply = json(await post(`/conversations/${inbound.conversationId}/messages`, owner, { text: 'Your parcel left today.', attachmentIds }));
    return { inbox, conversationId: inbound.conversationId, reply };
  }

  it('shows the reply retrying, with the reason and the next try, then failed with why', async () => {
    const { conversationId, reply } = await replyToDeadCallback();
    const retrying = await waitFor(async () => {
      const m = await messageOf(conversationId, reply.id);
      return m?.deliveryStatus === 'queued' && m.deliveryAttempts >= 1 && m.deliveryNextAt ? m : undefined;
    });
    expect(retrying.deliveryError).toMatch(/^attempt \d+: callback request failed: .*ECONNREFUSED/);
    expect(new Date(retrying.deliveryNextAt).getTime()).toBeGreaterThan(new Date(retrying.createdAt).getTime());

    const failed = await waitFor(async () => {
      const m = await messageOf(conversationId, reply.id);
      return m?.deliveryStatus === 'failed' ? m : undefined;
    }, 20_000);
    expect(failed.deliveryError).toMatch(/^gave up after \d+ attempts: callback request failed: .*ECONNREFUSED/);
    expect(failed.deliveryAttempts).toBeGreaterThanOrEqual(2);
    expect(failed.deliveryNextAt).toBeNull();

    // The timeline pushed each retry (the agent app updates without reload), then the failure.
    const events = (await get(`/conversations/${conversationId}/timeline`)).items.filter((i: any) => i.event?.type === 'message.delivery' && i.event.data.messageId === reply.id);
    expect(events.some((e: any) => e.event.data.deliveryStatus === 'queued' && e.event.data.nextAttemptAt && e.event.data.attempts >= 1)).toBe(true);
    expect(events.at(-1).event.data).toMatchObject({ deliveryStatus: 'failed', attempts: failed.deliveryAttempts });

    // The workspace's delivery problems list it, and the rail's count includes it.
    const problems = await get('/delivery-problems');
    const row = problems.items.find((p: any) => p.message.id === reply.id);
    expect(row).toMatchObject({ channel: 'api', attempts: failed.deliveryAttempts, reason: failed.deliveryError, nextAttemptAt: null, canRetry: true, canEmailInstead: false });
    expect(row.conversation.id).toBe(conversationId);
    expect(row.recipient.name).toBe('Dana Dead');
    expect(problems.failed).toBeGreaterThanOrEqual(1);
    expect((await get('/views')).deliveryFailed).toBe(problems.failed);

    // Without the customer's e-mail address it cannot go by e-mail instead, and says why.
    const res = await post(`/messages/${reply.id}/send-by-email`);
    expect(res.statusCode).toBe(422);
    expect(json(res).errors[0]).toMatchObject({ field: 'id', reason: expect.stringMatching(/no e-mail address/) });
  });

  it('retries now at once: re-queued, then sent once the callback answers', async () => {
    const { inbox, conversationId, reply } = await replyToDeadCallback();
    await waitFor(async () => (await messageOf(conversationId, reply.id))?.deliveryStatus === 'failed', 20_000);

    // Another workspace's member finds no such reply.
    const stranger = await buildMember(h.ctx);
    expect((await post(`/messages/${reply.id}/retry`, stranger)).statusCode).toBe(404);

    const receiver = await startReceiver(() => 200);
    try {
      const patched = await h.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${inbox.id}`, headers: owner.headers, payload: { callbackUrl: receiver.url } });
      expect(patched.statusCode).toBe(200);
      const res = await post(`/messages/${reply.id}/retry`);
      expect(res.statusCode).toBe(200);
      expect(json(res)).toMatchObject({ id: reply.id, deliveryStatus: 'queued' });
      await waitFor(async () => (await messageOf(conversationId, reply.id))?.deliveryStatus === 'sent');
      expect(receiver.received.map((r) => r.id)).toEqual([reply.id]);
      // Nothing to retry on a reply that is not in trouble.
      const again = await post(`/messages/${reply.id}/retry`);
      expect(again.statusCode).toBe(409);
      expect(json(again).detail).toMatch(/this one is sent/);
      expect((await get('/delivery-problems')).items.some((p: any) => p.message.id === reply.id)).toBe(false);
    } finally {
      await receiver.close();
    }
  });

  it('sends a failed reply by e-mail instead, marking the failed one replaced', async () => {
    const emailInbox = await post('/inboxes', owner, { name: 'Support', channel: 'email', address: 'support@acme.test' });
    expect(emailInbox.statusCode).toBe(201);
    const boundary = 'heard-test-boundary';
    const upload = await h.app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...owner.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="label.txt"\r\nContent-Type: text/plain\r\n\r\nParcel label 42\r\n--${boundary}--\r\n`,
    });
    expect(upload.statusCode).toBe(201);
    const { conversationId, reply } = await replyToDeadCallback({ email: 'dana@example.test' }, json(upload).map((a: any) => a.id));
    await waitFor(async () => (await messageOf(conversationId, reply.id))?.deliveryStatus === 'failed', 20_000);
    expect((await get(`/conversations/${conversationId}/timeline`)).emailFallback).toBe(true);
    expect((await get('/delivery-problems')).items.find((p: any) => p.message.id === reply.id).canEmailInstead).toBe(true);

    const res = await post(`/messages/${reply.id}/send-by-email`);
    expect(res.statusCode).toBe(201);
    const { message: copy, to } = json(res);
    expect(to).toBe('dana@example.test');
    expect(copy).toMatchObject({ channel: 'email', direction: 'out', text: 'Your parcel left today.', deliveryStatus: 'queued' });
    await waitFor(() => sink.received.find((m) => m.to.includes('dana@example.test')));
    const mail = sink.received.find((m) => m.to.includes('dana@example.test'))!.mail;
    expect(mail.text).toContain('Your parcel left today.');
    // Its attachment goes along.
    expect(mail.attachments.map((a) => [a.filename, a.content.toString()])).toEqual([['label.txt', 'Parcel label 42']]);
    expect(copy.attachments.map((a: any) => a.filename)).toEqual(['label.txt']);
    await waitFor(async () => (await messageOf(conversationId, copy.id))?.deliveryStatus === 'sent');
    expect(await messageOf(conversationId, reply.id)).toMatchObject({ deliveryStatus: 'failed', replacedById: copy.id });
    expect((await get('/delivery-problems')).items.some((p: any) => p.message.id === reply.id)).toBe(false);
    // Once is enough.
    expect((await post(`/messages/${reply.id}/send-by-email`)).statusCode).toBe(409);
  });
});
