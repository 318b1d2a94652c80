import { z } from 'zod';
import type { Actor } from '../../core/actor.js';
import { TimeZoneSchema } from '../../core/business-hours/schema.js';
import { listBusinessHours } from '../../core/business-hours/service.js';
import { mustRefer } from '../../core/errors.js';
import type { Executor } from '../../db/client.js';
import { conversationsCreatedByHourOfWeek, replyingMembersByHourOfWeek, type HourOfWeekCount } from '../conversations/queries.js';
import { getInbox, listInboxes } from '../inboxes/service.js';
import { getTeam } from '../teams/service.js';
import { agentsNeeded } from './erlang-c.js';

export const STAFFING_CHANNELS = ['email', 'widget', 'portal', 'api', 'phone'] as const;

/** The forecast's assumptions and filters, as the query string gives them; every one has a default but the filters. */
export const StaffingQuerySchema = z.object({
  weeks: z.coerce.number({ error: 'must be a number' }).int({ error: 'must be a whole number of weeks' }).min(1, { error: 'must be at least 1' }).max(26, { error: 'must be at most 26' }).default(4).describe('How many past weeks of history to average.'),
  targetMinutes: z.coerce.number({ error: 'must be a number' }).positive({ error: 'must be more than 0' }).max(10_080, { error: 'must be at most 10080 (a week)' }).default(60).describe('The first-response target: the wait a conversation should be answered within.'),
  serviceLevel: z.coerce.number({ error: 'must be a number' }).min(0.5, { error: 'must be at least 0.5' }).max(0.99, { error: 'must be at most 0.99' }).default(0.8).describe('The share of conversations to answer within the target (0.8 = 80%).'),
  handleMinutes: z.coerce.number({ error: 'must be a number' }).min(0.5, { error: 'must be at least 0.5' }).max(480, { error: 'must be at most 480' }).default(6).describe('The minutes of an agent’s time a conversation takes, all replies together.'),
  shrinkage: z.coerce.number({ error: 'must be a number' }).min(0, { error: 'must be at least 0' }).max(0.9, { error: 'must be at most 0.9' }).default(0.3).describe('The share of scheduled time agents are away from the queue (breaks, meetings, training).'),
  inboxId: z.uuid({ error: 'must be an inbox id' }).optional().describe('Only this inbox.'),
  teamId: z.uuid({ error: 'must be a team id' }).optional().describe('Only conversations of this team, and its replies.'),
  channel: z.enum(STAFFING_CHANNELS, { error: `must be one of ${STAFFING_CHANNELS.join(', ')}` }).optional().describe('Only inboxes of this channel.'),
  timeZone: TimeZoneSchema.optional().describe('The zone of the hours; by default the workspace’s (its business hours’ zone), else UTC.'),
});
export type StaffingQuery = z.infer<typeof StaffingQuerySchema>;

/** One hour of the week in the forecast. */
export interface StaffingHour {
  /** ISO day: 1 Monday … 7 Sunday. */
  dayOfWeek: number;
  hour: number;
  /** New conversations in this hour, averaged over the weeks. */
  arrivalsPerHour: number;
  /** Agents to schedule for the goal, shrinkage included. */
  agentsNeeded: number;
  /** Distinct members who replied in this hour, averaged over the weeks. */
  agentsSeen: number;
  /** The share of the answering agents' time spent on conversations (before shrinkage). */
  occupancy: number;
}

/**
 * The zone a workspace's reports count hours in: the one its business-hours calendars
 * share, or UTC when it has none or they disagree (the workspace itself has no zone).
 */
export async function workspaceTimeZone(db: Executor, actor: Pick<Actor, 'workspaceId'>): Promise<string> {
  const zones = new Set((await listBusinessHours(db, actor)).items.map((c) => c.timeZone));
  return zones.size === 1 ? [...zones][0] : 'UTC';
}

/** The wall-clock day and hour of an instant in a zone, and the start of that hour. */
export function hourIn(at: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const dayOfWeek = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday) + 1;
  const start = new Date(at.getTime() - Number(parts.minute) * 60_000 - Number(parts.second) * 1000 - at.getMilliseconds());
  return { dayOfWeek, hour: Number(parts.hour), start };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * The staffing forecast (Erlang C, docs/staffing.md): for each hour of the week, the
 * conversations arriving (averaged over the last `weeks` whole weeks, ending at the start
 * of the current hour), the agents needed to answer `serviceLevel` of them within
 * `targetMinutes`, and the members seen replying in that hour. `onlineNow` is how many
 * members have the app open now, where this node can tell (undefined otherwise).
 */
export async function staffingForecast(db: Executor, actor: Actor, q: StaffingQuery, opts: { now?: Date; onlineMemberIds?: string[] } = {}) {
  const team = q.teamId ? await mustReferTeam(db, actor, q.teamId) : undefined;
  if (q.inboxId) await mustRefer('inboxId', 'is not an inbox of this workspace', () => getInbox(db, actor, q.inboxId!));
  let inboxIds: string[] | undefined = q.inboxId ? [q.inboxId] : undefined;
  if (q.channel) {
    const ofChannel = (await listInboxes(db, actor)).filter((i) => i.channel === q.channel).map((i) => i.id);
    inboxIds = inboxIds ? inboxIds.filter((id) => ofChannel.includes(id)) : ofChannel;
  }
  const timeZone = q.timeZone ?? (await workspaceTimeZone(db, actor));
  const now = hourIn(opts.now ?? new Date(), timeZone);
  const to = now.start;
  const from = new Date(to.getTime() - q.weeks * 7 * 86_400_000);
  const scope = { workspaceId: actor.workspaceId, from, to, timeZone, inboxIds, teamId: q.teamId };
  const [arrivals, seen] =
    inboxIds?.length === 0 ? [[], []] : await Promise.all([conversationsCreatedByHourOfWeek(db, scope), replyingMembersByHourOfWeek(db, scope)]);
  const at = (rows: HourOfWeekCount[]) => new Map(rows.map((r) => [r.dayOfWeek * 24 + r.hour, r.count]));
  const arrived = at(arrivals);
  const replied = at(seen);

  const hours: StaffingHour[] = [];
  for (let dayOfWeek = 1; dayOfWeek <= 7; dayOfWeek++) {
    for (let hour = 0; hour < 24; hour++) {
      const arrivalsPerHour = (arrived.get(dayOfWeek * 24 + hour) ?? 0) / q.weeks;
      const need = agentsNeeded(arrivalsPerHour, q.handleMinutes, q.targetMinutes * 60, q.serviceLevel, q.shrinkage);
      hours.push({
        dayOfWeek,
        hour,
        arrivalsPerHour: round(arrivalsPerHour, 2),
        agentsNeeded: need.agentsNeeded,
        agentsSeen: round((replied.get(dayOfWeek * 24 + hour) ?? 0) / q.weeks, 2),
        occupancy: round(need.occupancy, 3),
      });
    }
  }
  const online = opts.onlineMemberIds && (team ? opts.onlineMemberIds.filter((id) => team.memberIds.includes(id)) : opts.onlineMemberIds);
  return {
    assumptions: {
      weeks: q.weeks,
      from,
      to,
      timeZone,
      targetMinutes: q.targetMinutes,
      serviceLevel: q.serviceLevel,
      handleMinutes: q.handleMinutes,
      shrinkage: q.shrinkage,
      inboxId: q.inboxId ?? null,
      teamId: q.teamId ?? null,
      channel: q.channel ?? null,
    },
    now: { dayOfWeek: now.dayOfWeek, hour: now.hour, online: online ? online.length : null },
    hours,
  };
}

async function mustReferTeam(db: Executor, actor: Actor, id: string) {
  let team: Awaited<ReturnType<typeof getTeam>> | undefined;
  await mustRefer('teamId', 'is not a team of this workspace', async () => (team = await getTeam(db, actor, id)));
  return team!;
}
