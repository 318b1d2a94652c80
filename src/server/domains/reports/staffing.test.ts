import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiInbox, buildMember, buildTeam, sendInbound, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

interface Hour {
  dayOfWeek: number;
  hour: number;
  arrivalsPerHour: number;
  agentsNeeded: number;
  agentsSeen: number;
  occupancy: number;
}

/**
 * A seeded arrival history: conversations and replies made through the API, then moved
 * back in time by SQL to one hour of the week, 0–4 weeks ago, so the averages are known.
 */
describe('staffing forecast', () => {
  let h: TestHeard;
  let owner: Client;
  let ann: Client;
  let bob: Client;
  let inboxId: string;
  let teamId: string;
  // An hour that lies wholly in the past week, whichever hour the test runs in.
  const slot = new Date(Math.floor(Date.now() / HOUR) * HOUR - 77 * HOUR);
  const utcDay = (d: Date) => d.getUTCDay() || 7;

  const raw = (text: string, values: unknown[] = []) => h.ctx.database.raw.query<Record<string, unknown>>(text, values);
  const forecast = async (query: string, who: Client = owner, code = 200) => {
    const res = await h.app.inject({ method: 'GET', url: `/api/v1/reports/staffing?${query}`, headers: who.headers });
    expect(res.statusCode, res.body).toBe(code);
    return json(res);
  };
  const at = (hours: Hour[], d: Date, offsetHours = 0) => {
    const local = new Date(d.getTime() + offsetHours * HOUR);
    return hours.find((x) => x.dayOfWeek === utcDay(local) && x.hour === local.getUTCHours())!;
  };

  /** A new conversation, created `weeksAgo` weeks before the slot, `minute` minutes into the hour. */
  async function arrival(weeksAgo: number, minute: number) {
    const { conversationId } = await sendInbound(h.app, owner, inboxId);
    const when = new Date(slot.getTime() - weeksAgo * WEEK + minute * 60_000);
    await raw('update conversations set created_at = $2 where id = $1', [conversationId, when]);
    await raw('update messages set created_at = $2 where conversation_id = $1', [conversationId, when]);
    return conversationId;
  }

  /** A reply (or note) by a member in the slot's hour `weeksAgo` weeks back. */
  async function reply(who: Client, conversationId: string, weeksAgo: number, minute: number, kind: 'reply' | 'note' = 'reply') {
    const res = await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, headers: who.headers, payload: { text: 'On it.', kind } });
    expect(res.statusCode, res.body).toBe(201);
    const when = new Date(slot.getTime() - weeksAgo * WEEK + minute * 60_000);
    await raw('update messages set created_at = $2 where id = $1', [json(res).id, when]);
  }

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { name: 'Olga Owner' });
    const workspace = (await raw('select name from workspaces where id = $1', [owner.workspaceId])).rows[0].name as string;
    ann = await buildMember(h.ctx, { workspace, role: 'agent', name: 'Ann' });
    bob = await buildMember(h.ctx, { workspace, role: 'agent', name: 'Bob' });
    inboxId = (await buildApiInbox(h.app, owner)).id;
    teamId = (await buildTeam(h.app, owner, { memberIds: [ann.memberId] })).id;

    // 10, 12, 8 and 10 new conversations in the slot's hour over the last four weeks: 10 an hour.
    const perWeek = [10, 12, 8, 10];
    const byWeek: string[][] = [];
    for (const [weeksAgo, count] of perWeek.entries()) {
      byWeek.push([]);
      for (let i = 0; i < count; i++) byWeek[weeksAgo].push(await arrival(weeksAgo, 5 + i * 4));
    }
    const firsts = byWeek.map((ids) => ids[0]);
    // Three more five weeks back: outside a 4-week window, inside a 5-week one.
    for (let i = 0; i < 3; i++) await arrival(4, 10 + i);
    // One conversation of each week goes to the team.
    for (const id of firsts) {
      const res = await h.app.inject({ method: 'PATCH', url: `/api/v1/conversations/${id}`, headers: owner.headers, payload: { teamId } });
      expect(res.statusCode, res.body).toBe(200);
    }
    // This week Ann replies twice (to the team's conversation) and Bob once (to another);
    // a week ago Ann alone; Bob's note is no reply.
    await reply(ann, firsts[0], 0, 20);
    await reply(ann, firsts[0], 0, 40);
    await reply(bob, byWeek[0][1], 0, 50);
    await reply(ann, firsts[1], 1, 30);
    await reply(bob, firsts[2], 2, 30, 'note');
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('averages the arrivals and the members replying per hour of the week, and forecasts the agents needed', async () => {
    const body = await forecast('weeks=4&handleMinutes=6&targetMinutes=1&serviceLevel=0.8&shrinkage=0.25&timeZone=UTC');
    expect(body.hours).toHaveLength(7 * 24);
    expect(body.assumptions).toMatchObject({ weeks: 4, timeZone: 'UTC', handleMinutes: 6, targetMinutes: 1, serviceLevel: 0.8, shrinkage: 0.25 });
    expect(new Date(body.assumptions.to).getTime() - new Date(body.assumptions.from).getTime()).toBe(4 * WEEK);
    // 40 in 4 weeks: 10 an hour of 6 minutes each, 1 erlang. Two agents: C = 1/3 and only
    // 1 − ⅓·e^(−1/6) = 72% within a minute; three: C = 1/11, 1 − (1/11)·e^(−1/3) = 93.5%.
    // With a quarter of their time elsewhere, 3 / 0.75 = 4 on the schedule, 1/3 busy.
    // Members seen: 2 this week, 1 a week ago, none before: 3 / 4.
    expect(at(body.hours, slot)).toEqual({ dayOfWeek: utcDay(slot), hour: slot.getUTCHours(), arrivalsPerHour: 10, agentsNeeded: 4, agentsSeen: 0.75, occupancy: 0.333 });
    // The hours around it had no one: no agents needed.
    expect(at(body.hours, slot, 1)).toMatchObject({ arrivalsPerHour: 0, agentsNeeded: 0, agentsSeen: 0, occupancy: 0 });
    expect(body.hours.filter((x: Hour) => x.arrivalsPerHour > 0)).toHaveLength(1);
    // The app knows who is online (no one has it open in this test).
    expect(body.now).toMatchObject({ online: 0, dayOfWeek: utcDay(new Date()) });
  });

  it('reaches further back with more weeks, and counts hours in the chosen time zone', async () => {
    const five = await forecast('weeks=5&handleMinutes=6&targetMinutes=1&serviceLevel=0.8&shrinkage=0&timeZone=UTC');
    // (40 + 3) / 5 = 8.6 an hour, 0.86 erlangs. Two agents: C ≈ 0.259, 1 − 0.259·e^(−1.14/6) ≈ 78.6%, short of 80%: three.
    expect(at(five.hours, slot)).toMatchObject({ arrivalsPerHour: 8.6, agentsSeen: 0.6, agentsNeeded: 3 });
    // Tokyo is 9 hours ahead of UTC all year: the same arrivals land 9 hours later in the week.
    const tokyo = await forecast('timeZone=Asia/Tokyo');
    expect(tokyo.assumptions.timeZone).toBe('Asia/Tokyo');
    expect(at(tokyo.hours, slot, 9).arrivalsPerHour).toBe(10);
    expect(at(tokyo.hours, slot).arrivalsPerHour).toBe(0);
  });

  it('uses the business hours’ time zone as the workspace’s, UTC without one', async () => {
    expect((await forecast('')).assumptions.timeZone).toBe('UTC');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/business-hours',
      headers: owner.headers,
      payload: { name: 'Tokyo office', timeZone: 'Asia/Tokyo', hours: { mon: [{ from: '09:00', to: '17:00' }] } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = await forecast('');
    expect(body.assumptions.timeZone).toBe('Asia/Tokyo');
    expect(at(body.hours, slot, 9).arrivalsPerHour).toBe(10);
    await h.app.inject({ method: 'DELETE', url: `/api/v1/business-hours/${json(res).id}`, headers: owner.headers });
  });

  it('narrows to a team, an inbox or a channel', async () => {
    // One team conversation a week: 1 an hour; only Ann replied in the team's conversations (this week and last): 2 / 4.
    const team = await forecast(`teamId=${teamId}&timeZone=UTC`);
    expect(at(team.hours, slot)).toMatchObject({ arrivalsPerHour: 1, agentsSeen: 0.5 });
    expect(team.assumptions.teamId).toBe(teamId);
    expect(at((await forecast(`inboxId=${inboxId}&timeZone=UTC`)).hours, slot).arrivalsPerHour).toBe(10);
    expect(at((await forecast('channel=api&timeZone=UTC')).hours, slot).arrivalsPerHour).toBe(10);
    // No e-mail inbox: nothing arrived by e-mail.
    const email = await forecast('channel=email&timeZone=UTC');
    expect(email.hours.every((x: Hour) => x.arrivalsPerHour === 0 && x.agentsSeen === 0 && x.agentsNeeded === 0)).toBe(true);
  });

  it('refuses bad assumptions and filters, naming the field', async () => {
    const field = async (query: string) => (await forecast(query, owner, 422)).errors.map((e: { field: string }) => e.field);
    expect(await field('weeks=0')).toEqual(['querystring.weeks']);
    expect(await field('weeks=2.5')).toEqual(['querystring.weeks']);
    expect(await field('shrinkage=1')).toEqual(['querystring.shrinkage']);
    expect(await field('serviceLevel=80')).toEqual(['querystring.serviceLevel']);
    expect(await field('handleMinutes=abc')).toEqual(['querystring.handleMinutes']);
    expect(await field('targetMinutes=0')).toEqual(['querystring.targetMinutes']);
    expect(await field('channel=fax')).toEqual(['querystring.channel']);
    expect(await field('timeZone=Mars/Olympus')).toEqual(['querystring.timeZone']);
    expect(await field('inboxId=nope')).toEqual(['querystring.inboxId']);
    // Well-formed, but not this workspace's.
    const stranger = await buildMember(h.ctx);
    const theirTeam = await buildTeam(h.app, stranger);
    expect(await field(`teamId=${theirTeam.id}`)).toEqual(['teamId']);
    expect(await field(`inboxId=${(await buildApiInbox(h.app, stranger)).id}`)).toEqual(['inboxId']);
  });

  it('is not for light members, and another workspace sees none of these arrivals', async () => {
    const workspace = (await raw('select name from workspaces where id = $1', [owner.workspaceId])).rows[0].name as string;
    const light = await buildMember(h.ctx, { workspace, role: 'light' });
    await forecast('', light, 403);
    expect((await forecast('', ann)).hours).toHaveLength(168);
    const stranger = await buildMember(h.ctx);
    const theirs = await forecast('timeZone=UTC', stranger);
    expect(theirs.hours.every((x: Hour) => x.arrivalsPerHour === 0 && x.agentsSeen === 0)).toBe(true);
  });
});
