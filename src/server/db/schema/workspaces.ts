import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, workspaceId } from './columns.js';

export const workspaces = pgTable('workspaces', {
  id: id(),
  name: text('name').notNull(),
  /** The last conversation number handed out; conversations take the next one under a row lock. */
  lastConversationNumber: integer('last_conversation_number').notNull().default(0),
  createdAt: createdAt(),
});

/** A person who can sign in; belongs to workspaces through `members`. */
export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash'),
    /** The avatar's bytes in the file store (their SHA-256), and their image type; null without an avatar. */
    avatarFileId: text('avatar_file_id'),
    avatarContentType: text('avatar_content_type'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

export const memberRole = pgEnum('member_role', ['owner', 'admin', 'agent', 'light']);

export const memberAvailability = pgEnum('member_availability', ['available', 'away']);

export const members = pgTable(
  'members',
  {
    id: id(),
    workspaceId: workspaceId(),
    userId: uuid('user_id').notNull().references(() => users.id),
    role: memberRole('role').notNull().default('agent'),
    active: boolean('active').notNull().default(true),
    signature: text('signature').notNull().default(''),
    /** Whether automatic assignment may give this member conversations (their own switch). */
    availability: memberAvailability('availability').notNull().default('available'),
    /** The most open conversations automatic assignment gives them; null for no limit. */
    capacity: integer('capacity'),
    /** The agent app's language for this member: a locale code, or "auto" for their browser's. */
    locale: text('locale').notNull().default('auto'),
    /** Their clock: "auto" (the language's custom), "24h" or "12h". */
    timeFormat: text('time_format').notNull().default('auto'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('members_workspace_user_key').on(t.workspaceId, t.userId)],
);

export const assignmentMode = pgEnum('assignment_mode', ['manual', 'round_robin', 'least_open']);

export const teams = pgTable(
  'teams',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    /** How a conversation entering the team gets a member: by hand, in turn, or to the least busy. */
    assignmentMode: assignmentMode('assignment_mode').notNull().default('manual'),
    /** Only members with the app open (a connected socket) get conversations automatically. */
    assignOnlineOnly: boolean('assign_online_only').notNull().default(false),
    /** Round robin: the member who got the last one; the next in order gets the next. */
    lastAssignedMemberId: uuid('last_assigned_member_id'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('teams_workspace_name_key').on(t.workspaceId, sql`lower(${t.name})`)],
);

export const teamMembers = pgTable(
  'team_members',
  {
    workspaceId: workspaceId(),
    teamId: uuid('team_id').notNull().references(() => teams.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id').notNull().references(() => members.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.memberId] })],
);

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    tokenHash: text('token_hash').notNull(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    workspaceId: workspaceId(),
    csrfToken: text('csrf_token').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    workspaceId: workspaceId(),
    memberId: uuid('member_id').notNull().references(() => members.id, { onDelete: 'cascade' }),
    /**
     * Who made the token: the member themself, or an owner who made it for them. A token
     * made for someone else works only while its maker is still an active owner.
     */
    createdByMemberId: uuid('created_by_member_id').references(() => members.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** SHA-256 of the token: the token itself is shown once and never stored. */
    tokenHash: text('token_hash').notNull(),
    prefix: text('prefix').notNull(),
    scopes: text('scopes').array().notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('api_tokens_hash_key').on(t.tokenHash), index('api_tokens_workspace_idx').on(t.workspaceId)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: id(),
    workspaceId: workspaceId(),
    /** The member who really acted: for a token an owner made for someone else, that owner. */
    actorMemberId: uuid('actor_member_id'),
    /** The member whose token it was, when that is not the actor. */
    onBehalfOfMemberId: uuid('on_behalf_of_member_id'),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    ip: text('ip'),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_workspace_idx').on(t.workspaceId, t.createdAt)],
);

/** Settings that every node must share (the signing secret), kept in the database rather than each node's environment. */
export const instanceSettings = pgTable('instance_settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
