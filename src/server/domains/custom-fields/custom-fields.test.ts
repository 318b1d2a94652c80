import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customFields } from '../../db/schema/index.js';
import { buildApiInbox, buildMember, sendInbound, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

describe('custom fields', () => {
  let h: TestHeard;
  let admin: Client;
  let agent: Client;
  let light: Client;
  let inbox: { id: string };

  beforeAll(async () => {
    h = await startTestHeard();
    admin = await buildMember(h.ctx, { workspace: 'Fields Co', role: 'admin' });
    agent = await buildMember(h.ctx, { workspace: 'Fields Co', role: 'agent' });
    light = await buildMember(h.ctx, { workspace: 'Fields Co', role: 'light' });
    inbox = await buildApiInbox(h.app, admin);
    for (const f of [
      { entity: 'conversation', key: 'order_id', label: 'Order', type: 'text' },
      { entity: 'conversation', key: 'amount', label: 'Amount', type: 'number' },
      { entity: 'conversation', key: 'due', label: 'Due', type: 'date' },
      { entity: 'conversation', key: 'plan', label: 'Plan', type: 'select', options: ['free', 'pro'], required: true },
      { entity: 'conversation', key: 'refunded', label: 'Refunded', type: 'checkbox' },
      { entity: 'contact', key: 'plan', label: 'Plan', type: 'select', options: ['basic', 'enterprise'] },
    ]) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/custom-fields', headers: admin.headers, payload: f });
      if (res.statusCode !== 201) throw new Error(res.body);
    }
  });
  afterAll(() => h.stop());

  const patchConversation = (id: string, customFields: Record<string, unknown>) =>
    h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${id}`, headers: agent.headers, payload: { customFields } });

  it('lists definitions to everyone, by kind', async () => {
    const all = json(await h.app.inject({ url: '/api/v1/custom-fields', headers: light.headers })).items;
    expect(all.map((f: any) => `${f.entity}.${f.key}:${f.type}`)).toEqual([
      'conversation.order_id:text',
      'conversation.amount:number',
      'conversation.due:date',
      'conversation.plan:select',
      'conversation.refunded:checkbox',
      'contact.plan:select',
    ]);
    const contact = json(await h.app.inject({ url: '/api/v1/custom-fields?entity=contact', headers: agent.headers })).items;
    expect(contact).toEqual([expect.objectContaining({ key: 'plan', label: 'Plan', options: ['basic', 'enterprise'], required: false })]);
  });

  it("checks a conversation's custom fields against their definitions; undefined keys stay free", async () => {
    const c = await sendInbound(h.app, admin, inbox.id);
    const ok = await patchConversation(c.conversationId, { order_id: 'A-1', amount: 12.5, due: '2026-12-31', plan: 'pro', refunded: false, anything: { free: 1 } });
    expect(ok.statusCode).toBe(200);
    expect(json(ok).customFields).toEqual({ order_id: 'A-1', amount: 12.5, due: '2026-12-31', plan: 'pro', refunded: false, anything: { free: 1 } });

    const bad = await patchConversation(c.conversationId, { amount: '12', due: '2026-02-30', plan: 'gold', refunded: 'yes', order_id: 7 });
    expect(bad.statusCode).toBe(422);
    expect(json(bad).errors.sort((a: any, b: any) => a.field.localeCompare(b.field))).toEqual([
      { field: 'customFields.amount', reason: 'must be a number' },
      { field: 'customFields.due', reason: expect.stringMatching(/date/) },
      { field: 'customFields.order_id', reason: expect.stringMatching(/text/) },
      { field: 'customFields.plan', reason: 'must be one of free, pro' },
      { field: 'customFields.refunded', reason: 'must be true or false' },
    ]);
    // A required field cannot be emptied; an optional one can.
    const cleared = await patchConversation(c.conversationId, { plan: null });
    expect(cleared.statusCode).toBe(422);
    expect(json(cleared).errors).toEqual([{ field: 'customFields.plan', reason: 'Plan is required' }]);
    const removed = await patchConversation(c.conversationId, { order_id: null });
    expect(removed.statusCode).toBe(200);
    expect(json(removed).customFields).toEqual({ amount: 12.5, due: '2026-12-31', plan: 'pro', refunded: false, anything: { free: 1 } });
  });

  it("checks a contact's attributes against contact fields only", async () => {
    const c = await sendInbound(h.app, admin, inbox.id);
    const patch = (attributes: Record<string, unknown>) => h.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${c.contactId}`, headers: agent.headers, payload: { attributes } });
    const bad = await patch({ plan: 'pro' });
    expect(bad.statusCode).toBe(422);
    expect(json(bad).errors).toEqual([{ field: 'attributes.plan', reason: 'must be one of basic, enterprise' }]);
    const ok = await patch({ plan: 'enterprise', amount: 'not a number, and not a contact field' });
    expect(ok.statusCode).toBe(200);
    expect(json(ok).attributes).toEqual({ plan: 'enterprise', amount: 'not a number, and not a contact field' });
  });

  it('lets admins change labels, options and required, and delete a definition; agents are refused', async () => {
    const f = json(await h.app.inject({ method: 'POST', url: '/api/v1/custom-fields', headers: admin.headers, payload: { entity: 'contact', key: 'tier', label: 'Tier', type: 'select', options: ['a'] } }));
    expect(f).toMatchObject({ entity: 'contact', key: 'tier', type: 'select', options: ['a'], required: false });
    const changed = await h.app.inject({ method: 'PATCH', url: `/api/v1/custom-fields/${f.id}`, headers: admin.headers, payload: { label: 'Level', options: ['a', 'b'], required: true } });
    expect(json(changed)).toMatchObject({ key: 'tier', label: 'Level', options: ['a', 'b'], required: true });
    const before = await countRows(h.ctx.db, customFields);
    for (const who of [agent, light]) {
      expect((await h.app.inject({ method: 'POST', url: '/api/v1/custom-fields', headers: who.headers, payload: { entity: 'contact', key: 'x', label: 'X', type: 'text' } })).statusCode).toBe(403);
      expect((await h.app.inject({ method: 'PATCH', url: `/api/v1/custom-fields/${f.id}`, headers: who.headers, payload: { label: 'Mine' } })).statusCode).toBe(403);
      expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/custom-fields/${f.id}`, headers: who.headers })).statusCode).toBe(403);
    }
    expect(await countRows(h.ctx.db, customFields)).toBe(before);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/custom-fields/${f.id}`, headers: admin.headers })).statusCode).toBe(204);
    expect(await countRows(h.ctx.db, customFields)).toBe(before - 1);
  });

  it('rejects bad definitions and duplicate keys, writing nothing', async () => {
    const before = await countRows(h.ctx.db, customFields);
    const cases: [Record<string, unknown>, string][] = [
      [{ entity: 'ticket', key: 'a', label: 'A', type: 'text' }, 'entity'],
      [{ entity: 'contact', key: 'Bad Key', label: 'A', type: 'text' }, 'key'],
      [{ entity: 'contact', key: 'a', label: '', type: 'text' }, 'label'],
      [{ entity: 'contact', key: 'a', label: 'A', type: 'color' }, 'type'],
      [{ entity: 'contact', key: 'a', label: 'A', type: 'select' }, 'options'],
      [{ entity: 'contact', key: 'a', label: 'A', type: 'text', options: ['x'] }, 'options'],
      [{ entity: 'contact', key: 'a', label: 'A', type: 'select', options: ['x', 'x'] }, 'options'],
    ];
    for (const [payload, field] of cases) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/custom-fields', headers: admin.headers, payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(json(res).errors.map((e: any) => e.field)).toEqual([field]);
    }
    const dupe = await h.app.inject({ method: 'POST', url: '/api/v1/custom-fields', headers: admin.headers, payload: { entity: 'conversation', key: 'amount', label: 'Again', type: 'number' } });
    expect(dupe.statusCode).toBe(409);
    const text = json(await h.app.inject({ url: '/api/v1/custom-fields?entity=conversation', headers: admin.headers })).items.find((f: any) => f.key === 'order_id');
    const badOptions = await h.app.inject({ method: 'PATCH', url: `/api/v1/custom-fields/${text.id}`, headers: admin.headers, payload: { options: ['x'] } });
    expect(badOptions.statusCode).toBe(422);
    expect(json(badOptions).errors[0].field).toBe('options');
    expect(await countRows(h.ctx.db, customFields)).toBe(before);
  });

  it("keeps workspaces apart: another workspace's definitions neither show nor apply", async () => {
    const stranger = await buildMember(h.ctx, { workspace: 'Fields Elsewhere' });
    const mine = json(await h.app.inject({ url: '/api/v1/custom-fields', headers: admin.headers })).items[0];
    expect(json(await h.app.inject({ url: '/api/v1/custom-fields', headers: stranger.headers })).items).toEqual([]);
    expect((await h.app.inject({ method: 'PATCH', url: `/api/v1/custom-fields/${mine.id}`, headers: stranger.headers, payload: { label: 'Stolen' } })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/custom-fields/${mine.id}`, headers: stranger.headers })).statusCode).toBe(404);
    const theirInbox = await buildApiInbox(h.app, stranger);
    const theirs = await sendInbound(h.app, stranger, theirInbox.id);
    const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${theirs.conversationId}`, headers: stranger.headers, payload: { customFields: { amount: 'free text here' } } });
    expect(res.statusCode).toBe(200);
  });
});
