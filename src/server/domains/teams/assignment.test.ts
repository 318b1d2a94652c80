import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiInbox, buildMember, buildTeam, sendInbound, type Client } from '../../../../test/factories.js';
import { startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { inTransaction } from '../../core/context.js';
import { pickAssignee } from './assignment.js';

describe('automatic assignment within a team', () => {
  let h: TestHeard;
  let admin: Client;
  let agents: Client[];
  let away: Client;
  let full: Client;
  let inbox: { id: string };

  beforeAll(async () => {
    h = await startTestHeard();
    admin = await buildMember(h.ctx, { workspace: 'Assign Co', role: 'admin' });
    agents = [];
    for (let i = 0; i < 3; i++) agents.push(await buildMember(h.ctx, { workspace: 'Assign Co', role: 'agent' }));
    away = await buildMember(h.ctx, { workspace: 'Assign Co', role: 'agent' });
    full = await buildMember(h.ctx, { workspace: 'Assign Co', role: 'agent' });
    inbox = await buildApiInbox(h.app, admin);
    // The away member says so themself; the full one has a capacity of one and one open conversation.
    expect((await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${away.memberId}`, headers: away.headers, payload: { availability: 'away' } })).statusCode).toBe(200);
    const cap = await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${full.memberId}`, headers: admin.headers, payload: { capacity: 1 } });
    expect(cap.statusCode, cap.body).toBe(200);
    // Only admins set a capacity.
    expect((await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${full.memberId}`, headers: full.headers, payload: { capacity: 50 } })).statusCode).toBe(403);
    const { conversationId } = await sendInbound(h.app, admin, inbox.id);
    const assigned = await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${conversationId}`, headers: admin.headers, payload: { assigneeId: full.memberId } });
    expect(assigned.statusCode).toBe(200);
  });
  afterAll(() => h.stop());

  const team = async (assignmentMode: string) => {
    const t = await buildTeam(h.app, admin, { memberIds: [...agents, away, full].map((m) => m.memberId) });
    const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/teams/${t.id}`, headers: admin.headers, payload: { assignmentMode } });
    expect(res.statusCode, res.body).toBe(200);
    return t;
  };

  it('shares 100 arrivals fairly among the three available agents, skipping the away and the full, even when they arrive at once', async () => {
    const t = await team('round_robin');
    const picks = await Promise.all(Array.from({ length: 100 }, () => inTransaction(h.ctx, (tx) => pickAssignee(tx, admin.workspaceId, t.id))));
    const counts = new Map<string | null, number>();
    for (const p of picks) counts.set(p, (counts.get(p) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(agents.map((a) => a.memberId).sort());
    for (const n of counts.values()) expect([33, 34]).toContain(n);
  });

  it('gives the next one to the agent with the fewest open, and leaves it unassigned in the team when nobody can take it', async () => {
    const t = await team('least_open');
    // agents[0] and agents[1] get one open conversation each; agents[2] has none.
    for (const a of agents.slice(0, 2)) {
      const { conversationId } = await sendInbound(h.app, admin, inbox.id);
      await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${conversationId}`, headers: admin.headers, payload: { assigneeId: a.memberId } });
    }
    const { conversationId } = await sendInbound(h.app, admin, inbox.id);
    await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${conversationId}`, headers: admin.headers, payload: { teamId: t.id } });
    await h.dispatcher.flush();
    const after = await h.app.inject({ url: `/api/v1/conversations/${conversationId}`, headers: admin.headers });
    expect(JSON.parse(after.body)).toMatchObject({ teamId: t.id, assigneeId: agents[2].memberId });

    for (const a of agents) await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${a.memberId}`, headers: a.headers, payload: { availability: 'away' } });
    const next = await sendInbound(h.app, admin, inbox.id);
    await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${next.conversationId}`, headers: admin.headers, payload: { teamId: t.id } });
    await h.dispatcher.flush();
    const left = await h.app.inject({ url: `/api/v1/conversations/${next.conversationId}`, headers: admin.headers });
    expect(JSON.parse(left.body)).toMatchObject({ teamId: t.id, assigneeId: null });
  });

  it("gives a conversation opened in a round-robin team's inbox its member", async () => {
    const t = await team('round_robin');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/inboxes',
      headers: admin.headers,
      payload: { name: 'Sales', channel: 'api', callbackUrl: 'http://127.0.0.1:9/unused', teamId: t.id },
    });
    expect(res.statusCode, res.body).toBe(201);
    for (const a of agents) await h.app.inject({ method: 'PATCH', url: `/api/v1/members/${a.memberId}`, headers: a.headers, payload: { availability: 'available' } });
    const { conversationId } = await sendInbound(h.app, admin, JSON.parse(res.body).id);
    await h.dispatcher.flush();
    const c = JSON.parse((await h.app.inject({ url: `/api/v1/conversations/${conversationId}`, headers: admin.headers })).body);
    expect(c.teamId).toBe(t.id);
    expect(agents.map((a) => a.memberId)).toContain(c.assigneeId);
  });
});
