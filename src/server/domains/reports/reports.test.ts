import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordEvent } from '../../core/events/record-event.js';
import { buildApiInbox, buildMember, buildTeam, sendInbound, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { waitFor } from '../../../../test/helpers/receiver.js';
import type { Actor } from '../../core/actor.js';
import { rebuildReportFacts, reportsProcessor } from './facts.js';
import { rebuildRollups } from './rollup.js';
import { breakdownReport, overviewReport } from './service.js';

/**
 * A history set in March 2025 (and one conversation in the ten days before), whose figures
 * are worked out by hand below. Events are stamped with their time as they are made.
 *
 *   C1 Mar 1 10:00, reply 10:30 (30 min), solved 12:00 (120 min); Billing, Ann, tag billing; rated good Mar 2
 *   C2 Mar 2 09:00, reply 11:00 (120), pending 11:00, open, solved Mar 3 09:00 (1440); Billing, Ann, billing+refund; rated bad Mar 4
 *   C3 Mar 3 08:00, reply 08:10 (10), solved 09:00, reopened Mar 4 10:00, solved 12:00 (1680 from creation); no team, owner, refund
 *   C4 Mar 5 10:00, no reply, open
 *   C5 Feb 25 10:00, reply 11:00 (60), solved Feb 26 10:00 (1440); rated good Feb 27
 *   C1 and C2 have the topic Invoices.
 *   Policy: first response within 60 minutes: C1, C3, C5 met; C2 missed; C4 breached.
 */
describe('reports', () => {
  let h: TestHeard;
  let owner: Client;
  let ann: Client;
  let light: Client;
  let billing: { id: string; name: string };
  const ids: Record<string, string> = {};

  const raw = (text: string, values: unknown[] = []) => h.ctx.database.raw.query<Record<string, any>>(text, values);
  const call = async (by: Client, method: 'POST' | 'PATCH', url: string, payload: unknown) => {
    const res = await h.app.inject({ method, url, headers: by.headers, payload: payload as object });
    expect(res.statusCode, res.body).toBeLessThan(300);
    return json(res);
  };
  const get = (url: string, by: Client = owner) => h.app.inject({ url: `/api/v1/reports/${url}`, headers: by.headers });
  /** Stamps the conversation's events made in the last minutes (the step just taken) with the time it stands for. */
  const stamp = async (id: string, at: string) => {
    // The step's events are processed first, on the timeline as it stood: processed after a
    // half-done stamping (a busy machine), the SLA clock would see a 2025 start and a reply of
    // today, and record a breach no real timeline had.
    await h.dispatcher.flush();
    return raw(`update events set created_at = $2 where conversation_id = $1 and created_at > now() - interval '5 minutes'`, [id, at]);
  };
  const status = async (id: string, to: string, at: string) => {
    await call(owner, 'PATCH', `/api/v1/conversations/${id}`, { status: to });
    await stamp(id, at);
  };
  const reply = async (id: string, at: string) => {
    await call(owner, 'POST', `/api/v1/conversations/${id}/messages`, { text: 'Thanks, on it' });
    await stamp(id, at);
  };
  const rate = async (id: string, rating: 'good' | 'okay' | 'bad', at: string, comment?: string) => {
    await h.ctx.db.transaction((tx) =>
      recordEvent(tx, { workspaceId: owner.workspaceId, conversationId: id, type: 'satisfaction.rated', data: { surveyId: id, rating, changed: false, ...(comment ? { comment } : {}) } }),
    );
    await stamp(id, at);
  };
  async function conversation(at: string, fields: Record<string, unknown>) {
    const inbound = await sendInbound(h.app, owner, inboxId, { text: `Question from ${at}` });
    if (Object.keys(fields).length) await call(owner, 'PATCH', `/api/v1/conversations/${inbound.conversationId}`, fields);
    await stamp(inbound.conversationId, at);
    return inbound.conversationId;
  }
  let inboxId: string;

  beforeAll(async () => {
    h = await startTestHeard();
    owner = await buildMember(h.ctx, { workspace: 'Reports Co', name: 'Olive Owner' });
    ann = await buildMember(h.ctx, { workspace: 'Reports Co', role: 'agent', name: 'Ann Agent' });
    light = await buildMember(h.ctx, { workspace: 'Reports Co', role: 'light' });
    billing = await buildTeam(h.app, owner, { name: 'Billing' });
    inboxId = (await buildApiInbox(h.app, owner)).id;
    await call(owner, 'POST', '/api/v1/sla-policies', { name: 'Standard', targets: { firstResponse: { minutes: 60 } } });

    ids.c1 = await conversation('2025-03-01T10:00:00Z', { teamId: billing.id, assigneeId: ann.memberId, tags: ['billing'], topic: 'Invoices' });
    await reply(ids.c1, '2025-03-01T10:30:00Z');
    await status(ids.c1, 'solved', '2025-03-01T12:00:00Z');
    await rate(ids.c1, 'good', '2025-03-02T08:00:00Z', 'Quick and kind');

    ids.c2 = await conversation('2025-03-02T09:00:00Z', { teamId: billing.id, assigneeId: ann.memberId, tags: ['billing', 'refund'], topic: 'Invoices' });
    await reply(ids.c2, '2025-03-02T11:00:00Z');
    await status(ids.c2, 'pending', '2025-03-02T11:00:01Z');
    await status(ids.c2, 'open', '2025-03-02T15:00:00Z');
    await status(ids.c2, 'solved', '2025-03-03T09:00:00Z');
    await rate(ids.c2, 'bad', '2025-03-04T08:00:00Z', '=too slow');

    ids.c3 = await conversation('2025-03-03T08:00:00Z', { assigneeId: owner.memberId, tags: ['refund'] });
    await reply(ids.c3, '2025-03-03T08:10:00Z');
    await status(ids.c3, 'solved', '2025-03-03T09:00:00Z');
    await status(ids.c3, 'open', '2025-03-04T10:00:00Z');
    await status(ids.c3, 'solved', '2025-03-04T12:00:00Z');

    ids.c4 = await conversation('2025-03-05T10:00:00Z', {});

    ids.c5 = await conversation('2025-02-25T10:00:00Z', {});
    await reply(ids.c5, '2025-02-25T11:00:00Z');
    await status(ids.c5, 'solved', '2025-02-26T10:00:00Z');
    await rate(ids.c5, 'good', '2025-02-27T08:00:00Z');

    // The SLA clocks look again at the stamped timelines (a change of priority is an event), and C4's breach comes due.
    for (const id of Object.values(ids)) {
      await call(owner, 'PATCH', `/api/v1/conversations/${id}`, { priority: 'high' });
      await h.dispatcher.flush();
    }
    await waitFor(async () => (await raw(`select 1 from events where conversation_id = $1 and type = 'sla.breached'`, [ids.c4])).rows.length > 0);
    await h.dispatcher.flush();
    // Events were processed live as they came, before their stamps: build the facts again from the stamped timelines.
    await rebuildReportFacts(h.ctx.db, 'all');
  });
  afterAll(() => h.stop());

  const march = 'from=2025-03-01&to=2025-03-10';

  it('keeps facts live as events come: a reply and a solve move them without a rebuild', async () => {
    const id = (await sendInbound(h.app, owner, inboxId)).conversationId;
    await h.dispatcher.flush();
    const [fresh] = (await raw('select * from conversation_facts where conversation_id = $1', [id])).rows;
    expect(fresh.first_response_at).toBeNull();
    expect(fresh.channel).toBe('api');
    await reply(id, new Date(Date.parse(fresh.created_at) + 45 * 60_000).toISOString());
    await status(id, 'pending', new Date(Date.parse(fresh.created_at) + 46 * 60_000).toISOString());
    await h.dispatcher.flush();
    const [after] = (await raw('select * from conversation_facts where conversation_id = $1', [id])).rows;
    // The dispatcher may have read the reply before its stamp: then it counts minutes to now, never more than an hour here.
    expect(after.first_response_minutes).toBeGreaterThanOrEqual(0);
    expect(after.first_response_minutes).toBeLessThanOrEqual(60);
    expect(after.pending_rounds).toBe(1);
  });

  it('counts volume, speed, service levels, satisfaction and rounds as worked out by hand, beside the previous period', async () => {
    const res = await get(`overview?${march}`);
    expect(res.statusCode, res.body).toBe(200);
    const r = json(res);
    expect(r.period).toEqual({ from: '2025-03-01', to: '2025-03-10' });
    expect(r.previous).toEqual({ from: '2025-02-19', to: '2025-02-28' });
    expect(r.totals).toEqual({
      created: 4,
      solved: 3,
      backlog: 1,
      reopened: 1,
      // 10, 30, 120: the median 30; the 90th percentile 30 + 0.8 × 90.
      firstResponse: { median: 30, p90: 102, count: 3 },
      // 120, 1440, 1680: the median 1440; the 90th percentile 1440 + 0.8 × 240.
      resolution: { median: 1440, p90: 1632, count: 3 },
      sla: { met: 2, missed: 2, attainment: 0.5 },
      csat: { good: 1, okay: 0, bad: 1, score: 0.5 },
      rounds: { average: 0.33 },
    });
    expect(r.previousTotals).toEqual({
      created: 1,
      solved: 1,
      backlog: 0,
      reopened: 0,
      firstResponse: { median: 60, p90: 60, count: 1 },
      resolution: { median: 1440, p90: 1440, count: 1 },
      sla: { met: 1, missed: 0, attainment: 1 },
      csat: { good: 1, okay: 0, bad: 0, score: 1 },
      rounds: { average: 0 },
    });
    // A conversation reopened and solved again counts as unsolved until its last solve (C3 on Mar 3).
    expect(r.series.map((s: Record<string, unknown>) => [s.bucket, s.created, s.solved, s.backlog])).toEqual([
      ['2025-03-01', 1, 1, 0],
      ['2025-03-02', 1, 0, 1],
      ['2025-03-03', 1, 1, 1],
      ['2025-03-04', 0, 1, 0],
      ['2025-03-05', 1, 0, 1],
      ['2025-03-06', 0, 0, 1],
      ['2025-03-07', 0, 0, 1],
      ['2025-03-08', 0, 0, 1],
      ['2025-03-09', 0, 0, 1],
      ['2025-03-10', 0, 0, 1],
    ]);
    const hourly = json(await get('overview?from=2025-03-01&to=2025-03-01&by=hour'));
    expect(hourly.series).toHaveLength(24);
    expect(hourly.series[10]).toEqual({ bucket: '2025-03-01T10:00', created: 1, solved: 0, backlog: 1 });
    expect(hourly.series[12]).toEqual({ bucket: '2025-03-01T12:00', created: 0, solved: 1, backlog: 0 });
  });

  it('filters by team, tag, agent and channel', async () => {
    const byTeam = json(await get(`overview?${march}&teamId=${billing.id}`));
    expect([byTeam.totals.created, byTeam.totals.solved, byTeam.totals.firstResponse.median]).toEqual([2, 2, 75]);
    const byTag = json(await get(`overview?${march}&tag=refund`));
    expect([byTag.totals.created, byTag.totals.reopened, byTag.totals.rounds.average]).toEqual([2, 1, 0.5]);
    const byAgent = json(await get(`overview?${march}&assigneeId=${owner.memberId}`));
    expect(byAgent.totals.created).toBe(1);
    expect(json(await get(`overview?${march}&channel=email`)).totals.created).toBe(0);
  });

  it('breaks the period down by team, agent, tag and channel', async () => {
    const teams = json(await get(`breakdown?${march}&dimension=team`));
    expect(teams.rows).toEqual([
      { key: billing.id, label: 'Billing', created: 2, solved: 2, firstResponseMedian: 75, resolutionMedian: 780, slaAttainment: 0.5, csatScore: 0.5, csatCount: 2, roundsAverage: 0.5 },
      { key: null, label: 'No team', created: 2, solved: 1, firstResponseMedian: 10, resolutionMedian: 1680, slaAttainment: 0.5, csatScore: null, csatCount: 0, roundsAverage: 0 },
    ]);
    const agents = json(await get(`breakdown?${march}&dimension=agent`));
    expect(agents.rows.map((r: Record<string, unknown>) => [r.label, r.created])).toEqual([['Ann Agent', 2], ['Olive Owner', 1], ['Unassigned', 1]]);
    const tags = json(await get(`breakdown?${march}&dimension=tag`));
    expect(tags.rows.map((r: Record<string, unknown>) => [r.key, r.created, r.solved])).toEqual([['billing', 2, 2], ['refund', 2, 2]]);
    const channels = json(await get(`breakdown?${march}&dimension=channel`));
    expect(channels.rows.map((r: Record<string, unknown>) => [r.key, r.created])).toEqual([['api', 4]]);
    const topics = json(await get(`breakdown?${march}&dimension=topic`));
    // Which topics cause back-and-forth: rounds of "we need more information" per solved conversation.
    expect(topics.rows.map((r: Record<string, unknown>) => [r.label, r.created, r.solved, r.firstResponseMedian, r.roundsAverage])).toEqual([
      ['Invoices', 2, 2, 75, 0.5],
      ['No topic', 2, 1, 10, 0],
    ]);
    // With a filter the breakdown reads the facts: Billing's conversations by tag.
    const billingTags = json(await get(`breakdown?${march}&dimension=tag&teamId=${billing.id}`));
    expect(billingTags.rows.map((r: Record<string, unknown>) => [r.key, r.created])).toEqual([['billing', 2], ['refund', 1]]);
  });

  it('reads two filters at once from the facts, and one from the day rollups, to the same figures', async () => {
    const both = json(await get(`overview?${march}&teamId=${billing.id}&tag=refund`));
    expect([both.totals.created, both.totals.solved, both.totals.firstResponse.median, both.totals.rounds.average]).toEqual([1, 1, 120, 1]);
    const byTopic = json(await get(`overview?${march}&topic=Invoices`));
    expect([byTopic.totals.created, byTopic.totals.solved, byTopic.totals.firstResponse.median, byTopic.totals.csat.score]).toEqual([2, 2, 75, 0.5]);
    expect(byTopic.series.slice(0, 3).map((s: Record<string, unknown>) => [s.created, s.solved, s.backlog])).toEqual([[1, 1, 0], [1, 0, 1], [0, 1, 0]]);
  });

  it('reads medians of long periods from the histograms of whole months and days, to within 5 %', async () => {
    const actor: Actor = { workspaceId: owner.workspaceId, memberId: owner.memberId, userId: '', role: 'owner', via: 'token', scopes: ['read'] };
    const q = { from: '2025-03-01', to: '2025-03-10', by: 'day', format: 'json' } as const;
    // Days only; two whole months (February, March); a month and the days around it.
    for (const period of [q, { ...q, from: '2025-02-01', to: '2025-03-31' }, { ...q, from: '2025-02-20', to: '2025-04-02' }]) {
      const exact = await overviewReport(h.ctx.db, actor, period);
      const binned = await overviewReport(h.ctx.db, actor, period, { exactUpTo: 0 });
      expect({ ...binned.totals, firstResponse: null, resolution: null }).toEqual({ ...exact.totals, firstResponse: null, resolution: null });
      expect(binned.previousTotals.created).toBe(exact.previousTotals.created);
      for (const [key, figure] of [['firstResponse', 'median'], ['firstResponse', 'p90'], ['resolution', 'median'], ['resolution', 'p90']] as const) {
        const want = exact.totals[key][figure]!;
        expect(Math.abs(binned.totals[key][figure]! - want), `${period.from} ${key} ${figure}`).toBeLessThanOrEqual(want * 0.05 + 0.1);
      }
    }
    const teams = await breakdownReport(h.ctx.db, actor, { ...q, dimension: 'team' }, { exactUpTo: 0 });
    expect(teams.rows.map((r) => [r.label, r.created, r.solved])).toEqual([['Billing', 2, 2], ['No team', 2, 1]]);
    expect(Math.abs(teams.rows[0].firstResponseMedian! - 75)).toBeLessThanOrEqual(75 * 0.05);
    expect(Math.abs(teams.rows[1].resolutionMedian! - 1680)).toBeLessThanOrEqual(1680 * 0.05);
  });

  it('lists ratings and comments newest first, a page at a time', async () => {
    const first = json(await get(`satisfaction?${march}&limit=1`));
    expect(first.items).toEqual([
      { conversationId: ids.c2, number: expect.any(Number), subject: expect.any(String), rating: 'bad', comment: '=too slow', ratedAt: '2025-03-04T08:00:00.000Z', assigneeName: 'Ann Agent' },
    ]);
    const second = json(await get(`satisfaction?${march}&limit=1&cursor=${first.nextCursor}`));
    expect(second.items.map((i: Record<string, unknown>) => [i.rating, i.comment])).toEqual([['good', 'Quick and kind']]);
    expect(second.nextCursor).toBeNull();
  });

  it('answers every report as CSV with a header row and a file name', async () => {
    const res = await get(`breakdown?${march}&dimension=team&format=csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe('attachment; filename="heard-by-team-2025-03-01-to-2025-03-10.csv"');
    expect(res.body.trim().split('\r\n')).toEqual([
      'team,key,created,solved,first_response_median_minutes,resolution_median_minutes,sla_attainment,csat_score,csat_count,rounds_average',
      `Billing,${billing.id},2,2,75,780,0.5,0.5,2,0.5`,
      'No team,,2,1,10,1680,0.5,,0,0',
    ]);
    const volume = (await get(`overview?${march}&format=csv`)).body.split('\r\n');
    expect(volume.slice(0, 3)).toEqual(['bucket,created,solved,backlog', '2025-03-01,1,1,0', '2025-03-02,1,0,1']);
    // A comment a spreadsheet would run as a formula is kept as text.
    const ratings = (await get(`satisfaction?${march}&format=csv`)).body.split('\r\n');
    expect(ratings[0]).toBe('rated_at,conversation,subject,rating,comment,assignee');
    expect(ratings[1]).toContain(",bad,'=too slow,Ann Agent");
  });

  it('changes nothing when an event is delivered again, or when the facts are rebuilt', async () => {
    const before = (await raw('select * from conversation_facts where conversation_id = $1', [ids.c3])).rows[0];
    const { rows } = await raw(`select * from events where conversation_id = $1 and type = 'conversation.updated' and data->'changes' ? 'status' order by seq`, [ids.c3]);
    expect(rows).toHaveLength(3);
    const processor = reportsProcessor(h.ctx);
    type Live = Parameters<typeof processor.process>[0];
    const live = (r: Record<string, unknown>) => ({ id: r.id, seq: Number(r.seq), workspaceId: r.workspace_id, conversationId: r.conversation_id, type: r.type, data: r.data, createdAt: new Date(r.created_at as string) }) as Live;
    for (const r of rows) {
      await processor.process(live(r));
      await processor.process(live(r));
    }
    // The five conversations' events again, as one claimed batch (each twice in it).
    const five = Object.values(ids);
    const all = (await raw(`select * from events where conversation_id = any($1::uuid[]) order by seq`, [five])).rows.map(live);
    const everyFact = async () => (await raw('select * from conversation_facts where conversation_id = any($1::uuid[]) order by conversation_id', [five])).rows.map((r) => ({ ...r, updated_at: null }));
    const factsBefore = await everyFact();
    expect(factsBefore).toHaveLength(5);
    await processor.processBatch!([...all, ...all].filter((e) => processor.handles(e)));
    expect(await everyFact()).toEqual(factsBefore);
    // Two without facts (as after an upgrade) are built from their timelines within the same batch.
    await raw('delete from conversation_facts where conversation_id = any($1::uuid[])', [[ids.c2, ids.c4]]);
    await processor.processBatch!(all.filter((e) => processor.handles(e)));
    expect(await everyFact()).toEqual(factsBefore);
    // The rollups counted those two again: they are built from the facts once more for the tests after this one.
    await rebuildRollups(h.ctx.db);
    const after = (await raw('select * from conversation_facts where conversation_id = $1', [ids.c3])).rows[0];
    expect({ ...after, updated_at: null }).toEqual({ ...before, updated_at: null });
    expect([after.reopen_count, after.resolution_minutes]).toEqual([1, 1680]);
  });

  it('refuses bad periods and dimensions by field, and light members', async () => {
    const backwards = await get('overview?from=2025-03-10&to=2025-03-01');
    expect(backwards.statusCode).toBe(422);
    expect(json(backwards).errors).toEqual([expect.objectContaining({ field: 'querystring.from' })]);
    const tooLong = await get('overview?from=2024-01-01&to=2025-03-01');
    expect(tooLong.statusCode).toBe(422);
    expect(json(tooLong).errors).toEqual([expect.objectContaining({ field: 'querystring.to' })]);
    const dimension = await get(`breakdown?${march}&dimension=weather`);
    expect(dimension.statusCode).toBe(422);
    expect(dimension.body).toContain('dimension');
    const hourlyYear = await get('overview?from=2025-01-01&to=2025-03-01&by=hour');
    expect(hourlyYear.statusCode).toBe(422);
    expect(json(hourlyYear).errors).toEqual([expect.objectContaining({ field: 'querystring.by' })]);
    const notADate = await get('overview?from=2025-02-30');
    expect(notADate.statusCode).toBe(422);
    expect(notADate.body).toContain('from');
    expect((await get(`overview?${march}`, light)).statusCode).toBe(403);
    expect((await get(`overview?${march}`, ann)).statusCode).toBe(200);
  });

  /** The workspace's rollup rows that count something, in a fixed order. */
  const rollups = async () =>
    (
      await raw(`select dimension, key, to_char(day, 'YYYY-MM-DD') as day, created, solved, reopened, rounds, first_responses, sla_met, sla_missed, good, okay, bad
                   from report_daily where workspace_id = $1
                    and (created, solved, reopened, rounds, first_responses, sla_met, sla_missed, good, okay, bad) <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                  order by 1, 2, 3`, [owner.workspaceId])
    ).rows.concat((await raw(`select dimension, key, span, to_char(day, 'YYYY-MM-DD') as day, metric, bucket, n from report_times where workspace_id = $1 and n <> 0 order by 1, 2, 3, 4, 5, 6`, [owner.workspaceId])).rows);

  it('counts facts built by two nodes at once only once: the one that finds them built builds again on top', async () => {
    await h.dispatcher.flush();
    await rebuildRollups(h.ctx.db);
    const counted = await rollups();
    const five = Object.values(ids);
    const processor = reportsProcessor(h.ctx);
    type Live = Parameters<typeof processor.process>[0];
    const created = (await raw(`select * from events where conversation_id = any($1::uuid[]) and type = 'conversation.created' order by seq`, [five])).rows.map(
      (r) => ({ id: r.id, seq: Number(r.seq), workspaceId: r.workspace_id, conversationId: r.conversation_id, type: r.type, data: r.data, createdAt: new Date(r.created_at as string) }) as Live,
    );
    for (let round = 0; round < 3; round++) {
      // As after an upgrade: facts gone, their counts taken out of the rollups (what a rebuild from the facts gives).
      await raw('delete from conversation_facts where conversation_id = any($1::uuid[])', [five]);
      await rebuildRollups(h.ctx.db);
      // Two dispatchers (nodes) take the same events at once (a claim taken over after its lease).
      await Promise.all([processor.processBatch!(created), processor.processBatch!([...created].reverse().sort((a, b) => a.seq - b.seq))]);
      expect(await rollups()).toEqual(counted);
    }
  });

  it('keeps the day rollups equal to a rebuild from the facts through reassignments, retags, reopenings, ratings and a merge', async () => {
    // Changes in an order no one planned, each through the API, as agents would make them.
    const fresh = await Promise.all([0, 1, 2].map(async () => (await sendInbound(h.app, owner, inboxId)).conversationId));
    const steps: [string, Record<string, unknown>][] = [
      [fresh[0], { teamId: billing.id, tags: ['vip', 'refund'] }],
      [fresh[1], { assigneeId: ann.memberId, topic: 'Invoices' }],
      [fresh[0], { status: 'solved' }],
      [ids.c1, { teamId: null, tags: ['billing', 'vip'] }],
      [fresh[0], { status: 'open', assigneeId: owner.memberId }],
      [fresh[2], { status: 'pending' }],
      [ids.c2, { topic: 'Refunds', assigneeId: null }],
      [fresh[2], { status: 'solved', tags: [] }],
      [fresh[1], { status: 'closed' }],
    ];
    for (const [id, change] of steps) await call(owner, 'PATCH', `/api/v1/conversations/${id}`, change);
    await reply(fresh[1], new Date().toISOString());
    await rate(fresh[2], 'okay', new Date().toISOString());
    await call(owner, 'POST', `/api/v1/conversations/${fresh[0]}/merge`, { sourceId: fresh[2] });
    await h.dispatcher.flush();
    const kept = await rollups();
    expect(kept.some((r) => r.dimension === 'tag' && r.key === 'vip')).toBe(true);
    await rebuildRollups(h.ctx.db);
    expect(await rollups()).toEqual(kept);
  });
});
