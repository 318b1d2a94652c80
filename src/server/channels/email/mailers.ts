import nodemailer, { type Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';
import type { Ctx } from '../../core/context.js';

interface Pool {
  /** The settings it was made with: other settings make another pool. */
  key: string;
  mailer: Transporter<SMTPPool.SentMessageInfo>;
}

// Per running instance, per inbox: the connections its replies leave through, closed with it.
const pools = new WeakMap<Ctx, Map<string, Pool>>();

/**
 * The inbox's pooled SMTP connections: replies reuse open connections instead of
 * connecting, greeting and authenticating for each one, and at most
 * HEARD_OUTBOUND_CONNECTIONS_PER_INBOX of one inbox's replies are sent at once on this
 * node (more wait for a free connection). Changed settings close the old pool.
 */
export function pooledMailer(ctx: Ctx, inboxId: string, transport: SMTPTransport.Options): Transporter<SMTPPool.SentMessageInfo> {
  let byInbox = pools.get(ctx);
  if (!byInbox) pools.set(ctx, (byInbox = new Map()));
  const key = JSON.stringify(transport);
  const current = byInbox.get(inboxId);
  if (current?.key === key) return current.mailer;
  // A send still on the old pool fails, and its job sends it again through the new one.
  current?.mailer.close();
  const perInbox = ctx.config.HEARD_OUTBOUND_CONNECTIONS_PER_INBOX;
  // One new connection for a message whose pooled one was closed under it (servers close
  // idle ones), no more: the delivery job retries with its own back-off.
  const options: SMTPPool.Options = { ...transport, pool: true, maxConnections: perInbox, maxMessages: 100, maxRequeues: 1 };
  const mailer = nodemailer.createTransport(options);
  byInbox.set(inboxId, { key, mailer });
  return mailer;
}

export function closeMailers(ctx: Ctx) {
  for (const { mailer } of pools.get(ctx)?.values() ?? []) mailer.close();
  pools.delete(ctx);
}
