import { and, desc, eq, gte, inArray, isNotNull, lt } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { satisfactionSurveys } from '../../db/schema/index.js';
import type { Actor } from '../../core/actor.js';
import { recordEvent } from '../../core/events/record-event.js';
import { NotFound } from '../../core/errors.js';
import { randomToken, sha256 } from '../../core/ids.js';
import type { Rating, Satisfaction, SatisfactionListQuery, SurveyAnswer } from './schema.js';

export type Survey = typeof satisfactionSurveys.$inferSelect;

/** How long after it was sent a survey's answer may be given or changed. */
export const CHANGEABLE_DAYS = 7;

/** A link token as randomToken makes it: 32 random bytes in URL-safe base64. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Makes the conversation's survey, with a fresh random token for its links: the token is
 * returned once, for the message, and only its hash is kept. Undefined when the
 * conversation has a survey already (another node, or an earlier run of the job, made it):
 * the unique key on the conversation is what makes a survey go out once.
 */
export async function createSurvey(
  tx: Executor,
  s: Pick<Survey, 'workspaceId' | 'conversationId' | 'contactId' | 'inboxId' | 'channel'>,
  now = new Date(),
): Promise<{ survey: Survey; token: string } | undefined> {
  const token = randomToken('', 32);
  const [survey] = await tx
    .insert(satisfactionSurveys)
    .values({ ...s, tokenHash: sha256(token), sentAt: now, changeableUntil: new Date(now.getTime() + CHANGEABLE_DAYS * 86_400_000) })
    .onConflictDoNothing({ target: satisfactionSurveys.conversationId })
    .returning();
  return survey ? { survey, token } : undefined;
}

/** The survey a link's token opens; undefined for one that was never issued, or was altered. Looked up by hash: the token itself is stored nowhere. */
export async function surveyByToken(db: Executor, token: string): Promise<Survey | undefined> {
  if (!TOKEN.test(token)) return undefined;
  const [row] = await db.select().from(satisfactionSurveys).where(eq(satisfactionSurveys.tokenHash, sha256(token)));
  return row;
}

/** Whether the survey still takes an answer, or a change to one. */
export const surveyOpen = (s: Pick<Survey, 'changeableUntil'>, now = new Date()) => now.getTime() < s.changeableUntil.getTime();

export type AnswerOutcome =
  /** Stored; `changed` when it replaced an earlier, different rating. */
  | { kind: 'recorded'; survey: Survey; changed: boolean }
  /** The same answer as stored: nothing to record. */
  | { kind: 'unchanged'; survey: Survey }
  /** Past changeable_until: nothing was stored. */
  | { kind: 'closed'; survey: Survey };

/**
 * Records the customer's answer (rating and comment) given through the survey's link, or
 * changes it while the survey is open, with a `satisfaction.rated` event on the
 * conversation's timeline. The row is locked, so two answers sent at once are recorded
 * one after the other. An unknown or altered token is not found.
 */
export async function answerSurvey(tx: Executor, token: string, answer: SurveyAnswer, now = new Date()): Promise<AnswerOutcome> {
  const found = await surveyByToken(tx, token);
  if (!found) throw new NotFound('Survey');
  const [survey] = await tx.select().from(satisfactionSurveys).where(eq(satisfactionSurveys.id, found.id)).for('update');
  if (!surveyOpen(survey, now)) return { kind: 'closed', survey };
  const comment = answer.comment?.trim() || null;
  if (survey.rating === answer.rating && survey.comment === comment) return { kind: 'unchanged', survey };
  // A comment added to the same rating is no change of mind: the timeline says "rated" again.
  const changed = survey.rating !== null && survey.rating !== answer.rating;
  const [row] = await tx
    .update(satisfactionSurveys)
    .set({ rating: answer.rating, comment, ratedAt: now })
    .where(eq(satisfactionSurveys.id, survey.id))
    .returning();
  await recordEvent(tx, {
    workspaceId: survey.workspaceId,
    conversationId: survey.conversationId,
    type: 'satisfaction.rated',
    actorContactId: survey.contactId,
    data: { surveyId: survey.id, rating: answer.rating, ...(comment ? { comment } : {}), changed },
  });
  return { kind: 'recorded', survey: row, changed };
}

const presentSatisfaction = (s: Survey): Satisfaction | null => (s.rating && s.ratedAt ? { surveyId: s.id, rating: s.rating, comment: s.comment, ratedAt: s.ratedAt } : null);

/** The customer's answer on a conversation of the workspace, or null while there is none. */
export async function satisfactionOf(db: Executor, workspaceId: string, conversationId: string): Promise<Satisfaction | null> {
  return (await satisfactionOfMany(db, workspaceId, [conversationId])).get(conversationId) ?? null;
}

/** The answers on these conversations of the workspace, by conversation: those without one are left out. */
export async function satisfactionOfMany(db: Executor, workspaceId: string, conversationIds: string[]): Promise<Map<string, Satisfaction>> {
  if (!conversationIds.length) return new Map();
  const rows = await db
    .select()
    .from(satisfactionSurveys)
    .where(and(eq(satisfactionSurveys.workspaceId, workspaceId), inArray(satisfactionSurveys.conversationId, conversationIds), isNotNull(satisfactionSurveys.rating)));
  return new Map(rows.flatMap((r) => {
    const s = presentSatisfaction(r);
    return s ? [[r.conversationId, s] as const] : [];
  }));
}

/** The answer as the API lists it: which conversation, channel and inbox, the rating and comment, when sent and answered. */
export function presentAnswer(s: Survey) {
  return {
    id: s.id,
    conversationId: s.conversationId,
    contactId: s.contactId,
    inboxId: s.inboxId,
    channel: s.channel,
    rating: s.rating as Rating,
    comment: s.comment,
    sentAt: s.sentAt,
    ratedAt: s.ratedAt as Date,
  };
}

/** The workspace's answers given in [from, to), newest first: what reports count. */
export async function listAnswers(db: Executor, actor: Pick<Actor, 'workspaceId'>, q: SatisfactionListQuery) {
  const rows = await db
    .select()
    .from(satisfactionSurveys)
    .where(
      and(
        eq(satisfactionSurveys.workspaceId, actor.workspaceId),
        isNotNull(satisfactionSurveys.rating),
        q.from ? gte(satisfactionSurveys.ratedAt, new Date(q.from)) : undefined,
        q.to ? lt(satisfactionSurveys.ratedAt, new Date(q.to)) : undefined,
      ),
    )
    .orderBy(desc(satisfactionSurveys.ratedAt), desc(satisfactionSurveys.id))
    .limit(q.limit);
  return rows.map(presentAnswer);
}

/** A survey of the workspace with its comment, for quoting it elsewhere (the feedback wall); undefined when there is none. */
export async function surveyComment(db: Executor, workspaceId: string, surveyId: string) {
  const [s] = await db.select().from(satisfactionSurveys).where(and(eq(satisfactionSurveys.id, surveyId), eq(satisfactionSurveys.workspaceId, workspaceId)));
  return s?.comment ? { id: s.id, conversationId: s.conversationId, contactId: s.contactId, comment: s.comment } : undefined;
}
