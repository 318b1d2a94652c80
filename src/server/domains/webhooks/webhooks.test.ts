import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../core/webhooks/signature.js';
import { pruneWebhookLog } from './service.js';
import { buildApiInbox, buildMember, sendInbound, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { waitFor } from '../../../../test/helpers/receiver.js';

interface Hit {
  headers: http.IncomingHttpHeaders;
  body: string;
  type: string;
  id: string;
}

/**
 * A real HTTP server standing in for a workspace's webhook receiver: it records every POST
 * and answers the n-th with the status `answer` gives, after `delayMs` when it says so (a
 * receiver too slow to answer).
 */
function startEndpoint(answer: (n: number) => { status: number; delayMs?: number; body?: string } = () => ({ status: 200 })) {
  const hits: Hit[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const parsed = JSON.parse(body) as { type: string; id: string };
      hits.push({ headers: req.headers, body, type: parsed.type, id: parsed.id });
      const a = answer(hits.length);
      const send = () => res.writeHead(a.status, { 'content-type': 'text/plain' }).end(a.body ?? 'ok');
      if (a.delayMs) setTimeout(send, a.delayMs);
      else send();
    });
  });
  return new Promise<{ url: string; hits: Hit[]; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/hooks`,
        hits,
        close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
      });
    });
  });
}

describe('workspace webhooks', () => {
  let h: TestHeard;
  let owner: Client;
  let inboxId: string;
  beforeAll(async () => {
    h = await startTestHeard({ HEARD_WEBHOOK_TIMEOUT_SECONDS: '2' });
    owner = await buildMember(h.ctx);
    inboxId = (await buildApiInbox(h.app, owner)).id;
  });
  afterAll(() => h.stop());

  const create = (by: Client, payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: by.headers, payload });
  const endpoint = async (by: Client, url: string, eventTypes: string[]) => {
    const res = await create(by, { url, eventTypes, description: 'Test receiver' });
    expect(res.statusCode, res.body).toBe(201);
    return json(res) as { id: string; secret: string };
  };
  const deliveries = async (by: Client, id: string) => json(await h.app.inject({ url: `/api/v1/webhooks/${id}/deliveries`, headers: by.headers })).items as any[];
  /** Waits until the outbox is dispatched and none of the endpoint's deliveries is waiting for an attempt. */
  const settled = async (by: Client, id: string) => {
    await h.dispatcher.flush();
    return waitFor(async () => {
      const items = await deliveries(by, id);
      return items.every((d) => d.status !== 'pending') && items;
    });
  };

  it('adds, lists, changes, rotates and removes endpoints; the secret is shown only when made', async () => {
    const kinds = json(await h.app.inject({ url: '/api/v1/webhooks/event-types', headers: owner.headers })).items;
    expect(kinds).toEqual(expect.arrayContaining(['all', 'conversation.created', 'message.created', 'conversation.merged', 'sla.breached', 'satisfaction.rated']));

    const made = await endpoint(owner, 'https://hooks.example.test/heard', ['message.created', 'conversation.created', 'message.created']);
    expect(made.secret).toMatch(/^whsec_/);
    expect(made).toMatchObject({ url: 'https://hooks.example.test/heard', description: 'Test receiver', enabled: true, eventTypes: ['conversation.created', 'message.created'] });
    const list = await h.app.inject({ url: '/api/v1/webhooks', headers: owner.headers });
    expect(json(list).items.map((e: any) => e.id)).toContain(made.id);
    expect(list.body).not.toContain('whsec_');
    expect((await h.app.inject({ url: `/api/v1/webhooks/${made.id}`, headers: owner.headers })).body).not.toContain('whsec_');

    const patched = await h.app.inject({ method: 'PATCH', url: `/api/v1/webhooks/${made.id}`, headers: owner.headers, payload: { eventTypes: ['all', 'sla.breached'], enabled: false } });
    expect(json(patched)).toMatchObject({ eventTypes: ['all'], enabled: false });
    const rotated = json(await h.app.inject({ method: 'POST', url: `/api/v1/webhooks/${made.id}/rotate-secret`, headers: owner.headers }));
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(made.secret);

    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${made.id}`, headers: owner.headers })).statusCode).toBe(204);
    expect((await h.app.inject({ url: `/api/v1/webhooks/${made.id}`, headers: owner.headers })).statusCode).toBe(404);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = json(await h.app.inject({ url: '/api/openapi.json' }));
    for (const path of ['/api/v1/webhooks', '/api/v1/webhooks/{id}', '/api/v1/webhooks/{id}/test', '/api/v1/webhooks/{id}/deliveries', '/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/api/v1/webhooks'].post.responses['201']).toBeDefined();
  });

  it('refuses a bad URL or kind with a 422 naming the field, and stores nothing', async () => {
    const before = json(await h.app.inject({ url: '/api/v1/webhooks', headers: owner.headers })).items.length;
    for (const [payload, field] of [
      [{ url: 'ftp://x.example.test/', eventTypes: ['all'] }, 'url'],
      [{ url: 'not a url', eventTypes: ['all'] }, 'url'],
      [{ url: 'https://x.example.test/', eventTypes: ['no.such.kind'] }, 'eventTypes.0'],
      [{ url: 'https://x.example.test/', eventTypes: [] }, 'eventTypes'],
    ] as const) {
      const res = await create(owner, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(json(res).errors.map((e: any) => e.field)).toEqual([field]);
    }
    expect(json(await h.app.inject({ url: '/api/v1/webhooks', headers: owner.headers })).items).toHaveLength(before);
  });

  it("POSTs the subscribed kinds only, signed with the endpoint's secret, and never another workspace's events", async () => {
    const mine = await startEndpoint();
    const theirs = await startEndpoint();
    try {
      const hook = await endpoint(owner, mine.url, ['conversation.created']);
      const other = await buildMember(h.ctx);
      const theirHook = await endpoint(other, theirs.url, ['all']);

      const inbound = await sendInbound(h.app, owner, inboxId);
      const log = await settled(owner, hook.id);
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ eventType: 'conversation.created', status: 'delivered', attempts: [{ statusCode: 200, manual: false, error: null }] });

      expect(mine.hits.map((x) => x.type)).toEqual(['conversation.created']);
      const hit = mine.hits[0];
      expect(verifySignature(hook.secret, hit.body, hit.headers['heard-timestamp'] as string, hit.headers['heard-signature'] as string)).toEqual({ ok: true });
      expect(verifySignature('whsec_wrong', hit.body, hit.headers['heard-timestamp'] as string, hit.headers['heard-signature'] as string).ok).toBe(false);
      const body = JSON.parse(hit.body);
      expect(body).toMatchObject({ type: 'conversation.created', workspaceId: owner.workspaceId, conversationId: inbound.conversationId, data: { inboxId } });
      expect(hit.headers).toMatchObject({ 'heard-event-id': body.id, 'heard-event-type': 'conversation.created', 'heard-delivery-id': log[0].id });
      expect(log[0].requestBody).toBe(hit.body);

      // The other workspace's endpoint, subscribed to everything, got nothing of this one's.
      expect(await deliveries(other, theirHook.id)).toEqual([]);
      expect(theirs.hits).toEqual([]);
      // Nor can its admin read this workspace's endpoint or log.
      expect((await h.app.inject({ url: `/api/v1/webhooks/${hook.id}/deliveries`, headers: other.headers })).statusCode).toBe(404);
      await h.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, headers: owner.headers });
    } finally {
      await mine.close();
      await theirs.close();
    }
  });

  it('retries a 500 and a timeout with back-off until delivered, with the same event id each time', async () => {
    const flaky = await startEndpoint((n) => (n === 1 ? { status: 500, body: 'database down' } : n === 2 ? { status: 200, delayMs: 4000 } : { status: 204 }));
    try {
      const hook = await endpoint(owner, flaky.url, ['conversation.created']);
      await sendInbound(h.app, owner, inboxId);
      const [d] = await settled(owner, hook.id);
      expect(d.status).toBe('delivered');
      expect(d.attempts.map((a: any) => a.statusCode)).toEqual([204, null, 500]);
      expect(d.attempts[2]).toMatchObject({ error: 'answered HTTP 500', responseBody: 'database down' });
      expect(d.attempts[1].error).toMatch(/request failed/);
      expect(flaky.hits).toHaveLength(3);
      expect(new Set(flaky.hits.map((x) => x.headers['heard-event-id']))).toEqual(new Set([d.eventId]));
      await h.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, headers: owner.headers });
    } finally {
      await flaky.close();
    }
  });

  it('sends a test ping now and shows the result; redelivers a delivery with the same event id', async () => {
    const receiver = await startEndpoint((n) => (n === 2 ? { status: 503, body: 'busy' } : { status: 200 }));
    try {
      const hook = await endpoint(owner, receiver.url, ['message.created']);
      const ping = await h.app.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test`, headers: owner.headers });
      expect(ping.statusCode).toBe(200);
      expect(json(ping)).toMatchObject({ eventType: 'ping', status: 'delivered', attempts: [{ statusCode: 200, manual: true }] });
      expect(receiver.hits[0]).toMatchObject({ type: 'ping' });
      const hit = receiver.hits[0];
      expect(verifySignature(hook.secret, hit.body, hit.headers['heard-timestamp'] as string, hit.headers['heard-signature'] as string)).toEqual({ ok: true });

      const failed = json(await h.app.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test`, headers: owner.headers }));
      expect(failed).toMatchObject({ eventType: 'ping', status: 'failed', attempts: [{ statusCode: 503, error: 'answered HTTP 503', responseBody: 'busy' }] });

      const again = await h.app.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/deliveries/${failed.id}/redeliver`, headers: owner.headers });
      expect(again.statusCode).toBe(200);
      expect(json(again)).toMatchObject({ id: failed.id, status: 'delivered', attempts: [{ statusCode: 200, manual: true }, { statusCode: 503 }] });
      expect(receiver.hits[2].headers['heard-event-id']).toBe(failed.eventId);
      expect(receiver.hits[2].body).toBe(receiver.hits[1].body);

      // The log forgets what is done and old, never what is still being retried.
      await h.ctx.db.execute(sql`update webhook_deliveries set created_at = now() - interval '40 days' where endpoint_id = ${hook.id}`);
      await h.ctx.db.execute(sql`update webhook_deliveries set status = 'pending' where id = ${failed.id}`);
      expect(await pruneWebhookLog(h.ctx.db, new Date(Date.now() - 30 * 86_400_000))).toBe(1);
      expect((await deliveries(owner, hook.id)).map((d) => d.id)).toEqual([failed.id]);

      const missing = '0190a0a0-0000-7000-8000-000000000000';
      expect((await h.app.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/deliveries/${missing}/redeliver`, headers: owner.headers })).statusCode).toBe(404);
      await h.app.inject({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}`, headers: owner.headers });
    } finally {
      await receiver.close();
    }
  });

  it('switches off an endpoint that has failed for days, says why, and a dead one delays no other', async () => {
    const dead = await startEndpoint(() => ({ status: 500 }));
    const alive = await startEndpoint();
    try {
      const bad = await endpoint(owner, dead.url, ['conversation.created']);
      const good = await endpoint(owner, alive.url, ['conversation.created']);
      await h.ctx.db.execute(sql`update webhook_endpoints set failing_since = now() - interval '10 days' where id = ${bad.id}`);
      await sendInbound(h.app, owner, inboxId);
      await settled(owner, good.id);
      expect(alive.hits.map((x) => x.type)).toEqual(['conversation.created']);
      const off = await waitFor(async () => {
        const e = json(await h.app.inject({ url: `/api/v1/webhooks/${bad.id}`, headers: owner.headers }));
        return !e.enabled && e;
      });
      expect(off.disabledReason).toMatch(/Every delivery failed since .*answered HTTP 500/);
      const audit = json(await h.app.inject({ url: '/api/v1/audit-log', headers: owner.headers })).items;
      expect(audit.some((a: any) => a.action === 'webhook.auto-disable' && a.targetId === bad.id)).toBe(true);
      const [d] = await settled(owner, bad.id);
      expect(d.status).toBe('failed');

      // Switched on again, it starts afresh.
      const on = json(await h.app.inject({ method: 'PATCH', url: `/api/v1/webhooks/${bad.id}`, headers: owner.headers, payload: { enabled: true } }));
      expect(on).toMatchObject({ enabled: true, disabledAt: null, disabledReason: null, failingSince: null });
    } finally {
      await dead.close();
      await alive.close();
    }
  });
});

describe('workspace webhooks without private addresses', () => {
  let h: TestHeard;
  beforeAll(async () => {
    h = await startTestHeard({ HEARD_ALLOW_PRIVATE_WEBHOOKS: '0' });
  });
  afterAll(() => h.stop());

  it('refuses an endpoint on a private or loopback address when it is saved', async () => {
    const owner = await buildMember(h.ctx);
    for (const url of ['http://127.0.0.1:8080/hook', 'http://10.0.0.7/hook', 'http://localhost/hook']) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: owner.headers, payload: { url, eventTypes: ['all'] } });
      expect(res.statusCode, url).toBe(422);
      expect(json(res).errors.map((e: any) => e.field)).toEqual(['url']);
    }
  });
});
