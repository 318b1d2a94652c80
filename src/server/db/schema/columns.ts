import { customType, timestamp, uuid } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';

/** UUIDv7 primary key: time-ordered, so inserts stay local in the index. */
export const id = () => uuid('id').primaryKey().$defaultFn(() => uuidv7());
export const workspaceId = () => uuid('workspace_id').notNull();
export const createdAt = () => timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();
export const updatedAt = () => timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow();

export const tsvector = customType<{ data: string }>({
  dataType() {
    return 'tsvector';
  },
});
