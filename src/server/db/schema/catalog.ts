import { type SQL, sql } from 'drizzle-orm';
import { index, integer, jsonb, numeric, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tsvector, updatedAt, workspaceId } from './columns.js';
import { contacts } from './contacts.js';
import { conversations } from './conversations.js';
import { members } from './workspaces.js';

export const catalogAttributeType = pgEnum('catalog_attribute_type', ['text', 'number', 'boolean', 'choice', 'dimensions']);

/**
 * A typed attribute that a workspace's products may carry ("Inner length", number in mm;
 * "Wheels", boolean; "Size", dimensions length/width/height in mm). A product's value under
 * its key is checked against it.
 */
export const catalogAttributes = pgTable(
  'catalog_attributes',
  {
    id: id(),
    workspaceId: workspaceId(),
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: catalogAttributeType('type').notNull(),
    /** The unit of a number or of each axis of dimensions ("mm", "kg"); null for other types. */
    unit: text('unit'),
    /** The choices of a `choice` attribute. */
    options: text('options').array().notNull().default(sql`'{}'::text[]`),
    /** The axes of `dimensions`, in order ("length", "width", "height"). */
    axes: text('axes').array().notNull().default(sql`'{}'::text[]`),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('catalog_attributes_key_key').on(t.workspaceId, t.key)],
);

/** A product a workspace sells: one row per SKU, with its attributes' values by key. */
export const products = pgTable(
  'products',
  {
    id: id(),
    workspaceId: workspaceId(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    url: text('url'),
    price: numeric('price', { precision: 14, scale: 2 }),
    currency: text('currency'),
    /** Values by attribute key: text and choice as strings, numbers, booleans, dimensions as { axis: number }. */
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    /** Attribute labels and values as words (written with the row): what free-text search finds beside the name. */
    attributesText: text('attributes_text').notNull().default(''),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    /**
     * Words of SKU and name (weight A), then description and attributes (B), in English.
     * Punctuation becomes spaces first, as it does in queries: the parser would read the
     * "-004217" of "CC-004217" as a negative number, which no typed word finds.
     */
    search: tsvector('search').generatedAlwaysAs(
      (): SQL =>
        sql`setweight(to_tsvector('english'::regconfig, regexp_replace(${products.sku} || ' ' || ${products.name}, '[^[:alnum:]]+', ' ', 'g')), 'A') || setweight(to_tsvector('english'::regconfig, regexp_replace(${products.description} || ' ' || ${products.attributesText}, '[^[:alnum:]]+', ' ', 'g')), 'B')`,
    ),
  },
  (t) => [
    uniqueIndex('products_sku_key').on(t.workspaceId, t.sku),
    index('products_search_idx').using('gin', t.search),
    index('products_attributes_idx').using('gin', sql`${t.attributes} jsonb_path_ops`),
    index('products_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
    index('products_list_idx').on(t.workspaceId, t.name),
  ],
);

/** A customer's order, sent by the shop's system; one per external id in a workspace. */
export const orders = pgTable(
  'orders',
  {
    id: id(),
    workspaceId: workspaceId(),
    externalId: text('external_id').notNull(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    status: text('status').notNull(),
    currency: text('currency'),
    total: numeric('total', { precision: 14, scale: 2 }).notNull().default('0'),
    placedAt: timestamp('placed_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('orders_external_id_key').on(t.workspaceId, t.externalId), index('orders_contact_idx').on(t.contactId, t.placedAt)],
);

/** A line of an order: the SKU as ordered, and the product it names when the catalog has it. */
export const orderLines = pgTable(
  'order_lines',
  {
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    sku: text('sku').notNull(),
    productId: uuid('product_id').references(() => products.id, { onDelete: 'set null' }),
    /** The product's name when the order came, or the name the order gave. */
    name: text('name').notNull().default(''),
    qty: integer('qty').notNull(),
    price: numeric('price', { precision: 14, scale: 2 }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.position] })],
);

/** An order an agent linked to a conversation (the conversation's timeline has the `order.linked` event). */
export const conversationOrders = pgTable(
  'conversation_orders',
  {
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    orderId: uuid('order_id')
      .notNull()
      .references(() => orders.id, { onDelete: 'cascade' }),
    workspaceId: workspaceId(),
    linkedByMemberId: uuid('linked_by_member_id').references(() => members.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.orderId] }), index('conversation_orders_order_idx').on(t.orderId)],
);
