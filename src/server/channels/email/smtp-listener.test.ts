import crypto from 'node:crypto';
import dns from 'node:dns';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { eq } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { attachments as attachmentsTable, messages } from '../../db/schema/index.js';
import { listenerCertificate } from './tls.js';
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

  describe('STARTTLS', () => {
    const send = async (transport: Parameters<typeof nodemailer.createTransport>[0] & object, subject: string) => {
      const client = nodemailer.createTransport({ host: '127.0.0.1', port: h.smtp!.port, secure: false, ...transport });
      const id = mid();
      try {
        const info = await client.sendMail({ from: 'gus@customer.example', to: 'support@acme.test', subject, text: 'Card ending 4242', messageId: `<${id}>` });
        expect(info.response).toMatch(/^250/);
      } finally {
        client.close();
      }
      return storedMessage(id);
    };

    it('is offered with a self-signed certificate made on first start and kept, and the message says it came encrypted', async () => {
      const m = await send({ requireTLS: true, tls: { rejectUnauthorized: false } }, 'Encrypted');
      expect(m.email?.tls).toBe(true);
      const timeline = json(await h.app.inject({ url: `/api/v1/conversations/${m.conversationId}/timeline`, headers: owner.headers }));
      expect(timeline.items.find((i: any) => i.type === 'message').message.email.tls).toBe(true);
      // The certificate is kept in the data directory, and the next start reads it rather than making another.
      const kept = fs.readFileSync(path.join(h.ctx.config.dataDir, 'smtp-tls.pem'), 'utf8');
      const again = await listenerCertificate(h.ctx.config);
      expect(kept).toContain(again.cert);
      expect(new crypto.X509Certificate(again.cert).subjectAltName).toBe('DNS:mail.heard.test');
    });

    it('records a plain delivery as not encrypted', async () => {
      const m = await send({ ignoreTLS: true }, 'Plain');
      expect(m.email?.tls).toBe(false);
    });

    it('refuses to start with a certificate but no key', async () => {
      await expect(listenerCertificate(loadConfig({ HEARD_SMTP_TLS_CERT: '/nonexistent/cert.pem' }))).rejects.toThrow(ConfigError);
    });
  });

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

describe('the SMTP listener with a configured certificate', () => {
  let h: TestHeard;
  let dir: string;
  let ca: string;

  beforeAll(async () => {
    // A private CA and a certificate it signed for the listener's name, as a real CA would.
    const authority = await generate([{ name: 'commonName', value: 'Test CA' }], { keyType: 'ec', algorithm: 'sha256', extensions: [{ name: 'basicConstraints', cA: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true }] });
    const leaf = await generate([{ name: 'commonName', value: 'mx.acme.test' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      ca: { key: authority.private, cert: authority.cert },
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'mx.acme.test' }] }],
    });
    ca = authority.cert;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heard-smtp-tls-'));
    fs.writeFileSync(path.join(dir, 'fullchain.pem'), leaf.cert);
    fs.writeFileSync(path.join(dir, 'privkey.pem'), leaf.private);
    h = await startTestHeard({ HEARD_SMTP_TLS_CERT: path.join(dir, 'fullchain.pem'), HEARD_SMTP_TLS_KEY: path.join(dir, 'privkey.pem') }, { smtpPort: 0 });
    const owner = await buildMember(h.ctx);
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: owner.headers, payload: { name: 'Support', channel: 'email', address: 'support@acme.test' } });
    expect(res.statusCode, res.body).toBe(201);
  });
  afterAll(async () => {
    await h?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('offers it with STARTTLS, and a client that verifies certificates delivers', async () => {
    const client = nodemailer.createTransport({ host: '127.0.0.1', port: h.smtp!.port, secure: false, requireTLS: true, tls: { ca, servername: 'mx.acme.test' } });
    const id = mid();
    try {
      const info = await client.sendMail({ from: 'gus@customer.example', to: 'support@acme.test', subject: 'Verified', text: 'Hello', messageId: `<${id}>` });
      expect(info.response).toMatch(/^250/);
    } finally {
      client.close();
    }
    const [m] = await h.ctx.db.select().from(messages).where(eq(messages.externalId, id));
    expect(m.email?.tls).toBe(true);
    // No self-signed certificate was made beside the configured one.
    expect(fs.existsSync(path.join(h.ctx.config.dataDir, 'smtp-tls.pem'))).toBe(false);
  });
});
