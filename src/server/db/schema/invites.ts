import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, workspaceId } from './columns.js';
import { memberRole, members } from './workspaces.js';

/** An invitation to join a workspace by link: single use, valid for a week; only the token's hash is kept. */
export const invites = pgTable(
  'invites',
  {
    id: id(),
    workspaceId: workspaceId(),
    email: text('email').notNull(),
    name: text('name'),
    role: memberRole('role').notNull(),
    tokenHash: text('token_hash').notNull(),
    invitedByMemberId: uuid('invited_by_member_id').references(() => members.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('invites_token_hash_key').on(t.tokenHash), index('invites_workspace_idx').on(t.workspaceId, t.createdAt)],
);
