import type { FastifyInstance } from 'fastify';
import { inTransaction, type Ctx } from '../src/server/core/context.js';
import type { Role, Scope } from '../src/server/core/actor.js';
import { ensureMember } from '../src/server/domains/workspaces/service.js';
import { createToken } from '../src/server/domains/tokens/service.js';
import { actorFromApiToken } from '../src/server/domains/auth/service.js';

let n = 0;
const unique = () => `${Date.now().toString(36)}${(n++).toString(36)}`;

export interface Client {
  memberId: string;
  workspaceId: string;
  email: string;
  token: string;
  /** Request headers that authenticate as this member through an API token. */
  headers: Record<string, string>;
}

/** A member (and their workspace when new) with an API token: the quickest way to call the API as someone. */
export async function buildMember(
  ctx: Ctx,
  opts: { workspace?: string; role?: Role; email?: string; password?: string; name?: string; scopes?: Scope[] } = {},
): Promise<Client> {
  const email = opts.email ?? `m-${unique()}@example.test`;
  const { member, workspace } = await inTransaction(ctx, (tx) =>
    ensureMember(tx, {
      workspaceName: opts.workspace ?? `Workspace ${unique()}`,
      email,
      name: opts.name,
      password: opts.password ?? 'correct horse battery',
      role: opts.role ?? 'owner',
    }),
  );
  const actor = {
    workspaceId: workspace.id,
    memberId: member.id,
    userId: member.userId,
    role: member.role,
    via: 'session' as const,
    scopes: ['read', 'write', 'admin'] as Scope[],
  };
  const scopes = opts.scopes ?? (member.role === 'owner' || member.role === 'admin' ? ['read', 'write', 'admin'] : ['read', 'write']);
  const { token } = await inTransaction(ctx, (tx) => createToken(tx, actor, { name: 'test', scopes }));
  if (!(await actorFromApiToken(ctx.db, token))) throw new Error('token factory broken');
  return { memberId: member.id, workspaceId: workspace.id, email, token, headers: { authorization: `Bearer ${token}` } };
}

/** Signs in through the real endpoint and returns the cookie and CSRF headers a browser would send. */
export async function signIn(app: FastifyInstance, email: string, password = 'correct horse battery') {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'heard_session');
  const { csrfToken, memberId } = JSON.parse(res.body) as { csrfToken: string; memberId: string };
  return {
    memberId,
    cookie: `heard_session=${cookie!.value}`,
    csrf: csrfToken,
    headers: { cookie: `heard_session=${cookie!.value}`, 'x-csrf-token': csrfToken },
  };
}

/** An API channel inbox whose replies go to `callbackUrl`. */
export async function buildApiInbox(app: FastifyInstance, owner: Client, callbackUrl = 'http://127.0.0.1:9/unused') {
  const res = await app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: owner.headers, payload: { name: `API ${unique()}`, channel: 'api', callbackUrl } });
  if (res.statusCode !== 201) throw new Error(`inbox: ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body) as { id: string; signingSecret: string; callbackUrl: string };
}

/** A customer message through the API channel, as an integration would send it. */
export async function sendInbound(app: FastifyInstance, owner: Client, inboxId: string, body: Record<string, unknown> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/inboxes/${inboxId}/messages`,
    headers: owner.headers,
    payload: { contact: { externalId: `ext-${unique()}`, name: 'Customer' }, text: 'Hello, I need help', clientMessageId: `c-${unique()}`, ...body },
  });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`inbound: ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body) as { conversationId: string; messageId: string; contactId: string; conversationNumber: number; duplicate: boolean };
}

/** An API token created through the API by `by` (an admin may make one for another member with `memberId`). */
export async function buildToken(app: FastifyInstance, by: Pick<Client, 'headers'>, opts: { scopes?: Scope[]; memberId?: string; name?: string } = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: by.headers,
    payload: { name: opts.name ?? `token ${unique()}`, scopes: opts.scopes ?? ['read', 'write'], memberId: opts.memberId },
  });
  if (res.statusCode !== 201) throw new Error(`token: ${res.statusCode} ${res.body}`);
  const body = JSON.parse(res.body) as { id: string; token: string; memberId: string };
  return { id: body.id, token: body.token, memberId: body.memberId, headers: { authorization: `Bearer ${body.token}` } };
}

/** A team, created through the API by an admin. */
export async function buildTeam(app: FastifyInstance, admin: Pick<Client, 'headers'>, opts: { name?: string; memberIds?: string[] } = {}) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: opts.name ?? `Team ${unique()}`, memberIds: opts.memberIds } });
  if (res.statusCode !== 201) throw new Error(`team: ${res.statusCode} ${res.body}`);
  return JSON.parse(res.body) as { id: string; name: string; memberIds: string[] };
}
