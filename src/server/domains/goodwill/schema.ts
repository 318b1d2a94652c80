import { z } from 'zod';
import { ROLES } from '../../core/actor.js';
import { isCurrency } from './money.js';

export const GOODWILL_KINDS = ['credit', 'refund', 'replacement', 'discount'] as const;
export type GoodwillKind = (typeof GOODWILL_KINDS)[number];
export const GOODWILL_STATES = ['awaiting_approval', 'approved', 'denied'] as const;
export type GoodwillState = (typeof GOODWILL_STATES)[number];

export const REASON_MAX = 1000;
/** The largest amount in minor units: far above any goodwill, and exact in a JavaScript number. */
export const AMOUNT_MAX = 1_000_000_000_000;

const kind = z.enum(GOODWILL_KINDS, { error: `must be one of ${GOODWILL_KINDS.join(', ')}` });
const currency = z
  .string()
  .trim()
  .length(3, { error: 'must be an ISO 4217 currency code such as EUR or USD' })
  .toUpperCase()
  .refine(isCurrency, { error: 'must be an ISO 4217 currency code such as EUR or USD' })
  .describe('ISO 4217 code, e.g. EUR.');
const reason = z.string().trim().min(1, { error: 'must not be empty' }).max(REASON_MAX, { error: `must be at most ${REASON_MAX} characters` });

/** A goodwill action an agent takes from a conversation. */
export const GoodwillCreateSchema = z.object({
  kind,
  amountMinor: z
    .number({ error: 'must be a whole number of minor units (cents)' })
    .int({ error: 'must be a whole number of minor units (cents)' })
    .min(1, { error: 'must be more than zero' })
    .max(AMOUNT_MAX, { error: 'is too large' })
    .describe('The amount in minor units of the currency (cents: 2000 is €20.00); for a replacement, what it is worth.'),
  currency,
  reason: reason.describe('Why: kept on the record and sent to the order system.'),
  orderRef: z.string().trim().max(200, { error: 'must be at most 200 characters' }).optional().describe('The order it concerns, as the shop names it.'),
});
export type GoodwillCreate = z.infer<typeof GoodwillCreateSchema>;

/** A supervisor's decision on an action awaiting approval: a reason is optional to approve, required to deny. */
export const GoodwillApproveSchema = z.object({ reason: z.string().trim().max(REASON_MAX, { error: `must be at most ${REASON_MAX} characters` }).optional() });
export const GoodwillDenySchema = z.object({ reason: reason.describe('Why not: the agent sees it.') });

export const GoodwillListQuerySchema = z.object({
  conversationId: z.uuid({ error: 'must be a conversation id' }).optional(),
  contactId: z.uuid({ error: 'must be a contact id' }).optional(),
  state: z.enum(GOODWILL_STATES, { error: `must be one of ${GOODWILL_STATES.join(', ')}` }).optional(),
  from: z.iso.date({ error: 'must be a date (YYYY-MM-DD)' }).optional().describe('Created on or after this day (UTC).'),
  to: z.iso.date({ error: 'must be a date (YYYY-MM-DD)' }).optional().describe('Created on or before this day (UTC).'),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
  format: z.enum(['json', 'csv']).default('json').describe('csv: the ledger as a spreadsheet.'),
});
export type GoodwillListQuery = z.infer<typeof GoodwillListQuerySchema>;

export const GoodwillLimitSchema = z.object({
  role: z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` }),
  kind,
  currency,
  limitMinor: z.number().int().min(0).max(AMOUNT_MAX).nullable().describe('The most one action may be without approval, in minor units; null for no limit.'),
});
export type GoodwillLimit = z.infer<typeof GoodwillLimitSchema>;

/** Settings › Goodwill: the limits (replacing all set before) and the order system's webhook. */
export const GoodwillSettingsUpdateSchema = z.object({
  orderWebhookUrl: z
    .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
    .max(2000)
    .nullable()
    .optional()
    .describe('Where approved actions are POSTed (signed, retried); null to stop delivering.'),
  rotateSecret: z.boolean().optional().describe('Make a new signing secret; the old one stops working at once.'),
  limits: z.array(GoodwillLimitSchema).max(400).optional().describe('Every limit the workspace sets; roles, kinds and currencies left out take the defaults.'),
});
export type GoodwillSettingsUpdate = z.infer<typeof GoodwillSettingsUpdateSchema>;
