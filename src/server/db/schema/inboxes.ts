import { sql } from 'drizzle-orm';
import { index, jsonb, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, workspaceId } from './columns.js';
import { teams } from './workspaces.js';

export const channelKind = pgEnum('channel_kind', ['api', 'email', 'widget', 'portal', 'phone']);

/** Channel-specific settings; the shape per channel is validated by the inbox service. */
export type InboxConfig = { callbackUrl?: string; signingSecret?: string } & Record<string, unknown>;

export const inboxes = pgTable(
  'inboxes',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    channel: channelKind('channel').notNull(),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    config: jsonb('config').$type<InboxConfig>().notNull().default(sql`'{}'::jsonb`),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('inboxes_workspace_idx').on(t.workspaceId),
    // One address reaches one inbox across the installation: the SMTP listener looks mail up by it.
    uniqueIndex('inboxes_email_address_key')
      .on(sql`lower(${t.config}->>'address')`)
      .where(sql`${t.channel} = 'email'`),
    // The widget's script finds its inbox by the public key in its tag.
    uniqueIndex('inboxes_widget_key')
      .on(sql`(${t.config}->>'publicKey')`)
      .where(sql`${t.channel} = 'widget'`),
  ],
);
