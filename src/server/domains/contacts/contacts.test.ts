import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactIdentities, contacts } from '../../db/schema/index.js';
import { ingest } from '../conversations/ingest.js';
import { buildApiInbox, buildMember, sendInbound, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

describe('contacts', () => {
  let h: TestHeard;
  let owner: Client;
  let agent: Client;
  let apiInbox: { id: string };
  let emailInbox: { id: string };

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'Contacts Co' });
    agent = await buildMember(h.ctx, { workspace: 'Contacts Co', role: 'agent' });
    apiInbox = await buildApiInbox(h.app, owner);
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: owner.headers, payload: { name: 'Mail', channel: 'email', address: 'help@contacts.example.test' } });
    emailInbox = json(res);
    // A few people to find.
    await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'mb-1', name: 'Mavis Batey', email: 'codebreaker7@bletchley.example.test' } });
    await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'dk-1', name: 'Dilly Knox', email: 'codebreaker9@bletchley.example.test' } });
    await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'ada-1', name: 'Ada Lovelace', email: 'ada@analytical.example.test' } });
    await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'grace-1', name: 'Grace Hopper', email: 'grace@navy.example.test' } });
    await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'alan-1', name: 'Alan Turing', phone: '+44 161 496 0000' } });
  });
  afterAll(() => h.stop());

  const search = async (q: string) => {
    const res = await h.app.inject({ url: `/api/v1/contacts?q=${encodeURIComponent(q)}`, headers: agent.headers });
    expect(res.statusCode).toBe(200);
    return json(res).items.map((c: any) => c.name) as string[];
  };
  const get = (by: Pick<Client, 'headers'>, id: string) => h.app.inject({ url: `/api/v1/contacts/${id}`, headers: by.headers });
  const patch = (by: Pick<Client, 'headers'>, id: string, payload: Record<string, unknown>) =>
    h.app.inject({ method: 'PATCH', url: `/api/v1/contacts/${id}`, headers: by.headers, payload });
  const merge = (by: Pick<Client, 'headers'>, targetId: string, sourceId: string) =>
    h.app.inject({ method: 'POST', url: `/api/v1/contacts/${targetId}/merge`, headers: by.headers, payload: { sourceId } });

  it('finds contacts by a fragment of the name, by e-mail and by phone', async () => {
    expect(await search('Lovel')).toEqual(['Ada Lovelace']);
    expect(await search('hopper')).toEqual(['Grace Hopper']);
    // An exact address comes first; similar addresses may follow (typo tolerance).
    expect((await search('grace@navy.example.test'))[0]).toBe('Grace Hopper');
    expect((await search('ada@analytical.example.test'))[0]).toBe('Ada Lovelace');
    expect((await search('codebreaker7@bletchley.example.test'))[0]).toBe('Mavis Batey');
    expect((await search('codebreaker9@bletchley.example.test'))[0]).toBe('Dilly Knox');
    expect(await search('analytical')).toEqual(['Ada Lovelace']);
    expect(await search('+441614960000')).toEqual(['Alan Turing']);
    expect(await search('nobody-like-this')).toEqual([]);
  });

  it('tolerates a typo in the name', async () => {
    expect(await search('Ada Lovelase')).toContain('Ada Lovelace');
    expect(await search('Grace Hoper')).toContain('Grace Hopper');
    expect(await search('Alan Turnig')).toContain('Alan Turing');
    expect(await search('Grace Hoper')).not.toContain('Alan Turing');
  });

  it('lists contacts newest first, with paging', async () => {
    const all = json(await h.app.inject({ url: '/api/v1/contacts', headers: agent.headers })).items.map((c: any) => c.name);
    expect(all.slice(0, 3)).toEqual(['Alan Turing', 'Grace Hopper', 'Ada Lovelace']);
    const second = json(await h.app.inject({ url: '/api/v1/contacts?limit=1&offset=1', headers: agent.headers })).items;
    expect(second.map((c: any) => c.name)).toEqual(['Grace Hopper']);
    const bad = await h.app.inject({ url: '/api/v1/contacts?limit=0', headers: agent.headers });
    expect(bad.statusCode).toBe(422);
    expect(json(bad).errors[0].field).toMatch(/limit$/);
  });

  it('shows a contact with their conversations on every channel', async () => {
    const viaApi = await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'kat-1', email: 'kat@example.test', name: 'Katherine Johnson' }, text: 'Chat about orbits' });
    const viaMail = await ingest(h.ctx, {
      workspaceId: owner.workspaceId,
      inboxId: emailInbox.id,
      contact: { email: 'KAT@example.test' },
      subject: 'Trajectory question',
      text: 'Sent by e-mail',
      externalId: '<m1@mail.example.test>',
    });
    expect(viaMail.contactId).toBe(viaApi.contactId);
    const res = await get(agent, viaApi.contactId);
    expect(res.statusCode).toBe(200);
    const c = json(res);
    expect(c).toMatchObject({ id: viaApi.contactId, name: 'Katherine Johnson', company: null, mergedIntoId: null });
    expect(c.identities.map((i: any) => `${i.kind}:${i.value}`).sort()).toEqual(['email:kat@example.test', 'external:kat-1']);
    expect(c.conversations).toHaveLength(2);
    expect(c.conversations.map((x: any) => x.inboxId).sort()).toEqual([apiInbox.id, emailInbox.id].sort());
    expect(c.conversations.map((x: any) => x.subject).sort()).toEqual(['Chat about orbits', 'Trajectory question']);
  });

  it('updates name, company, attributes and identities', async () => {
    const { contactId } = await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'mh-1', name: 'Margaret' } });
    const res = await patch(agent, contactId, {
      name: 'Margaret Hamilton',
      company: 'Apollo Software',
      attributes: { plan: 'enterprise', seats: 40 },
      addIdentities: [
        { kind: 'email', value: 'Margaret@Apollo.example.test' },
        { kind: 'phone', value: '+1 (617) 555-0100' },
      ],
    });
    expect(res.statusCode).toBe(200);
    const c = json(res);
    expect(c).toMatchObject({ name: 'Margaret Hamilton', company: { name: 'Apollo Software' }, attributes: { plan: 'enterprise', seats: 40 } });
    expect(c.identities.map((i: any) => `${i.kind}:${i.value}`)).toEqual(['external:mh-1', 'email:margaret@apollo.example.test', 'phone:+16175550100']);
    expect(await search('margaret@apollo')).toEqual(['Margaret Hamilton']);

    // The same company name (any case) is the same company; null clears it; attributes are replaced.
    const other = await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'mh-2', name: 'Colleague' } });
    const colleague = json(await patch(agent, other.contactId, { company: 'apollo software' }));
    expect(colleague.company.id).toBe(c.company.id);
    const phone = c.identities.find((i: any) => i.kind === 'phone');
    const after = json(await patch(agent, contactId, { company: null, attributes: { plan: 'pro' }, removeIdentities: [phone.id] }));
    expect(after).toMatchObject({ company: null, attributes: { plan: 'pro' } });
    expect(after.identities.map((i: any) => i.kind)).toEqual(['external', 'email']);

    // A message from the added address now reaches the same person.
    const again = await sendInbound(h.app, owner, apiInbox.id, { contact: { email: 'margaret@apollo.example.test' } });
    expect(again.contactId).toBe(contactId);
  });

  it("refuses an identity that is another contact's (422 naming addIdentities.N) and changes nothing", async () => {
    const { contactId } = await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'dup-1', name: 'Dee' } });
    const before = await Promise.all([countRows(h.ctx.db, contactIdentities), countRows(h.ctx.db, contacts)]);
    const first = await patch(agent, contactId, { name: 'Changed', addIdentities: [{ kind: 'email', value: 'ADA@analytical.example.test' }] });
    expect(first.statusCode).toBe(422);
    expect(first.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(json(first).errors).toEqual([{ field: 'addIdentities.0', reason: expect.stringMatching(/another contact/) }]);

    const second = await patch(agent, contactId, {
      company: 'Half Written Ltd',
      addIdentities: [
        { kind: 'handle', value: '@dee' },
        { kind: 'external', value: 'grace-1' },
      ],
    });
    expect(second.statusCode).toBe(422);
    expect(json(second).errors[0].field).toBe('addIdentities.1');

    const c = json(await get(agent, contactId));
    expect(c).toMatchObject({ name: 'Dee', company: null });
    expect(c.identities.map((i: any) => i.value)).toEqual(['dup-1']);
    expect(await Promise.all([countRows(h.ctx.db, contactIdentities), countRows(h.ctx.db, contacts)])).toEqual(before);
    expect(await search('Half Written')).toEqual([]);
  });

  it('rejects malformed updates with the field', async () => {
    const { contactId } = await sendInbound(h.app, owner, apiInbox.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ addIdentities: [{ kind: 'fax', value: '123' }] }, 'addIdentities.0.kind'],
      [{ addIdentities: [{ kind: 'email', value: '' }] }, 'addIdentities.0.value'],
      [{ attributes: 'vip' }, 'attributes'],
      [{ removeIdentities: ['x'] }, 'removeIdentities.0'],
      [{ name: 'x'.repeat(201) }, 'name'],
    ];
    for (const [payload, field] of cases) {
      const res = await patch(agent, contactId, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(json(res).errors.map((e: any) => e.field)).toEqual([field]);
    }
  });

  it('merges two contacts: identities and conversations move, and the source points to the target', async () => {
    const target = await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'tw-target', name: 'Mary Jackson' }, text: 'First channel' });
    const source = await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'fb-source', email: 'mary@wind.example.test' }, text: 'Second channel' });
    const mailed = await ingest(h.ctx, {
      workspaceId: owner.workspaceId,
      inboxId: emailInbox.id,
      contact: { email: 'mary@wind.example.test' },
      text: 'By mail',
      externalId: '<mary@mail.example.test>',
    });
    expect(mailed.contactId).toBe(source.contactId);
    const res = await merge(agent, target.contactId, source.contactId);
    expect(res.statusCode).toBe(200);
    const merged = json(res);
    expect(merged.id).toBe(target.contactId);
    expect(merged.identities.map((i: any) => i.value).sort()).toEqual(['fb-source', 'mary@wind.example.test', 'tw-target']);
    expect(merged.conversations.map((c: any) => c.id).sort()).toEqual([target.conversationId, source.conversationId, mailed.conversationId].sort());
    const conv = json(await h.app.inject({ url: `/api/v1/conversations/${source.conversationId}`, headers: agent.headers }));
    expect(conv.contactId).toBe(target.contactId);

    const old = json(await get(agent, source.contactId));
    expect(old).toMatchObject({ mergedIntoId: target.contactId, identities: [], conversations: [] });
    // Search shows only the surviving contact; new messages from the source's addresses reach the target.
    expect(await search('mary@wind')).toEqual(['Mary Jackson']);
    const later = await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'fb-source' }, text: 'Still me' });
    expect(later.contactId).toBe(target.contactId);

    const twice = await merge(agent, target.contactId, source.contactId);
    expect(twice.statusCode).toBe(422);
    expect(json(twice).errors[0].field).toBe('sourceId');
    const self = await merge(agent, target.contactId, target.contactId);
    expect(self.statusCode).toBe(422);
    expect(json(self).errors[0].field).toBe('sourceId');
  });

  it('lets a light member read contacts but not change or merge them', async () => {
    const light = await buildMember(h.ctx, { workspace: 'Contacts Co', role: 'light' });
    const a = await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'l-a', name: 'Light A' } });
    const b = await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'l-b', name: 'Light B' } });
    expect((await get(light, a.contactId)).statusCode).toBe(200);
    expect((await patch(light, a.contactId, { name: 'Nope' })).statusCode).toBe(403);
    expect((await merge(light, a.contactId, b.contactId)).statusCode).toBe(403);
    expect(json(await get(owner, b.contactId)).mergedIntoId).toBeNull();
  });

  it("keeps workspaces apart: another workspace's member gets 404 for a contact, which stays unchanged", async () => {
    const mine = await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'secret-1', name: 'Private Person', email: 'private@example.test' } });
    const mine2 = await sendInbound(h.app, owner, apiInbox.id, { contact: { externalId: 'secret-2', name: 'Other Private' } });
    const stranger = await buildMember(h.ctx, { workspace: 'Contacts Elsewhere' });
    const theirInbox = await buildApiInbox(h.app, stranger);
    const theirs = await sendInbound(h.app, stranger, theirInbox.id, { contact: { externalId: 'their-1', name: 'Their Person' } });

    expect((await get(stranger, mine.contactId)).statusCode).toBe(404);
    expect((await patch(stranger, mine.contactId, { name: 'Hijacked', addIdentities: [{ kind: 'email', value: 'evil@example.test' }] })).statusCode).toBe(404);
    // Neither as target nor as source of a merge.
    expect((await merge(stranger, mine.contactId, mine2.contactId)).statusCode).toBe(404);
    expect((await merge(stranger, theirs.contactId, mine.contactId)).statusCode).toBe(404);
    expect((await merge(stranger, mine.contactId, theirs.contactId)).statusCode).toBe(404);

    const list = json(await h.app.inject({ url: '/api/v1/contacts?q=Private', headers: stranger.headers })).items;
    expect(list).toEqual([]);
    const c = json(await get(owner, mine.contactId));
    expect(c).toMatchObject({ name: 'Private Person', mergedIntoId: null });
    expect(c.identities.map((i: any) => i.value).sort()).toEqual(['private@example.test', 'secret-1']);
    expect(c.conversations.map((x: any) => x.id)).toEqual([mine.conversationId]);
    expect(json(await get(owner, mine2.contactId)).mergedIntoId).toBeNull();
    expect(json(await get(stranger, theirs.contactId))).toMatchObject({ name: 'Their Person', mergedIntoId: null });
  });
});
