import { z } from 'zod';
import { ContactRefSchema } from '../contacts/schema.js';

export const AttributeTypeSchema = z.enum(['text', 'number', 'boolean', 'choice', 'dimensions']);
export type AttributeType = z.infer<typeof AttributeTypeSchema>;

const key = z
  .string()
  .trim()
  .min(1)
  .max(50)
  .regex(/^[a-z][a-z0-9_]*$/, 'lowercase letters, digits and _, starting with a letter');
const word = z.string().trim().min(1).max(50);
const list = (max: number) =>
  z
    .array(word)
    .max(max)
    .refine((o) => new Set(o).size === o.length, 'must not repeat an item');

/**
 * A product attribute definition: `choice` needs its options, `dimensions` its axes
 * (length, width, height by default); `unit` is for numbers and dimensions ("mm").
 */
export const AttributeCreateSchema = z
  .object({
    key,
    label: z.string().trim().min(1).max(100),
    type: AttributeTypeSchema,
    unit: z.string().trim().min(1).max(20).optional(),
    options: list(100).optional(),
    axes: list(4).optional().describe('The axes of a dimensions attribute, in order; length, width and height when not given.'),
  })
  .refine((a) => a.type !== 'choice' || (a.options?.length ?? 0) > 0, { message: 'a choice attribute needs at least one option', path: ['options'] })
  .refine((a) => a.type === 'choice' || !a.options?.length, { message: 'only a choice attribute has options', path: ['options'] })
  .refine((a) => a.type === 'dimensions' || !a.axes?.length, { message: 'only a dimensions attribute has axes', path: ['axes'] })
  .refine((a) => a.type === 'number' || a.type === 'dimensions' || !a.unit, { message: 'only numbers and dimensions have a unit', path: ['unit'] });
export type AttributeCreate = z.infer<typeof AttributeCreateSchema>;

/** A change to an attribute: its label, unit, options or place in the list. Key and type stay. */
export const AttributeUpdateSchema = z.object({
  label: z.string().trim().min(1).max(100).optional(),
  unit: z.string().trim().min(1).max(20).nullable().optional(),
  options: list(100).optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});
export type AttributeUpdate = z.infer<typeof AttributeUpdateSchema>;

const price = z.number().min(0).max(1_000_000_000);
const currency = z
  .string()
  .trim()
  .regex(/^[A-Za-z]{3}$/, 'must be a three-letter ISO 4217 code like EUR')
  .transform((c) => c.toUpperCase());

/** A product as the API and the CSV import give it; `attributes` are values by attribute key. */
export const ProductInputSchema = z.object({
  sku: z.string().trim().min(1).max(100),
  name: z.string().trim().min(1).max(300),
  description: z.string().trim().max(10_000).optional(),
  url: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
  price: price.nullable().optional(),
  currency: currency.nullable().optional(),
  attributes: z.record(z.string().max(50), z.unknown()).optional().describe('Values by attribute key: text, number, true/false, a choice, or dimensions as { "length": 1200, … }.'),
});
export type ProductInput = z.infer<typeof ProductInputSchema>;

/** A change to a product; `attributes` are merged into its values (null removes one). */
export const ProductUpdateSchema = ProductInputSchema.partial();
export type ProductUpdate = z.infer<typeof ProductUpdateSchema>;

export const ProductBulkSchema = z.object({ products: z.array(ProductInputSchema).min(1).max(1000) });

export const ProductSearchQuerySchema = z.object({
  q: z.string().max(200).optional().describe('Words of the SKU, name, description or attribute values, and attribute filters: length>=1200, wheels:yes, case.width<=400, colour:black.'),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  offset: z.coerce.number().int().min(0).max(10_000).default(0),
});
export type ProductSearchQuery = z.infer<typeof ProductSearchQuerySchema>;

export const CsvImportSchema = z.object({
  csv: z.string().min(1).max(5_000_000).describe('The file as text: a header row (sku, name, description, url, price, currency, then attribute keys), one product per row.'),
  dryRun: z.boolean().default(true).describe('Only check and preview; nothing is written.'),
});

const OrderLineSchema = z.object({
  sku: z.string().trim().min(1).max(100),
  name: z.string().trim().max(300).optional(),
  qty: z.number().int().min(1).max(100_000),
  price: price.describe('The price of one unit.'),
});

/** An order sent by the shop: saved once per external id; sending it again updates it. */
export const OrderInputSchema = z.object({
  externalId: z.string().trim().min(1).max(255),
  contact: ContactRefSchema,
  status: z.string().trim().min(1).max(50),
  currency: currency.optional(),
  placedAt: z.iso.datetime({ offset: true }),
  lines: z.array(OrderLineSchema).min(1).max(500),
});
export type OrderInput = z.infer<typeof OrderInputSchema>;

export const OrderLinkSchema = z.object({ orderId: z.uuid() });

export const SuggestionsQuerySchema = z.object({
  draft: z.string().max(2000).optional().describe("What the agent has written so far; suggestions follow it and the customer's last message."),
});
