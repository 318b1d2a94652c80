import { sql } from 'drizzle-orm';
import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, workspaceId } from './columns.js';

/**
 * The workspace's list of tags, with their colours: what the agent app offers. A
 * conversation's tags are plain strings (conversations.tags), so one may still carry a
 * tag that is not listed here.
 */
export const tags = pgTable(
  'tags',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    /** `#rrggbb`, or null for the app's default. */
    color: text('color'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('tags_workspace_name_key').on(t.workspaceId, sql`lower(${t.name})`)],
);
