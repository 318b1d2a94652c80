import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, conversations, inboxes, messages } from '../../db/schema/index.js';
import { buildApiInbox, buildMember, buildTeam, buildToken, sendInbound, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

describe('inboxes', () => {
  let h: TestHeard;
  let admin: Client;
  let agent: Client;

  beforeAll(async () => {
    h = await startTestHeard();
    admin = await buildMember(h.ctx, { workspace: 'Inboxes Co', role: 'owner' });
    agent = await buildMember(h.ctx, { workspace: 'Inboxes Co', role: 'agent' });
  });
  afterAll(() => h.stop());

  const create = (by: Pick<Client, 'headers'>, payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: by.headers, payload });
  const get = (by: Pick<Client, 'headers'>, id: string) => h.app.inject({ url: `/api/v1/inboxes/${id}`, headers: by.headers });

  it('lets an admin create an API channel inbox, which returns its signing secret', async () => {
    const res = await create(admin, { name: 'Social', channel: 'api', callbackUrl: 'https://hooks.example.test/heard' });
    expect(res.statusCode).toBe(201);
    expect(json(res)).toMatchObject({
      id: expect.any(String),
      name: 'Social',
      channel: 'api',
      callbackUrl: 'https://hooks.example.test/heard',
      signingSecret: expect.stringMatching(/^whsec_/),
      teamId: null,
      archived: false,
    });
  });

  it('creates e-mail (address lower-cased), widget, portal and phone inboxes, with a team', async () => {
    const team = await buildTeam(h.app, admin);
    const email = await create(admin, { name: 'Support', channel: 'email', address: 'Support@Example.test', teamId: team.id });
    expect(email.statusCode).toBe(201);
    expect(json(email)).toMatchObject({ channel: 'email', address: 'support@example.test', teamId: team.id });
    expect(json(email)).not.toHaveProperty('signingSecret');
    for (const channel of ['widget', 'portal', 'phone']) {
      const res = await create(admin, { name: channel, channel });
      expect(res.statusCode, channel).toBe(201);
    }
    const names = json(await h.app.inject({ url: '/api/v1/inboxes', headers: agent.headers })).items.map((i: any) => i.name);
    expect(names).toEqual(expect.arrayContaining(['Support', 'widget', 'portal', 'phone']));
  });

  it("changes only the widget settings a PATCH names, keeping the others (no defaults filled in), and names a bad one", async () => {
    const created = json(await create(admin, { name: 'Chat', channel: 'widget', greeting: 'Hello!', color: '#0f766e', preChat: [{ field: 'email', required: true }] }));
    const patch = (widget: Record<string, unknown>) => h.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${created.id}`, headers: admin.headers, payload: { widget } });
    expect((await patch({ allowedOrigins: ['https://shop.example/any/path'] })).statusCode).toBe(200);
    expect(json(await get(admin, created.id)).widget).toMatchObject({
      greeting: 'Hello!',
      color: '#0f766e',
      preChat: [{ field: 'email', required: true }],
      allowedOrigins: ['https://shop.example'],
      requireVerification: false,
    });
    const bad = await patch({ allowedOrigins: ['https://fine.example', 'not a site'] });
    expect(bad.statusCode).toBe(422);
    expect(json(bad).errors[0].field).toBe('widget.allowedOrigins.1');
  });

  it("sends a widget's answers only through an e-mail inbox of its own workspace (422 naming the field otherwise)", async () => {
    const widget = json(await create(admin, { name: 'Chat', channel: 'widget' }));
    const mine = json(await create(admin, { name: 'Mail', channel: 'email', address: `mine-${Date.now()}@inboxes.test` }));
    const stranger = await buildMember(h.ctx, { workspace: 'Elsewhere Co' });
    const theirs = json(await create(stranger, { name: 'Their mail', channel: 'email', address: `theirs-${Date.now()}@elsewhere.test` }));
    const patch = (emailInboxId: string) => h.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${widget.id}`, headers: admin.headers, payload: { widget: { emailInboxId } } });

    for (const id of [theirs.id, widget.id, '0190a0a0-0000-7000-8000-000000000000']) {
      const res = await patch(id);
      expect(res.statusCode).toBe(422);
      expect(json(res).errors).toEqual([{ field: 'widget.emailInboxId', reason: 'is not an e-mail inbox of this workspace' }]);
    }
    expect(json(await get(admin, widget.id)).widget.emailInboxId ?? null).toBeNull();
    const refusedAtCreation = await create(admin, { name: 'Chat 2', channel: 'widget', emailInboxId: theirs.id });
    expect(refusedAtCreation.statusCode).toBe(422);
    expect(json(refusedAtCreation).errors[0].field).toBe('emailInboxId');

    expect((await patch(mine.id)).statusCode).toBe(200);
    expect(json(await get(admin, widget.id)).widget.emailInboxId).toBe(mine.id);
  });

  it('opens a widget in a business-hours calendar of its own workspace (422 naming the field otherwise), and keeps that calendar from deletion', async () => {
    const hours = { name: 'Chat hours', timeZone: 'Europe/Berlin', hours: { mon: [{ from: '09:00', to: '17:00' }] } };
    const calendar = json(await h.app.inject({ method: 'POST', url: '/api/v1/business-hours', headers: admin.headers, payload: hours }));
    const stranger = await buildMember(h.ctx, { workspace: 'Elsewhere Hours Co' });
    const theirs = json(await h.app.inject({ method: 'POST', url: '/api/v1/business-hours', headers: stranger.headers, payload: hours }));
    const widget = json(await create(admin, { name: 'Shop chat', channel: 'widget' }));
    const patch = (w: Record<string, unknown>) => h.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${widget.id}`, headers: admin.headers, payload: { widget: w } });

    for (const id of [theirs.id, '0190a0a0-0000-7000-8000-000000000000']) {
      const res = await patch({ businessHoursId: id });
      expect(res.statusCode).toBe(422);
      expect(json(res).errors).toEqual([{ field: 'widget.businessHoursId', reason: 'is not a business-hours calendar of this workspace' }]);
    }
    const refusedAtCreation = await create(admin, { name: 'Chat 3', channel: 'widget', businessHoursId: theirs.id });
    expect(refusedAtCreation.statusCode).toBe(422);
    expect(json(refusedAtCreation).errors[0].field).toBe('businessHoursId');
    // The old inline hours are refused by name, not dropped in silence.
    const inline = await patch({ businessHours: { timezone: 'Europe/Berlin', days: {} } });
    expect(inline.statusCode).toBe(422);
    expect(json(inline).errors[0]).toMatchObject({ field: 'widget.businessHours', reason: expect.stringContaining('businessHoursId') });

    expect((await patch({ businessHoursId: calendar.id })).statusCode).toBe(200);
    expect(json(await get(agent, widget.id)).widget.businessHoursId).toBe(calendar.id);
    const del = () => h.app.inject({ method: 'DELETE', url: `/api/v1/business-hours/${calendar.id}`, headers: admin.headers });
    const inUse = await del();
    expect(inUse.statusCode).toBe(409);
    expect(json(inUse).detail).toBe('Business hours Chat hours are used by the chat widget of Shop chat');
    // Always open again: the calendar may go.
    expect((await patch({ businessHoursId: null })).statusCode).toBe(200);
    expect((await del()).statusCode).toBe(204);
  });

  it('validates the callback URL (422 naming callbackUrl) and creates nothing', async () => {
    const before = await countRows(h.ctx.db, inboxes);
    for (const callbackUrl of ['not a url', 'ftp://files.example.test/x', 'javascript:alert(1)', '', undefined, 42]) {
      const res = await create(admin, { name: 'Bad', channel: 'api', callbackUrl });
      expect(res.statusCode, String(callbackUrl)).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json(res).errors.map((e: any) => e.field), String(callbackUrl)).toEqual(['callbackUrl']);
    }
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'Bad', channel: 'pigeon' }, 'channel'],
      [{ name: '', channel: 'widget' }, 'name'],
      [{ name: 'Bad', channel: 'email', address: 'nope' }, 'address'],
      [{ name: 'Bad', channel: 'widget', teamId: '0190a0a0-0000-7000-8000-000000000000' }, 'teamId'],
    ];
    for (const [payload, field] of cases) {
      const res = await create(admin, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(json(res).errors.map((e: any) => e.field)).toEqual([field]);
    }
    expect(await countRows(h.ctx.db, inboxes)).toBe(before);
  });

  it("lets an API inbox name its network (known ones by id, others as written), shown on the inbox and its conversations; 422 naming network otherwise", async () => {
    const made = async (network: unknown) => json(await create(admin, { name: `Net ${String(network)}`, channel: 'api', callbackUrl: 'https://hooks.example.test/heard', network }));
    expect((await made('Instagram')).network).toBe('instagram');
    expect((await made('twitter')).network).toBe('x');
    const other = await made('  Mastodon ');
    expect(other.network).toBe('Mastodon');
    expect(json(await get(agent, other.id)).network).toBe('Mastodon');

    const before = await countRows(h.ctx.db, inboxes);
    for (const network of ['', '   ', 'x'.repeat(41), 42, ['x']]) {
      const res = await create(admin, { name: 'Bad', channel: 'api', callbackUrl: 'https://hooks.example.test/heard', network });
      expect(res.statusCode, JSON.stringify(network)).toBe(422);
      expect(json(res).errors.map((e: any) => e.field)).toEqual(['network']);
    }
    expect(await countRows(h.ctx.db, inboxes)).toBe(before);

    const patch = (id: string, payload: Record<string, unknown>) => h.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${id}`, headers: admin.headers, payload });
    const email = json(await create(admin, { name: 'Mail net', channel: 'email', address: 'net@example.test' }));
    const refused = await patch(email.id, { network: 'sms' });
    expect(refused.statusCode).toBe(422);
    expect(json(refused).errors.map((e: any) => e.field)).toEqual(['network']);
    expect(json(await get(admin, email.id))).not.toHaveProperty('network');

    const { conversationId } = await sendInbound(h.app, admin, other.id);
    expect(json(await patch(other.id, { network: 'WhatsApp' })).network).toBe('whatsapp');
    expect(json(await h.app.inject({ url: `/api/v1/conversations/${conversationId}`, headers: agent.headers }))).toMatchObject({ channel: 'api', network: 'whatsapp' });
    const listed = json(await h.app.inject({ url: `/api/v1/conversations?inbox=${other.id}`, headers: agent.headers })).items;
    expect(listed.map((c: any) => [c.id, c.network])).toEqual([[conversationId, 'whatsapp']]);

    const cleared = await patch(other.id, { network: null, callbackUrl: 'https://hooks.example.test/other' });
    expect(json(cleared)).toMatchObject({ callbackUrl: 'https://hooks.example.test/other' });
    expect(json(cleared)).not.toHaveProperty('network');
    expect(json(await h.app.inject({ url: `/api/v1/conversations/${conversationId}`, headers: agent.headers }))).not.toHaveProperty('network');
  });

  it('shows the signing secret to admins only', async () => {
    const inbox = await buildApiInbox(h.app, admin);
    expect(json(await get(admin, inbox.id)).signingSecret).toBe(inbox.signingSecret);
    const asAgent = await get(agent, inbox.id);
    expect(asAgent.statusCode).toBe(200);
    expect(json(asAgent)).toMatchObject({ id: inbox.id, callbackUrl: inbox.callbackUrl });
    expect(json(asAgent)).not.toHaveProperty('signingSecret');
    const list = await h.app.inject({ url: '/api/v1/inboxes', headers: agent.headers });
    expect(list.body).not.toContain('whsec_');
    // An admin's read-only token is for reading data, not for holding the channel's secret.
    const readOnly = await buildToken(h.app, admin, { scopes: ['read'] });
    expect((await get(readOnly, inbox.id)).body).not.toContain('whsec_');
  });

  it('lets an admin rename, re-point, re-team and archive an inbox; an archived inbox takes no messages', async () => {
    const inbox = await buildApiInbox(h.app, admin);
    const team = await buildTeam(h.app, admin);
    const res = await h.app.inject({
      method: 'PATCH',
      url: `/api/v1/inboxes/${inbox.id}`,
      headers: admin.headers,
      payload: { name: 'Renamed', callbackUrl: 'https://new.example.test/cb', teamId: team.id },
    });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ name: 'Renamed', callbackUrl: 'https://new.example.test/cb', teamId: team.id, signingSecret: inbox.signingSecret });

    // New conversations in the inbox land in its team.
    const conv = await sendInbound(h.app, admin, inbox.id);
    expect(json(await h.app.inject({ url: `/api/v1/conversations/${conv.conversationId}`, headers: admin.headers })).teamId).toBe(team.id);

    const bad = await h.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${inbox.id}`, headers: admin.headers, payload: { callbackUrl: 'gopher://x', name: 'Not applied' } });
    expect(bad.statusCode).toBe(422);
    expect(json(bad).errors.map((e: any) => e.field)).toEqual(['callbackUrl']);
    expect(json(await get(admin, inbox.id)).name).toBe('Renamed');

    const archived = await h.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${inbox.id}`, headers: admin.headers, payload: { archived: true, teamId: null } });
    expect(json(archived)).toMatchObject({ archived: true, teamId: null });
    const refused = await h.app.inject({
      method: 'POST',
      url: `/api/v1/inboxes/${inbox.id}/messages`,
      headers: admin.headers,
      payload: { contact: { externalId: 'late' }, text: 'anyone?', clientMessageId: 'late-1' },
    });
    expect(refused.statusCode).toBe(422);
    expect(json(refused).errors).toEqual([{ field: 'id', reason: expect.stringMatching(/archived/) }]);
  });

  it('gives an e-mail inbox no callback URL and no secret to rotate', async () => {
    const email = json(await create(admin, { name: 'Mail', channel: 'email', address: 'mail@example.test' }));
    const patch = await h.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${email.id}`, headers: admin.headers, payload: { callbackUrl: 'https://x.example.test' } });
    expect(patch.statusCode).toBe(422);
    expect(json(patch).errors.map((e: any) => e.field)).toEqual(['callbackUrl']);
    const rotate = await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${email.id}/rotate-secret`, headers: admin.headers });
    expect(rotate.statusCode).toBe(422);
    const messageIn = await h.app.inject({
      method: 'POST',
      url: `/api/v1/inboxes/${email.id}/messages`,
      headers: admin.headers,
      payload: { contact: { email: 'a@example.test' }, text: 'hi', clientMessageId: 'm1' },
    });
    expect(messageIn.statusCode).toBe(422);
    expect(json(messageIn).errors[0].field).toBe('id');
  });

  it('rotates the signing secret', async () => {
    const inbox = await buildApiInbox(h.app, admin);
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inbox.id}/rotate-secret`, headers: admin.headers });
    expect(res.statusCode).toBe(200);
    const rotated = json(res).signingSecret;
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(inbox.signingSecret);
    expect(json(await get(admin, inbox.id)).signingSecret).toBe(rotated);
  });

  it('refuses an agent on inbox administration (403) and changes nothing', async () => {
    const inbox = await buildApiInbox(h.app, admin);
    const before = await countRows(h.ctx.db, inboxes);
    expect((await create(agent, { name: 'Mine', channel: 'widget' })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${inbox.id}`, headers: agent.headers, payload: { name: 'Mine' } })).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inbox.id}/rotate-secret`, headers: agent.headers })).statusCode).toBe(403);
    expect(await countRows(h.ctx.db, inboxes)).toBe(before);
    expect(json(await get(admin, inbox.id))).toMatchObject({ name: expect.not.stringMatching(/Mine/), signingSecret: inbox.signingSecret });
  });

  it("keeps workspaces apart: another workspace's admin gets 404 for an inbox, which stays unchanged", async () => {
    const inbox = await buildApiInbox(h.app, admin, 'https://mine.example.test/cb');
    const stranger = await buildMember(h.ctx, { workspace: 'Inboxes Elsewhere' });
    const before = await Promise.all([countRows(h.ctx.db, conversations), countRows(h.ctx.db, messages), countRows(h.ctx.db, contacts)]);
    const tries = [
      { method: 'GET' as const, url: `/api/v1/inboxes/${inbox.id}` },
      { method: 'PATCH' as const, url: `/api/v1/inboxes/${inbox.id}`, payload: { name: 'Stolen', callbackUrl: 'https://evil.example.test/' } },
      { method: 'POST' as const, url: `/api/v1/inboxes/${inbox.id}/rotate-secret` },
      { method: 'POST' as const, url: `/api/v1/inboxes/${inbox.id}/messages`, payload: { contact: { externalId: 'spoof' }, text: 'spoofed', clientMessageId: 'spoof-1' } },
    ];
    for (const t of tries) {
      const res = await h.app.inject({ ...t, headers: stranger.headers });
      expect(res.statusCode, `${t.method} ${t.url}`).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body).not.toContain('whsec_');
    }
    expect(json(await h.app.inject({ url: '/api/v1/inboxes', headers: stranger.headers })).items).toEqual([]);
    expect(json(await get(admin, inbox.id))).toMatchObject({ name: expect.not.stringMatching(/Stolen/), callbackUrl: 'https://mine.example.test/cb', signingSecret: inbox.signingSecret });
    expect(await Promise.all([countRows(h.ctx.db, conversations), countRows(h.ctx.db, messages), countRows(h.ctx.db, contacts)])).toEqual(before);
  });
});
