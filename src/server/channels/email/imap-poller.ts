import { and, eq, isNull, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import pg from 'pg';
import { z } from 'zod';
import { imapStates, inboxes } from '../../db/schema/index.js';
import type { Ctx } from '../../core/context.js';
import { BlockedAddressError, publicAddress } from '../../core/net/outbound-guard.js';
import { LocalFileStore, type FileStore } from '../../core/files/file-store.js';
import { defineJob, type Jobs } from '../../core/jobs/queue.js';
import type { EmailSettings } from '../../domains/inboxes/schema.js';
import { holdOversized, receiveEmail } from './receive.js';
import { emailSettings } from './settings.js';

/**
 * IMAP polling: mail that arrives in an existing mailbox comes into Heard through the same
 * receiveEmail() as SMTP and the MIME endpoint.
 *
 * What is new is decided by UID, never by \Seen: every message above the last UID stored
 * for the folder's UIDVALIDITY is fetched, so mail someone already opened in another
 * client is ingested too, and a poll after an outage of days back-fills all of it. A
 * message is flagged \Seen (or moved) only after receiveEmail() has committed it, and the
 * last UID moves on only after that, so a crash or a dropped connection at any point
 * loses nothing; what is fetched twice is recognised by receiveEmail() as a duplicate.
 */

export type ImapSettings = NonNullable<EmailSettings['imap']>;

/** Messages fetched per round trip, and the most bytes held in memory at once. */
const BATCH_MESSAGES = 20;
const BATCH_BYTES = 32 * 1024 * 1024;

export interface PollResult {
  /** Messages handed to receiveEmail() in this poll. */
  fetched: number;
  ingested: number;
  duplicates: number;
  held: number;
  /** Larger than HEARD_MAIL_MAX_BYTES: left in the mailbox, unflagged, and passed over. */
  tooLarge: number;
  /** Why the poll stopped early; it resumes from the last stored UID next time. */
  error?: string;
  /** Set when the inbox is not polled (no IMAP settings, archived) or another poll holds it. */
  skipped?: string;
}

/**
 * A client for the mailbox, not yet connected. The server is a customer's setting: unless
 * private addresses are allowed, it is reached at the public address its name resolves
 * to now, and its certificate verified against the name (outbound-guard.ts); a private
 * one throws BlockedAddressError before any connection.
 */
async function clientFor(s: ImapSettings, allowPrivate: boolean, opts: { maxBytes?: number } = {}): Promise<ImapFlow> {
  const target = allowPrivate ? { address: s.host, servername: undefined } : await publicAddress(s.host);
  const options: ImapFlowOptions = {
    host: target.address,
    servername: target.servername,
    port: s.port,
    secure: s.secure,
    auth: { user: s.user, pass: s.password ?? '' },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 120_000,
    // A server that announces a literal bigger than any mail we accept is broken or hostile.
    ...(opts.maxBytes ? { maxLiteralSize: opts.maxBytes + 1024 * 1024, maxResponseSize: 2 * opts.maxBytes + 2 * 1024 * 1024 } : {}),
  };
  const client = new ImapFlow(options);
  // Errors also reject the pending command; without a listener an 'error' event would crash the process.
  client.on('error', () => {});
  return client;
}

/**
 * A person's reading of what went wrong talking to a mail server: what the inbox settings
 * show next to "last poll" and what the connection check answers.
 */
export function describeImapError(err: unknown, s: Pick<ImapSettings, 'host' | 'port' | 'folder'>, folder = s.folder): string {
  const e = err as { code?: string; authenticationFailed?: boolean; tlsFailed?: boolean; mailboxMissing?: boolean; serverResponseCode?: string; responseText?: string; message?: string };
  const where = `${s.host}:${s.port}`;
  // The same answer whatever the port: a refused address is never connected to.
  if (err instanceof BlockedAddressError) return `Heard does not connect to this server: ${err.message}.`;
  if (e.authenticationFailed) return `The server refused the user name or password${e.responseText ? ` (${e.responseText})` : ''}.`;
  if (e.mailboxMissing || e.serverResponseCode === 'NONEXISTENT' || /mailbox.*(doesn't|does not|not) exist|unknown mailbox|no such (mailbox|folder)/i.test(e.responseText ?? '')) return `The folder "${folder}" was not found on the server.`;
  switch (e.code) {
    case 'ECONNREFUSED':
      return `Cannot connect to ${where}: the connection was refused (is the port right, and the server running?).`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot connect: the host name ${s.host} was not found.`;
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `Cannot connect to ${where}: the host cannot be reached.`;
    case 'CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return `Cannot connect to ${where}: no answer in time.`;
    case 'GREETING_TIMEOUT':
      return `Connected to ${where}, but the server did not greet as an IMAP server (wrong port, or TLS setting?).`;
    case 'ETIMEOUT':
      return `The connection to ${where} went silent and timed out.`;
    case 'ECONNRESET':
    case 'EConnectionClosed':
    case 'NoConnection':
      return `The connection to ${where} was closed unexpectedly.`;
  }
  if (e.code === 'ERR_SSL_WRONG_VERSION_NUMBER' || /wrong version number/i.test(e.message ?? '')) return `${where} does not speak TLS: turn TLS off for this port (usually 143), or use the TLS port (usually 993).`;
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME/.test(e.code ?? '')) return `The certificate of ${where} is not trusted (${e.code}).`;
  if (e.tlsFailed || /ssl|tls/i.test(`${e.code ?? ''} ${e.message ?? ''}`)) return `Secure connection (TLS) to ${where} failed (${e.code ?? 'TLS error'}). Check the TLS setting and port.`;
  return `${e.responseText ?? e.message ?? String(err)}`.slice(0, 500);
}

export type ConnectionCheck = { ok: true; folders: string[]; messages: number } | { ok: false; error: string };

/** Logs in, lists the folders and counts the messages of the configured folder: the inbox settings' "check connection". */
export async function checkImapConnection(s: ImapSettings, allowPrivate: boolean): Promise<ConnectionCheck> {
  let client: ImapFlow | undefined;
  try {
    client = await clientFor(s, allowPrivate);
    await client.connect();
    const folders = (await client.list()).map((f) => f.path);
    const status = await client.status(s.folder, { messages: true }).catch((err: unknown) => {
      throw Object.assign(err as object, { mailboxMissing: true });
    });
    if (!status) return { ok: false, error: describeImapError({ mailboxMissing: true }, s) };
    return { ok: true, folders, messages: status.messages ?? 0 };
  } catch (err) {
    return { ok: false, error: describeImapError(err, s) };
  } finally {
    await client?.logout().catch(() => client?.close());
  }
}

/** Polls of this process in progress: one mailbox is never polled twice at once. */
const polling = new Set<string>();

/**
 * Fetches the new mail of one email inbox's IMAP folder into Heard (see the top of this
 * file). On any failure the reason goes to imap_states.last_error and the poll stops;
 * the next one resumes from the last committed UID.
 */
export async function pollImapInbox(ctx: Ctx, files: FileStore, inboxId: string, log?: FastifyBaseLogger): Promise<PollResult> {
  const result: PollResult = { fetched: 0, ingested: 0, duplicates: 0, held: 0, tooLarge: 0 };
  const [inbox] = await ctx.db.select().from(inboxes).where(and(eq(inboxes.id, inboxId), eq(inboxes.channel, 'email')));
  const settings = inbox && emailSettings(inbox).imap;
  if (!inbox || inbox.archivedAt || !settings) return { ...result, skipped: 'no IMAP settings' };
  if (polling.has(inboxId)) return { ...result, skipped: 'a poll of this mailbox is running' };
  polling.add(inboxId);
  let lock: Awaited<ReturnType<typeof takeMailboxLock>>;
  try {
    lock = await takeMailboxLock(ctx, inboxId);
  } finally {
    if (!lock) polling.delete(inboxId);
  }
  if (!lock) return { ...result, skipped: 'another node is polling this mailbox' };
  const maxBytes = ctx.config.HEARD_MAIL_MAX_BYTES;
  let client: ImapFlow | undefined;
  let folder = settings.folder;
  try {
    client = await clientFor(settings, ctx.config.HEARD_ALLOW_PRIVATE_WEBHOOKS, { maxBytes });
    await client.connect();
    if (settings.afterFetch === 'move' && settings.moveTo) {
      folder = settings.moveTo;
      const list = await client.list();
      if (!list.some((f) => f.path === settings.moveTo)) await client.mailboxCreate(settings.moveTo);
      folder = settings.folder;
    }
    const box = await client.mailboxOpen(settings.folder);
    const uidValidity = Number(box.uidValidity);
    const [state] = await ctx.db.select().from(imapStates).where(eq(imapStates.inboxId, inboxId));
    let lastUid = state?.uidValidity === uidValidity ? state.lastUid : 0;
    if (!state || state.uidValidity !== uidValidity) {
      // A new UIDVALIDITY means the old UIDs name nothing: read the folder again from the
      // start; receiveEmail() knows the messages already stored.
      if (state) log?.warn({ inboxId, was: state.uidValidity, now: uidValidity }, 'IMAP folder UIDVALIDITY changed: reading it again from the start');
      await saveState(ctx, inboxId, { uidValidity, lastUid: 0 });
    }

    for (;;) {
      const batch = await nextBatch(client, lastUid, maxBytes);
      if (!batch.length) break;
      const wanted = batch.filter((b) => !b.tooLarge).map((b) => b.uid);
      const fetched = wanted.length ? await client.fetchAll(wanted.join(','), { uid: true, source: true }, { uid: true }) : [];
      const sources = new Map(fetched.map((m) => [m.uid, m.source]));
      // UIDs dealt with, in order: stored (or found stored before), too large, or expunged meanwhile.
      const passed: number[] = [];
      let failure: unknown;
      for (const { uid, tooLarge } of batch) {
        const raw = sources.get(uid);
        if (tooLarge) {
          log?.warn({ inboxId, uid, maxBytes }, 'IMAP message larger than HEARD_MAIL_MAX_BYTES left in the mailbox');
          result.tooLarge++;
          // Seen by someone all the same: its headers wait in the quarantine.
          try {
            const head = await client.fetchOne(String(uid), { uid: true, headers: true, size: true }, { uid: true });
            if (head && head.headers) await holdOversized(ctx, files, { inboxId, headers: head.headers, size: head.size ?? maxBytes + 1, source: 'imap' });
          } catch (err) {
            failure = err;
            break;
          }
        } else if (raw) {
          try {
            const r = await receiveEmail(ctx, files, { inboxId, raw, source: 'imap' });
            result.fetched++;
            if (r.outcome === 'held') result.held++;
            else if (r.outcome === 'duplicate') result.duplicates++;
            else result.ingested++;
          } catch (err) {
            failure = err;
            break;
          }
        }
        passed.push(uid);
      }
      // What is committed, and only that, is now acknowledged to the mailbox; then the last UID moves on.
      const stored = passed.filter((uid) => sources.has(uid));
      if (stored.length) {
        const done =
          settings.afterFetch === 'move' && settings.moveTo
            ? await client.messageMove(stored.join(','), settings.moveTo, { uid: true })
            : await client.messageFlagsAdd(stored.join(','), ['\\Seen'], { uid: true });
        // Not acknowledged: keep the last UID where it is, so the next poll takes them again (as duplicates) and retries.
        if (!done) throw new Error(settings.afterFetch === 'move' ? `The server refused to move mail to "${settings.moveTo}".` : 'The server refused to flag mail as read (\\Seen).');
      }
      if (passed.length) {
        lastUid = passed[passed.length - 1];
        await saveState(ctx, inboxId, { uidValidity, lastUid });
      }
      if (failure) throw failure;
    }
    await saveState(ctx, inboxId, { uidValidity, lastUid, lastPolledAt: new Date(), lastError: null });
    if (result.fetched) log?.info({ inboxId, ...result }, 'IMAP poll stored new mail');
  } catch (err) {
    result.error = describeImapError(err, settings, folder);
    log?.warn({ inboxId, err, error: result.error }, 'IMAP poll failed; the next poll resumes from the last stored message');
    await saveState(ctx, inboxId, { lastPolledAt: new Date(), lastError: result.error }).catch((e: unknown) => log?.error({ err: e, inboxId }, 'could not record the IMAP poll failure'));
  } finally {
    await client?.logout().catch(() => client?.close());
    await lock.release();
    polling.delete(inboxId);
  }
  return result;
}

/**
 * The next UIDs above lastUid, in order, as many as fit one batch (by count and bytes);
 * those too large to accept are marked, to be passed over.
 */
async function nextBatch(client: ImapFlow, lastUid: number, maxBytes: number): Promise<{ uid: number; tooLarge: boolean }[]> {
  const answer = await client.search({ uid: `${lastUid + 1}:*` }, { uid: true });
  // imapflow answers a search on a lost connection with nothing rather than an error.
  if (!Array.isArray(answer)) throw Object.assign(new Error('the server did not answer the search'), { code: client.usable ? undefined : 'NoConnection' });
  // "n:*" always includes the highest UID, even when it is below n: filter.
  const found = answer.filter((u) => u > lastUid).sort((a, b) => a - b);
  if (!found.length) return [];
  const candidates = found.slice(0, BATCH_MESSAGES);
  const sizes = new Map((await client.fetchAll(candidates.join(','), { uid: true, size: true }, { uid: true })).map((m) => [m.uid, m.size ?? 0]));
  const batch: { uid: number; tooLarge: boolean }[] = [];
  let bytes = 0;
  for (const uid of candidates) {
    const size = sizes.get(uid) ?? 0;
    if (size > maxBytes) {
      batch.push({ uid, tooLarge: true });
      continue;
    }
    if (bytes > 0 && bytes + size > BATCH_BYTES) break;
    batch.push({ uid, tooLarge: false });
    bytes += size;
  }
  return batch;
}

async function saveState(ctx: Ctx, inboxId: string, patch: Partial<Pick<typeof imapStates.$inferInsert, 'uidValidity' | 'lastUid' | 'lastPolledAt' | 'lastError'>>) {
  await ctx.db
    .insert(imapStates)
    .values({ inboxId, lastUid: 0, ...patch })
    .onConflictDoUpdate({ target: imapStates.inboxId, set: { ...patch, updatedAt: new Date() } });
}

/**
 * Across nodes, one poll per mailbox: a PostgreSQL session advisory lock on a connection of
 * its own, which the server drops by itself when a node dies mid-poll. PGlite is one process,
 * where the in-process set above suffices.
 */
async function takeMailboxLock(ctx: Ctx, inboxId: string): Promise<{ release(): Promise<void> } | undefined> {
  const url = ctx.config.DATABASE_URL;
  if (ctx.database.engine !== 'postgres' || !url) return { release: async () => {} };
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  const key = `imap-poll:${inboxId}`;
  const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [key]);
  if (!rows[0]?.locked) {
    await client.end();
    return undefined;
  }
  return {
    async release() {
      await client.query('select pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
      await client.end().catch(() => undefined);
    },
  };
}

/** The log of each running instance's polls (jobs get no logger of their own). */
const logs = new WeakMap<Ctx, FastifyBaseLogger>();

/** The job that polls one inbox's mailbox; pg-boss hands it to one worker node. */
export const pollImapJob = defineJob({
  name: 'poll-imap',
  schema: z.object({ inboxId: z.uuid() }),
  handler: async () => async (ctx, { inboxId }) => {
    // The same store as the app's (core/files/plugin.ts): jobs run without the web app's decorations.
    await pollImapInbox(ctx, new LocalFileStore(`${ctx.config.dataDir}/files`), inboxId, logs.get(ctx));
  },
});

/**
 * On worker nodes: every `seconds`, a poll-imap job for each email inbox that is not
 * archived and has IMAP settings. Inboxes polled less than half an interval ago (by
 * another node's timer) are left out.
 */
export function startImapPolling(ctx: Ctx, jobs: Jobs, log: FastifyBaseLogger, seconds: number): { stop(): void } {
  logs.set(ctx, log);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    try {
      const due = await ctx.db
        .select({ id: inboxes.id })
        .from(inboxes)
        .leftJoin(imapStates, eq(imapStates.inboxId, inboxes.id))
        .where(
          and(
            eq(inboxes.channel, 'email'),
            isNull(inboxes.archivedAt),
            sql`${inboxes.config}->'imap' is not null and jsonb_typeof(${inboxes.config}->'imap') = 'object'`,
            sql`(${imapStates.lastPolledAt} is null or ${imapStates.lastPolledAt} < now() - make_interval(secs => ${seconds / 2}))`,
          ),
        );
      for (const { id } of due) await jobs.send(pollImapJob, { inboxId: id }, { singletonKey: `poll-imap:${id}` });
    } catch (err) {
      log.error({ err }, 'could not schedule IMAP polls');
    } finally {
      if (!stopped) timer = setTimeout(tick, seconds * 1000);
    }
  };
  timer = setTimeout(tick, Math.min(seconds, 5) * 1000);
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
