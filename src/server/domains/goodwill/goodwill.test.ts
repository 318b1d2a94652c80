import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiInbox, buildMember, type Client, sendInbound } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { waitFor } from '../../../../test/helpers/receiver.js';
import { inTransaction } from '../../core/context.js';
import { Invalid } from '../../core/errors.js';
import { verifySignature } from '../../core/webhooks/signature.js';
import { updateGoodwillSettings } from './service.js';

/** A real order system on a local port: answers each POST with what `answer` says for the n-th (after `hold` resolves, if given). */
function startOrderSystem(answer: (n: number) => { status: number; body?: string; hold?: Promise<void> }) {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', async () => {
      received.push({ headers: req.headers, body });
      const a = answer(received.length);
      await a.hold;
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body ?? '');
    });
  });
  return new Promise<{ url: string; received: typeof received; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/goodwill`, received, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

describe('goodwill', () => {
  let h: TestHeard;
  let owner: Client;
  let admin: Client;
  let agent: Client;
  let inboxId: string;
  const workspace = 'Goodwill Co';

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace, role: 'owner' });
    admin = await buildMember(h.ctx, { workspace, role: 'admin', name: 'Ada Admin' });
    agent = await buildMember(h.ctx, { workspace, role: 'agent', name: 'Ann Agent' });
    inboxId = (await buildApiInbox(h.app, owner)).id;
  });
  afterAll(() => h.stop());

  const give = (who: Client, conversationId: string, body: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/goodwill`, headers: who.headers, payload: { kind: 'credit', currency: 'EUR', reason: 'Wheels kit missing', ...body } });
  const decide = (who: Client, id: string, what: 'approve' | 'deny', body: Record<string, unknown> = {}) =>
    h.app.inject({ method: 'POST', url: `/api/v1/goodwill/actions/${id}/${what}`, headers: who.headers, payload: body });
  const action = async (id: string, who = owner) => json(await h.app.inject({ url: `/api/v1/goodwill/actions/${id}`, headers: who.headers }));
  const eventsOf = async (conversationId: string, who = owner) =>
    json(await h.app.inject({ url: `/api/v1/conversations/${conversationId}/timeline`, headers: who.headers }))
      .items.filter((i: any) => i.type === 'event' && i.event.type.startsWith('goodwill.'))
      .map((i: any) => i.event);

  it('gives at once within the role’s limit and waits for approval above it, per role, kind and currency', async () => {
    const c = await sendInbound(h.app, owner, inboxId);
    // Defaults: agents 50, admins 500 in the currency's main unit; owners no limit.
    const small = await give(agent, c.conversationId, { amountMinor: 5000 });
    expect(small.statusCode).toBe(201);
    expect(json(small)).toMatchObject({ state: 'approved', amount: '50.00', delivery: { status: null }, customerText: 'We’ve credited €50.00 to your account.' });
    const over = json(await give(agent, c.conversationId, { amountMinor: 5001 }));
    expect(over).toMatchObject({ state: 'awaiting_approval', customerText: null });
    expect(json(await give(admin, c.conversationId, { amountMinor: 40_000 })).state).toBe('approved');
    expect(json(await give(owner, c.conversationId, { amountMinor: 9_000_000 })).state).toBe('approved');
    // JPY has no minor unit: an agent's default is ¥50.
    expect(json(await give(agent, c.conversationId, { amountMinor: 51, currency: 'jpy' })).state).toBe('awaiting_approval');

    // A workspace's own limits: agents may refund up to 100 USD, and give no discount in USD without approval.
    const put = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/goodwill/settings',
      headers: owner.headers,
      payload: { limits: [{ role: 'agent', kind: 'refund', currency: 'USD', limitMinor: 10_000 }, { role: 'agent', kind: 'discount', currency: 'USD', limitMinor: 0 }] },
    });
    expect(put.statusCode).toBe(200);
    expect(json(await give(agent, c.conversationId, { kind: 'refund', currency: 'USD', amountMinor: 9_900 })).state).toBe('approved');
    expect(json(await give(agent, c.conversationId, { kind: 'discount', currency: 'USD', amountMinor: 1 })).state).toBe('awaiting_approval');
    // A kind or currency without a row of its own keeps the default.
    expect(json(await give(agent, c.conversationId, { kind: 'credit', currency: 'USD', amountMinor: 9_900 })).state).toBe('awaiting_approval');
    const settings = json(await h.app.inject({ url: '/api/v1/goodwill/settings', headers: agent.headers }));
    expect(settings.limits).toHaveLength(2);
    expect(settings.orderWebhookSecret).toBeUndefined();

    const timeline = await eventsOf(c.conversationId);
    expect(timeline.map((e: any) => e.type)).toEqual(['goodwill.issued', 'goodwill.requested', 'goodwill.issued', 'goodwill.issued', 'goodwill.requested', 'goodwill.issued', 'goodwill.requested', 'goodwill.requested']);
    expect(timeline[1]).toMatchObject({ actorMemberId: agent.memberId, data: { actionId: over.id, kind: 'credit', amountMinor: 5001, currency: 'EUR', reason: 'Wheels kit missing' } });
  });

  it('refuses bad input with the field named, and writes nothing', async () => {
    const c = await sendInbound(h.app, owner, inboxId);
    for (const [body, field] of [
      [{ currency: 'EURO', amountMinor: 100 }, 'currency'],
      [{ currency: 'XYZ', amountMinor: 100 }, 'currency'],
      [{ amountMinor: 0 }, 'amountMinor'],
      [{ amountMinor: 12.5 }, 'amountMinor'],
      [{ amountMinor: 100, reason: '  ' }, 'reason'],
      [{ amountMinor: 100, kind: 'voucher' }, 'kind'],
    ] as const) {
      const res = await give(agent, c.conversationId, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(json(res).errors[0].field).toBe(field);
    }
    expect(json(await h.app.inject({ url: `/api/v1/conversations/${c.conversationId}/goodwill`, headers: owner.headers })).items).toEqual([]);
  });

  it('a supervisor approves or denies (with a reason); nobody decides their own request, nor twice', async () => {
    const c = await sendInbound(h.app, owner, inboxId);
    const asked = json(await give(agent, c.conversationId, { amountMinor: 8_000, orderRef: 'A-1042' }));
    expect((await decide(agent, asked.id, 'approve')).statusCode).toBe(403);

    const own = json(await give(admin, c.conversationId, { amountMinor: 60_000 }));
    expect(own.state).toBe('awaiting_approval');
    const self = await decide(admin, own.id, 'approve');
    expect(self.statusCode).toBe(403);
    expect(json(self).detail).toMatch(/own request/);

    const denyBare = await decide(admin, asked.id, 'deny', {});
    expect(denyBare.statusCode).toBe(422);
    expect(json(denyBare).errors[0].field).toBe('reason');
    expect((await decide(admin, asked.id, 'deny', { reason: '  ' })).statusCode).toBe(422);
    expect((await action(asked.id)).state).toBe('awaiting_approval');

    const approved = await decide(admin, asked.id, 'approve', { reason: 'Loyal customer' });
    expect(approved.statusCode).toBe(200);
    expect(json(approved)).toMatchObject({
      state: 'approved',
      decidedByMemberId: admin.memberId,
      requestedByName: 'Ann Agent',
      decidedByName: 'Ada Admin',
      decisionReason: 'Loyal customer',
      customerText: 'We’ve credited €80.00 to your account. (Order A-1042)',
    });
    expect((await decide(owner, asked.id, 'deny', { reason: 'Changed my mind' })).statusCode).toBe(409);

    // An admin's approval stays within the admin's own limit (500): above it, an owner's.
    expect((await decide(admin, own.id, 'approve')).statusCode).toBe(403);
    const denied = json(await decide(owner, own.id, 'deny', { reason: 'Too much for one order' }));
    expect(denied).toMatchObject({ state: 'denied', decisionReason: 'Too much for one order', customerText: null });

    const types = (await eventsOf(c.conversationId)).map((e: any) => [e.type, e.data.reason]);
    expect(types).toEqual([
      ['goodwill.requested', 'Wheels kit missing'],
      ['goodwill.requested', 'Wheels kit missing'],
      ['goodwill.approved', 'Loyal customer'],
      ['goodwill.denied', 'Too much for one order'],
    ]);
    const pending = json(await h.app.inject({ url: '/api/v1/goodwill/actions?state=awaiting_approval', headers: admin.headers })).items;
    expect(pending.map((g: any) => g.id)).not.toContain(asked.id);
  });

  it('keeps a ledger per contact and per workspace, summed per currency and kind, as JSON and CSV', async () => {
    const other = await buildMember(h.ctx, { workspace: 'Ledger Co', role: 'owner' });
    const inbox = await buildApiInbox(h.app, other);
    const a = await sendInbound(h.app, other, inbox.id, { contact: { externalId: 'maya', name: 'Maya' } });
    const b = await sendInbound(h.app, other, inbox.id, { contact: { externalId: 'maya', name: 'Maya' }, clientMessageId: 'second' });
    const c = await sendInbound(h.app, other, inbox.id, { contact: { externalId: 'ola', name: 'Ola' } });
    await give(other, a.conversationId, { amountMinor: 2_000 });
    await give(other, b.conversationId, { amountMinor: 1_550 });
    await give(other, b.conversationId, { kind: 'replacement', amountMinor: 4_900, reason: 'Wheels, "kit" = 2 parts' });
    await give(other, c.conversationId, { amountMinor: 1_000, currency: 'GBP' });

    const maya = json(await h.app.inject({ url: `/api/v1/goodwill/ledger?contactId=${a.contactId}`, headers: other.headers }));
    expect(maya.items).toHaveLength(3);
    expect(maya.given).toEqual([
      { currency: 'EUR', kind: 'credit', count: 2, amountMinor: 3_550, amount: '35.50' },
      { currency: 'EUR', kind: 'replacement', count: 1, amountMinor: 4_900, amount: '49.00' },
    ]);
    const all = json(await h.app.inject({ url: '/api/v1/goodwill/ledger', headers: other.headers }));
    expect(all.items).toHaveLength(4);
    expect(all.given.map((s: any) => `${s.currency} ${s.kind} ${s.amount}`)).toEqual(['EUR credit 35.50', 'EUR replacement 49.00', 'GBP credit 10.00']);
    // Another workspace's ledger holds none of this.
    expect(json(await h.app.inject({ url: '/api/v1/goodwill/ledger', headers: owner.headers })).items.some((g: any) => g.contactId === a.contactId)).toBe(false);

    const csv = await h.app.inject({ url: '/api/v1/goodwill/ledger?format=csv', headers: other.headers });
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^created_at,id,conversation_id,contact_id,kind,amount,currency,state,reason/);
    expect(lines.find((l) => l.includes('replacement'))).toContain('"Wheels, ""kit"" = 2 parts"');
  });

  it('posts an approved action to the order system, signed; retries a 500; records delivered with its reference', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const orders = await startOrderSystem((n) => (n === 1 ? { status: 500, body: 'database is down' } : { status: 201, body: JSON.stringify({ reference: 'RMA-7781' }), hold: held }));
    try {
      const ws = await buildMember(h.ctx, { workspace: 'Order Co', role: 'owner' });
      const sup = await buildMember(h.ctx, { workspace: 'Order Co', role: 'admin', name: 'Sam Supervisor' });
      const ag = await buildMember(h.ctx, { workspace: 'Order Co', role: 'agent' });
      const set = json(await h.app.inject({ method: 'PUT', url: '/api/v1/goodwill/settings', headers: ws.headers, payload: { orderWebhookUrl: orders.url } }));
      expect(set.orderWebhookSecret).toMatch(/^whsec_/);
      const inbox = await buildApiInbox(h.app, ws);
      const c = await sendInbound(h.app, ws, inbox.id, { contact: { externalId: 'case-maker-1', name: 'Robin' } });

      const asked = json(await give(ag, c.conversationId, { kind: 'refund', amountMinor: 12_000, orderRef: 'CASE-88' }));
      expect(asked.delivery.status).toBeNull();
      expect(json(await decide(sup, asked.id, 'approve')).delivery.status).toBe('queued');

      // The first attempt gets a 500: the action says it is retrying, and why.
      const retrying = await waitFor(async () => {
        const g = await action(asked.id, ws);
        return g.delivery.attempts === 1 ? g : undefined;
      });
      expect(retrying.delivery).toMatchObject({ status: 'queued', error: 'attempt 1: order system answered HTTP 500: database is down' });
      await waitFor(() => orders.received.length === 2);
      release();
      const done = await waitFor(async () => {
        const g = await action(asked.id, ws);
        return g.delivery.status === 'delivered' ? g : undefined;
      });
      expect(done.delivery).toMatchObject({ status: 'delivered', error: null, attempts: 2, externalRef: 'RMA-7781' });
      expect(done.delivery.deliveredAt).toBeTruthy();

      expect(new Set(orders.received.map((r) => r.headers['heard-event-id']))).toEqual(new Set([asked.id]));
      const last = orders.received[1];
      expect(verifySignature(set.orderWebhookSecret, last.body, last.headers['heard-timestamp'] as string, last.headers['heard-signature'] as string)).toEqual({ ok: true });
      expect(verifySignature('whsec_wrong', last.body, last.headers['heard-timestamp'] as string, last.headers['heard-signature'] as string).ok).toBe(false);
      expect(JSON.parse(last.body)).toMatchObject({
        id: asked.id,
        type: 'goodwill.approved',
        action: { kind: 'refund', amountMinor: 12_000, amount: '120.00', currency: 'EUR', orderRef: 'CASE-88', approvedBy: { id: sup.memberId, name: 'Sam Supervisor' } },
        contact: { name: 'Robin', externalId: 'case-maker-1' },
        conversation: { id: c.conversationId, number: c.conversationNumber },
      });
      const delivery = (await eventsOf(c.conversationId, ws)).find((e: any) => e.type === 'goodwill.delivery');
      expect(delivery.data).toMatchObject({ actionId: asked.id, deliveryStatus: 'delivered', externalRef: 'RMA-7781' });
    } finally {
      release();
      await orders.close();
    }
  });

  it('refuses an order system inside the network unless private webhooks are allowed', async () => {
    const actor = { workspaceId: owner.workspaceId, memberId: owner.memberId, userId: '', role: 'owner' as const, via: 'token' as const, scopes: ['read', 'write', 'admin'] as const };
    const err = await inTransaction(h.ctx, (tx) => updateGoodwillSettings(tx, actor, { orderWebhookUrl: 'http://10.0.0.8/orders' }, false)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Invalid);
    expect((err as Invalid).errors[0].field).toBe('orderWebhookUrl');
    expect(json(await h.app.inject({ url: '/api/v1/goodwill/settings', headers: owner.headers })).orderWebhookUrl).toBeNull();
  });
});
