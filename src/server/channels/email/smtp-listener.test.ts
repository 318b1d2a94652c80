import crypto from 'node:crypto';
import dns from 'node:dns';
import net from 'node:net';
import { buffer } from 'node:stream/consumers';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { attachments as attachmentsTable, messages } from '../../db/schema/index.js';
import { buildMember, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

let n = 0;
const mid = () => `${Date.now().toString(36)}.${n++}@customer.example`;

/** Talks SMTP over a plain socket: each command's full reply, the greeting first. */
async function converse(port: number, commands: string[]): Promise<string[]> {
  const socket = net.connect(port, '127.0.0.1');
  let buffered = '';
  const replies: string[] = [];
  const next = () =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        // A reply ends with a line whose code is followed by a space.
        const end = /(^|\r\n)\d{3} [^\r\n]*\r\n/.exec(buffered);
        if (!end) return;
        const reply = buffered.slice(0, end.index + end[0].length);
        buffered = buffered.slice(reply.length);
        socket.off('data', onData);
        socket.off('error', reject);
        resolve(reply);
      };
      const onData = (c: Buffer) => {
        buffered += c.toString('latin1');
        check();
      };
      socket.on('data', onData);
      socket.on('error', reject);
      check();
    });
  replies.push(await next());
  for (const c of commands) {
    socket.write(`${c}\r\n`);
    replies.push(await next());
  }
  socket.destroy();
  return replies;
}

describe('the SMTP listener', () => {
  let h: TestHeard;
  let owner: Client;
  let inboxId: string;

  beforeAll(async () => {
    h = await startTestHeard({ HEARD_MAIL_DOMAIN: 'mail.heard.test' }, { smtpPort: 0 });
    owner = await buildMember(h.ctx);
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: owner.headers, payload: { name: 'Support', channel: 'email', address: 'support@acme.test' } });
    expect(res.statusCode, res.body).toBe(201);
    inboxId = json(res).id;
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await h?.stop();
  });

  const storedMessage = async (messageId: string) => (await h.ctx.db.select().from(messages).where(eq(messages.externalId, messageId)))[0];

  /** Delivers raw bytes as a sending mail server would, and gives back its last reply. */
  const deliver = async (raw: Buffer) => {
    const client = nodemailer.createTransport({ host: '127.0.0.1', port: h.smtp!.port, secure: false, ignoreTLS: true });
    try {
      return await client.sendMail({ envelope: { from: 'gus@customer.example', to: ['support@acme.test'] }, raw });
    } finally {
      client.close();
    }
  };

  describe('mail whose bytes cannot be stored as they are', () => {
    /** A message with the given header lines and body, as bytes (NUL and stray 8-bit bytes included). */
    const eml = (id: string, headers: Buffer[], body: Buffer, contentType = 'text/plain; charset=utf-8') =>
      Buffer.concat([
        Buffer.from(`From: Gus Gum <gus@customer.example>\r\nTo: support@acme.test\r\nMessage-ID: <${id}>\r\nDate: ${new Date().toUTCString()}\r\nMIME-Version: 1.0\r\nContent-Type: ${contentType}\r\n`),
        ...headers.flatMap((h) => [h, Buffer.from('\r\n')]),
        Buffer.from('\r\n'),
        body,
        Buffer.from('\r\n'),
      ]);
    const subject = (bytes: Buffer) => Buffer.concat([Buffer.from('Subject: '), bytes]);

    it('stores over SMTP a message with a NUL byte in its header, the NUL replaced and the raw bytes kept', async () => {
      const id = mid();
      const raw = eml(id, [subject(Buffer.from('Order\0 1234'))], Buffer.from('Where is it?'));
      const info = await deliver(raw);
      expect(info.response).toMatch(/^250/);
      const m = await storedMessage(id);
      expect(m.email?.subject).toBe('Order\uFFFD 1234');
      expect(m.text).toBe('Where is it?');
      const kept = await buffer(await h.app.files.get(m.email!.rawSha256!));
      expect(kept.includes(Buffer.from('Order\0 1234'))).toBe(true);
    });

    it('stores through POST /inboxes/:id/mime a message with NUL bytes and invalid UTF-8 in headers and body', async () => {
      const id = mid();
      const raw = eml(
        id,
        [subject(Buffer.from([0x43, 0x61, 0x66, 0xff, 0xfe, 0x00, 0x21])), Buffer.from('X-Note: a\0b'), Buffer.from('Cc: "We\0ndy" <wendy@customer.example>')],
        Buffer.from([0x48, 0x69, 0x00, 0x20, 0xc3, 0x28, 0x21]),
      );
      const res = await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inboxId}/mime`, headers: { ...owner.headers, 'content-type': 'message/rfc822' }, payload: raw });
      expect(res.statusCode, res.body).toBe(201);
      expect(json(res).outcome).toBe('ingested');
      const m = await storedMessage(id);
      expect(m.email?.subject).not.toContain('\0');
      expect(m.email?.subject).toMatch(/^Caf.*!$/);
      expect(m.text).not.toContain('\0');
      expect(m.text).toMatch(/^Hi.*!$/);
      expect(m.email?.cc?.map((a) => a.address)).toEqual(['wendy@customer.example']);
      expect(JSON.stringify(m)).not.toContain('\\u0000');
      expect(m.email?.rawSha256).toBe(crypto.createHash('sha256').update(raw).digest('hex'));
    });

    it('stores an HTML body and an attachment file name with NUL bytes', async () => {
      const id = mid();
      const boundary = 'b-1';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>See\0 the file</p>\r\n`),
        Buffer.from(`--${boundary}\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="inv\0oice.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from('%PDF-1.4').toString('base64')}\r\n`),
        Buffer.from(`--${boundary}--`),
      ]);
      const raw = eml(id, [subject(Buffer.from('Invoice'))], body, `multipart/mixed; boundary="${boundary}"`);
      const info = await deliver(raw);
      expect(info.response).toMatch(/^250/);
      const m = await storedMessage(id);
      expect(m.html).not.toContain('\0');
      expect(m.html).toContain('the file');
      const [file] = await h.ctx.db.select().from(attachmentsTable).where(eq(attachmentsTable.messageId, m.id));
      expect(file.filename).toBe('inv\uFFFDoice.pdf');
    });
  });

  it('does not look up the reverse DNS name of a connecting client', async () => {
    // A resolver that would name the client: had the listener asked, the name would show.
    const reverse = vi.spyOn(dns, 'reverse').mockImplementation(((_ip: string, cb: (err: null, names: string[]) => void) => cb(null, ['ptr.customer.example'])) as never);
    const [greeting, ehlo] = await converse(h.smtp!.port, ['EHLO client.customer.example', 'QUIT']);
    reverse.mockRestore();
    expect(greeting).toMatch(/^220 /);
    expect(ehlo).toContain('[127.0.0.1]');
    expect(ehlo).not.toContain('ptr.customer.example');
    expect(reverse).not.toHaveBeenCalled();
  });
});
