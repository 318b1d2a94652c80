import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, workspaceId } from './columns.js';
import { members, teams } from './workspaces.js';

/** A saved view's list filters: a subset of GET /conversations' query (domains/saved-views/schema.ts validates it). */
export interface SavedViewFilters {
  status?: ('open' | 'pending' | 'on_hold' | 'solved' | 'closed')[];
  channel?: 'api' | 'email' | 'widget' | 'portal' | 'phone';
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  tag?: string;
  /** 'me' is whoever looks at the view. */
  assignee?: string;
  team?: string;
  inbox?: string;
  snoozed?: boolean;
  sort?: 'newest' | 'waiting' | 'priority' | 'due';
}

/**
 * A named set of list filters in the agent app's rail: a member's own (owner_member_id) or a
 * team's (team_id), never both; it goes with its owner or team.
 */
export const savedViews = pgTable(
  'saved_views',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    filters: jsonb('filters').$type<SavedViewFilters>().notNull(),
    ownerMemberId: uuid('owner_member_id').references(() => members.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    /** The order within its owner's or team's views, from 0. */
    position: integer('position').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('saved_views_owner_idx').on(t.workspaceId, t.ownerMemberId),
    index('saved_views_team_idx').on(t.workspaceId, t.teamId),
    check('saved_views_personal_or_team', sql`(${t.ownerMemberId} is null) <> (${t.teamId} is null)`),
  ],
);
