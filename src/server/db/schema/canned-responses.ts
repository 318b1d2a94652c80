import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, workspaceId } from './columns.js';
import { members } from './workspaces.js';

export interface MacroActions {
  status?: 'open' | 'pending' | 'on_hold' | 'solved' | 'closed';
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  assigneeId?: string | null;
  teamId?: string | null;
  addTags?: string[];
  removeTags?: string[];
}

/** A saved reply: shared with the workspace (no owner) or personal to the member who owns it. */
export const cannedResponses = pgTable(
  'canned_responses',
  {
    id: id(),
    workspaceId: workspaceId(),
    /** Null for a shared response; the member's id for a personal one. */
    ownerMemberId: uuid('owner_member_id').references(() => members.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: text('body').notNull(),
    /** Typed after `/` in the composer to find it; optional. */
    shortcut: text('shortcut'),
    /** A macro: conversation changes applied with the reply (status, priority, assignee, team, tags). */
    actions: jsonb('actions').$type<MacroActions>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('canned_responses_workspace_idx').on(t.workspaceId, t.ownerMemberId)],
);
