import { eq } from 'drizzle-orm';
import { conversations, type inboxes } from '../../db/schema/index.js';
import { type Ctx, inTransaction } from '../../core/context.js';
import { systemMessage } from '../../domains/conversations/commands.js';
import { helpCenterOf } from '../../domains/help-center/service.js';
import { intakeForAcknowledgement } from '../../domains/topics/intake-round.js';
import { catalog } from '../../helpcenter/i18n/index.js';
import { emailSettings } from './settings.js';

/**
 * The inbox's acknowledgement of a new conversation: its number and when to expect a
 * reply. Sent marked Auto-Submitted (RFC 3834), and only to people, never to
 * auto-replies or bounces, so no loop can form. It is not a response: the customer is
 * still waiting for a person. When the conversation's topic has an intake form, the
 * acknowledgement asks every field still missing at once, as lines to fill in and a link.
 */
export async function queueAutoAcknowledgement(ctx: Ctx, inbox: typeof inboxes.$inferSelect, conversationId: string) {
  const ack = emailSettings(inbox).autoAck;
  if (!ack?.enabled) return;
  await inTransaction(ctx, async (tx) => {
    const [c] = await tx.select().from(conversations).where(eq(conversations.id, conversationId));
    const ackText = ack.text.replaceAll('{{number}}', `#${c.number}`).replaceAll('{{responseTime}}', ack.responseTime).replaceAll('{{subject}}', c.subject);
    const t = catalog((await helpCenterOf(tx, c.workspaceId))?.locale ?? 'en');
    const intake = await intakeForAcknowledgement(tx, c.id, t, { publicUrl: ctx.config.publicUrl, secret: ctx.secret });
    const text = intake ? `${ackText}\n\n${intake}` : ackText;
    await systemMessage(tx, { workspaceId: c.workspaceId, conversationId: c.id, inboxId: inbox.id, contactId: c.contactId, channel: 'email', text });
  });
}
