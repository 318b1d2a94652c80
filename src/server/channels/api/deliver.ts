import { eq } from 'drizzle-orm';
import { contactIdentities, contacts, conversations, members, users } from '../../db/schema/index.js';
import type { Ctx } from '../../core/context.js';
import { BlockedAddressError } from '../../core/net/outbound-guard.js';
import { postJson } from '../../core/webhooks/safe-fetch.js';
import { signPayload } from '../../core/webhooks/signature.js';
import type { Inbox } from '../../domains/inboxes/service.js';
import type { Message } from '../../domains/conversations/service.js';

/** `permanent` failures are not retried: nothing would change on the next attempt. */
export type DeliveryOutcome = { ok: true } | { ok: false; reason: string; permanent?: boolean };

/**
 * Hands an agent's reply to the system behind an API channel: a signed JSON POST to the
 * inbox's callback URL. The body's `id` (also Heard-Event-Id) is the message id, so it is
 * the same on every retry and receivers de-duplicate on it.
 */
export async function deliverToCallback(ctx: Ctx, inbox: Inbox, message: Message): Promise<DeliveryOutcome> {
  const { callbackUrl, signingSecret } = inbox.config;
  if (!callbackUrl || !signingSecret) return { ok: false, reason: 'inbox has no callback URL', permanent: true };
  const [conv] = await ctx.db.select().from(conversations).where(eq(conversations.id, message.conversationId));
  const [contact] = await ctx.db.select().from(contacts).where(eq(contacts.id, conv.contactId));
  const identities = await ctx.db.select().from(contactIdentities).where(eq(contactIdentities.contactId, contact.id));
  const [author] = message.authorMemberId
    ? await ctx.db.select({ name: users.name }).from(members).innerJoin(users, eq(users.id, members.userId)).where(eq(members.id, message.authorMemberId))
    : [];
  const pick = (kind: string) => identities.find((i) => i.kind === kind)?.value;
  const body = JSON.stringify({
    id: message.id,
    type: 'message.created',
    createdAt: message.createdAt.toISOString(),
    inboxId: inbox.id,
    conversation: { id: conv.id, number: conv.number, subject: conv.subject },
    contact: { id: contact.id, name: contact.name, externalId: pick('external'), email: pick('email'), phone: pick('phone'), handle: pick('handle') },
    message: { id: message.id, text: message.text, author: author ? { name: author.name } : null },
  });
  const { timestamp, signature } = signPayload(signingSecret, body);
  try {
    const res = await postJson(
      callbackUrl,
      body,
      { 'heard-event-id': message.id, 'heard-timestamp': timestamp, 'heard-signature': signature },
      ctx.config.HEARD_ALLOW_PRIVATE_WEBHOOKS,
    );
    if (res.status >= 200 && res.status < 300) return { ok: true };
    return { ok: false, reason: `callback answered HTTP ${res.status}${res.body ? `: ${res.body.slice(0, 200)}` : ''}` };
  } catch (err) {
    const e = err as Error & { code?: string; cause?: Error };
    const blocked = err instanceof BlockedAddressError || e.cause instanceof BlockedAddressError;
    return { ok: false, reason: `callback request failed: ${e.cause?.message ?? e.message}`, permanent: blocked };
  }
}
