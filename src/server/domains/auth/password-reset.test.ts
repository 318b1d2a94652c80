import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { passwordResets, users } from '../../db/schema/index.js';
import { buildMember, signIn, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { startSmtpSink } from '../../../../test/helpers/smtp-sink.js';

const NEW_PASSWORD = 'a brand new secret';

describe('forgot password', () => {
  let h: TestHeard;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let owner: Client;

  beforeAll(async () => {
    sink = await startSmtpSink();
    h = await startTestHeard({ SMTP_URL: sink.url, HEARD_PUBLIC_URL: 'https://heard.example.test' });
    owner = await buildMember(h.ctx, { workspace: 'Reset Co', name: 'Rita Reset' });
  });
  afterAll(async () => {
    await h?.stop();
    await sink?.close();
  });

  const ask = (email: string) => h.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: { email } });
  const confirm = (token: string, password = NEW_PASSWORD) => h.app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/confirm', payload: { token, password } });
  /** The link in the newest mail to an address, once it has arrived. */
  const linkFor = async (email: string, after = 0) => {
    for (let i = 0; i < 100; i++) {
      const mails = sink.received.filter((m) => m.to.includes(email.toLowerCase()));
      if (mails.length > after) {
        const url = new URL(/https:\/\/\S+/.exec(mails.at(-1)!.mail.text!)![0]);
        return url;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no reset mail reached ${email}`);
  };

  it('answers a known and an unknown address with the same 202, and mails only the known one', async () => {
    const known = await ask(owner.email);
    const unknown = await ask('nobody-here@example.test');
    for (const res of [known, unknown]) expect(res.statusCode).toBe(202);
    expect(json(known)).toEqual(json(unknown));
    const url = await linkFor(owner.email);
    expect(url.pathname).toBe('/app/reset-password');
    expect(sink.received.some((m) => m.to.includes('nobody-here@example.test'))).toBe(false);
    // Only the token's hash is stored.
    const [row] = await h.ctx.db.select().from(passwordResets);
    expect(row.tokenHash).not.toContain(url.searchParams.get('token'));
  });

  it('sets the new password with the mailed link once, and signs the account out everywhere', async () => {
    const rita = await buildMember(h.ctx, { workspace: 'Reset Co', name: 'Rosa Twice' });
    const session = await signIn(h.app, rita.email);
    expect((await ask(rita.email)).statusCode).toBe(202);
    const token = (await linkFor(rita.email)).searchParams.get('token')!;

    const short = await confirm(token, 'short');
    expect(short.statusCode).toBe(422);
    expect(json(short).errors).toContainEqual({ field: 'password', reason: 'must be at least 8 characters' });

    expect((await confirm(token)).statusCode).toBe(204);
    expect((await h.app.inject({ url: '/api/v1/me', headers: session.headers })).statusCode).toBe(401);
    await expect(signIn(h.app, rita.email)).rejects.toThrow(/401/);
    await signIn(h.app, rita.email, NEW_PASSWORD);

    const again = await confirm(token, 'yet another secret');
    expect(again.statusCode).toBe(422);
    expect(json(again).errors).toEqual([{ field: 'token', reason: expect.stringMatching(/used already/) }]);
  });

  it('refuses an expired link, and a link replaced by a newer one', async () => {
    const eve = await buildMember(h.ctx, { workspace: 'Reset Co', name: 'Eve Late' });
    await ask(eve.email);
    const first = (await linkFor(eve.email)).searchParams.get('token')!;
    await ask(eve.email);
    const second = (await linkFor(eve.email, 1)).searchParams.get('token')!;
    expect(second).not.toBe(first);
    expect(json(await confirm(first)).errors).toEqual([{ field: 'token', reason: expect.stringMatching(/not a valid reset link/) }]);

    const [u] = await h.ctx.db.select().from(users).where(eq(users.email, eve.email));
    await h.ctx.db.update(passwordResets).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(passwordResets.userId, u.id));
    const late = await confirm(second);
    expect(late.statusCode).toBe(422);
    expect(json(late).errors).toEqual([{ field: 'token', reason: expect.stringMatching(/expired/) }]);
    await signIn(h.app, eve.email); // the old password still works
  });

  it('limits requests per address (per client: auth.test.ts)', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await ask('Flood.Me@example.test')).statusCode);
    expect(statuses).toEqual([202, 202, 202, 429]);
    // Another address is still free from the same client.
    expect((await ask('someone-else@example.test')).statusCode).toBe(202);
  });
});
