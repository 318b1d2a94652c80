import { z } from 'zod';

export const FEEDBACK_KINDS = ['compliment', 'complaint'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];
export const FEEDBACK_STATES = ['draft', 'consent_requested', 'consented', 'declined', 'published', 'withdrawn', 'unpublished'] as const;
export type FeedbackState = (typeof FEEDBACK_STATES)[number];

export const QUOTE_MAX = 2000;
export const NAME_MAX = 80;
export const RESPONSE_MAX = 4000;

const quote = z.string().trim().min(1, { error: 'must not be empty' }).max(QUOTE_MAX, { error: `must be at most ${QUOTE_MAX} characters` });
const displayName = z.string().trim().min(1, { error: 'must not be empty' }).max(NAME_MAX, { error: `must be at most ${NAME_MAX} characters` });
const response = z.string().trim().max(RESPONSE_MAX, { error: `must be at most ${RESPONSE_MAX} characters` });

/** A new item: the customer's message (or survey comment) it quotes, and what the agent proposes to show. */
export const FeedbackCreateSchema = z
  .object({
    kind: z.enum(FEEDBACK_KINDS, { error: 'must be compliment or complaint' }),
    messageId: z.uuid({ error: 'must be the id of a customer message' }).optional().describe('The customer message to quote.'),
    surveyId: z.uuid({ error: 'must be the id of a satisfaction survey' }).optional().describe('Or the satisfaction survey whose comment to quote.'),
    quote: quote.optional().describe('The words to publish: the message text or a shortening of it (cuts marked …); the whole text by default.'),
    displayName: displayName.optional().describe('The name shown; the customer’s first name and initial by default.'),
    response: response.optional().describe('The company’s response, shown beneath the quote.'),
  })
  .refine((b) => Boolean(b.messageId) !== Boolean(b.surveyId), { message: 'give exactly one of messageId and surveyId', path: ['messageId'] });
export type FeedbackCreate = z.infer<typeof FeedbackCreateSchema>;

/** Changes by the team: the quote and name only while a draft (the customer agrees to exactly that); the response also later, by an admin. */
export const FeedbackUpdateSchema = z.object({
  kind: z.enum(FEEDBACK_KINDS, { error: 'must be compliment or complaint' }).optional(),
  quote: quote.optional(),
  displayName: displayName.optional(),
  response: response.nullable().optional(),
});
export type FeedbackUpdate = z.infer<typeof FeedbackUpdateSchema>;

export const FeedbackListQuerySchema = z.object({
  state: z.enum(FEEDBACK_STATES, { error: `must be one of ${FEEDBACK_STATES.join(', ')}` }).optional(),
  conversationId: z.uuid({ error: 'must be a conversation id' }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});
export type FeedbackListQuery = z.infer<typeof FeedbackListQuerySchema>;

/** The customer's answer on the consent page. */
export const ConsentAnswerSchema = z.object({
  answer: z.enum(['yes', 'no', 'withdraw']),
  anonymous: z.literal('on').optional(),
});

const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date, e.g. 2026-11-30' })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), { error: 'is not a date in the calendar' });

/** The longest period the feedback report covers, in days, as the other reports. */
export const REPORT_MAX_DAYS = 366;

/** The period of the feedback report: days, both included, in UTC, as the other reports take it. */
export const FeedbackReportQuerySchema = z
  .object({
    from: Day.optional().describe('First day of the period (YYYY-MM-DD, UTC); 30 days before `to` by default.'),
    to: Day.optional().describe('Last day of the period, included; today by default.'),
    format: z.enum(['json', 'csv']).default('json').describe('csv: the counts per day as a CSV download'),
  })
  .superRefine((q, ctx) => {
    const days = q.from && q.to ? Math.round((Date.parse(`${q.to}T00:00:00Z`) - Date.parse(`${q.from}T00:00:00Z`)) / 86_400_000) + 1 : 0;
    if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'must be on or before to' });
    else if (days > REPORT_MAX_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: `must be at most ${REPORT_MAX_DAYS} days after from` });
  });
export type FeedbackReportQuery = z.infer<typeof FeedbackReportQuerySchema>;
