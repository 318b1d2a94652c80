import { timestamp, text, uniqueIndex, uuid, pgTable } from 'drizzle-orm/pg-core';
import { createdAt, id } from './columns.js';
import { users } from './workspaces.js';

/**
 * A "forgot password?" link: at most one per user (a new request replaces it). Only the
 * token's SHA-256 is kept; the link works once (used_at) and until expires_at.
 */
export const passwordResets = pgTable(
  'password_resets',
  {
    id: id(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('password_resets_user_id_key').on(t.userId), uniqueIndex('password_resets_token_hash_key').on(t.tokenHash)],
);
