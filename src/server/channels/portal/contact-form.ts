import { uuidv7 } from 'uuidv7';
import { z } from 'zod';
import type { Ctx } from '../../core/context.js';
import { Invalid } from '../../core/errors.js';
import { systemMessage } from '../../domains/conversations/commands.js';
import { ingest } from '../../domains/conversations/ingest.js';
import { ensurePortalInbox, type HelpCenter, helpCenterPath } from '../../domains/help-center/service.js';
import { catalog } from '../../helpcenter/i18n/index.js';
import { inTransaction } from '../../core/context.js';
import type { PortalFile } from './conversations.js';
import { readIntakeAnswers } from '../../domains/topics/intake.js';
import { type IntakeField, listTopics, topicByKey } from '../../domains/topics/service.js';
import type { Executor } from '../../db/client.js';

export const ContactFormSchema = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  topic: z.string().trim().max(60).optional(),
  subject: z.string().trim().min(1).max(200),
  message: z.string().trim().min(1).max(20_000),
});
export type ContactFormInput = z.infer<typeof ContactFormSchema>;

/**
 * What the form asks for each of its topics: the topic's intake fields, but never an e-mail
 * field, which takes the address the form asks anyway.
 */
export async function contactFormIntake(db: Executor, hc: HelpCenter): Promise<Record<string, IntakeField[]>> {
  const all = await listTopics(db, hc.workspaceId);
  return Object.fromEntries(hc.topics.map((o) => [o.id, (all.find((t) => t.key === o.id)?.fields ?? []).filter((f) => f.type !== 'email')]));
}

/**
 * The chosen topic's intake answers (`answers`: field key → text), checked all at once: an
 * Invalid names each missing or wrong field as `field.<topic>.<key>`. The values to store,
 * with the form's address in any e-mail field.
 */
export async function contactFormValues(db: Executor, hc: HelpCenter, topic: string | undefined, answers: Record<string, string>, email: string) {
  const found = topic ? await topicByKey(db, hc.workspaceId, topic) : undefined;
  if (!found) return { topic: undefined, values: {} };
  return { topic: found, values: readIntakeAnswers(found, answers, { contactEmail: email }, `field.${found.key}`) };
}

/**
 * The help center's contact form: a new conversation in the portal inbox, with the
 * customer's topic, its intake fields (all checked before anything is stored) and files, and a confirmation to their address with the way to the
 * portal, stored in the same transaction (one without the other never happens). The
 * form's id makes sending it twice open one conversation.
 */
export async function submitContactForm(ctx: Ctx, hc: HelpCenter, input: ContactFormInput & { formId: string; files: PortalFile[]; answers?: Record<string, string> }) {
  if (input.topic && !hc.topics.some((t) => t.id === input.topic)) throw new Invalid('topic', 'is not one of the topics of this form');
  const intake = await contactFormValues(ctx.db, hc, input.topic, input.answers ?? {}, input.email);
  const inbox = await inTransaction(ctx, (tx) => ensurePortalInbox(tx, hc));
  const t = catalog(hc.locale);
  // The workspace topic's name, which reports group by; the form's own name for one it lacks.
  const topicName = intake.topic?.name ?? hc.topics.find((x) => x.id === input.topic)?.name;
  return ingest(ctx, {
    workspaceId: hc.workspaceId,
    inboxId: inbox.id,
    contact: { email: input.email, name: input.name },
    subject: input.subject,
    text: input.message,
    externalId: `contact-form:${input.formId}`,
    threadByContact: false,
    topic: topicName,
    customFields: intake.values,
    attachments: input.files.map((f) => ({ id: uuidv7(), ...f })),
    alsoInTransaction: async (tx, r) => {
      const url = `${ctx.config.publicUrl}${helpCenterPath(hc)}/portal/conversations/${r.conversationNumber}`;
      await systemMessage(tx, {
        workspaceId: hc.workspaceId,
        conversationId: r.conversationId,
        inboxId: inbox.id,
        contactId: r.contactId,
        channel: 'portal',
        text: t('mail.confirm.text', { number: r.conversationNumber, subject: input.subject, url }),
      });
    },
  });
}
