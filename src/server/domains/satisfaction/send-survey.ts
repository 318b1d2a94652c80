import { z } from 'zod';
import type { Executor } from '../../db/client.js';
import { type Ctx, inTransaction } from '../../core/context.js';
import type { Processor } from '../../core/events/dispatcher.js';
import { conversationHistory } from '../../core/events/record-event.js';
import { readEvent } from '../../core/events/types.js';
import { defineJob, type Jobs } from '../../core/jobs/queue.js';
import { escapeHtml } from '../../core/html.js';
import { catalog } from '../../helpcenter/i18n/index.js';
import { systemMessage } from '../conversations/commands.js';
import { lockForSurvey } from '../conversations/queries.js';
import { getConversationRow } from '../conversations/service.js';
import { helpCenterOf } from '../help-center/service.js';
import { getInbox, satisfactionSettingsOf } from '../inboxes/service.js';
import { RATINGS } from './schema.js';
import { createSurvey } from './service.js';

export const SendSurveyPayload = z.object({ conversationId: z.uuid(), solvedAt: z.string().max(40) });

/** At the inbox's delay after a conversation was solved: sends its satisfaction survey, once, if it should still get one. */
export const sendSurveyJob = defineJob({
  name: 'satisfaction-survey',
  schema: SendSurveyPayload,
  handler: async () => sendSurvey,
  // One transaction: still running after a minute means its node died.
  expireInSeconds: 60,
});

/** Where a survey's link for a rating leads. */
export const surveyUrl = (publicUrl: string, token: string, rating: string) => `${publicUrl}/survey/${token}?rating=${rating}`;

/** When the conversation was last solved, from its timeline. */
async function lastSolvedAt(tx: Executor, conversationId: string): Promise<Date | undefined> {
  const history = await conversationHistory(tx, conversationId, ['conversation.updated']);
  let at: Date | undefined;
  for (const e of history) {
    const t = readEvent(e);
    if (t?.type === 'conversation.updated' && t.data.changes.status?.to === 'solved') at = e.createdAt;
  }
  return at;
}

/**
 * The survey goes out only to a customer a person helped: the conversation is still solved
 * (and was not solved again later, which has its own job), not merged away, in an inbox
 * with surveys on, answered at least once by a member of the team, with no automated mail
 * (an auto-reply or bounce) among its customer messages, and without a survey yet. Under
 * the conversation's lock, so an agent reopening it meanwhile waits or wins.
 */
export async function sendSurvey(ctx: Ctx, payload: z.infer<typeof SendSurveyPayload>) {
  await inTransaction(ctx, async (tx) => {
    const c = await lockForSurvey(tx, payload.conversationId);
    if (!c || c.status !== 'solved' || c.merged || !c.answeredByPerson || c.automatedInbound) return;
    const solvedAt = await lastSolvedAt(tx, c.id);
    if (solvedAt && solvedAt.getTime() > new Date(payload.solvedAt).getTime() + 1000) return;
    const inbox = await getInbox(tx, c, c.inboxId);
    if (!satisfactionSettingsOf(inbox).enabled || inbox.archivedAt) return;
    const made = await createSurvey(tx, { workspaceId: c.workspaceId, conversationId: c.id, contactId: c.contactId, inboxId: inbox.id, channel: inbox.channel });
    if (!made) return;
    const hc = await helpCenterOf(tx, c.workspaceId);
    const message = surveyMessage(catalog(hc?.locale ?? 'en'), ctx.config.publicUrl, made.token, c);
    await systemMessage(tx, { workspaceId: c.workspaceId, conversationId: c.id, inboxId: inbox.id, contactId: c.contactId, channel: inbox.channel, ...message, survey: true });
  });
}

/** The survey as the customer gets it: a line about their request, three links (Good / Okay / Bad), and a word on the comment. */
export function surveyMessage(t: ReturnType<typeof catalog>, publicUrl: string, token: string, c: { subject: string; number: number }) {
  const intro = t('survey.mail.intro', { subject: c.subject, number: c.number });
  const outro = t('survey.mail.outro');
  const links = RATINGS.map((r) => ({ label: t(`survey.rating.${r}`), url: surveyUrl(publicUrl, token, r) }));
  const text = [intro, links.map((l) => `${l.label}: ${l.url}`).join('\n'), outro].join('\n\n');
  const button = 'display:inline-block;margin:0 8px 8px 0;padding:10px 18px;border:1px solid #c9ced6;border-radius:8px;background:#ffffff;color:#1c2024;text-decoration:none;font-weight:600';
  const html = [
    `<p>${escapeHtml(intro)}</p>`,
    `<p>${links.map((l) => `<a href="${escapeHtml(l.url)}" style="${button}">${escapeHtml(l.label)}</a>`).join('')}</p>`,
    `<p>${escapeHtml(outro)}</p>`,
  ].join('\n');
  return { text, html };
}

/** When a conversation is solved, schedules its survey at the inbox's delay (when the inbox has surveys on). */
export function satisfactionProcessor(ctx: Ctx, jobs: Jobs): Processor {
  const solved = (e: { type: string; data: unknown }) => {
    const t = readEvent(e);
    return t?.type === 'conversation.updated' && t.data.changes.status?.to === 'solved';
  };
  return {
    name: 'satisfaction',
    handles: (e) => e.conversationId !== null && solved(e),
    async process(e) {
      const c = await getConversationRow(ctx.db, e, e.conversationId!).catch(() => undefined);
      if (!c) return;
      const settings = satisfactionSettingsOf(await getInbox(ctx.db, e, c.inboxId));
      if (!settings.enabled) return;
      const solvedAt = e.createdAt.toISOString();
      await jobs.send(
        sendSurveyJob,
        { conversationId: c.id, solvedAt },
        { startAfter: new Date(e.createdAt.getTime() + settings.delayMinutes * 60_000), singletonKey: `survey:${c.id}:${solvedAt}` },
      );
    },
  };
}
