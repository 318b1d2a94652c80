import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamMembers, teams } from '../../db/schema/index.js';
import { buildApiInbox, buildMember, buildTeam, sendInbound, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

describe('teams', () => {
  let h: TestHeard;
  let admin: Client;
  let agent: Client;
  let light: Client;

  beforeAll(async () => {
    h = await startTestHeard();
    admin = await buildMember(h.ctx, { workspace: 'Teams Co', role: 'owner' });
    agent = await buildMember(h.ctx, { workspace: 'Teams Co', role: 'agent' });
    light = await buildMember(h.ctx, { workspace: 'Teams Co', role: 'light' });
  });
  afterAll(() => h.stop());

  const get = (by: Pick<Client, 'headers'>, id: string) => h.app.inject({ url: `/api/v1/teams/${id}`, headers: by.headers });

  it('lets an admin create a team with members; everyone sees it and the members list their teams', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: 'Billing', memberIds: [agent.memberId, light.memberId] } });
    expect(res.statusCode).toBe(201);
    const team = json(res);
    expect(team).toMatchObject({ id: expect.any(String), name: 'Billing' });
    expect(team.memberIds.sort()).toEqual([agent.memberId, light.memberId].sort());

    expect(json(await get(agent, team.id))).toMatchObject({ id: team.id, name: 'Billing' });
    expect(json(await h.app.inject({ url: '/api/v1/teams', headers: light.headers })).items.map((t: any) => t.name)).toContain('Billing');
    const me = json(await h.app.inject({ url: `/api/v1/members/${agent.memberId}`, headers: agent.headers }));
    expect(me.teamIds).toEqual([team.id]);
  });

  it('renames a team and replaces its members', async () => {
    const team = await buildTeam(h.app, admin, { memberIds: [agent.memberId] });
    const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/teams/${team.id}`, headers: admin.headers, payload: { name: 'Tier 2', memberIds: [light.memberId] } });
    expect(res.statusCode).toBe(200);
    expect(json(res)).toMatchObject({ name: 'Tier 2', memberIds: [light.memberId] });
    const onlyName = await h.app.inject({ method: 'PATCH', url: `/api/v1/teams/${team.id}`, headers: admin.headers, payload: { name: 'Tier Two' } });
    expect(json(onlyName)).toMatchObject({ name: 'Tier Two', memberIds: [light.memberId] });
    const emptied = await h.app.inject({ method: 'PATCH', url: `/api/v1/teams/${team.id}`, headers: admin.headers, payload: { memberIds: [] } });
    expect(json(emptied).memberIds).toEqual([]);
  });

  it('deletes a team; its conversations keep going without a team', async () => {
    const team = await buildTeam(h.app, admin, { memberIds: [agent.memberId] });
    const inbox = await buildApiInbox(h.app, admin);
    const conv = await sendInbound(h.app, admin, inbox.id);
    await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${conv.conversationId}`, headers: admin.headers, payload: { teamId: team.id } });

    const del = await h.app.inject({ method: 'DELETE', url: `/api/v1/teams/${team.id}`, headers: admin.headers });
    expect(del.statusCode).toBe(204);
    expect((await get(admin, team.id)).statusCode).toBe(404);
    expect(json(await h.app.inject({ url: `/api/v1/members/${agent.memberId}`, headers: admin.headers })).teamIds).not.toContain(team.id);
    const c = json(await h.app.inject({ url: `/api/v1/conversations/${conv.conversationId}`, headers: admin.headers }));
    expect(c.teamId).toBeNull();
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/teams/${team.id}`, headers: admin.headers })).statusCode).toBe(404);
  });

  it('refuses agents and light members on team changes (403), and changes nothing', async () => {
    const team = await buildTeam(h.app, admin, { name: 'Keep Me' });
    for (const who of [agent, light]) {
      expect((await h.app.inject({ method: 'POST', url: '/api/v1/teams', headers: who.headers, payload: { name: 'Mine' } })).statusCode).toBe(403);
      expect((await h.app.inject({ method: 'PATCH', url: `/api/v1/teams/${team.id}`, headers: who.headers, payload: { name: 'Taken' } })).statusCode).toBe(403);
      expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/teams/${team.id}`, headers: who.headers })).statusCode).toBe(403);
    }
    expect(json(await get(admin, team.id)).name).toBe('Keep Me');
    expect(json(await h.app.inject({ url: '/api/v1/teams', headers: admin.headers })).items.map((t: any) => t.name)).not.toContain('Mine');
  });

  it('rejects unknown members and duplicate names without writing anything', async () => {
    const stranger = await buildMember(h.ctx, { workspace: 'Teams Elsewhere' });
    const before = await Promise.all([countRows(h.ctx.db, teams), countRows(h.ctx.db, teamMembers)]);
    for (const memberIds of [[agent.memberId, '0190a0a0-0000-7000-8000-000000000000'], [stranger.memberId]]) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name: 'Ghosts', memberIds } });
      expect(res.statusCode).toBe(422);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(json(res).errors).toEqual([{ field: 'memberIds', reason: expect.stringMatching(/no such member/) }]);
    }
    for (const [payload, field] of [
      [{ name: '' }, 'name'],
      [{ name: 'X', memberIds: ['nope'] }, 'memberIds.0'],
      [{}, 'name'],
    ] as const) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload });
      expect(res.statusCode).toBe(422);
      expect(json(res).errors.map((e: any) => e.field)).toEqual([field]);
    }
    await buildTeam(h.app, admin, { name: 'Unique' });
    const counts = await Promise.all([countRows(h.ctx.db, teams), countRows(h.ctx.db, teamMembers)]);
    expect(counts).toEqual([before[0] + 1, before[1]]);
    for (const name of ['Unique', 'unique']) {
      const dupe = await h.app.inject({ method: 'POST', url: '/api/v1/teams', headers: admin.headers, payload: { name } });
      expect(dupe.statusCode, name).toBe(409);
      expect(dupe.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await Promise.all([countRows(h.ctx.db, teams), countRows(h.ctx.db, teamMembers)])).toEqual(counts);

    // A failed update leaves the team as it was: name and members.
    const team = await buildTeam(h.app, admin, { name: 'Stable', memberIds: [agent.memberId] });
    const bad = await h.app.inject({
      method: 'PATCH',
      url: `/api/v1/teams/${team.id}`,
      headers: admin.headers,
      payload: { name: 'Changed', memberIds: [stranger.memberId] },
    });
    expect(bad.statusCode).toBe(422);
    expect(json(await get(admin, team.id))).toMatchObject({ name: 'Stable', memberIds: [agent.memberId] });
  });

  it("keeps workspaces apart: another workspace's admin gets 404 for a team, which stays unchanged", async () => {
    const team = await buildTeam(h.app, admin, { name: 'Private', memberIds: [agent.memberId] });
    const stranger = await buildMember(h.ctx, { workspace: 'Teams Elsewhere 2' });
    expect((await get(stranger, team.id)).statusCode).toBe(404);
    const patch = await h.app.inject({ method: 'PATCH', url: `/api/v1/teams/${team.id}`, headers: stranger.headers, payload: { name: 'Stolen', memberIds: [] } });
    expect(patch.statusCode).toBe(404);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/teams/${team.id}`, headers: stranger.headers })).statusCode).toBe(404);
    expect(json(await h.app.inject({ url: '/api/v1/teams', headers: stranger.headers })).items).toEqual([]);
    expect(json(await get(admin, team.id))).toMatchObject({ name: 'Private', memberIds: [agent.memberId] });
  });
});
