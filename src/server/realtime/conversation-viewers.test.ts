import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHeard, type Heard } from '../app.js';
import { buildApiInbox, buildMember, sendInbound, signIn, type Client } from '../../../test/factories.js';
import { connectAgent, type AgentClient, type Viewers } from '../../../test/helpers/agent-client.js';
import { startTestHeard, type TestHeard } from '../../../test/helpers/heard.js';

/**
 * Who is looking at a conversation, and typing in it. With REDIS_URL (the PostgreSQL
 * project) the second agent connects to a second Heard node sharing the database and
 * Redis, so the viewer lists are gathered across nodes; otherwise both use one node.
 */
describe('conversation viewers', () => {
  let h: TestHeard;
  let second: Heard | undefined;
  let url: string;
  let url2: string;
  let owner: Client;
  let agent: Client;
  let outsider: Client;
  let conversationId: string;
  const clients: AgentClient[] = [];

  const connect = async (member: Client, at = url) => {
    const session = await signIn(h.app, member.email);
    const c = await connectAgent(at, session.cookie);
    clients.push(c);
    return c;
  };
  const sorted = (v: Viewers['viewers']) => [...v].sort((a, b) => a.memberId.localeCompare(b.memberId));

  beforeAll(async () => {
    h = await startTestHeard();
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    url2 = url;
    if (h.ctx.config.REDIS_URL) {
      second = await buildHeard({ config: h.ctx.config, database: h.testDb.database, roles: ['web'], pollMs: 100 });
      await second.start();
      await second.app.listen({ port: 0, host: '127.0.0.1' });
      url2 = `http://127.0.0.1:${(second.app.server.address() as AddressInfo).port}`;
    }
    owner = await buildMember(h.ctx, { workspace: 'Viewers Co' });
    agent = await buildMember(h.ctx, { workspace: 'Viewers Co', role: 'agent' });
    outsider = await buildMember(h.ctx, { workspace: 'Viewers Elsewhere' });
    const inbox = await buildApiInbox(h.app, owner);
    conversationId = (await sendInbound(h.app, owner, inbox.id)).conversationId;
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await second?.close();
    await h.stop();
  });

  it('tells the workspace who has a conversation open and who is typing, and when they leave or disconnect', async () => {
    const a = await connect(owner);
    const b = await connect(agent, url2);
    const stranger = await connect(outsider);

    const ack = await a.view(conversationId);
    expect(ack).toEqual({ ok: true, viewers: [{ memberId: owner.memberId, typing: false }] });
    await b.waitForViewers((v) => v.conversationId === conversationId && v.viewers.length === 1);

    // Each step waits for a viewer list sent after it.
    const after = (c: AgentClient, match: (v: Viewers) => boolean) => {
      const from = c.viewers.length;
      return c.waitForViewers((v) => c.viewers.indexOf(v) >= from && v.conversationId === conversationId && match(v));
    };
    let next = after(a, (v) => v.viewers.length === 2);
    await b.view(conversationId, true);
    expect(sorted((await next).viewers)).toEqual(sorted([{ memberId: owner.memberId, typing: false }, { memberId: agent.memberId, typing: true }]));

    next = after(a, (v) => v.viewers.length === 2 && v.viewers.every((x) => !x.typing));
    await b.view(conversationId, false);
    await next;

    next = after(a, (v) => v.viewers.length === 1);
    await b.leaveConversation();
    expect((await next).viewers).toEqual([{ memberId: owner.memberId, typing: false }]);

    next = after(a, (v) => v.viewers.length === 2);
    await b.view(conversationId);
    await next;
    next = after(a, (v) => v.viewers.length === 1);
    b.close();
    expect((await next).viewers).toEqual([{ memberId: owner.memberId, typing: false }]);

    // Another workspace hears nothing of it.
    expect(stranger.viewers).toEqual([]);
  });

  it("refuses another workspace's conversation, or a bad id, like a missing one", async () => {
    const stranger = await connect(outsider);
    expect(await stranger.view(conversationId)).toEqual({ error: 'Conversation not found' });
    expect(await stranger.view('0190a0a0-0000-7000-8000-000000000000')).toEqual({ error: 'Conversation not found' });
    expect(await stranger.view('not-an-id')).toEqual({ error: expect.stringMatching(/conversationId/) });
    const a = await connect(owner);
    await new Promise((r) => setTimeout(r, 200));
    expect(a.viewers.filter((v) => v.viewers.some((x) => x.memberId === outsider.memberId))).toEqual([]);
  });
});
