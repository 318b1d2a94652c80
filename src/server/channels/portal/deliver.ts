import { eq } from 'drizzle-orm';
import { conversations } from '../../db/schema/index.js';
import type { Ctx } from '../../core/context.js';
import type { Message } from '../../domains/conversations/service.js';
import { ensureHelpCenter, helpCenterPath, helpMailInbox } from '../../domains/help-center/service.js';
import { catalog } from '../../helpcenter/i18n/index.js';
import type { DeliveryOutcome } from '../api/deliver.js';
import { deliverEmail } from '../email/send.js';

/**
 * A reply in a portal conversation: it is in the portal as soon as it is stored, and it
 * goes to the customer's e-mail from the workspace's email inbox, with the way back to
 * the portal. Its Message-ID is signed, so their e-mail answer threads into the same
 * conversation.
 */
export async function deliverPortalReply(ctx: Ctx, message: Message): Promise<DeliveryOutcome> {
  const mailInbox = await helpMailInbox(ctx.db, ctx.config, message.workspaceId);
  if (!mailInbox) return { ok: false, reason: 'no email inbox can send it: add one (with an outgoing server or SMTP_URL); the customer sees it in the help center', permanent: true };
  const hc = await ensureHelpCenter(ctx.db, message.workspaceId);
  const [conv] = await ctx.db.select({ number: conversations.number }).from(conversations).where(eq(conversations.id, message.conversationId));
  const url = `${ctx.config.publicUrl}${helpCenterPath(hc)}/portal/conversations/${conv.number}`;
  // The confirmation of a contact form carries the link already.
  const footer = message.email?.autoAck ? undefined : catalog(hc.locale)('mail.answer.footer', { url });
  return deliverEmail(ctx, mailInbox, message, { footer });
}

