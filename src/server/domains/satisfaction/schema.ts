import { z } from 'zod';

export const RATINGS = ['good', 'okay', 'bad'] as const;
export type Rating = (typeof RATINGS)[number];

/** The longest comment a customer may leave with their rating. */
export const COMMENT_MAX = 2000;

/** A customer's answer to a survey, as the survey page posts it. */
export const SurveyAnswerSchema = z.object({
  rating: z.enum(RATINGS, { error: 'must be good, okay or bad' }),
  comment: z.string().trim().max(COMMENT_MAX, { error: `must be at most ${COMMENT_MAX} characters` }).optional(),
});
export type SurveyAnswer = z.infer<typeof SurveyAnswerSchema>;

/** A conversation's rating as the API shows it beside the conversation. */
export const SatisfactionSchema = z
  .object({ surveyId: z.uuid(), rating: z.enum(RATINGS), comment: z.string().nullable(), ratedAt: z.date() })
  .describe('The customer’s answer to the satisfaction survey; null while there is none.');
export type Satisfaction = z.infer<typeof SatisfactionSchema>;

export const SatisfactionListQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true, error: 'must be a date and time, e.g. 2026-12-01T00:00:00Z' }).optional().describe('Answers given at or after this time.'),
    to: z.iso.datetime({ offset: true, error: 'must be a date and time, e.g. 2026-12-31T23:59:59Z' }).optional().describe('Answers given before this time.'),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .refine((q) => !q.from || !q.to || new Date(q.from) < new Date(q.to), { message: 'must be after from', path: ['to'] });
export type SatisfactionListQuery = z.infer<typeof SatisfactionListQuerySchema>;
