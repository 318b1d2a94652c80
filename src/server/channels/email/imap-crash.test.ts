import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Dovecot, startDovecot } from '../../../../test/helpers/dovecot.js';
import { freePorts, heardBin, type Node, processStorage, root, startNode, stopNode, waitHealthy } from '../../../../test/helpers/heard-process.js';

const run = promisify(execFile);
const TOTAL = 200;

/**
 * DESIGN §4: a crash at any point loses nothing and duplicates nothing. A real `heard`
 * process polls a Dovecot mailbox holding 200 messages (half of them already read in
 * another client) and is killed (SIGKILL) in the middle of a batch; restarted, it carries
 * on from the last UID it stored. In the end every message is in Heard exactly once and
 * every message in the mailbox is flagged \Seen.
 */
describe('a crash in the middle of polling an IMAP mailbox', () => {
  let storage: Awaited<ReturnType<typeof processStorage>>;
  let env: NodeJS.ProcessEnv;
  let node: Node | undefined;
  let httpPort: number;
  let dovecot: Dovecot;
  let token: string;

  beforeAll(async () => {
    dovecot = await startDovecot();
    const mails = Array.from({ length: TOTAL }, (_, i) =>
      [`From: customer${i}@customer.test`, 'To: support@imap-crash.test', `Subject: Order ${i}`, `Date: ${new Date().toUTCString()}`, `Message-ID: <imapcrash-${i}@customer.test>`, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', '', `Message number ${i}.`, ''].join('\r\n'),
    );
    await dovecot.appendMany(mails.filter((_, i) => i % 2 === 0), { seen: true });
    await dovecot.appendMany(mails.filter((_, i) => i % 2 === 1));

    storage = await processStorage('imap-crash');
    [httpPort] = await freePorts(1);
    env = {
      ...process.env,
      ...storage.env,
      REDIS_URL: '',
      HOST: '127.0.0.1',
      HEARD_SMTP_PORT: '0',
      HEARD_IMAP_POLL_SECONDS: '1',
      // The test's Dovecot listens on loopback, which the outbound guard refuses by default.
      HEARD_ALLOW_PRIVATE_WEBHOOKS: '1',
      LOG_LEVEL: 'warn',
    };
    const email = 'owner@imap-crash.test';
    const cli = async (...args: string[]) => (await run(process.execPath, [heardBin, ...args], { cwd: root, env, timeout: 60_000 })).stdout;
    await cli('admin', 'create', '--email', email, '--password', 'correct horse battery', '--workspace', 'Crash Co');
    token = (await cli('token', 'create', '--email', email)).trim().split('\n').pop()!;
  }, 120_000);

  afterAll(async () => {
    if (node) await stopNode(node);
    await dovecot?.stop();
    await storage?.remove();
  });

  const countStored = async () => (await storage.rows<{ n: number }>(sql`select count(*)::int as n from messages where external_id like 'imapcrash-%'`))[0].n;


  it('stores each of 200 messages exactly once across a SIGKILL mid-batch and a restart', async () => {
    node = startNode('heard', httpPort, env);
    await waitHealthy(node);
    const res = await fetch(`${node.url}/api/v1/inboxes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Support',
        channel: 'email',
        address: 'support@imap-crash.test',
        imap: { host: dovecot.host, port: dovecot.port, secure: false, user: dovecot.user, password: dovecot.password, folder: 'INBOX', afterFetch: 'seen' },
      }),
    });
    expect(res.status, await res.text()).toBe(201);

    // Kill it a few times while it works through the unread half, at a random moment after a
    // batch was flagged: mostly in the middle of the next batch (stored, not yet flagged).
    let midBatch = 0;
    for (let round = 0, target = TOTAL / 2 + 10; round < 3; round++, target += 25) {
      for (const end = Date.now() + 60_000; Date.now() < end && (await dovecot.countSeen()).seen < target; ) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 400));
      node.child.kill('SIGKILL');
      await node.exited;
      const { seen } = await dovecot.countSeen();
      const stored = await countStored();
      // Mail is stored in UID order and the first half was read before: stored beyond what is \Seen is mid-batch.
      if (stored > seen) midBatch++;
      console.log(`IMAP crash ${round + 1}: killed with ${stored} of ${TOTAL} stored, ${seen} flagged \\Seen (${TOTAL / 2} read before)`);
      expect(seen, `killed before it was done:\n${node.output}`).toBeLessThan(TOTAL);
      node = startNode('heard (restarted)', httpPort, env);
      await waitHealthy(node);
    }
    expect(midBatch, 'at least one kill fell between storing and flagging').toBeGreaterThan(0);

    await expect.poll(async () => (await dovecot.countSeen()).seen, { timeout: 90_000, interval: 250 }).toBe(TOTAL);
    await stopNode(node);
    node = undefined;

    const counts = await storage.rows<{ external_id: string; n: number }>(
      sql`select external_id, count(*)::int as n from messages where external_id like 'imapcrash-%' group by external_id`,
    );
    expect(counts).toHaveLength(TOTAL);
    expect(counts.filter((r) => r.n !== 1)).toEqual([]);
    const rows = await storage.rows<{ last_uid: number; last_error: string | null }>(sql`select last_uid, last_error from imap_states`);
    expect(rows).toHaveLength(1);
    expect(Number(rows[0].last_uid)).toBe(Math.max(...(await dovecot.listUids())));
    expect(rows[0].last_error).toBeNull();
  }, 240_000);
});
