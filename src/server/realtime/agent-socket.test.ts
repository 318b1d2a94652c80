import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiInbox, buildMember, sendInbound, signIn, type Client } from '../../../test/factories.js';
import { connectAgent, type AgentClient } from '../../../test/helpers/agent-client.js';
import { json, startTestHeard, type TestHeard } from '../../../test/helpers/heard.js';

/**
 * The `/agent` namespace against a listening Heard and a real socket.io client: on
 * PGlite with the in-process adapter, on PostgreSQL with the Redis adapter when
 * REDIS_URL is set (vitest.config.ts).
 */
describe('agent realtime', () => {
  let h: TestHeard;
  let url: string;
  let owner: Client;
  let outsider: Client;
  const clients: AgentClient[] = [];
  let closed = false;

  /** Signs in through the login endpoint and connects a socket with the session cookie. */
  async function connectAs(member: Client) {
    const session = await signIn(h.app, member.email);
    const client = await connectAgent(url, session.cookie);
    clients.push(client);
    return { client, session };
  }

  beforeAll(async () => {
    h = await startTestHeard();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    owner = await buildMember(h.ctx);
    outsider = await buildMember(h.ctx);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    if (closed) await h.testDb.drop();
    else await h?.stop();
  });

  it('authenticates the socket by the session cookie sent in the handshake', async () => {
    const { client, session } = await connectAs(owner);
    const server = h.realtime!.io.of('/agent').sockets.get(client.socket.id!);
    expect(server?.handshake.headers.cookie).toBe(session.cookie);
    expect(server?.data.actor).toMatchObject({ memberId: owner.memberId, workspaceId: owner.workspaceId, via: 'session' });
    expect(server?.data.actor).not.toHaveProperty('csrfToken');
    // With REDIS_URL (the PostgreSQL project, when set) the events go through Redis.
    expect(h.realtime!.io.of('/agent').adapter.constructor.name).toBe(h.ctx.config.REDIS_URL ? 'RedisAdapter' : 'Adapter');
    client.close();
  });

  it("delivers the workspace's committed events, and none to another workspace", async () => {
    const { client: agent, session } = await connectAs(owner);
    const { client: other } = await connectAs(outsider);
    const inbox = await buildApiInbox(h.app, owner);

    const inbound = await sendInbound(h.app, owner, inbox.id, { text: 'Where is my parcel?' });
    const created = await agent.waitForEvent((e) => e.type === 'conversation.created' && e.conversationId === inbound.conversationId);
    expect(created.data).toMatchObject({ number: inbound.conversationNumber, inboxId: inbox.id, channel: 'api' });
    expect(created.actorContactId).toBe(inbound.contactId);
    const message = await agent.waitForEvent((e) => e.type === 'message.created' && e.conversationId === inbound.conversationId);
    expect(message.data).toMatchObject({ messageId: inbound.messageId, direction: 'in' });
    expect(message.seq).toBeGreaterThan(created.seq);
    // Only the public shape of an event leaves the server.
    expect(Object.keys(message).sort()).toEqual(['actorContactId', 'actorMemberId', 'actorSystem', 'conversationId', 'createdAt', 'data', 'id', 'seq', 'type']);

    const patch = await h.app.inject({
      method: 'PATCH',
      url: `/api/v1/conversations/${inbound.conversationId}`,
      headers: session.headers,
      payload: { status: 'pending', priority: 'high' },
    });
    expect(patch.statusCode).toBe(200);
    const updated = await agent.waitForEvent((e) => e.type === 'conversation.updated' && e.conversationId === inbound.conversationId);
    expect(updated.actorMemberId).toBe(owner.memberId);
    expect(updated.data.changes).toEqual({ status: { from: 'open', to: 'pending' }, priority: { from: 'normal', to: 'high' } });

    // The other workspace's own event is dispatched after those three; once it has arrived,
    // anything leaked from the first workspace would have arrived before it.
    const otherInbox = await buildApiInbox(h.app, outsider);
    const own = await sendInbound(h.app, outsider, otherInbox.id);
    await other.waitForEvent((e) => e.type === 'message.created' && e.conversationId === own.conversationId);
    await new Promise((r) => setTimeout(r, 300));
    expect(other.events.map((e) => e.conversationId)).not.toContain(inbound.conversationId);
    expect(new Set(other.events.map((e) => e.conversationId))).toEqual(new Set([own.conversationId]));
    expect(agent.events.map((e) => e.conversationId)).not.toContain(own.conversationId);
    expect(other.presence.map((p) => p.memberId)).not.toContain(owner.memberId);
    agent.close();
    other.close();
  });

  it('refuses a socket without a cookie, with an unknown session, or after sign-out', async () => {
    await expect(connectAgent(url)).rejects.toThrow('unauthorized');
    await expect(connectAgent(url, 'heard_session=not-a-session')).rejects.toThrow('unauthorized');

    const session = await signIn(h.app, owner.email);
    const out = await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: session.headers });
    expect(out.statusCode).toBe(204);
    await expect(connectAgent(url, session.cookie)).rejects.toThrow('unauthorized');
  });

  it('closes an open socket when its session signs out, and all of a member\'s sockets when they are deactivated', async () => {
    const colleague = await buildMember(h.ctx, { workspace: await workspaceName(owner), role: 'agent' });
    const { client, session } = await connectAs(colleague);
    const { client: other } = await connectAs(colleague);
    const firstGone = new Promise<string>((resolve) => client.socket.once('disconnect', resolve));
    await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: session.headers });
    expect(await firstGone).toBe('io server disconnect');
    expect(other.socket.connected).toBe(true);

    const secondGone = new Promise<string>((resolve) => other.socket.once('disconnect', resolve));
    const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${colleague.memberId}`, headers: owner.headers, payload: { active: false } });
    expect(res.statusCode).toBe(200);
    expect(await secondGone).toBe('io server disconnect');
  });

  it('refuses a socket opened by a page of another site', async () => {
    const session = await signIn(h.app, owner.email);
    await expect(connectAgent(url, session.cookie, 5_000, { origin: 'https://evil.example' })).rejects.toThrow('forbidden origin');
    const ok = await connectAgent(url, session.cookie, 5_000, { origin: url });
    clients.push(ok);
    expect(ok.socket.connected).toBe(true);
  });

  it('tells the workspace who comes online and goes offline', async () => {
    const colleague = await buildMember(h.ctx, { workspace: (await workspaceName(owner)) });
    expect(colleague.workspaceId).toBe(owner.workspaceId);
    const { client: first } = await connectAs(owner);
    await first.waitForPresence((p) => p.memberId === owner.memberId && p.online);

    const { client: second } = await connectAs(colleague);
    await first.waitForPresence((p) => p.memberId === colleague.memberId && p.online);
    expect((await first.presenceList()).sort()).toEqual([owner.memberId, colleague.memberId].sort());
    expect((await second.presenceList()).sort()).toEqual([owner.memberId, colleague.memberId].sort());

    second.close();
    await first.waitForPresence((p) => p.memberId === colleague.memberId && !p.online);
    expect(await first.presenceList()).toEqual([owner.memberId]);
    first.close();
  });

  it('closes with agents connected, promptly and without errors', async () => {
    const { client: a } = await connectAs(owner);
    const { client: b } = await connectAs(outsider);
    const gone = [a, b].map((c) => new Promise<string>((resolve) => c.socket.once('disconnect', resolve)));
    const started = Date.now();
    closed = true;
    await h.close();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await Promise.all(gone)).toHaveLength(2);
    await expect(connectAgent(url, undefined, 1_000)).rejects.toThrow();
  });

  async function workspaceName(member: Client): Promise<string> {
    const me = json(await h.app.inject({ url: '/api/v1/me', headers: member.headers }));
    return me.workspace.name as string;
  }
});
