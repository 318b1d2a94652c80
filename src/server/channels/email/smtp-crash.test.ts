import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, heardBin, type Node, processStorage, root, startNode, stopNode, waitHealthy } from '../../../../test/helpers/heard-process.js';

const run = promisify(execFile);

/**
 * DESIGN §4: a crash at any point loses nothing and duplicates nothing. A real `heard`
 * process takes a batch of mail over SMTP and is killed (SIGKILL) in the middle; the
 * sending side behaves as mail servers do and sends again whatever did not get its 250.
 * After the restart every message is there exactly once.
 */
describe('a crash in the middle of receiving mail over SMTP', () => {
  let storage: Awaited<ReturnType<typeof processStorage>>;
  let env: NodeJS.ProcessEnv;
  let node: Node | undefined;
  let httpPort: number;
  let smtpPort: number;
  const email = `owner-${crypto.randomBytes(3).toString('hex')}@crash.test`;

  beforeAll(async () => {
    storage = await processStorage('smtp-crash');
    [httpPort, smtpPort] = await freePorts(2);
    env = {
      ...process.env,
      ...storage.env,
      REDIS_URL: '',
      HOST: '127.0.0.1',
      HEARD_SMTP_HOST: '127.0.0.1',
      HEARD_SMTP_PORT: String(smtpPort),
      LOG_LEVEL: 'warn',
    };
    const cli = async (...args: string[]) => (await run(process.execPath, [heardBin, ...args], { cwd: root, env, timeout: 60_000 })).stdout;
    await cli('admin', 'create', '--email', email, '--password', 'correct horse battery', '--workspace', 'Crash Co');
    const token = (await cli('token', 'create', '--email', email)).trim().split('\n').pop()!;
    node = startNode('heard', httpPort, env);
    await waitHealthy(node);
    const res = await fetch(`${node.url}/api/v1/inboxes`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Support', channel: 'email', address: 'support@crash.test' }),
    });
    expect(res.status).toBe(201);
  }, 120_000);

  afterAll(async () => {
    if (node) await stopNode(node);
    await storage?.remove();
  });

  it('keeps every message exactly once across a SIGKILL and a restart', async () => {
    const total = 120;
    const pending = new Set(Array.from({ length: total }, (_, i) => i));
    let accepted = 0;
    let killed = false;
    const send = async (i: number) => {
      const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, connectionTimeout: 3000, socketTimeout: 10_000 });
      try {
        await smtp.sendMail({
          from: `customer${i}@customer.test`,
          to: 'support@crash.test',
          subject: `Order ${i}`,
          text: `Message number ${i}.`,
          messageId: `<crash-${i}@customer.test>`,
        });
        pending.delete(i);
        accepted++;
      } catch {
        // No 250: a mail server keeps the message and tries again later.
      } finally {
        smtp.close();
      }
    };

    // Four connections at a time, as a sending server would; the node is killed once a third is in.
    const worker = async (queue: number[]) => {
      for (const i of queue) {
        await send(i);
        if (!killed && accepted >= total / 3) {
          killed = true;
          node!.child.kill('SIGKILL');
        }
      }
    };
    const all = [...pending];
    await Promise.all([0, 1, 2, 3].map((w) => worker(all.filter((_, k) => k % 4 === w))));
    expect(killed).toBe(true);
    expect(pending.size).toBeGreaterThan(0);
    await node!.exited;

    node = startNode('heard (restarted)', httpPort, env);
    await waitHealthy(node);
    for (let round = 0; pending.size && round < 5; round++) {
      for (const i of [...pending]) await send(i);
    }
    expect(pending.size).toBe(0);
    await stopNode(node);
    node = undefined;

    const counts = await storage.rows<{ external_id: string; n: number }>(
      sql`select external_id, count(*)::int as n from messages where external_id like 'crash-%' group by external_id`,
    );
    expect(counts).toHaveLength(total);
    expect(counts.every((r) => r.n === 1)).toBe(true);
  }, 240_000);
});
