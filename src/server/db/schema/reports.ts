import { sql } from 'drizzle-orm';
import { bigint, boolean, date, doublePrecision, index, integer, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { conversations } from './conversations.js';
import { updatedAt, workspaceId } from './columns.js';

/**
 * What reports need of one conversation, kept as it happens by the reports processor
 * (domains/reports/facts.ts) from the conversation's events: when it came and was first
 * answered, solved, reopened and rated, and where it stands now (team, assignee, tags).
 * Reports read only this table: nothing is recomputed from the timeline on a request.
 */
export const conversationFacts = pgTable(
  'conversation_facts',
  {
    conversationId: uuid('conversation_id')
      .primaryKey()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    workspaceId: workspaceId(),
    number: integer('number').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    channel: text('channel').notNull(),
    inboxId: uuid('inbox_id').notNull(),
    teamId: uuid('team_id'),
    assigneeId: uuid('assignee_id'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    topic: text('topic'),
    /** Merged into another conversation: its messages went there, and reports leave it out. */
    merged: boolean('merged').notNull().default(false),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    /** Business minutes when the SLA policy's first-response target counts in a calendar, else calendar minutes. */
    firstResponseMinutes: doublePrecision('first_response_minutes'),
    /** When it was last solved (or closed); null while it is not. */
    solvedAt: timestamp('solved_at', { withTimezone: true }),
    /** From creation to solved_at, in the resolution target's calendar when it has one, else calendar minutes. */
    resolutionMinutes: doublePrecision('resolution_minutes'),
    /** The time of the status change applied last: an older one delivered late does not undo it. */
    statusAt: timestamp('status_at', { withTimezone: true }),
    reopenCount: integer('reopen_count').notNull().default(0),
    /** How many times an agent set it to pending (asked the customer for more). */
    pendingRounds: integer('pending_rounds').notNull().default(0),
    /** The status-change events already counted (their seq): a redelivered one counts once. */
    countedSeqs: bigint('counted_seqs', { mode: 'number' }).array().notNull().default(sql`'{}'::bigint[]`),
    /** Targets that came due unmet (sla.breached), then how many targets were met and missed. */
    slaBreached: text('sla_breached').array().notNull().default(sql`'{}'::text[]`),
    slaMet: integer('sla_met').notNull().default(0),
    slaMissed: integer('sla_missed').notNull().default(0),
    csatRating: text('csat_rating'),
    csatComment: text('csat_comment'),
    ratedAt: timestamp('rated_at', { withTimezone: true }),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('conversation_facts_created_idx').on(t.workspaceId, t.createdAt),
    index('conversation_facts_solved_idx').on(t.workspaceId, t.solvedAt),
    index('conversation_facts_first_response_idx').on(t.workspaceId, t.firstResponseAt),
    index('conversation_facts_rated_idx').on(t.workspaceId, t.ratedAt).where(sql`${t.ratedAt} is not null`),
    index('conversation_facts_open_idx').on(t.workspaceId, t.createdAt).where(sql`${t.solvedAt} is null`),
  ],
);

/**
 * What reports sum, per workspace and UTC day, for every conversation (dimension `all`) and
 * for each value of one dimension (channel, inbox, team, agent, topic, tag; key '' is "none":
 * no team, unassigned, no topic). Kept by the reports processor in the same transaction as
 * the facts it follows (domains/reports/rollup.ts), so a year is 365 rows, not a million.
 * A conversation counts on the day each thing happened: created (with the service levels it
 * met and missed), first answered, solved, rated.
 */
export const reportDaily = pgTable(
  'report_daily',
  {
    workspaceId: workspaceId(),
    dimension: text('dimension').notNull(),
    key: text('key').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    created: integer('created').notNull().default(0),
    solved: integer('solved').notNull().default(0),
    /** Solved that day after having been reopened at least once. */
    reopened: integer('reopened').notNull().default(0),
    /** Rounds of "pending" of the conversations solved that day, summed. */
    rounds: integer('rounds').notNull().default(0),
    firstResponses: integer('first_responses').notNull().default(0),
    slaMet: integer('sla_met').notNull().default(0),
    slaMissed: integer('sla_missed').notNull().default(0),
    good: integer('good').notNull().default(0),
    okay: integer('okay').notNull().default(0),
    bad: integer('bad').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.dimension, t.key, t.day] })],
);

/**
 * Histograms of first-response and resolution minutes per dimension value, per day and per
 * calendar month (span), in buckets 5 % wide (bucket b holds [1.05^b − 1, 1.05^(b+1) − 1)
 * minutes): a median or 90th percentile of a long period is read from its whole months and
 * the days at its edges. Only buckets that hold something have a row.
 */
export const reportTimes = pgTable(
  'report_times',
  {
    workspaceId: workspaceId(),
    dimension: text('dimension').notNull(),
    key: text('key').notNull(),
    /** 'day', or 'month' (then `day` is the month's first day). */
    span: text('span').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    /** 'fr': first response; 'res': resolution. */
    metric: text('metric').notNull(),
    bucket: smallint('bucket').notNull(),
    n: integer('n').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.dimension, t.key, t.span, t.day, t.metric, t.bucket] }),
    // A breakdown reads every value of a dimension over a range of days.
    index('report_times_dimension_day_idx').on(t.workspaceId, t.dimension, t.span, t.day),
  ],
);
