import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiInbox, buildMember, buildTeam, buildToken, sendInbound, signIn, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { eq } from 'drizzle-orm';
import { eventFailures, messages, outreachTasks, passwordResets, users } from '../../db/schema/index.js';
import { sha256 } from '../ids.js';
import { recordBusinessEvent } from '../../domains/business-events/service.js';
import { recordEvent } from '../events/record-event.js';
import { askQuestion, buildArticle, buildCategory, type HelpBrowser, memberBrowser } from '../../../../test/helpers/help-center.js';
import { registeredRoutes } from '../../../../test/helpers/routes.js';

/**
 * Who may call what: every /api/v1 route, for every kind of caller. The table below must
 * list exactly the routes the server has, so a new route without a row fails this test.
 */

const CALLERS = ['owner', 'admin', 'agent', 'light', 'readToken', 'agentToken', 'anonymous', 'adminToken', 'lightToken', 'tokenForAdmin', 'tokenForAgent', 'tokenForLight'] as const;
type Who = (typeof CALLERS)[number];

/**
 * Impersonation: a token an owner made for a member must do exactly what that member's own
 * token with the same scopes does, never more. Each such caller is expected to get what its
 * twin got (the twins come first in CALLERS, so their answers are known).
 */
const TWIN: Partial<Record<Who, Who>> = { tokenForAdmin: 'adminToken', tokenForAgent: 'agentToken', tokenForLight: 'lightToken' };
/** A member's own token, which may do at most what the member's session may. */
const SESSION_OF: Partial<Record<Who, Who>> = { adminToken: 'admin', lightToken: 'light' };

interface Caller {
  who: Who;
  memberId: string;
  headers: Record<string, string>;
  /** Credentials of a new session (or the same token): for requests that end a session. */
  fresh(): Promise<Record<string, string>>;
}

interface Row {
  /** "METHOD /api/v1/path" as Fastify registered it. */
  route: string;
  /** Which situation, when a route's answer depends on it (own or another's, assigned or not). */
  when?: string;
  /** Callers that may do it; everyone else gets 403 (or 401 when anonymous). */
  allowed: readonly Who[];
  request(caller: Caller): Promise<InjectOptions> | InjectOptions;
}

const EVERYONE: readonly Who[] = ['owner', 'admin', 'agent', 'light', 'readToken', 'agentToken'];
const ADMINS: readonly Who[] = ['owner', 'admin'];
const SESSIONS: readonly Who[] = ['owner', 'admin', 'agent', 'light'];
const WRITERS: readonly Who[] = ['owner', 'admin', 'agent', 'agentToken'];
const PASSWORD = 'correct horse battery';

describe('authorization matrix', () => {
  let h: TestHeard;
  let setup: Client;
  const callers = {} as Record<Who, Caller>;
  let n = 0;
  const unique = () => `${Date.now().toString(36)}-${n++}`;

  // Resources of the callers' workspace that the requests act on.
  let inbox: { id: string };
  let conversationId: string;
  let contactId: string;
  let team: { id: string };
  let spare: Client;
  const others = {} as Record<'owner' | 'admin' | 'agent' | 'light', Client>;
  let emailInbox: { id: string };

  beforeAll(async () => {
    // The community's threads are asked on the help center's pages, more of them a minute than its forms' rate limit lets one address send.
    h = await startTestHeard({ HEARD_HELP_RATE_LIMIT: '1000' });
    setup = await buildMember(h.ctx, { workspace: 'Matrix Co', role: 'owner' });
    const members: Record<'owner' | 'admin' | 'agent' | 'light', Client> = {
      owner: await buildMember(h.ctx, { workspace: 'Matrix Co', role: 'owner' }),
      admin: await buildMember(h.ctx, { workspace: 'Matrix Co', role: 'admin' }),
      agent: await buildMember(h.ctx, { workspace: 'Matrix Co', role: 'agent' }),
      light: await buildMember(h.ctx, { workspace: 'Matrix Co', role: 'light' }),
    };
    for (const who of ['owner', 'admin', 'agent', 'light'] as const) {
      const m = members[who];
      const session = await signIn(h.app, m.email);
      callers[who] = { who, memberId: m.memberId, headers: session.headers, fresh: async () => (await signIn(h.app, m.email)).headers };
    }
    const readToken = await buildToken(h.app, members.owner, { scopes: ['read'] });
    callers.readToken = { who: 'readToken', memberId: members.owner.memberId, headers: readToken.headers, fresh: async () => readToken.headers };
    // buildMember's token for an agent has the read and write scopes.
    callers.agentToken = { who: 'agentToken', memberId: members.agent.memberId, headers: members.agent.headers, fresh: async () => members.agent.headers };
    callers.anonymous = { who: 'anonymous', memberId: members.light.memberId, headers: {}, fresh: async () => ({}) };
    const ownerSession = callers.owner.headers;
    const tokenCaller = (who: Who, memberId: string, headers: Record<string, string>): Caller => ({ who, memberId, headers, fresh: async () => headers });
    const adminToken = await buildToken(h.app, { headers: callers.admin.headers }, { scopes: ['read', 'write', 'admin'] });
    callers.adminToken = tokenCaller('adminToken', members.admin.memberId, adminToken.headers);
    const lightToken = await buildToken(h.app, { headers: callers.light.headers }, { scopes: ['read', 'write'] });
    callers.lightToken = tokenCaller('lightToken', members.light.memberId, lightToken.headers);
    for (const [who, member, scopes] of [
      ['tokenForAdmin', members.admin, ['read', 'write', 'admin']],
      ['tokenForAgent', members.agent, ['read', 'write']],
      ['tokenForLight', members.light, ['read', 'write']],
    ] as const) {
      const made = await buildToken(h.app, { headers: ownerSession }, { memberId: member.memberId, scopes: [...scopes] });
      callers[who] = tokenCaller(who, member.memberId, made.headers);
    }
    // Members of every role whom nobody calls as: the targets of tokens made for someone else.
    for (const role of ['owner', 'admin', 'agent', 'light'] as const) others[role] = await buildMember(h.ctx, { workspace: 'Matrix Co', role });

    spare = await buildMember(h.ctx, { workspace: 'Matrix Co', role: 'agent' });
    inbox = await buildApiInbox(h.app, setup);
    const inbound = await sendInbound(h.app, setup, inbox.id);
    conversationId = inbound.conversationId;
    contactId = inbound.contactId;
    team = await buildTeam(h.app, setup);
    const email = await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: setup.headers, payload: { name: 'Mail', channel: 'email', address: 'matrix@matrix.test' } });
    if (email.statusCode !== 201) throw new Error(email.body);
    emailInbox = json(email) as { id: string };
  });
  afterAll(() => h.stop());

  // The help center's community: threads are asked on its pages (a member may ask), answered by staff through the API.
  let asker: HelpBrowser | undefined;
  const helpSlug = async () => json(await h.app.inject({ url: '/api/v1/help-center', headers: setup.headers })).slug as string;
  const freshThread = async (answered = false) => {
    asker ??= await memberBrowser(h.app, h.ctx.secret, setup.email);
    const number = await askQuestion(asker, await helpSlug(), `Matrix question ${unique()}`, 'Details of the question.');
    const list = json(await h.app.inject({ url: '/api/v1/community/threads?limit=5', headers: setup.headers })).items as { id: string; number: number }[];
    const id = list.find((t) => t.number === number)!.id;
    let postId: string | undefined;
    if (answered) {
      const res = await h.app.inject({ method: 'POST', url: `/api/v1/community/threads/${id}/posts`, headers: setup.headers, payload: { body: 'A staff answer.' } });
      if (res.statusCode !== 201) throw new Error(res.body);
      postId = json(res).id;
    }
    return { id, postId: postId! };
  };

  /** A new conversation, optionally assigned to someone, for requests that change one. */
  /** A reply to a customer with an e-mail address that failed: what "retry now" and "send by e-mail instead" act on. */
  const failedReply = async () => {
    const c = await sendInbound(h.app, setup, inbox.id, { contact: { externalId: `failed-${unique()}`, email: `failed-${unique()}@example.test` } });
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${c.conversationId}/messages`, headers: setup.headers, payload: { text: 'Lost on the way' } });
    if (res.statusCode !== 201) throw new Error(res.body);
    const id = json(res).id as string;
    // Failed for good at once, rather than waiting out the retries: its delivery job then leaves it as it is.
    await h.ctx.db.update(messages).set({ deliveryStatus: 'failed', deliveryError: 'callback request failed: refused', deliveryAttempts: 3 }).where(eq(messages.id, id));
    return id;
  };

  const freshConversation = async (assigneeId?: string) => {
    const c = await sendInbound(h.app, setup, inbox.id);
    if (assigneeId) {
      const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${c.conversationId}`, headers: setup.headers, payload: { assigneeId } });
      if (res.statusCode !== 200) throw new Error(res.body);
    }
    return c.conversationId;
  };

  /** A raw e-mail to the matrix's email inbox. */
  const rawMail = (from: string, extra = '') =>
    `From: ${from}\r\nTo: matrix@matrix.test\r\nSubject: Hello\r\nMessage-ID: <${unique()}@customer.test>\r\n${extra}\r\nHello there ${unique()}\r\n`;
  const postMail = async (raw: string) => {
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${emailInbox.id}/mime`, headers: { ...setup.headers, 'content-type': 'message/rfc822' }, payload: raw });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { outcome: string; holdId?: string };
  };
  /** Mail held for review: a stranger's reply to a customer's e-mail. */
  const heldMail = async () => {
    const original = rawMail('customer@customer.test');
    await postMail(original);
    const id = /Message-ID: (<[^>]+>)/.exec(original)![1];
    const held = await postMail(rawMail('stranger@elsewhere.test', `In-Reply-To: ${id}\r\n`));
    if (held.outcome !== 'held') throw new Error(`not held: ${held.outcome}`);
    return held.holdId!;
  };

  /** A new shared canned response, made by an owner. */
  const sharedCannedResponse = async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/canned-responses', headers: setup.headers, payload: { title: `Shared ${unique()}`, body: 'Hello {{contact.name}}', shared: true } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { id: string };
  };

  /** A new view of a team that every caller's member belongs to, made by an owner. */
  let everyonesTeam: { id: string } | undefined;
  const teamView = async () => {
    everyonesTeam ??= await buildTeam(h.app, setup, { memberIds: (['owner', 'admin', 'agent', 'light'] as const).map((w) => callers[w].memberId) });
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/saved-views', headers: setup.headers, payload: { name: `View ${unique()}`, teamId: everyonesTeam.id, filters: { priority: 'high' } } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { id: string };
  };

  /** A business event of a contact and a follow-up task for it in `memberId`'s queue. */
  const freshTask = async (memberId: string) => {
    const { event } = await recordBusinessEvent(h.ctx.db, { workspaceId: setup.workspaceId }, { id: `ev-${unique()}`, type: 'purchase', occurredAt: new Date().toISOString(), contact: { id: contactId } });
    const [t] = await h.ctx.db
      .insert(outreachTasks)
      .values({ workspaceId: setup.workspaceId, ruleName: 'Matrix rule', businessEventId: event.id, contactId, assigneeId: memberId, dueAt: new Date() })
      .returning();
    return t;
  };
  /** A new outreach rule, made by an owner. */
  const newOutreachRule = async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/outreach/rules', headers: setup.headers, payload: { name: `Outreach ${unique()}`, eventType: 'purchase', delay: { amount: 90, unit: 'days' }, teamId: team.id } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { id: string };
  };
  let phoneInbox: { id: string } | undefined;
  const phone = async () => {
    phoneInbox ??= json(await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: setup.headers, payload: { name: `Phone ${unique()}`, channel: 'phone' } })) as { id: string };
    return phoneInbox.id;
  };

  /** A new (disabled) rule, made by an owner. */
  const newRule = async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/rules',
      headers: setup.headers,
      payload: { name: `Rule ${unique()}`, enabled: false, trigger: 'conversation.created', actions: [{ type: 'add_tags', tags: ['ruled'] }] },
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { id: string };
  };

  /** A new draft for the feedback wall from a new customer message, made by an owner; moved on to `state` as the customer's answer would. */
  const newFeedback = async (state: 'draft' | 'consented' | 'published' = 'draft') => {
    const m = await sendInbound(h.app, setup, inbox.id, { text: `Great help ${unique()}` });
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/feedback', headers: setup.headers, payload: { kind: 'compliment', messageId: m.messageId } });
    if (res.statusCode !== 201) throw new Error(res.body);
    const item = json(res) as { id: string };
    if (state !== 'draft') {
      await h.ctx.database.raw.query(`update feedback_items set state = $2::feedback_state, consented_at = now(), published_at = case when $2::text = 'published' then now() end where id = $1`, [item.id, state]);
    }
    return item;
  };

  /** A goodwill action above an agent's limit, asked for by a member nobody calls as: it waits for approval. */
  const goodwillRequest = async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/goodwill`,
      headers: spare.headers,
      payload: { kind: 'credit', amountMinor: 10_000, currency: 'EUR', reason: 'Late delivery' },
    });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { id: string };
  };

  /** A new tag on the workspace's list, made by an owner. */
  const newTag = async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/tags', headers: setup.headers, payload: { name: `tag-${unique()}` } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { id: string };
  };

  /** A new webhook endpoint (nothing listens at its address), and a test delivery of it to redeliver, made by an owner. */
  const newWebhook = async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/webhooks', headers: setup.headers, payload: { url: 'http://127.0.0.1:9/matrix', eventTypes: ['conversation.created'] } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { id: string };
  };
  const newWebhookDelivery = async () => {
    const hook = await newWebhook();
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test`, headers: setup.headers });
    if (res.statusCode !== 200) throw new Error(res.body);
    return { hookId: hook.id, deliveryId: json(res).id as string };
  };

  /** A new business-hours calendar and a new SLA policy, made by an owner. */
  const newBusinessHours = async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/business-hours', headers: setup.headers, payload: { name: `Hours ${unique()}`, timeZone: 'Europe/Berlin', hours: { mon: [{ from: '09:00', to: '17:00' }] } } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { id: string };
  };
  const newSlaPolicy = async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/sla-policies', headers: setup.headers, payload: { name: `SLA ${unique()}`, enabled: false, targets: { firstResponse: { minutes: 60 } } } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { id: string };
  };

  /** A multipart body with a tiny PNG, as the profile page uploads an avatar. */
  const avatarUpload = () => {
    const boundary = `----matrix${unique()}`;
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
      png,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { payload, contentType: `multipart/form-data; boundary=${boundary}` };
  };

  /** A new invitation by link, made by an owner. */
  /** A reset link of a person of their own (using it ends their sessions, so never a caller's). */
  const newResetToken = async () => {
    const [u] = await h.ctx.db.insert(users).values({ email: `reset-${unique()}@example.test`, name: 'Reset' }).returning();
    const token = `reset-token-${unique()}`;
    await h.ctx.db.insert(passwordResets).values({ userId: u.id, tokenHash: sha256(token), expiresAt: new Date(Date.now() + 60_000) });
    return token;
  };
  const newInvite = async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/members/invites', headers: setup.headers, payload: { email: `inv-${unique()}@example.test` } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { id: string; url: string };
  };

  /** A custom field definition with a unique key, and one created by an owner. */
  const customField = () => ({ entity: 'contact', key: `f_${unique().replace(/-/g, '_')}`, label: 'Field', type: 'text' });
  const newCustomField = async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/custom-fields', headers: setup.headers, payload: customField() });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { id: string };
  };

  /** A topic with a unique name, made by an owner. */
  const newTopic = async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/topics', headers: setup.headers, payload: { name: `Topic ${unique()}` } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { id: string };
  };
  /** A conversation field an agent can ask a customer for. */
  const askable = async () => {
    const key = `ask_${unique().replace(/-/g, '_')}`;
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/custom-fields', headers: setup.headers, payload: { entity: 'conversation', key, label: 'Order', type: 'order_number' } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return key;
  };

  /** Catalog: an attribute, a product and an order (of the conversation's customer), each new and made by an owner. */
  const newAttribute = async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/catalog/attributes', headers: setup.headers, payload: { key: `a_${unique().replace(/-/g, '_')}`, label: 'Colour', type: 'text' } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { id: string };
  };
  const newProduct = async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/products', headers: setup.headers, payload: { sku: `SKU-${unique()}`, name: 'Case' } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { id: string; sku: string };
  };
  const order = () => ({ externalId: `O-${unique()}`, contact: { email: `buyer-${unique()}@example.test` }, status: 'paid', placedAt: '2026-11-01T10:00:00Z', lines: [{ sku: 'S-1', qty: 1, price: 10 }] });
  const newOrder = async (contact?: Record<string, string>) => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/orders', headers: setup.headers, payload: { ...order(), ...(contact ? { contact } : {}) } });
    if (res.statusCode !== 201) throw new Error(res.body);
    return json(res) as { id: string; contactId: string };
  };

  const rows: Row[] = [
    // Auth
    { route: 'POST /api/v1/auth/login', allowed: [...EVERYONE, 'anonymous'], request: () => ({ method: 'POST', url: '/api/v1/auth/login', payload: { email: setup.email, password: PASSWORD } }) },
    { route: 'POST /api/v1/auth/logout', allowed: EVERYONE, request: async (c) => ({ method: 'POST', url: '/api/v1/auth/logout', headers: await c.fresh() }) },
    { route: 'GET /api/v1/me', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/me' }) },
    { route: 'PATCH /api/v1/me', allowed: WRITERS.concat('light'), request: () => ({ method: 'PATCH', url: '/api/v1/me', payload: { signature: `sig ${unique()}` } }) },
    {
      route: 'POST /api/v1/me/password',
      allowed: SESSIONS,
      // It ends the member's other sessions, so members of each role are made for it.
      request: async (c) => ({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: (SESSIONS as readonly string[]).includes(c.who) ? (await signIn(h.app, (await buildMember(h.ctx, { workspace: 'Matrix Co', role: c.who as 'agent' })).email)).headers : undefined,
        payload: { currentPassword: PASSWORD, newPassword: PASSWORD },
      }),
    },
    { route: 'GET /api/v1/audit-log', allowed: ADMINS, request: () => ({ method: 'GET', url: '/api/v1/audit-log' }) },
    // Members
    { route: 'GET /api/v1/members', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/members' }) },
    { route: 'GET /api/v1/members/:id', allowed: EVERYONE, request: () => ({ method: 'GET', url: `/api/v1/members/${spare.memberId}` }) },
    {
      route: 'POST /api/v1/members',
      allowed: ADMINS,
      request: () => ({ method: 'POST', url: '/api/v1/members', payload: { email: `new-${unique()}@example.test`, name: 'New', role: 'agent' } }),
    },
    {
      route: 'PATCH /api/v1/members/:id',
      when: "another member's name",
      allowed: ADMINS,
      request: () => ({ method: 'PATCH', url: `/api/v1/members/${spare.memberId}`, payload: { name: `Spare ${unique()}` } }),
    },
    {
      route: 'PATCH /api/v1/members/:id',
      when: 'own signature',
      allowed: WRITERS.concat('light'),
      request: (c) => ({ method: 'PATCH', url: `/api/v1/members/${c.memberId}`, payload: { signature: `sig ${unique()}` } }),
    },
    {
      route: 'PATCH /api/v1/members/:id',
      when: "another member's role",
      allowed: ADMINS,
      request: () => ({ method: 'PATCH', url: `/api/v1/members/${spare.memberId}`, payload: { role: 'agent' } }),
    },
    {
      route: 'GET /api/v1/members/:id/avatar',
      allowed: EVERYONE,
      request: async () => {
        const body = avatarUpload();
        const res = await h.app.inject({ method: 'POST', url: '/api/v1/me/avatar', headers: { ...spare.headers, 'content-type': body.contentType }, payload: body.payload });
        if (res.statusCode !== 200) throw new Error(res.body);
        return { method: 'GET', url: `/api/v1/members/${spare.memberId}/avatar` };
      },
    },
    {
      route: 'POST /api/v1/me/avatar',
      allowed: WRITERS.concat('light'),
      request: (c) => {
        const body = avatarUpload();
        return { method: 'POST', url: '/api/v1/me/avatar', headers: { ...c.headers, 'content-type': body.contentType }, payload: body.payload };
      },
    },
    { route: 'DELETE /api/v1/me/avatar', allowed: WRITERS.concat('light'), request: () => ({ method: 'DELETE', url: '/api/v1/me/avatar' }) },
    { route: 'GET /api/v1/members/invites', allowed: ADMINS, request: () => ({ method: 'GET', url: '/api/v1/members/invites' }) },
    { route: 'POST /api/v1/members/invites', allowed: ADMINS, request: () => ({ method: 'POST', url: '/api/v1/members/invites', payload: { email: `inv-${unique()}@example.test` } }) },
    { route: 'DELETE /api/v1/members/invites/:id', allowed: ADMINS, request: async () => ({ method: 'DELETE', url: `/api/v1/members/invites/${(await newInvite()).id}` }) },
    { route: 'POST /api/v1/auth/password-reset', allowed: [...EVERYONE, 'anonymous'], request: () => ({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email: `nobody-${unique()}@example.test` } }) },
    {
      route: 'POST /api/v1/auth/password-reset/confirm',
      allowed: [...EVERYONE, 'anonymous'],
      request: async () => ({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token: await newResetToken(), password: PASSWORD } }),
    },
    {
      route: 'POST /api/v1/auth/accept-invite',
      allowed: [...EVERYONE, 'anonymous'],
      request: async () => ({ method: 'POST', url: '/api/v1/auth/accept-invite', payload: { token: new URL((await newInvite()).url).searchParams.get('token'), name: 'Invitee', password: PASSWORD } }),
    },
    // Teams
    { route: 'GET /api/v1/teams', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/teams' }) },
    { route: 'GET /api/v1/teams/:id', allowed: EVERYONE, request: () => ({ method: 'GET', url: `/api/v1/teams/${team.id}` }) },
    { route: 'POST /api/v1/teams', allowed: ADMINS, request: () => ({ method: 'POST', url: '/api/v1/teams', payload: { name: `Team ${unique()}` } }) },
    { route: 'PATCH /api/v1/teams/:id', allowed: ADMINS, request: () => ({ method: 'PATCH', url: `/api/v1/teams/${team.id}`, payload: { name: `Team ${unique()}` } }) },
    {
      route: 'DELETE /api/v1/teams/:id',
      allowed: ADMINS,
      request: async () => ({ method: 'DELETE', url: `/api/v1/teams/${(await buildTeam(h.app, setup)).id}` }),
    },
    // Tokens: managed from a session, or with the admin scope
    { route: 'GET /api/v1/tokens', allowed: SESSIONS, request: () => ({ method: 'GET', url: '/api/v1/tokens' }) },
    { route: 'POST /api/v1/tokens', allowed: SESSIONS, request: () => ({ method: 'POST', url: '/api/v1/tokens', payload: { name: `t ${unique()}`, scopes: ['read'] } }) },
    // A token for someone else is an owner's act alone, whatever the other member's role.
    ...([['owner', 'an owner'], ['admin', 'an admin'], ['agent', 'an agent'], ['light', 'a light member']] as const).map(
      ([role, whom]): Row => ({
        route: 'POST /api/v1/tokens',
        when: `for another member, ${whom}`,
        allowed: ['owner'],
        request: () => ({ method: 'POST', url: '/api/v1/tokens', payload: { name: `t ${unique()}`, scopes: ['read'], memberId: others[role].memberId } }),
      }),
    ),
    {
      route: 'DELETE /api/v1/tokens/:id',
      when: 'own token',
      allowed: SESSIONS,
      request: async (c) => ({ method: 'DELETE', url: `/api/v1/tokens/${(await buildToken(h.app, setup, { memberId: c.memberId, scopes: ['read'] })).id}` }),
    },
    // Inboxes
    { route: 'GET /api/v1/inboxes', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/inboxes' }) },
    { route: 'GET /api/v1/inboxes/:id', allowed: EVERYONE, request: () => ({ method: 'GET', url: `/api/v1/inboxes/${inbox.id}` }) },
    { route: 'POST /api/v1/inboxes', allowed: ADMINS, request: () => ({ method: 'POST', url: '/api/v1/inboxes', payload: { name: `Widget ${unique()}`, channel: 'widget' } }) },
    { route: 'PATCH /api/v1/inboxes/:id', allowed: ADMINS, request: () => ({ method: 'PATCH', url: `/api/v1/inboxes/${inbox.id}`, payload: { name: `API ${unique()}` } }) },
    { route: 'POST /api/v1/inboxes/:id/rotate-secret', allowed: ADMINS, request: () => ({ method: 'POST', url: `/api/v1/inboxes/${inbox.id}/rotate-secret` }) },
    {
      route: 'POST /api/v1/inboxes/:id/messages',
      allowed: WRITERS,
      request: () => ({
        method: 'POST',
        url: `/api/v1/inboxes/${inbox.id}/messages`,
        payload: { contact: { externalId: `m-${unique()}` }, text: 'Hello', clientMessageId: `m-${unique()}` },
      }),
    },
    // Email channel
    {
      route: 'POST /api/v1/inboxes/:id/mime',
      allowed: WRITERS,
      request: (c) => ({ method: 'POST', url: `/api/v1/inboxes/${emailInbox.id}/mime`, headers: { ...c.headers, 'content-type': 'message/rfc822' }, payload: rawMail('someone@customer.test') }),
    },
    { route: 'POST /api/v1/inboxes/:id/email/check', allowed: ADMINS, request: () => ({ method: 'POST', url: `/api/v1/inboxes/${emailInbox.id}/email/check` }) },
    { route: 'POST /api/v1/inboxes/:id/email/test', allowed: ADMINS, request: () => ({ method: 'POST', url: `/api/v1/inboxes/${emailInbox.id}/email/test`, payload: {} }) },
    { route: 'GET /api/v1/mail-holds', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/mail-holds' }) },
    { route: 'GET /api/v1/mail-holds/:id/raw', allowed: EVERYONE, request: async () => ({ method: 'GET', url: `/api/v1/mail-holds/${await heldMail()}/raw` }) },
    { route: 'POST /api/v1/mail-holds/:id/:action', allowed: WRITERS, request: async () => ({ method: 'POST', url: `/api/v1/mail-holds/${await heldMail()}/new_conversation` }) },
    // Contacts
    { route: 'GET /api/v1/contacts', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/contacts?q=a' }) },
    { route: 'GET /api/v1/contacts/:id', allowed: EVERYONE, request: () => ({ method: 'GET', url: `/api/v1/contacts/${contactId}` }) },
    { route: 'PATCH /api/v1/contacts/:id', allowed: WRITERS, request: () => ({ method: 'PATCH', url: `/api/v1/contacts/${contactId}`, payload: { name: `C ${unique()}` } }) },
    {
      route: 'POST /api/v1/contacts/:id/merge',
      allowed: WRITERS,
      request: async () => ({ method: 'POST', url: `/api/v1/contacts/${contactId}/merge`, payload: { sourceId: (await sendInbound(h.app, setup, inbox.id)).contactId } }),
    },
    // Conversations
    { route: 'GET /api/v1/conversations', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/conversations?status=open,pending' }) },
    { route: 'GET /api/v1/conversations/:id', allowed: EVERYONE, request: () => ({ method: 'GET', url: `/api/v1/conversations/${conversationId}` }) },
    { route: 'GET /api/v1/conversations/:id/timeline', allowed: EVERYONE, request: () => ({ method: 'GET', url: `/api/v1/conversations/${conversationId}/timeline` }) },
    {
      route: 'PATCH /api/v1/conversations/:id',
      when: 'not assigned to the caller',
      allowed: WRITERS,
      request: async () => ({ method: 'PATCH', url: `/api/v1/conversations/${await freshConversation()}`, payload: { status: 'pending', priority: 'high' } }),
    },
    {
      route: 'PATCH /api/v1/conversations/:id',
      when: 'assigned to the caller',
      allowed: WRITERS.concat('light'),
      request: async (c) => ({ method: 'PATCH', url: `/api/v1/conversations/${await freshConversation(c.memberId)}`, payload: { status: 'pending' } }),
    },
    {
      route: 'POST /api/v1/conversations/:id/messages',
      when: 'a reply, not assigned to the caller',
      allowed: WRITERS,
      request: async () => ({ method: 'POST', url: `/api/v1/conversations/${await freshConversation()}/messages`, payload: { text: 'Reply' } }),
    },
    {
      route: 'POST /api/v1/conversations/:id/messages',
      when: 'a reply, assigned to the caller',
      allowed: WRITERS.concat('light'),
      request: async (c) => ({ method: 'POST', url: `/api/v1/conversations/${await freshConversation(c.memberId)}/messages`, payload: { text: 'Reply' } }),
    },
    {
      route: 'POST /api/v1/conversations/:id/messages',
      when: 'an internal note',
      allowed: WRITERS.concat('light'),
      request: () => ({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, payload: { text: 'Note', kind: 'note' } }),
    },
    { route: 'GET /api/v1/views', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/views' }) },
    { route: 'POST /api/v1/conversations/:id/read', allowed: EVERYONE, request: () => ({ method: 'POST', url: `/api/v1/conversations/${conversationId}/read` }) },
    {
      route: 'POST /api/v1/conversations/bulk',
      // A light member may call it; conversations not assigned to them come back under failed.
      allowed: WRITERS.concat('light'),
      request: async () => ({ method: 'POST', url: '/api/v1/conversations/bulk', payload: { ids: [await freshConversation()], update: { priority: 'high' } } }),
    },
    {
      route: 'DELETE /api/v1/messages/:id',
      when: "another member's scheduled reply",
      allowed: ADMINS,
      request: async () => {
        const res = await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, headers: setup.headers, payload: { text: 'Later', sendAt: new Date(Date.now() + 3_600_000).toISOString() } });
        return { method: 'DELETE', url: `/api/v1/messages/${json(res).id}` };
      },
    },
    {
      route: 'POST /api/v1/conversations/:id/calls',
      when: 'not assigned to the caller',
      allowed: WRITERS,
      request: async () => ({
        method: 'POST',
        url: `/api/v1/conversations/${await freshConversation()}/calls`,
        payload: { direction: 'outbound', number: '+1 555 0100', durationSeconds: 60, outcome: 'answered' },
      }),
    },
    {
      route: 'POST /api/v1/calls',
      allowed: WRITERS,
      request: async () => {
        const res = await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: setup.headers, payload: { name: `Phone ${unique()}`, channel: 'phone' } });
        return { method: 'POST', url: '/api/v1/calls', payload: { inboxId: json(res).id, contact: { phone: '+1 555 0101' }, direction: 'inbound', number: '+1 555 0101', durationSeconds: 30, outcome: 'answered' } };
      },
    },
    {
      route: 'POST /api/v1/conversations/:id/request-info',
      when: 'not assigned to the caller',
      allowed: WRITERS,
      request: async () => ({ method: 'POST', url: `/api/v1/conversations/${await freshConversation()}/request-info`, payload: { fieldKeys: [await askable()] } }),
    },
    {
      route: 'POST /api/v1/conversations/:id/merge',
      when: 'neither assigned to the caller',
      allowed: WRITERS,
      request: async () => ({ method: 'POST', url: `/api/v1/conversations/${await freshConversation()}/merge`, payload: { sourceId: await freshConversation() } }),
    },
    { route: 'GET /api/v1/delivery-problems', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/delivery-problems' }) },
    {
      route: 'POST /api/v1/messages/:id/retry',
      when: 'not assigned to the caller',
      allowed: WRITERS,
      request: async () => ({ method: 'POST', url: `/api/v1/messages/${await failedReply()}/retry` }),
    },
    {
      route: 'POST /api/v1/messages/:id/send-by-email',
      when: 'not assigned to the caller',
      allowed: WRITERS,
      request: async () => ({ method: 'POST', url: `/api/v1/messages/${await failedReply()}/send-by-email` }),
    },
    {
      route: 'POST /api/v1/messages/:id/split',
      when: 'not assigned to the caller',
      allowed: WRITERS,
      request: async () => {
        const contact = { externalId: `split-${unique()}` };
        await sendInbound(h.app, setup, inbox.id, { contact });
        const second = await sendInbound(h.app, setup, inbox.id, { contact, text: 'Another question' });
        return { method: 'POST', url: `/api/v1/messages/${second.messageId}/split` };
      },
    },
    {
      route: 'POST /api/v1/conversations/:id/participants',
      when: 'not assigned to the caller',
      allowed: WRITERS,
      request: async () => ({ method: 'POST', url: `/api/v1/conversations/${await freshConversation()}/participants`, payload: { email: `cc-${unique()}@example.test` } }),
    },
    {
      route: 'DELETE /api/v1/conversations/:id/participants/:contactId',
      when: 'not assigned to the caller',
      allowed: WRITERS,
      request: async () => {
        const id = await freshConversation();
        const res = await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${id}/participants`, headers: setup.headers, payload: { email: `cc-${unique()}@example.test` } });
        return { method: 'DELETE', url: `/api/v1/conversations/${id}/participants/${json(res).participants[0].contactId}` };
      },
    },
    // Canned responses: personal ones for everyone who writes, shared ones for admins
    { route: 'GET /api/v1/canned-responses', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/canned-responses' }) },
    { route: 'GET /api/v1/canned-responses/:id', allowed: EVERYONE, request: async () => ({ method: 'GET', url: `/api/v1/canned-responses/${(await sharedCannedResponse()).id}` }) },
    {
      route: 'POST /api/v1/canned-responses',
      when: 'personal',
      allowed: WRITERS.concat('light'),
      request: () => ({ method: 'POST', url: '/api/v1/canned-responses', payload: { title: `Mine ${unique()}`, body: 'Hi' } }),
    },
    {
      route: 'POST /api/v1/canned-responses',
      when: 'shared',
      allowed: ADMINS,
      request: () => ({ method: 'POST', url: '/api/v1/canned-responses', payload: { title: `Shared ${unique()}`, body: 'Hi', shared: true } }),
    },
    {
      route: 'PATCH /api/v1/canned-responses/:id',
      when: 'shared',
      allowed: ADMINS,
      request: async () => ({ method: 'PATCH', url: `/api/v1/canned-responses/${(await sharedCannedResponse()).id}`, payload: { body: `Hi ${unique()}` } }),
    },
    {
      route: 'DELETE /api/v1/canned-responses/:id',
      when: 'shared',
      allowed: ADMINS,
      request: async () => ({ method: 'DELETE', url: `/api/v1/canned-responses/${(await sharedCannedResponse()).id}` }),
    },
    {
      route: 'POST /api/v1/canned-responses/:id/render',
      allowed: EVERYONE,
      request: async () => ({ method: 'POST', url: `/api/v1/canned-responses/${(await sharedCannedResponse()).id}/render`, payload: { conversationId } }),
    },
    {
      route: 'POST /api/v1/conversations/:id/macros/:cannedResponseId',
      when: 'a shared macro without changes, as a draft',
      allowed: WRITERS.concat('light'),
      request: async () => ({ method: 'POST', url: `/api/v1/conversations/${conversationId}/macros/${(await sharedCannedResponse()).id}`, payload: {} }),
    },
    // Saved views: personal ones for everyone who writes; a team's for its members and admins
    { route: 'GET /api/v1/saved-views', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/saved-views' }) },
    {
      route: 'POST /api/v1/saved-views',
      when: 'personal',
      allowed: WRITERS.concat('light'),
      request: () => ({ method: 'POST', url: '/api/v1/saved-views', payload: { name: `Mine ${unique()}`, personal: true, filters: { priority: 'urgent' } } }),
    },
    {
      route: 'POST /api/v1/saved-views',
      when: "a team's, not being in the team",
      allowed: ADMINS,
      request: () => ({ method: 'POST', url: '/api/v1/saved-views', payload: { name: `Team ${unique()}`, teamId: team.id, filters: {} } }),
    },
    {
      route: 'PATCH /api/v1/saved-views/:id',
      when: "a team's, being in the team",
      allowed: WRITERS.concat('light'),
      request: async () => ({ method: 'PATCH', url: `/api/v1/saved-views/${(await teamView()).id}`, payload: { name: `Renamed ${unique()}` } }),
    },
    {
      route: 'DELETE /api/v1/saved-views/:id',
      when: "a team's, being in the team",
      allowed: WRITERS.concat('light'),
      request: async () => ({ method: 'DELETE', url: `/api/v1/saved-views/${(await teamView()).id}` }),
    },
    // Rules
    { route: 'GET /api/v1/rules', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/rules' }) },
    { route: 'GET /api/v1/rules/:id', allowed: EVERYONE, request: async () => ({ method: 'GET', url: `/api/v1/rules/${(await newRule()).id}` }) },
    {
      route: 'POST /api/v1/rules',
      allowed: ADMINS,
      request: () => ({ method: 'POST', url: '/api/v1/rules', payload: { name: `Rule ${unique()}`, enabled: false, trigger: 'time', actions: [{ type: 'set_status', status: 'solved' }] } }),
    },
    { route: 'PATCH /api/v1/rules/:id', allowed: ADMINS, request: async () => ({ method: 'PATCH', url: `/api/v1/rules/${(await newRule()).id}`, payload: { name: `Rule ${unique()}` } }) },
    { route: 'DELETE /api/v1/rules/:id', allowed: ADMINS, request: async () => ({ method: 'DELETE', url: `/api/v1/rules/${(await newRule()).id}` }) },
    {
      route: 'POST /api/v1/rules/preview',
      allowed: ADMINS,
      request: () => ({ method: 'POST', url: '/api/v1/rules/preview', payload: { conditions: { match: 'any', conditions: [{ field: 'status', operator: 'is', value: 'open' }] } } }),
    },
    // Attachments
    {
      route: 'POST /api/v1/attachments',
      allowed: WRITERS.concat('light'),
      request: (c) => {
        const body = avatarUpload();
        return { method: 'POST', url: '/api/v1/attachments', headers: { ...c.headers, 'content-type': body.contentType }, payload: body.payload };
      },
    },
    {
      route: 'GET /api/v1/attachments/:id/download',
      allowed: EVERYONE,
      request: async () => {
        const body = avatarUpload();
        const res = await h.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...setup.headers, 'content-type': body.contentType }, payload: body.payload });
        if (res.statusCode !== 201) throw new Error(res.body);
        return { method: 'GET', url: `/api/v1/attachments/${(json(res) as { id: string }[])[0].id}/download` };
      },
    },
    {
      route: 'GET /api/v1/attachments/:id/inline',
      allowed: EVERYONE,
      request: async () => {
        const body = avatarUpload();
        const res = await h.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...setup.headers, 'content-type': body.contentType }, payload: body.payload });
        if (res.statusCode !== 201) throw new Error(res.body);
        return { method: 'GET', url: `/api/v1/attachments/${(json(res) as { id: string }[])[0].id}/inline` };
      },
    },
    // Custom fields
    { route: 'GET /api/v1/custom-fields', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/custom-fields' }) },
    { route: 'POST /api/v1/custom-fields', allowed: ADMINS, request: () => ({ method: 'POST', url: '/api/v1/custom-fields', payload: customField() }) },
    { route: 'PATCH /api/v1/custom-fields/:id', allowed: ADMINS, request: async () => ({ method: 'PATCH', url: `/api/v1/custom-fields/${(await newCustomField()).id}`, payload: { label: `L ${unique()}` } }) },
    { route: 'DELETE /api/v1/custom-fields/:id', allowed: ADMINS, request: async () => ({ method: 'DELETE', url: `/api/v1/custom-fields/${(await newCustomField()).id}` }) },
    { route: 'GET /api/v1/topics', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/topics' }) },
    { route: 'POST /api/v1/topics', allowed: ADMINS, request: () => ({ method: 'POST', url: '/api/v1/topics', payload: { name: `Topic ${unique()}` } }) },
    { route: 'PATCH /api/v1/topics/:id', allowed: ADMINS, request: async () => ({ method: 'PATCH', url: `/api/v1/topics/${(await newTopic()).id}`, payload: { name: `T ${unique()}` } }) },
    { route: 'DELETE /api/v1/topics/:id', allowed: ADMINS, request: async () => ({ method: 'DELETE', url: `/api/v1/topics/${(await newTopic()).id}` }) },
    // Catalog and orders: everyone reads and searches, admins set up the catalog, writers record and link orders
    { route: 'GET /api/v1/catalog/attributes', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/catalog/attributes' }) },
    { route: 'POST /api/v1/catalog/attributes', allowed: ADMINS, request: () => ({ method: 'POST', url: '/api/v1/catalog/attributes', payload: { key: `k_${unique().replace(/-/g, '_')}`, label: 'Size', type: 'number', unit: 'mm' } }) },
    { route: 'PATCH /api/v1/catalog/attributes/:id', allowed: ADMINS, request: async () => ({ method: 'PATCH', url: `/api/v1/catalog/attributes/${(await newAttribute()).id}`, payload: { label: `L ${unique()}` } }) },
    { route: 'DELETE /api/v1/catalog/attributes/:id', allowed: ADMINS, request: async () => ({ method: 'DELETE', url: `/api/v1/catalog/attributes/${(await newAttribute()).id}` }) },
    { route: 'GET /api/v1/products', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/products?q=case' }) },
    { route: 'POST /api/v1/products', allowed: ADMINS, request: () => ({ method: 'POST', url: '/api/v1/products', payload: { sku: `P-${unique()}`, name: 'Case' } }) },
    { route: 'POST /api/v1/products/bulk', allowed: ADMINS, request: () => ({ method: 'POST', url: '/api/v1/products/bulk', payload: { products: [{ sku: `B-${unique()}`, name: 'Case' }] } }) },
    { route: 'POST /api/v1/products/import', allowed: ADMINS, request: () => ({ method: 'POST', url: '/api/v1/products/import', payload: { csv: `sku,name\nI-${unique()},Case`, dryRun: false } }) },
    { route: 'GET /api/v1/products/:id', allowed: EVERYONE, request: async () => ({ method: 'GET', url: `/api/v1/products/${(await newProduct()).id}` }) },
    { route: 'PATCH /api/v1/products/:id', allowed: ADMINS, request: async () => ({ method: 'PATCH', url: `/api/v1/products/${(await newProduct()).id}`, payload: { name: 'Renamed' } }) },
    { route: 'DELETE /api/v1/products/:id', allowed: ADMINS, request: async () => ({ method: 'DELETE', url: `/api/v1/products/${(await newProduct()).id}` }) },
    { route: 'POST /api/v1/orders', allowed: WRITERS, request: () => ({ method: 'POST', url: '/api/v1/orders', payload: order() }) },
    { route: 'GET /api/v1/orders/:id', allowed: EVERYONE, request: async () => ({ method: 'GET', url: `/api/v1/orders/${(await newOrder()).id}` }) },
    { route: 'GET /api/v1/contacts/:id/orders', allowed: EVERYONE, request: async () => ({ method: 'GET', url: `/api/v1/contacts/${(await newOrder()).contactId}/orders` }) },
    { route: 'GET /api/v1/conversations/:id/orders', allowed: EVERYONE, request: () => ({ method: 'GET', url: `/api/v1/conversations/${conversationId}/orders` }) },
    {
      route: 'POST /api/v1/conversations/:id/orders',
      when: 'not assigned to the caller',
      allowed: WRITERS,
      request: async () => ({ method: 'POST', url: `/api/v1/conversations/${await freshConversation()}/orders`, payload: { orderId: (await newOrder()).id } }),
    },
    { route: 'GET /api/v1/conversations/:id/suggestions', allowed: EVERYONE, request: () => ({ method: 'GET', url: `/api/v1/conversations/${conversationId}/suggestions?draft=hello` }) },
    // Help center (policy.ts: everyone reads; owners and admins configure)
    { route: 'GET /api/v1/help-center', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/help-center' }) },
    { route: 'PATCH /api/v1/help-center', allowed: ADMINS, request: () => ({ method: 'PATCH', url: '/api/v1/help-center', payload: { title: `Matrix Help ${unique()}` } }) },
    {
      route: 'POST /api/v1/help-center/logo',
      allowed: ADMINS,
      request: (c) => {
        const body = avatarUpload();
        return { method: 'POST', url: '/api/v1/help-center/logo', headers: { ...c.headers, 'content-type': body.contentType }, payload: body.payload };
      },
    },
    { route: 'DELETE /api/v1/help-center/logo', allowed: ADMINS, request: () => ({ method: 'DELETE', url: '/api/v1/help-center/logo' }) },
    { route: 'GET /api/v1/help-center/stats', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/help-center/stats' }) },
    // Knowledge base: agents and admins write (light members and read tokens read); deletes pass the route for writers, and the service refuses all but admins
    { route: 'GET /api/v1/kb/categories', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/kb/categories' }) },
    { route: 'POST /api/v1/kb/categories', allowed: WRITERS, request: () => ({ method: 'POST', url: '/api/v1/kb/categories', payload: { name: `Category ${unique()}` } }) },
    { route: 'PATCH /api/v1/kb/categories/:id', allowed: WRITERS, request: async () => ({ method: 'PATCH', url: `/api/v1/kb/categories/${(await buildCategory(h.app, setup)).id}`, payload: { description: 'Changed' } }) },
    { route: 'DELETE /api/v1/kb/categories/:id', allowed: ADMINS, request: async () => ({ method: 'DELETE', url: `/api/v1/kb/categories/${(await buildCategory(h.app, setup)).id}` }) },
    { route: 'GET /api/v1/kb/articles', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/kb/articles' }) },
    { route: 'POST /api/v1/kb/articles', allowed: WRITERS, request: () => ({ method: 'POST', url: '/api/v1/kb/articles', payload: { title: `Article ${unique()}`, body: 'Words.' } }) },
    { route: 'GET /api/v1/kb/articles/:id', allowed: EVERYONE, request: async () => ({ method: 'GET', url: `/api/v1/kb/articles/${(await buildArticle(h.app, setup)).id}` }) },
    { route: 'PATCH /api/v1/kb/articles/:id', allowed: WRITERS, request: async () => ({ method: 'PATCH', url: `/api/v1/kb/articles/${(await buildArticle(h.app, setup)).id}`, payload: { title: `Changed ${unique()}` } }) },
    { route: 'DELETE /api/v1/kb/articles/:id', allowed: ADMINS, request: async () => ({ method: 'DELETE', url: `/api/v1/kb/articles/${(await buildArticle(h.app, setup)).id}` }) },
    { route: 'GET /api/v1/kb/articles/:id/feedback', allowed: EVERYONE, request: async () => ({ method: 'GET', url: `/api/v1/kb/articles/${(await buildArticle(h.app, setup)).id}/feedback` }) },
    {
      route: 'POST /api/v1/kb/images',
      allowed: WRITERS,
      request: (c) => {
        const body = avatarUpload();
        return { method: 'POST', url: '/api/v1/kb/images', headers: { ...c.headers, 'content-type': body.contentType }, payload: body.payload };
      },
    },
    { route: 'POST /api/v1/kb/preview', allowed: WRITERS, request: () => ({ method: 'POST', url: '/api/v1/kb/preview', payload: { body: '**Preview**' } }) },
    // Community: everyone reads; agents and admins answer and moderate
    { route: 'GET /api/v1/community/threads', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/community/threads' }) },
    { route: 'GET /api/v1/community/threads/:id', allowed: EVERYONE, request: async () => ({ method: 'GET', url: `/api/v1/community/threads/${(await freshThread()).id}` }) },
    { route: 'POST /api/v1/community/threads/:id/posts', allowed: WRITERS, request: async () => ({ method: 'POST', url: `/api/v1/community/threads/${(await freshThread()).id}/posts`, payload: { body: 'An answer.' } }) },
    {
      route: 'POST /api/v1/community/threads/:id/accept',
      allowed: WRITERS,
      request: async () => {
        const t = await freshThread(true);
        return { method: 'POST', url: `/api/v1/community/threads/${t.id}/accept`, payload: { postId: t.postId } };
      },
    },
    {
      route: 'POST /api/v1/community/threads/:id/moderate',
      allowed: WRITERS,
      request: async () => ({ method: 'POST', url: `/api/v1/community/threads/${(await freshThread()).id}/moderate`, payload: { action: 'hide', reason: 'Off topic' } }),
    },
    {
      route: 'POST /api/v1/community/posts/:id/moderate',
      allowed: WRITERS,
      request: async () => ({ method: 'POST', url: `/api/v1/community/posts/${(await freshThread(true)).postId}/moderate`, payload: { action: 'delete', reason: 'Spam' } }),
    },
    { route: 'POST /api/v1/community/threads/:id/article', allowed: WRITERS, request: async () => ({ method: 'POST', url: `/api/v1/community/threads/${(await freshThread(true)).id}/article`, payload: {} }) },
    // Events a processor could not handle (admins see and retry them)
    { route: 'GET /api/v1/event-failures', allowed: ADMINS, request: () => ({ method: 'GET', url: '/api/v1/event-failures' }) },
    {
      route: 'POST /api/v1/event-failures/:eventId/:processor/retry',
      allowed: ADMINS,
      request: async () => {
        const e = await recordEvent(h.ctx.db, { workspaceId: setup.workspaceId, type: 'contact.updated', data: { contactId } });
        await h.ctx.db.insert(eventFailures).values({ eventId: e.id, processor: 'matrix', workspaceId: setup.workspaceId, attempts: 8, lastError: 'gave up', nextAttemptAt: new Date(), deadAt: new Date() });
        return { method: 'POST', url: `/api/v1/event-failures/${e.id}/matrix/retry` };
      },
    },
    // Tags
    { route: 'GET /api/v1/tags', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/tags' }) },
    { route: 'POST /api/v1/tags', allowed: ADMINS, request: () => ({ method: 'POST', url: '/api/v1/tags', payload: { name: `tag-${unique()}` } }) },
    { route: 'PATCH /api/v1/tags/:id', allowed: ADMINS, request: async () => ({ method: 'PATCH', url: `/api/v1/tags/${(await newTag()).id}`, payload: { name: `tag-${unique()}` } }) },
    { route: 'DELETE /api/v1/tags/:id', allowed: ADMINS, request: async () => ({ method: 'DELETE', url: `/api/v1/tags/${(await newTag()).id}` }) },
    { route: 'GET /api/v1/business-hours', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/business-hours' }) },
    { route: 'GET /api/v1/business-hours/:id', allowed: EVERYONE, request: async () => ({ method: 'GET', url: `/api/v1/business-hours/${(await newBusinessHours()).id}` }) },
    {
      route: 'POST /api/v1/business-hours',
      allowed: ADMINS,
      request: () => ({ method: 'POST', url: '/api/v1/business-hours', payload: { name: `Hours ${unique()}`, timeZone: 'UTC', hours: { tue: [{ from: '08:00', to: '24:00' }] } } }),
    },
    { route: 'PATCH /api/v1/business-hours/:id', allowed: ADMINS, request: async () => ({ method: 'PATCH', url: `/api/v1/business-hours/${(await newBusinessHours()).id}`, payload: { name: `Hours ${unique()}` } }) },
    { route: 'DELETE /api/v1/business-hours/:id', allowed: ADMINS, request: async () => ({ method: 'DELETE', url: `/api/v1/business-hours/${(await newBusinessHours()).id}` }) },
    { route: 'GET /api/v1/satisfaction', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/satisfaction' }) },
    // Planning the team's hours is not a light member's business.
    // Reports: the team's figures are for owners, admins and agents, not light members.
    { route: 'GET /api/v1/reports/overview', allowed: ['owner', 'admin', 'agent', 'readToken', 'agentToken'], request: () => ({ method: 'GET', url: '/api/v1/reports/overview' }) },
    { route: 'GET /api/v1/reports/breakdown', allowed: ['owner', 'admin', 'agent', 'readToken', 'agentToken'], request: () => ({ method: 'GET', url: '/api/v1/reports/breakdown?dimension=team' }) },
    { route: 'GET /api/v1/reports/satisfaction', allowed: ['owner', 'admin', 'agent', 'readToken', 'agentToken'], request: () => ({ method: 'GET', url: '/api/v1/reports/satisfaction' }) },
    { route: 'GET /api/v1/reports/staffing', allowed: ['owner', 'admin', 'agent', 'readToken', 'agentToken'], request: () => ({ method: 'GET', url: '/api/v1/reports/staffing' }) },
    { route: 'GET /api/v1/reports/feedback', allowed: ['owner', 'admin', 'agent', 'readToken', 'agentToken'], request: () => ({ method: 'GET', url: '/api/v1/reports/feedback' }) },

    // Goodwill: members who may answer give it, admins and owners approve what waits and set the limits
    { route: 'GET /api/v1/conversations/:id/goodwill', allowed: EVERYONE, request: () => ({ method: 'GET', url: `/api/v1/conversations/${conversationId}/goodwill` }) },
    {
      route: 'POST /api/v1/conversations/:id/goodwill',
      when: 'not assigned to the caller',
      allowed: WRITERS,
      request: async () => ({ method: 'POST', url: `/api/v1/conversations/${await freshConversation()}/goodwill`, payload: { kind: 'discount', amountMinor: 1000, currency: 'EUR', reason: 'Sorry' } }),
    },
    {
      route: 'POST /api/v1/conversations/:id/goodwill',
      when: 'assigned to the caller',
      allowed: WRITERS.concat('light'),
      request: async (c) => ({ method: 'POST', url: `/api/v1/conversations/${await freshConversation(c.memberId)}/goodwill`, payload: { kind: 'credit', amountMinor: 1000, currency: 'EUR', reason: 'Sorry' } }),
    },
    { route: 'GET /api/v1/goodwill/actions', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/goodwill/actions?state=awaiting_approval' }) },
    { route: 'GET /api/v1/goodwill/actions/:id', allowed: EVERYONE, request: async () => ({ method: 'GET', url: `/api/v1/goodwill/actions/${(await goodwillRequest()).id}` }) },
    { route: 'POST /api/v1/goodwill/actions/:id/approve', allowed: ADMINS, request: async () => ({ method: 'POST', url: `/api/v1/goodwill/actions/${(await goodwillRequest()).id}/approve`, payload: {} }) },
    {
      route: 'POST /api/v1/goodwill/actions/:id/deny',
      allowed: ADMINS,
      request: async () => ({ method: 'POST', url: `/api/v1/goodwill/actions/${(await goodwillRequest()).id}/deny`, payload: { reason: 'Not this time' } }),
    },
    { route: 'GET /api/v1/goodwill/ledger', allowed: EVERYONE, request: () => ({ method: 'GET', url: `/api/v1/goodwill/ledger?contactId=${contactId}` }) },
    { route: 'GET /api/v1/goodwill/settings', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/goodwill/settings' }) },
    {
      route: 'PUT /api/v1/goodwill/settings',
      allowed: ADMINS,
      request: () => ({ method: 'PUT', url: '/api/v1/goodwill/settings', payload: { limits: [{ role: 'agent', kind: 'credit', currency: 'EUR', limitMinor: 5000 }] } }),
    },
    // The feedback wall: agents propose and ask, admins publish
    { route: 'GET /api/v1/feedback', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/feedback' }) },
    { route: 'GET /api/v1/feedback/:id', allowed: EVERYONE, request: async () => ({ method: 'GET', url: `/api/v1/feedback/${(await newFeedback()).id}` }) },
    {
      route: 'POST /api/v1/feedback',
      allowed: WRITERS,
      request: async () => ({ method: 'POST', url: '/api/v1/feedback', payload: { kind: 'complaint', messageId: (await sendInbound(h.app, setup, inbox.id, { text: 'Too slow' })).messageId } }),
    },
    { route: 'PATCH /api/v1/feedback/:id', allowed: WRITERS, request: async () => ({ method: 'PATCH', url: `/api/v1/feedback/${(await newFeedback()).id}`, payload: { displayName: 'Pat P.' } }) },
    { route: 'DELETE /api/v1/feedback/:id', allowed: WRITERS, request: async () => ({ method: 'DELETE', url: `/api/v1/feedback/${(await newFeedback()).id}` }) },
    { route: 'POST /api/v1/feedback/:id/request-consent', allowed: WRITERS, request: async () => ({ method: 'POST', url: `/api/v1/feedback/${(await newFeedback()).id}/request-consent` }) },
    { route: 'POST /api/v1/feedback/:id/publish', allowed: ADMINS, request: async () => ({ method: 'POST', url: `/api/v1/feedback/${(await newFeedback('consented')).id}/publish` }) },
    { route: 'POST /api/v1/feedback/:id/unpublish', allowed: ADMINS, request: async () => ({ method: 'POST', url: `/api/v1/feedback/${(await newFeedback('published')).id}/unpublish` }) },
    // Workspace webhooks: admins only
    { route: 'GET /api/v1/webhooks/event-types', allowed: ADMINS, request: () => ({ method: 'GET', url: '/api/v1/webhooks/event-types' }) },
    { route: 'GET /api/v1/webhooks', allowed: ADMINS, request: () => ({ method: 'GET', url: '/api/v1/webhooks' }) },
    { route: 'POST /api/v1/webhooks', allowed: ADMINS, request: () => ({ method: 'POST', url: '/api/v1/webhooks', payload: { url: 'https://hooks.example.test/', eventTypes: ['all'] } }) },
    { route: 'GET /api/v1/webhooks/:id', allowed: ADMINS, request: async () => ({ method: 'GET', url: `/api/v1/webhooks/${(await newWebhook()).id}` }) },
    { route: 'PATCH /api/v1/webhooks/:id', allowed: ADMINS, request: async () => ({ method: 'PATCH', url: `/api/v1/webhooks/${(await newWebhook()).id}`, payload: { description: 'Changed' } }) },
    { route: 'DELETE /api/v1/webhooks/:id', allowed: ADMINS, request: async () => ({ method: 'DELETE', url: `/api/v1/webhooks/${(await newWebhook()).id}` }) },
    { route: 'POST /api/v1/webhooks/:id/rotate-secret', allowed: ADMINS, request: async () => ({ method: 'POST', url: `/api/v1/webhooks/${(await newWebhook()).id}/rotate-secret` }) },
    { route: 'GET /api/v1/webhooks/:id/deliveries', allowed: ADMINS, request: async () => ({ method: 'GET', url: `/api/v1/webhooks/${(await newWebhookDelivery()).hookId}/deliveries` }) },
    { route: 'POST /api/v1/webhooks/:id/test', allowed: ADMINS, request: async () => ({ method: 'POST', url: `/api/v1/webhooks/${(await newWebhook()).id}/test` }) },
    {
      route: 'POST /api/v1/webhooks/:id/deliveries/:deliveryId/redeliver',
      allowed: ADMINS,
      request: async () => {
        const { hookId, deliveryId } = await newWebhookDelivery();
        return { method: 'POST', url: `/api/v1/webhooks/${hookId}/deliveries/${deliveryId}/redeliver` };
      },
    },
    // Business events and outreach
    {
      route: 'POST /api/v1/events',
      allowed: ['owner', 'admin', 'agent'],
      request: () => ({ method: 'POST', url: '/api/v1/events', payload: { id: `ev-${unique()}`, type: 'purchase', occurredAt: new Date().toISOString(), contact: { id: contactId } } }),
    },
    { route: 'GET /api/v1/contacts/:id/events', allowed: EVERYONE, request: () => ({ method: 'GET', url: `/api/v1/contacts/${contactId}/events` }) },
    { route: 'GET /api/v1/events/settings', allowed: ADMINS, request: () => ({ method: 'GET', url: '/api/v1/events/settings' }) },
    { route: 'POST /api/v1/events/signing-secret', allowed: ADMINS, request: () => ({ method: 'POST', url: '/api/v1/events/signing-secret' }) },
    { route: 'DELETE /api/v1/events/signing-secret', allowed: ADMINS, request: () => ({ method: 'DELETE', url: '/api/v1/events/signing-secret' }) },
    {
      route: 'POST /api/v1/conversations',
      allowed: WRITERS,
      request: () => ({ method: 'POST', url: '/api/v1/conversations', payload: { inboxId: inbox.id, contactId, subject: 'We write first', text: 'Hello from the team' } }),
    },
    { route: 'GET /api/v1/outreach/rules', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/outreach/rules' }) },
    {
      route: 'POST /api/v1/outreach/rules',
      allowed: ADMINS,
      request: () => ({ method: 'POST', url: '/api/v1/outreach/rules', payload: { name: `Outreach ${unique()}`, eventType: 'purchase', delay: { amount: 3, unit: 'days' }, teamId: team.id } }),
    },
    { route: 'PATCH /api/v1/outreach/rules/:id', allowed: ADMINS, request: async () => ({ method: 'PATCH', url: `/api/v1/outreach/rules/${(await newOutreachRule()).id}`, payload: { enabled: false } }) },
    { route: 'DELETE /api/v1/outreach/rules/:id', allowed: ADMINS, request: async () => ({ method: 'DELETE', url: `/api/v1/outreach/rules/${(await newOutreachRule()).id}` }) },
    { route: 'GET /api/v1/outreach/tasks', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/outreach/tasks' }) },
    { route: 'GET /api/v1/outreach/tasks/count', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/outreach/tasks/count' }) },
    { route: 'GET /api/v1/outreach/tasks/:id', allowed: EVERYONE, request: async (c) => ({ method: 'GET', url: `/api/v1/outreach/tasks/${(await freshTask(c.memberId)).id}` }) },
    {
      route: 'POST /api/v1/outreach/tasks/:id/call',
      when: 'a task in my queue',
      allowed: WRITERS,
      request: async (c) => ({
        method: 'POST',
        url: `/api/v1/outreach/tasks/${(await freshTask(c.memberId)).id}/call`,
        payload: { inboxId: await phone(), direction: 'outbound', number: '+1 555 0102', durationSeconds: 60, outcome: 'answered' },
      }),
    },
    {
      route: 'POST /api/v1/outreach/tasks/:id/message',
      when: 'a task in my queue',
      allowed: WRITERS,
      request: async (c) => ({ method: 'POST', url: `/api/v1/outreach/tasks/${(await freshTask(c.memberId)).id}/message`, payload: { inboxId: inbox.id, subject: 'How is it going?', text: 'Hello' } }),
    },
    {
      route: 'POST /api/v1/outreach/tasks/:id/message',
      when: "a task in someone else's queue",
      allowed: ['owner', 'admin'],
      request: async () => ({ method: 'POST', url: `/api/v1/outreach/tasks/${(await freshTask(spare.memberId)).id}/message`, payload: { inboxId: inbox.id, subject: 'How is it going?', text: 'Hello' } }),
    },
    {
      route: 'POST /api/v1/outreach/tasks/:id/snooze',
      when: 'a task in my queue',
      allowed: WRITERS,
      request: async (c) => ({ method: 'POST', url: `/api/v1/outreach/tasks/${(await freshTask(c.memberId)).id}/snooze`, payload: { until: new Date(Date.now() + 3_600_000).toISOString() } }),
    },
    {
      route: 'POST /api/v1/outreach/tasks/:id/dismiss',
      when: 'a task in my queue',
      allowed: WRITERS,
      request: async (c) => ({ method: 'POST', url: `/api/v1/outreach/tasks/${(await freshTask(c.memberId)).id}/dismiss`, payload: { reason: 'Duplicate' } }),
    },
    { route: 'GET /api/v1/sla-policies', allowed: EVERYONE, request: () => ({ method: 'GET', url: '/api/v1/sla-policies' }) },
    { route: 'GET /api/v1/sla-policies/:id', allowed: EVERYONE, request: async () => ({ method: 'GET', url: `/api/v1/sla-policies/${(await newSlaPolicy()).id}` }) },
    {
      route: 'POST /api/v1/sla-policies',
      allowed: ADMINS,
      request: () => ({ method: 'POST', url: '/api/v1/sla-policies', payload: { name: `SLA ${unique()}`, enabled: false, targets: { resolution: { minutes: 600 } } } }),
    },
    { route: 'PATCH /api/v1/sla-policies/:id', allowed: ADMINS, request: async () => ({ method: 'PATCH', url: `/api/v1/sla-policies/${(await newSlaPolicy()).id}`, payload: { name: `SLA ${unique()}` } }) },
    { route: 'DELETE /api/v1/sla-policies/:id', allowed: ADMINS, request: async () => ({ method: 'DELETE', url: `/api/v1/sla-policies/${(await newSlaPolicy()).id}` }) },
  ];

  it('has a row for every /api/v1 route the server has, and none for a route it does not have', () => {
    const found = registeredRoutes(h.app.printRoutes({ commonPrefix: false }));
    expect(found.length).toBeGreaterThan(30);
    expect([...new Set(rows.map((r) => r.route))].sort()).toEqual(found);
  });

  it.each(rows.map((r) => [`${r.route}${r.when ? ` (${r.when})` : ''}`, r] as const))('%s', async (_name, row) => {
    const expected: Record<string, string> = {};
    const actual: Record<string, string> = {};
    for (const who of CALLERS) {
      const caller = callers[who];
      const opts = await row.request(caller);
      const res = await h.app.inject({ ...opts, headers: opts.headers ?? caller.headers });
      actual[who] =
        res.statusCode === 401 ? 'unauthenticated' : res.statusCode === 403 ? 'refused' : res.statusCode < 300 ? 'allowed' : `unexpected ${res.statusCode}: ${res.body}`;
      const twin = TWIN[who];
      const session = SESSION_OF[who];
      expected[who] = twin
        ? actual[twin]
        : session
          ? expected[session] === 'allowed'
            ? actual[who]
            : 'refused'
          : row.allowed.includes(who)
            ? 'allowed'
            : who === 'anonymous'
              ? 'unauthenticated'
              : 'refused';
      if (res.statusCode === 401 || res.statusCode === 403) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(actual).toEqual(expected);
  });

  it('answers a refused caller the same whether or not the resource exists', async () => {
    const missing = '0190a0a0-0000-7000-8000-000000000000';
    for (const url of [`/api/v1/inboxes/${inbox.id}`, `/api/v1/inboxes/${missing}`]) {
      const res = await h.app.inject({ method: 'PATCH', url, headers: callers.agent.headers, payload: { name: 'x' } });
      expect(res.statusCode, url).toBe(403);
    }
    for (const url of [`/api/v1/conversations/${conversationId}`, `/api/v1/conversations/${missing}`]) {
      expect((await h.app.inject({ url })).statusCode, url).toBe(401);
    }
    expect(json(await h.app.inject({ url: `/api/v1/conversations/${conversationId}` })).detail).not.toMatch(/not found/i);
  });
});
