import net, { type AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inboxes, messages } from '../../db/schema/index.js';
import { isPrivateAddress, literalAddress } from '../../core/net/outbound-guard.js';
import { buildMember, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { waitFor } from '../../../../test/helpers/receiver.js';

/**
 * An inbox's own SMTP and IMAP servers are customers' settings, guarded as callback URLs
 * are: saving a private address is refused, and at connect time a name that resolves to
 * one is refused before any connection, so "check connection" cannot map the network.
 */
describe("an email inbox's mail servers on private addresses", () => {
  let h: TestHeard;
  let owner: Client;
  let inboxId: string;
  // A server on loopback standing in for one inside the network: it counts who knocks.
  let listener: net.Server;
  let openPort: number;
  let closedPort: number;
  let knocks = 0;

  beforeAll(async () => {
    h = await startTestHeard({ HEARD_ALLOW_PRIVATE_WEBHOOKS: '0' });
    owner = await buildMember(h.ctx, { role: 'owner' });
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/inboxes', headers: owner.headers, payload: { name: 'Support', channel: 'email', address: 'support@guard.test' } });
    expect(res.statusCode, res.body).toBe(201);
    inboxId = json(res).id;
    listener = net.createServer((socket) => {
      knocks++;
      socket.end('220 internal.example ESMTP\r\n');
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    openPort = (listener.address() as AddressInfo).port;
    const spare = net.createServer();
    await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve));
    closedPort = (spare.address() as AddressInfo).port;
    await new Promise<void>((resolve) => spare.close(() => resolve()));
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => listener?.close(() => resolve()));
    await h?.stop();
  });

  it.each([
    ['2130706433', '127.0.0.1'], ['0x7f000001', '127.0.0.1'], ['127.1', '127.0.0.1'], ['0177.0.0.1', '127.0.0.1'],
    ['::ffff:127.0.0.1', '::ffff:127.0.0.1'], ['[::ffff:7f00:1]', '::ffff:7f00:1'], ['::7f00:1', '::7f00:1'], ['[::1]', '::1'], ['169.254.169.254', '169.254.169.254'], ['mail.example.com', undefined],
  ])('reads %s as the address %s', (host, address) => {
    expect(literalAddress(host)).toBe(address);
    if (address) expect(isPrivateAddress(address)).toBe(true);
  });

  it('refuses to save an SMTP or IMAP host that is a private address in any form, naming the field', async () => {
    for (const host of ['127.0.0.1', '2130706433', '0x7f000001', '127.1', '::ffff:127.0.0.1', '::ffff:7f00:1', '[::1]', '10.0.0.8', '169.254.169.254', 'localhost']) {
      const created = await h.app.inject({
        method: 'POST',
        url: '/api/v1/inboxes',
        headers: owner.headers,
        payload: { name: 'Other', channel: 'email', address: `other-${knocks}@guard.test`, smtp: { host, port: 587 } },
      });
      expect(created.statusCode, host).toBe(422);
      expect(json(created).errors.map((e: any) => e.field), host).toEqual(['smtp.host']);
      const patched = await h.app.inject({
        method: 'PATCH',
        url: `/api/v1/inboxes/${inboxId}`,
        headers: owner.headers,
        payload: { email: { imap: { host, port: 993, user: 'support' } } },
      });
      expect(patched.statusCode, host).toBe(422);
      expect(json(patched).errors.map((e: any) => e.field), host).toEqual(['email.imap.host']);
    }
    const fine = await h.app.inject({ method: 'PATCH', url: `/api/v1/inboxes/${inboxId}`, headers: owner.headers, payload: { email: { smtp: { host: 'smtp.example.com', port: 587 } } } });
    expect(fine.statusCode, fine.body).toBe(200);
  });

  it('refuses at connect time a name that resolves to a private address, before connecting, whatever the port', async () => {
    // As after a DNS change since the settings were saved: the name now points inside.
    const point = async (port: number) => {
      const [inbox] = await h.ctx.db.select().from(inboxes).where(eq(inboxes.id, inboxId));
      const config = { ...inbox.config, smtp: { host: 'localhost', port, secure: false }, imap: { host: 'localhost', port, secure: false, user: 'support', password: 'x', folder: 'INBOX', afterFetch: 'seen' } };
      await h.ctx.db.update(inboxes).set({ config }).where(eq(inboxes.id, inboxId));
    };
    const check = async () => {
      const res = await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inboxId}/email/check`, headers: owner.headers });
      expect(res.statusCode, res.body).toBe(200);
      return json(res);
    };
    await point(openPort);
    const open = await check();
    await point(closedPort);
    const closed = await check();
    expect(open.smtp).toEqual({ ok: false, error: expect.stringMatching(/^Heard does not connect to this server: localhost resolves to a private address/) });
    expect(open.imap).toEqual({ ok: false, error: expect.stringMatching(/^Heard does not connect to this server: localhost resolves to a private address/) });
    expect(closed).toEqual(open);

    const sent = await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inboxId}/email/test`, headers: owner.headers, payload: { to: 'ann@customer.example' } });
    expect(json(sent)).toEqual({ ok: false, error: expect.stringMatching(/^Heard does not connect to this server/) });

    // A reply to a customer fails for good, with the reason where the agent sees it.
    const mail = 'From: gus@customer.example\r\nTo: support@guard.test\r\nSubject: Hello\r\nMessage-ID: <guard.1@customer.example>\r\n\r\nHi\r\n';
    const received = json(await h.app.inject({ method: 'POST', url: `/api/v1/inboxes/${inboxId}/mime`, headers: { ...owner.headers, 'content-type': 'message/rfc822' }, payload: mail }));
    const reply = await h.app.inject({ method: 'POST', url: `/api/v1/conversations/${received.conversationId}/messages`, headers: owner.headers, payload: { text: 'Hello Gus' } });
    expect(reply.statusCode, reply.body).toBe(201);
    const failed = await waitFor(async () => {
      const [m] = await h.ctx.db.select().from(messages).where(eq(messages.id, json(reply).id));
      return m.deliveryStatus === 'failed' && m;
    });
    expect(failed.deliveryError).toMatch(/outgoing mail server is refused: localhost resolves to a private address/);
    expect(knocks).toBe(0);
  });
});
