import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SunkMail {
  from: string;
  to: string[];
  raw: Buffer;
  mail: ParsedMail;
  /** performance.now() when it was accepted (answered 250). */
  at: number;
}

export interface SinkOptions {
  user?: string;
  password?: string;
  reject?: (rcpt: string) => boolean;
  /** Waits this long before answering each message, as a distant server does. */
  latencyMs?: number;
  /** Called once a message's data is in: it is neither kept nor answered before the promise resolves. */
  hold?: () => Promise<void>;
}

/**
 * A real SMTP server standing in for the world's mail servers: it accepts what Heard
 * sends (answering with `reject(rcpt)` as a permanent refusal when given) and keeps it.
 * `stats` counts the connections made and the most messages it was receiving at once.
 */
export async function startSmtpSink(opts: SinkOptions = {}) {
  const received: SunkMail[] = [];
  const stats = { connections: 0, receiving: 0, mostAtOnce: 0 };
  const server = new SMTPServer({
    authOptional: !opts.user,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onConnect(_session, done) {
      stats.connections++;
      done();
    },
    onAuth(auth, _session, done) {
      if (auth.username === opts.user && auth.password === opts.password) return done(null, { user: auth.username });
      done(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, done) {
      if (opts.reject?.(address.address)) return done(Object.assign(new Error(`5.1.1 <${address.address}>: user unknown`), { responseCode: 550 }));
      done();
    },
    onData(stream, session, done) {
      stats.mostAtOnce = Math.max(stats.mostAtOnce, ++stats.receiving);
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        (async () => {
          await opts.hold?.();
          if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
          const mail = await simpleParser(raw);
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw, mail, at: performance.now() });
        })()
          .then(() => done(), done)
          .finally(() => stats.receiving--);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  const auth = opts.user ? `${encodeURIComponent(opts.user)}:${encodeURIComponent(opts.password ?? '')}@` : '';
  return {
    port,
    url: `smtp://${auth}127.0.0.1:${port}`,
    received,
    stats,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
