import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messages } from '../../db/schema/index.js';
import { buildMember, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { startSmtpSink } from '../../../../test/helpers/smtp-sink.js';

/**
 * A team answering many customers at once (or a macro on many conversations): the
 * replies leave several at a time over connections that stay open, not one by one
 * with a new connection each, and never more at once than the inbox's connections.
 */
describe('replies leaving an email inbox', () => {
  let h: TestHeard;
  let owner: Client;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let inboxId: string;

  beforeAll(async () => {
    // A distant server: each message waits 150 ms for its answer.
    sink = await startSmtpSink({ latencyMs: 150 });
    h = await startTestHeard({ SMTP_URL: sink.url, HEARD_MAIL_DOMAIN: 'mail.heard.test', HEARD_OUTBOUND_CONCURRENCY: '8', HEARD_OUTBOUND_CONNECTIONS_PER_INBOX: '3' });
    owner = await buildMember(h.ctx, { name: 'Ann Agent' });
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: owner.headers, payload: { name: 'Support', channel: 'email', address: 'support@acme.test' } });
    expect(res.statusCode, res.body).toBe(201);
    inboxId = json(res).id;
  });
  afterAll(async () => {
    await h?.stop();
    await sink?.close();
  });

  it('go several at a time over reused connections, at most the inbox’s connections at once', async () => {
    const total = 24;
    const conversations = await Promise.all(
      Array.from({ length: total }, async (_, i) => {
        const raw = [`From: customer${i}@buyer.test`, 'To: support@acme.test', `Subject: Order ${i}`, `Message-ID: <order-${i}@buyer.test>`, '', `Where is order ${i}?`, ''].join('\r\n');
        const res = await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inboxId}/mime`, headers: { ...owner.headers, 'content-type': 'message/rfc822' }, payload: raw });
        expect(res.statusCode, res.body).toBe(201);
        return json(res).conversationId as string;
      }),
    );
    const replies = await Promise.all(
      conversations.map(async (id, i) => {
        const res = await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/messages`, headers: owner.headers, payload: { text: `Order ${i} left today.` } });
        expect(res.statusCode, res.body).toBe(201);
        return json(res).id as string;
      }),
    );

    await expect.poll(() => sink.received.length, { timeout: 30_000 }).toBe(total);
    expect(new Set(sink.received.map((m) => m.mail.messageId)).size).toBe(total);
    // More than one in the sink at once, never more than the inbox's 3 connections, and those reused.
    expect(sink.stats.mostAtOnce).toBeGreaterThan(1);
    expect(sink.stats.mostAtOnce).toBeLessThanOrEqual(3);
    expect(sink.stats.connections).toBeLessThanOrEqual(3);
    const statuses = async () => Promise.all(replies.map(async (id) => (await h.ctx.db.select().from(messages).where(eq(messages.id, id)))[0].deliveryStatus));
    await expect.poll(statuses).toEqual(replies.map(() => 'sent'));
  });
});
