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
