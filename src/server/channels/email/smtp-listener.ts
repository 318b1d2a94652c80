import type { FastifyBaseLogger } from 'fastify';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { inboxes } from '../../db/schema/index.js';
import type { Ctx } from '../../core/context.js';
import type { FileStore } from '../../core/files/file-store.js';
import { receiveEmail } from './receive.js';
import { listenerCertificate } from './tls.js';
import { baseAddress } from './tokens.js';

type Inbox = typeof inboxes.$inferSelect;
type Session = SMTPServerSession & { inboxes?: Map<string, Inbox> };
type Smtp550 = Error & { responseCode?: number };
const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code }) as Smtp550;

/** The email inbox an address reaches (plus-addresses included), across the installation. */
async function inboxFor(ctx: Ctx, address: string) {
  const [row] = await ctx.db
    .select()
    .from(inboxes)
    .where(and(eq(inboxes.channel, 'email'), isNull(inboxes.archivedAt), sql`lower(${inboxes.config}->>'address') = ${baseAddress(address)}`));
  return row;
}

/**
 * The built-in SMTP listener. It accepts mail only for the addresses of email inboxes
 * (550 for anyone else, so it is no open relay), refuses mail over the size limit with
 * 552, and answers 250 only after every addressed inbox has committed the message. If
 * storing fails it answers 451, so the sending server keeps the message and tries again.
 * It offers STARTTLS (tls.ts has the certificate), and each message records whether it
 * came encrypted.
 */
export async function startSmtpListener(ctx: Ctx, files: FileStore, log: FastifyBaseLogger, opts: { port: number; host: string }) {
  const maxBytes = ctx.config.HEARD_MAIL_MAX_BYTES;
  const certificate = await listenerCertificate(ctx.config);
  log.info({ certificate: certificate.source }, 'smtp: STARTTLS certificate');
  const server = new SMTPServer({
    name: ctx.config.mailDomain,
    banner: 'Heard',
    size: maxBytes,
    authOptional: true,
    disabledCommands: ['AUTH'],
    // Plain SMTP on connect, upgraded by STARTTLS: how servers deliver to an MX.
    secure: false,
    key: certificate.key,
    cert: certificate.cert,
    // The client's PTR name is never used, and looking it up (the library's default) stalls
    // every connection as long as a slow resolver takes.
    disableReverseLookup: true,
    logger: false,
    socketTimeout: 60_000,
    closeTimeout: 10_000,
    onRcptTo(address, session: Session, done) {
      inboxFor(ctx, address.address)
        .then((inbox) => {
          if (!inbox) return done(smtpError(550, `5.1.1 <${address.address}>: no such mailbox here`));
          // Kept for the message: receiveEmail need not read the inbox again.
          session.inboxes ??= new Map();
          if (!session.inboxes.has(inbox.id)) session.inboxes.set(inbox.id, inbox);
          done();
        })
        .catch((err) => {
          log.error({ err }, 'smtp: looking up a recipient failed');
          done(smtpError(451, '4.3.0 temporary failure, try again later'));
        });
    },
    onData(stream: SMTPServerDataStream, session: Session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => done(err));
      stream.on('end', () => {
        if (stream.sizeExceeded) return done(smtpError(552, `5.3.4 message is larger than ${maxBytes} bytes`));
        const raw = Buffer.concat(chunks);
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        const targets = [...(session.inboxes?.values() ?? [])];
        (async () => {
          for (const inbox of targets) {
            await receiveEmail(ctx, files, { inboxId: inbox.id, inbox, raw, source: 'smtp', envelopeTo: recipients, tls: session.secure });
          }
        })()
          .then(() => done(null, 'Message stored'))
          .catch((err) => {
            log.error({ err }, 'smtp: storing a message failed; the sender will retry');
            done(smtpError(451, '4.3.0 could not store the message now, try again later'));
          });
      });
    },
  });
  server.on('error', (err) => log.error({ err }, 'smtp listener error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  return {
    port: typeof address === 'object' && address ? address.port : opts.port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
