/**
 * `npm run bench:mail-sql`: how many SQL statements one e-mail costs, by kind of mail, on
 * PostgreSQL (DATABASE_URL). A real Heard with its SMTP listener on a fresh database takes
 * the mix of mail-workload.ts one message at a time; every statement any connection sends
 * is counted (BEGIN and COMMIT included) and put down to the intake (from RCPT TO to the
 * 250) or to the work after the commit (the event dispatcher, its processors and the jobs),
 * which runs beside the intake and shares the database with it. The job queue's polling
 * for due jobs, which runs on a clock whatever the mail, is left out.
 * Settings: BENCH_MAIL_N (default 100), BENCH_SEED.
 */
import nodemailer from 'nodemailer';
import pg from 'pg';
import { buildHeard } from '../src/server/app.js';
import type { Actor } from '../src/server/core/actor.js';
import { inTransaction } from '../src/server/core/context.js';
import { createInbox } from '../src/server/domains/inboxes/service.js';
import { ensureMember } from '../src/server/domains/workspaces/service.js';
import { type BenchMail, MAIL_TO, MailMix } from './mail-workload.js';
import { SmtpSender, stuff } from './smtp-sender.js';
import { createScratch, scratchConfig } from './storage.js';

const N = Number(process.env.BENCH_MAIL_N ?? 100);
const SEED = Number(process.env.BENCH_SEED ?? 20261123);

if (!process.env.DATABASE_URL) {
  console.error('bench:mail-sql counts statements on PostgreSQL: set DATABASE_URL');
  process.exit(2);
}

// Every statement of every pooled connection (Heard's and the job queue's) passes here.
let counting: 'intake' | 'background' | undefined;
const statements: { intake: boolean; text: string }[] = [];
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  if (counting) {
    const first = args[0] as string | { text: string };
    const text = typeof first === 'string' ? first : first.text;
    // The job queue's polling runs on its own clock, whatever the mail.
    if (/\bpgboss\.job\b/.test(text) && /state < 'active'/.test(text)) return (query as (...a: unknown[]) => unknown).apply(this, args);
    statements.push({ intake: counting === 'intake', text });
  }
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pg.Client.prototype.query;

const scratch = await createScratch('postgres');
const heard = await buildHeard({ config: scratchConfig(scratch, { HEARD_SMTP_HOST: '127.0.0.1', HEARD_SMTP_PORT: '0' }), smtpPort: 0 });
try {
  await heard.start();
  const { member, workspace } = await inTransaction(heard.ctx, (tx) =>
    ensureMember(tx, { workspaceName: 'Bench Mail', email: 'owner@bench.example', password: 'correct horse battery', role: 'owner' }),
  );
  const actor: Actor = { workspaceId: workspace.id, memberId: member.id, userId: member.userId, role: member.role, via: 'session', scopes: ['read', 'write', 'admin'] };
  await inTransaction(heard.ctx, (tx) => createInbox(tx, actor, { name: 'Mail', channel: 'email', address: MAIL_TO }));
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: heard.smtp!.port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
  const mix = new MailMix(SEED, 's');
  const perKind = new Map<BenchMail['kind'], { mails: number; intake: number }>();
  let background = 0;
  // BENCH_MAIL_SQL_LOG=<kind> prints the statements of the first message of that kind.
  const logged = new Set<string>();
  await heard.dispatcher.flush();
  for (let i = 0; i < N; i++) {
    const m = await mix.next();
    statements.length = 0;
    // The dispatcher waits while the message comes in, so that its statements are told apart.
    await heard.dispatcher.stop();
    counting = 'intake';
    await transport.sendMail({ envelope: { from: m.from, to: [MAIL_TO] }, raw: m.raw });
    counting = 'background';
    heard.dispatcher.start();
    await heard.dispatcher.flush();
    counting = undefined;
    const k = perKind.get(m.kind) ?? { mails: 0, intake: 0 };
    k.mails++;
    k.intake += statements.filter((s) => s.intake).length;
    perKind.set(m.kind, k);
    background += statements.filter((s) => !s.intake).length;
    if (process.env.BENCH_MAIL_SQL_LOG === m.kind && !logged.has(m.kind) && logged.add(m.kind)) for (const s of statements) console.log(s.intake ? 'intake    ' : 'background', s.text.replace(/\s+/g, ' ').slice(0, 160));
  }
  transport.close();

  // The same mix 8 at a time with the dispatcher running, as mail arrives on a busy day: the
  // commits of one moment share a claim, and the processors take the batch at once.
  const concurrent = Number(process.env.BENCH_MAIL_SQL_CONCURRENCY ?? 8);
  const senders = await Promise.all(Array.from({ length: concurrent }, () => SmtpSender.connect(heard.smtp!.port)));
  const loadMix = new MailMix(SEED, 'l');
  const loadMails: BenchMail[] = [];
  for (let i = 0; i < N; i++) loadMails.push(await loadMix.next());
  statements.length = 0;
  counting = 'background';
  let next = 0;
  await Promise.all(
    senders.map(async (sender) => {
      while (next < loadMails.length) {
        const m = loadMails[next++];
        await sender.send(m.from, MAIL_TO, stuff(m.raw));
      }
    }),
  );
  await heard.dispatcher.flush();
  counting = undefined;
  for (const sender of senders) sender.close();
  const underLoad = statements.length / N;

  const total = [...perKind.values()].reduce((a, k) => ({ mails: a.mails + k.mails, intake: a.intake + k.intake }), { mails: 0, intake: 0 });
  console.log(`\nSQL statements per e-mail through the SMTP listener (PostgreSQL, ${N} messages one at a time)\n`);
  console.log('kind        | mails | intake statements per mail');
  console.log('------------|-------|---------------------------');
  for (const [kind, k] of [...perKind.entries()].sort()) console.log(`${kind.padEnd(11)} | ${String(k.mails).padStart(5)} | ${(k.intake / k.mails).toFixed(1)}`);
  console.log(`${'all'.padEnd(11)} | ${String(total.mails).padStart(5)} | ${(total.intake / total.mails).toFixed(1)}`);
  console.log(`\nafter the commit (dispatcher, processors, jobs): ${(background / total.mails).toFixed(1)} statements per mail`);
  console.log(`\n${concurrent} at a time, the dispatcher running: ${underLoad.toFixed(1)} statements per mail in all (intake and after the commit)`);
} finally {
  await heard.close();
  await scratch.remove();
}
