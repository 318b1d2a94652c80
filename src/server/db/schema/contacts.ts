import { sql } from 'drizzle-orm';
import { index, jsonb, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, workspaceId } from './columns.js';

export const companies = pgTable(
  'companies',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull(),
    domain: text('domain'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('companies_workspace_name_key').on(t.workspaceId, sql`lower(${t.name})`)],
);

export const contacts = pgTable(
  'contacts',
  {
    id: id(),
    workspaceId: workspaceId(),
    name: text('name').notNull().default(''),
    companyId: uuid('company_id').references(() => companies.id, { onDelete: 'set null' }),
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    /** Set when this contact was merged into another; kept so old links resolve. */
    mergedIntoId: uuid('merged_into_id'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('contacts_workspace_idx').on(t.workspaceId, t.createdAt),
    index('contacts_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
  ],
);

export const identityKind = pgEnum('identity_kind', ['email', 'phone', 'handle', 'external']);

/** One way to recognise a contact; unique per workspace, so an address always leads to one person. */
export const contactIdentities = pgTable(
  'contact_identities',
  {
    id: id(),
    workspaceId: workspaceId(),
    contactId: uuid('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    kind: identityKind('kind').notNull(),
    /** Normalised: e-mail lower-cased, phone digits with a leading +. */
    value: text('value').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('contact_identities_value_key').on(t.workspaceId, t.kind, t.value),
    index('contact_identities_contact_idx').on(t.contactId),
    index('contact_identities_value_trgm_idx').using('gin', sql`${t.value} gin_trgm_ops`),
  ],
);
