import { eq } from 'drizzle-orm';
import { conversations, type inboxes } from '../../db/schema/index.js';
import { type Ctx, inTransaction } from '../../core/context.js';
import { systemMessage } from '../../domains/conversations/commands.js';
import { emailSettings } from './settings.js';

/**
 * The inbox's acknowledgement of a new conversation: its number and when to expect a
 * reply. Sent marked Auto-Submitted (RFC 3834), and only to people, never to
 * auto-replies or bounces, so no loop can form. It is not a response: the customer is
 * still waiting for a person.
 */
export async function queueAutoAcknowledgement(ctx: Ctx, inbox: typeof inboxes.$inferSelect, conversationId: string) {
  const ack = emailSettings(inbox).autoAck;
  if (!ack?.enabled) return;
  await inTransaction(ctx, async (tx) => {
    const [c] = await tx.select().from(conversations).where(eq(conversations.id, conversationId));
    const text = ack.text.replaceAll('{{number}}', `#${c.number}`).replaceAll('{{responseTime}}', ack.responseTime).replaceAll('{{subject}}', c.subject);
    await systemMessage(tx, { workspaceId: c.workspaceId, conversationId: c.id, inboxId: inbox.id, contactId: c.contactId, channel: 'email', text });
  });
}
