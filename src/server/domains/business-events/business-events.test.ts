import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { businessEvents, contacts } from '../../db/schema/index.js';
import { signPayload } from '../../core/webhooks/signature.js';
import { buildMember, buildToken, signIn, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

describe('business events (POST /api/v1/events)', () => {
  let h: TestHeard;
  let owner: Client;
  let shop: { headers: Record<string, string> };
  const purchase = (over: Record<string, unknown> = {}) => ({
    id: 'order-1001',
    type: 'purchase',
    occurredAt: '2026-09-01T10:00:00Z',
    contact: { email: 'Maria@Example.test', name: 'Maria Lopez' },
    product: { sku: 'CAR-EV5', name: 'EV5 Touring' },
    amount: { value: 41990.5, currency: 'EUR' },
    data: { dealer: 'Lyon Nord', options: ['heat pump', 'tow bar'] },
    ...over,
  });
  const post = (headers: Record<string, string>, body: unknown) => h.app.inject({ method: 'POST', url: '/api/v1/events', headers, payload: body as object });

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'Events Co' });
    // Made from a session: a token never makes one with scopes it lacks.
    shop = await buildToken(h.app, await signIn(h.app, owner.email), { scopes: ['events'] });
  });
  afterAll(() => h.stop());

  it('records an event once per id: a retry answers 200 with the first result, other content under the same id 409', async () => {
    const first = await post(shop.headers, purchase());
    expect(first.statusCode, first.body).toBe(201);
    const event = json(first);
    expect(event).toMatchObject({ externalId: 'order-1001', type: 'purchase', product: { sku: 'CAR-EV5', name: 'EV5 Touring' }, amount: { value: 41990.5, currency: 'EUR' }, duplicate: false });

    // The same content, keys in another order and the time in another zone: a retry.
    const again = await post(shop.headers, { ...purchase(), occurredAt: '2026-09-01T12:00:00+02:00', data: { options: ['heat pump', 'tow bar'], dealer: 'Lyon Nord' } });
    expect(again.statusCode, again.body).toBe(200);
    expect(json(again)).toMatchObject({ id: event.id, duplicate: true });

    const other = await post(shop.headers, purchase({ amount: { value: 1, currency: 'EUR' } }));
    expect(other.statusCode, other.body).toBe(409);
    expect(await countRows(h.ctx.db, businessEvents)).toBe(1);

    // The contact was found or made by e-mail, and the event is on their history.
    const history = await h.app.inject({ method: 'GET', url: `/api/v1/contacts/${event.contactId}/events`, headers: owner.headers });
    expect(json(history).items.map((e: { id: string }) => e.id)).toEqual([event.id]);
    const contact = await h.app.inject({ method: 'GET', url: `/api/v1/contacts/${event.contactId}`, headers: owner.headers });
    expect(json(contact)).toMatchObject({ name: 'Maria Lopez', identities: [{ kind: 'email', value: 'maria@example.test' }] });
  });

  it('stores one event when the same id arrives twice at once', async () => {
    const [a, b] = await Promise.all([post(shop.headers, purchase({ id: 'race-1' })), post(shop.headers, purchase({ id: 'race-1' }))]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 201]);
    expect(json(a).id).toBe(json(b).id);
  });

  it('refuses a token without the events scope, and bad input naming the field, storing nothing', async () => {
    const before = await countRows(h.ctx.db, businessEvents);
    const contactsBefore = await countRows(h.ctx.db, contacts);
    const reader = await buildToken(h.app, owner, { scopes: ['read'] });
    expect((await post(reader.headers, purchase({ id: 'x-1' }))).statusCode).toBe(403);
    expect((await post({ authorization: 'Bearer heard_pat_wrong' }, purchase({ id: 'x-2' }))).statusCode).toBe(401);
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'has spaces' }, 'type'],
      [{ occurredAt: 'yesterday' }, 'occurredAt'],
      [{ contact: {} }, 'contact'],
      [{ contact: { id: '0190a0a0-0000-7000-8000-000000000000' } }, 'contact.id'],
      [{ amount: { value: 5, currency: 'euro' } }, 'amount.currency'],
      [{ data: { blob: 'x'.repeat(17 * 1024) } }, 'data'],
    ];
    for (const [over, field] of cases) {
      const res = await post(shop.headers, purchase({ id: `bad-${field}`, ...over }));
      expect(res.statusCode, `${field}: ${res.body}`).toBe(422);
      expect(json(res).errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await countRows(h.ctx.db, businessEvents)).toBe(before);
    expect(await countRows(h.ctx.db, contacts)).toBe(contactsBefore);
  });

  it('with a signing secret, takes only events signed with it', async () => {
    const session = await signIn(h.app, owner.email);
    const made = await h.app.inject({ method: 'POST', url: '/api/v1/events/signing-secret', headers: session.headers });
    expect(made.statusCode, made.body).toBe(200);
    const secret = json(made).signingSecret as string;
    const body = JSON.stringify(purchase({ id: 'signed-1' }));
    const send = (headers: Record<string, string>) =>
      h.app.inject({ method: 'POST', url: '/api/v1/events', headers: { ...shop.headers, 'content-type': 'application/json', ...headers }, payload: body });

    const unsigned = await send({});
    expect(unsigned.statusCode).toBe(401);
    expect(json(unsigned).detail).toMatch(/signature refused: missing or malformed Heard-Timestamp/);
    const wrong = signPayload('not-the-secret', body);
    expect((await send({ 'heard-timestamp': wrong.timestamp, 'heard-signature': wrong.signature })).statusCode).toBe(401);
    const stale = signPayload(secret, body, Math.floor(Date.now() / 1000) - 3600);
    expect((await send({ 'heard-timestamp': stale.timestamp, 'heard-signature': stale.signature })).statusCode).toBe(401);
    // Signed over other bytes than those sent.
    const other = signPayload(secret, body.replace('signed-1', 'signed-2'));
    expect((await send({ 'heard-timestamp': other.timestamp, 'heard-signature': other.signature })).statusCode).toBe(401);
    expect(await countRows(h.ctx.db, businessEvents)).toBe(2);

    const good = signPayload(secret, body);
    const ok = await send({ 'heard-timestamp': good.timestamp, 'heard-signature': good.signature });
    expect(ok.statusCode, ok.body).toBe(201);

    expect((await h.app.inject({ method: 'DELETE', url: '/api/v1/events/signing-secret', headers: session.headers })).statusCode).toBe(204);
    expect((await post(shop.headers, purchase({ id: 'unsigned-again' }))).statusCode).toBe(201);
  });
});
