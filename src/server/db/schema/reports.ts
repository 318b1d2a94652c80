import { sql } from 'drizzle-orm';
import { bigint, boolean, doublePrecision, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
