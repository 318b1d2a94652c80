import { and, asc, eq, isNull, max, sql } from 'drizzle-orm';
import { z } from 'zod';
import { contactIdentities, conversations, inboxes, messages, widgetVisitors } from '../../db/schema/index.js';
import { type Ctx, inTransaction } from '../../core/context.js';
import { recordEvent } from '../../core/events/record-event.js';
import { defineJob } from '../../core/jobs/queue.js';
import { deliverEmail, SEND_SECONDS } from '../email/send.js';
import { widgetSettings } from './service.js';

export const WidgetEmailPayload = z.object({ messageId: z.uuid() });

/**
 * Leaving is not losing: an agent's answer in the chat widget that the visitor has not
 * been back to see within HEARD_WIDGET_EMAIL_AFTER_SECONDS goes to their e-mail address,
 * from the workspace's email inbox. Its Message-ID is signed, so their e-mail reply
 * threads back into the same conversation, where the widget shows it all.
 */
export const widgetEmailFallbackJob = defineJob({
  name: 'widget-email-fallback',
  schema: WidgetEmailPayload,
  handler: async () => emailIfGone,
  // As a delivery: one send at most (deliver-message).
  expireInSeconds: SEND_SECONDS + 5,
});

async function emailIfGone(ctx: Ctx, payload: z.infer<typeof WidgetEmailPayload>) {
  const [row] = await ctx.db
    .select({ m: messages, c: conversations, widget: inboxes })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .innerJoin(inboxes, eq(inboxes.id, conversations.inboxId))
    .where(eq(messages.id, payload.messageId));
  // Gone, sent by e-mail already, or no longer a widget reply: nothing to do.
  if (!row || row.m.direction !== 'out' || row.m.channel !== 'widget' || row.m.email?.messageId) return;
  const { m, c, widget } = row;

  const [seen] = await ctx.db
    .select({ at: max(widgetVisitors.lastSeenAt) })
    .from(widgetVisitors)
    .where(eq(widgetVisitors.contactId, c.contactId));
  // The visitor was back (a widget open, on any node) after the answer: they have it.
  if (seen?.at && seen.at.getTime() >= m.createdAt.getTime()) return;

  const [address] = await ctx.db
    .select({ value: contactIdentities.value })
    .from(contactIdentities)
    .where(and(eq(contactIdentities.contactId, c.contactId), eq(contactIdentities.kind, 'email')))
    .limit(1);
  if (!address) return;

  const chosen = widgetSettings(widget).emailInboxId;
  const [emailInbox] = await ctx.db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.workspaceId, c.workspaceId), eq(inboxes.channel, 'email'), isNull(inboxes.archivedAt), chosen ? eq(inboxes.id, chosen) : sql`true`))
    .orderBy(asc(inboxes.createdAt))
    .limit(1);
  if (!emailInbox) return;

  const outcome = await deliverEmail(ctx, emailInbox, m);
  await inTransaction(ctx, async (tx) => {
    await recordEvent(tx, {
      workspaceId: c.workspaceId,
      conversationId: c.id,
      type: 'message.delivery',
      data: outcome.ok
        ? { messageId: m.id, deliveryStatus: m.deliveryStatus, emailedTo: address.value }
        : { messageId: m.id, deliveryStatus: m.deliveryStatus, emailError: outcome.reason },
    });
  });
  if (!outcome.ok && !outcome.permanent) throw new Error(`e-mailing the widget answer failed: ${outcome.reason}`);
}
