import path from 'node:path';
import { z } from 'zod';

const flag = z
  .enum(['0', '1', 'true', 'false', ''])
  .transform((v) => v === '1' || v === 'true');

/**
 * Every setting Heard reads from the environment. Each entry's description is
 * the documentation: `npm run docs:config` writes docs/configuration.md from it.
 */
export const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).describe('TCP port of the web server (API, apps, realtime).'),
  HOST: z.string().min(1).default('0.0.0.0').describe('Address the web server binds to.'),
  HEARD_PUBLIC_URL: z
    .url()
    .optional()
    .describe('The URL people reach Heard at, used in links and cookies. Defaults to http://localhost:PORT. An https URL makes session cookies Secure.'),
  HEARD_DATA_DIR: z
    .string()
    .min(1)
    .default('./data')
    .describe('Where the embedded database (PGlite) and stored files live.'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .describe('A PostgreSQL 15+ server to use instead of the embedded database. Required for more than one node.'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional()
    .describe('Redis, for realtime fan-out and shared rate limits across nodes.'),
  HEARD_ALLOW_PRIVATE_WEBHOOKS: flag
    .default(false)
    .describe('Set to 1 to let the addresses customers configure reach private and loopback addresses: API channel callbacks, and email inboxes\' own SMTP and IMAP servers (tests, local set-ups, an on-premise mail server). Off by default to stop server-side request forgery.'),
  HEARD_TRUST_PROXY: flag.default(false).describe('Set to 1 when Heard runs behind a reverse proxy that sets X-Forwarded-For.'),
  HEARD_LOGIN_RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .default(10)
    .describe('Sign-in attempts allowed per minute from one address.'),
  HEARD_API_RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .default(1200)
    .describe('API requests allowed per minute per address or token.'),
  HEARD_SHED_EVENT_LOOP_DELAY_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('Load shedding: while the event loop lags more than this (ms), requests are answered 429 with Retry-After instead of queued; /healthz still answers. 0 (the default) turns this check off: with the embedded database, queries run on the same thread, so a long one (a report, the start-up) lags the loop without the node being overloaded. 1000 suits nodes on PostgreSQL.'),
  HEARD_SHED_HEAP_PERCENT: z.coerce
    .number()
    .min(0)
    .max(100)
    .default(90)
    .describe("Load shedding: while the JavaScript heap is above this share of Node's heap limit (set with --max-old-space-size in NODE_OPTIONS), requests are answered 429. 0 turns this check off."),
  HEARD_SHED_RSS_MB: z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe("Load shedding: while the process's resident memory is above this many MB, requests are answered 429; set it below a container's memory limit. 0 (the default) turns this check off."),
  HEARD_WEBHOOK_MAX_AGE_HOURS: z.coerce
    .number()
    .min(0.001)
    .default(72)
    .describe("How long Heard keeps retrying an outbound callback before it gives up: a reply to an API channel is then marked failed, and so is a workspace webhook's delivery."),
  HEARD_RETRY_BASE_SECONDS: z.coerce
    .number()
    .min(0.1)
    .max(3600)
    .default(30)
    .describe('The first wait before an outbound delivery (a reply, a webhook, a goodwill action) is tried again; each later wait doubles, up to an hour.'),
  HEARD_WEBHOOK_TIMEOUT_SECONDS: z.coerce
    .number()
    .min(0.1)
    .max(60)
    .default(10)
    .describe("How long a workspace webhook's endpoint has to answer one delivery before the attempt counts as failed and is retried."),
  HEARD_WEBHOOK_DISABLE_AFTER_DAYS: z.coerce
    .number()
    .min(0.001)
    .default(5)
    .describe('A workspace webhook whose deliveries have all failed for this many days is switched off, and Settings › Webhooks says why.'),
  HEARD_OUTBOUND_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(256)
    .default(8)
    .describe('How many replies one worker node delivers at once, across all inboxes and channels.'),
  HEARD_OUTBOUND_CONNECTIONS_PER_INBOX: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(4)
    .describe("How many SMTP connections one worker node keeps open to each email inbox's outgoing server: that many of its replies are sent at once, the rest wait for a free connection. Connections are reused for up to 100 messages."),
  HEARD_SMTP_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(2525)
    .describe('TCP port of the built-in SMTP listener that receives mail for the email inboxes\' addresses (on nodes with the mail role). 0 turns it off.'),
  HEARD_SMTP_HOST: z.string().min(1).default('0.0.0.0').describe('Address the SMTP listener binds to.'),
  HEARD_SMTP_TLS_CERT: z
    .string()
    .min(1)
    .optional()
    .describe('A PEM file with the certificate (and its chain) the SMTP listener offers with STARTTLS, e.g. a Let\'s Encrypt fullchain.pem. Without it and HEARD_SMTP_TLS_KEY, a self-signed certificate is made on first start and kept in HEARD_DATA_DIR (smtp-tls.pem). Read at start.'),
  HEARD_SMTP_TLS_KEY: z.string().min(1).optional().describe('The PEM file with the private key of HEARD_SMTP_TLS_CERT (e.g. privkey.pem).'),
  HEARD_MAIL_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(30 * 1024 * 1024)
    .describe('The largest e-mail accepted (SMTP, IMAP and the MIME endpoint), in bytes; larger mail is refused with 552 over SMTP.'),
  HEARD_MAIL_PARSE_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .default(20_000)
    .describe('How long parsing one e-mail may take (in a worker thread) before it is given up and the message is quarantined raw.'),
  HEARD_IMAP_POLL_SECONDS: z.coerce
    .number()
    .min(0)
    .default(60)
    .describe('How often worker nodes fetch new mail from the IMAP mailboxes of email inboxes, in seconds (one poll per mailbox at a time, across all nodes). 0 turns IMAP polling off.'),
  HEARD_OUTREACH_SWEEP_SECONDS: z.coerce
    .number()
    .min(0.1)
    .max(3600)
    .default(30)
    .describe('How often worker nodes make the outreach tasks whose time came (docs/outreach.md), in seconds: a task reaches its queue at most this long after it is due.'),
  HEARD_MAIL_DOMAIN: z
    .string()
    .regex(/^[a-z0-9.-]+$/i, 'must be a domain name')
    .optional()
    .describe('The domain in the Message-IDs of the mail Heard sends. Defaults to the host of HEARD_PUBLIC_URL.'),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:pass@host:587')
    .optional()
    .describe('Where replies are sent from email inboxes that have no SMTP server of their own, and where password reset links leave, e.g. smtp://user:pass@host:587 (smtps:// for TLS from the start).'),
  HEARD_WIDGET_RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .default(120)
    .describe('Requests a chat widget visitor may make per minute to each visitor endpoint, counted per visitor token (or per address before they have one).'),
  HEARD_WIDGET_EMAIL_AFTER_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(120)
    .describe('How long after an agent answers in the chat widget Heard waits for the visitor to be back before it sends the answer to their e-mail address.'),
  HEARD_PORTAL_LINK_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15)
    .describe('How long a customer portal sign-in link is valid, in minutes. Each link works once.'),
  HEARD_PORTAL_SESSION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .describe('How long a customer stays signed in to the portal.'),
  HEARD_HELP_RATE_LIMIT: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('How many times a minute one address may send each of a help center\'s forms (the contact form, sign-in links, posts, votes, feedback), counted per form; pages are not limited by this.'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('Log verbosity.'),
});

export type Config = z.infer<typeof ConfigSchema> & {
  publicUrl: string;
  dataDir: string;
  mailDomain: string;
  secureCookies: boolean;
};

export class ConfigError extends Error {}

/** Reads and validates the settings; a bad value stops the start with the variable's name and the reason. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(
    Object.keys(ConfigSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  const publicUrl = (c.HEARD_PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, '');
  return {
    ...c,
    publicUrl,
    mailDomain: c.HEARD_MAIL_DOMAIN ?? new URL(publicUrl).hostname,
    dataDir: path.resolve(c.HEARD_DATA_DIR),
    secureCookies: publicUrl.startsWith('https:'),
  };
}
