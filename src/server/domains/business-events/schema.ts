import { z } from 'zod';

/** How big an event's free `data` may be, as JSON. */
export const MAX_DATA_BYTES = 16 * 1024;

/** Who the event is about: one of a contact id, an e-mail or your own customer id (with a name for a new contact). */
export const EventContactSchema = z
  .object({
    id: z.uuid().optional().describe("A contact's id in Heard."),
    email: z.email().max(320).optional(),
    externalId: z.string().trim().min(1).max(255).optional().describe('Your id for the customer.'),
    name: z.string().trim().max(200).optional().describe('Used when the contact is new.'),
  })
  .refine((c) => c.id || c.email || c.externalId, { message: 'needs id, email or externalId' });

/** A business event as a shop's system sends it (POST /api/v1/events). */
export const BusinessEventCreateSchema = z.object({
  id: z.string().trim().min(1).max(200).describe('Your id for this event: sending the same id again stores nothing new and answers 200 with the first result.'),
  type: z
    .string()
    .trim()
    .toLowerCase()
    .min(1)
    .max(100)
    .regex(/^[a-z0-9][a-z0-9_.-]*$/, 'must be a word like purchase, delivery or order.cancelled (letters, digits, _ . -)')
    .describe('What happened: purchase, delivery, cancellation, or any type of yours.'),
  occurredAt: z.iso.datetime({ offset: true }).describe('When it happened (outreach rules count from here).'),
  contact: EventContactSchema,
  product: z
    .object({
      sku: z.string().trim().min(1).max(100).optional(),
      name: z.string().trim().min(1).max(200).optional(),
    })
    .refine((p) => p.sku || p.name, { message: 'needs sku or name' })
    .optional(),
  amount: z
    .object({
      value: z.number().finite().min(-1e12).max(1e12),
      currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code like EUR'),
    })
    .optional(),
  data: z
    .record(z.string().max(100), z.unknown())
    .refine((d) => Buffer.byteLength(JSON.stringify(d)) <= MAX_DATA_BYTES, `must be at most ${MAX_DATA_BYTES / 1024} KB as JSON`)
    .optional()
    .describe('Anything else you want agents to see, as JSON (at most 16 KB).'),
});
export type BusinessEventCreate = z.infer<typeof BusinessEventCreateSchema>;
