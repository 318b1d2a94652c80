import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { OpenInterval, Weekday } from '../../core/business-hours/calendar.js';
import { createdAt, id, updatedAt, workspaceId } from './columns.js';
import { conversations } from './conversations.js';

/** A workspace's business hours: when its clocks (SLA targets, the widget's hours) run. */
export const businessHours = pgTable(
  'business_hours',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    /** An IANA time zone; the hours and holidays are wall times and dates there. */
    timeZone: text('time_zone').notNull(),
    hours: jsonb('hours').$type<Partial<Record<Weekday, OpenInterval[]>>>().notNull(),
    holidays: jsonb('holidays').$type<{ date: string; name?: string }[]>().notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('business_hours_workspace_idx').on(t.workspaceId)],
);

/** Which conversations a policy covers: every condition given must match. */
export interface SlaConditions {
  inboxIds?: string[];
  teamIds?: string[];
  priorities?: ('low' | 'normal' | 'high' | 'urgent')[];
  /** The conversation carries at least one of these. */
  tags?: string[];
  contactAttribute?: { key: string; value: string | number | boolean };
}

export const SLA_TARGETS = ['firstResponse', 'nextResponse', 'resolution'] as const;
export type SlaTarget = (typeof SLA_TARGETS)[number];

/** A target's time: business minutes of a calendar, or plain minutes when businessHoursId is null. */
export interface SlaTargetSpec {
  minutes: number;
  businessHoursId: string | null;
}

/** Service-level targets and the conversations they apply to; the first enabled match by position wins. */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    conditions: jsonb('conditions').$type<SlaConditions>().notNull().default({}),
    targets: jsonb('targets').$type<Partial<Record<SlaTarget, SlaTargetSpec>>>().notNull().default({}),
    /** How long before a due time the warning fires; null: 15 minutes or a quarter of the target, whichever is less. */
    warnBeforeMinutes: integer('warn_before_minutes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('sla_policies_workspace_idx').on(t.workspaceId, t.position)],
);

/**
 * The warnings and breaches recorded, one per conversation, target, kind and run of the
 * target's clock (its start: creation, or the customer message next response answers):
 * the key that makes each fire once however many nodes run the job, and once per run when
 * a pause moves the due time.
 */
export const slaAlerts = pgTable(
  'sla_alerts',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    target: text('target').$type<SlaTarget>().notNull(),
    kind: text('kind').$type<'warning' | 'breached'>().notNull(),
    cycleStartedAt: timestamp('cycle_started_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.target, t.kind, t.cycleStartedAt] })],
);

/** Where one target of a conversation stands. */
export interface SlaTargetState {
  /** While it runs: when it is due. Paused: null (remainingMinutes says what is left). */
  dueAt: string | null;
  /** `missed`: stopped after its due time; a running target past its due time is breached too. */
  status: 'running' | 'paused' | 'met' | 'missed';
  /** Minutes (business or plain, as the target counts) left when it paused or stopped; negative once overdue. */
  remainingMinutes: number;
  /** When this run of the clock began. */
  startedAt: string;
  /** While it runs: when its warning fires (the app turns its badge amber then). */
  warnAt?: string;
  stoppedAt?: string;
}
export type SlaState = Partial<Record<SlaTarget, SlaTargetState>>;
