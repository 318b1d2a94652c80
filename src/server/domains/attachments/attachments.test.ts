import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachments, messages } from '../../db/schema/index.js';
import { buildApiInbox, buildMember, sendInbound, signIn, type Client } from '../../../../test/factories.js';
import { countRows } from '../../../../test/helpers/database.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { eq } from 'drizzle-orm';
import { attachmentDisposition, cleanFilename, forgetPendingAttachments } from './service.js';

/** A multipart/form-data body with these files, as a browser's FormData sends it. */
function multipart(files: { filename: string; contentType: string; bytes: Buffer }[]) {
  const boundary = `----heard${Math.random().toString(16).slice(2)}`;
  const parts = files.map((f) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${f.filename}"\r\nContent-Type: ${f.contentType}\r\n\r\n`),
      f.bytes,
      Buffer.from('\r\n'),
    ]),
  );
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

describe('attachments', () => {
  let h: TestHeard;
  let dataDir: string;
  let agent: Client;
  let light: Client;
  let inbox: { id: string };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'heard-attach-'));
    h = await startTestHeard({ HEARD_DATA_DIR: dataDir });
    const owner = await buildMember(h.ctx, { workspace: 'Attach Co' });
    agent = await buildMember(h.ctx, { workspace: 'Attach Co', role: 'agent' });
    light = await buildMember(h.ctx, { workspace: 'Attach Co', role: 'light' });
    inbox = await buildApiInbox(h.app, owner);
  });
  afterAll(async () => {
    await h.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const upload = (headers: Record<string, string>, files: Parameters<typeof multipart>[0]) => {
    const body = multipart(files);
    return h.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...headers, 'content-type': body.contentType }, payload: body.payload });
  };
  const reply = (by: Pick<Client, 'headers'>, conversationId: string, payload: Record<string, unknown>) =>
    h.app.inject({ method: 'POST', url: `/api/v1/conversations/${conversationId}/messages`, headers: by.headers, payload });

  it('uploads files as pending attachments and sends them with a reply; the timeline lists them and they download', async () => {
    const session = await signIn(h.app, agent.email);
    const res = await upload(session.headers, [
      { filename: 'invoice.pdf', contentType: 'application/pdf', bytes: Buffer.from('%PDF-1.4 fake') },
      { filename: 'notes día 1.txt', contentType: 'text/plain', bytes: Buffer.from('hola') },
    ]);
    expect(res.statusCode).toBe(201);
    const uploaded = json<any[]>(res);
    expect(uploaded).toEqual([
      { id: expect.any(String), filename: 'invoice.pdf', contentType: 'application/pdf', size: 13 },
      { id: expect.any(String), filename: 'notes día 1.txt', contentType: 'text/plain', size: 4 },
    ]);

    const conv = await sendInbound(h.app, agent, inbox.id);
    const sent = await reply(agent, conv.conversationId, { text: 'See attached', attachmentIds: uploaded.map((u) => u.id) });
    expect(sent.statusCode).toBe(201);
    expect(json(sent).attachments.map((a: any) => a.filename)).toEqual(['invoice.pdf', 'notes día 1.txt']);
    const timeline = json(await h.app.inject({ url: `/api/v1/conversations/${conv.conversationId}/timeline`, headers: light.headers }));
    expect(JSON.stringify(timeline)).toContain('invoice.pdf');

    const pdf = await h.app.inject({ url: `/api/v1/attachments/${uploaded[0].id}/download`, headers: light.headers });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="invoice.pdf"; filename*=UTF-8''invoice.pdf`);
    expect(pdf.headers['x-content-type-options']).toBe('nosniff');
    expect(pdf.body).toBe('%PDF-1.4 fake');
    const txt = await h.app.inject({ url: `/api/v1/attachments/${uploaded[1].id}/download`, headers: agent.headers });
    expect(txt.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(txt.headers['content-disposition']).toBe(`attachment; filename="notes d_a 1.txt"; filename*=UTF-8''notes%20d%C3%ADa%201.txt`);

    // Sent once: the same ids cannot go out with another message.
    const again = await reply(agent, conv.conversationId, { text: 'Again', attachmentIds: [uploaded[0].id] });
    expect(again.statusCode).toBe(422);
    expect(json(again).errors).toEqual([{ field: 'attachmentIds', reason: expect.stringMatching(/already sent/) }]);
  });

  it('never serves a file as HTML or SVG: dangerous and unknown types download as application/octet-stream', async () => {
    const files = [
      { filename: 'page.html', contentType: 'text/html', bytes: Buffer.from('<script>alert(1)</script>') },
      { filename: 'logo.svg', contentType: 'image/svg+xml', bytes: Buffer.from('<svg onload="alert(1)"/>') },
      { filename: 'x.js', contentType: 'application/javascript; charset=utf-8', bytes: Buffer.from('alert(1)') },
      { filename: 'photo.png', contentType: 'image/png', bytes: Buffer.from('not really png') },
    ];
    const uploaded = json<any[]>(await upload(agent.headers, files));
    const types = [];
    for (const u of uploaded) {
      const res = await h.app.inject({ url: `/api/v1/attachments/${u.id}/download`, headers: agent.headers });
      expect(res.headers['content-disposition']).toMatch(/^attachment;/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      types.push(res.headers['content-type']);
    }
    expect(types).toEqual(['application/octet-stream', 'application/octet-stream', 'application/octet-stream', 'image/png']);
  });

  it('rejects a message with attachments it may not send, and writes nothing', async () => {
    const conv = await sendInbound(h.app, agent, inbox.id);
    const mine = json<any[]>(await upload(agent.headers, [{ filename: 'a.txt', contentType: 'text/plain', bytes: Buffer.from('a') }]));
    const stranger = await buildMember(h.ctx, { workspace: 'Attach Elsewhere' });
    const theirs = json<any[]>(await upload(stranger.headers, [{ filename: 'b.txt', contentType: 'text/plain', bytes: Buffer.from('b') }]));
    const before = await countRows(h.ctx.db, messages);
    for (const attachmentIds of [[mine[0].id, theirs[0].id], ['0190a0a0-0000-7000-8000-000000000000'], ['not-a-uuid']]) {
      const res = await reply(agent, conv.conversationId, { text: 'With files', attachmentIds });
      expect(res.statusCode, JSON.stringify(attachmentIds)).toBe(422);
      expect(json(res).errors[0].field).toMatch(/^attachmentIds/);
    }
    expect(await countRows(h.ctx.db, messages)).toBe(before);
    // The failed attempt left mine pending: it can still be sent.
    expect((await reply(agent, conv.conversationId, { text: 'Now', attachmentIds: [mine[0].id], kind: 'note' })).statusCode).toBe(201);
  });

  it('refuses uploads without files, over 25 MB, or from a read-only token', async () => {
    const before = await countRows(h.ctx.db, attachments);
    const none = await h.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: agent.headers, payload: { a: 1 } });
    expect(none.statusCode).toBe(422);
    expect(json(none).errors[0].field).toBe('file');
    const empty = multipart([]);
    const emptyRes = await h.app.inject({ method: 'POST', url: '/api/v1/attachments', headers: { ...agent.headers, 'content-type': empty.contentType }, payload: empty.payload });
    expect(emptyRes.statusCode).toBe(422);
    const big = await upload(agent.headers, [{ filename: 'big.bin', contentType: 'application/octet-stream', bytes: Buffer.alloc(25 * 1024 * 1024 + 1) }]);
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toMatch(/^application\/problem\+json/);
    const reader = await buildMember(h.ctx, { workspace: 'Attach Co', role: 'agent', scopes: ['read'] });
    expect((await upload(reader.headers, [{ filename: 'a.txt', contentType: 'text/plain', bytes: Buffer.from('a') }])).statusCode).toBe(403);
    expect(await countRows(h.ctx.db, attachments)).toBe(before);
  });

  it("keeps workspaces apart: another workspace's attachment is a 404", async () => {
    const mine = json<any[]>(await upload(agent.headers, [{ filename: 'secret.txt', contentType: 'text/plain', bytes: Buffer.from('secret') }]));
    const stranger = await buildMember(h.ctx, { workspace: 'Attach Elsewhere 2' });
    const res = await h.app.inject({ url: `/api/v1/attachments/${mine[0].id}/download`, headers: stranger.headers });
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('secret');
    expect((await h.app.inject({ url: `/api/v1/attachments/${mine[0].id}/download` })).statusCode).toBe(401);
  });

  it('forgets uploads never sent after a day, and keeps sent ones and recent drafts', async () => {
    const files = (name: string) => [{ filename: name, contentType: 'text/plain', bytes: Buffer.from(name) }];
    const [old] = json<{ id: string }[]>(await upload(agent.headers, files('abandoned.txt')));
    const [fresh] = json<{ id: string }[]>(await upload(agent.headers, files('draft.txt')));
    const [sent] = json<{ id: string }[]>(await upload(agent.headers, files('sent.txt')));
    const conv = await sendInbound(h.app, agent, inbox.id);
    expect((await reply(agent, conv.conversationId, { text: 'With a file', attachmentIds: [sent.id] })).statusCode).toBe(201);
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
    for (const id of [old.id, sent.id]) await h.ctx.db.update(attachments).set({ createdAt: twoDaysAgo }).where(eq(attachments.id, id));
    expect(await forgetPendingAttachments(h.ctx.db, new Date(Date.now() - 24 * 3_600_000))).toBe(1);
    const left = (await h.ctx.db.select({ id: attachments.id }).from(attachments)).map((a) => a.id);
    expect(left).not.toContain(old.id);
    expect(left).toEqual(expect.arrayContaining([fresh.id, sent.id]));
  });

  it('cleans file names and encodes them for the header', () => {
    expect(cleanFilename('../../etc/passwd')).toBe('passwd');
    expect(cleanFilename('C:\\Users\\me\\report.docx')).toBe('report.docx');
    expect(cleanFilename('a\r\nb".txt')).toBe('ab.txt');
    expect(cleanFilename('..')).toBe('file');
    expect(cleanFilename(undefined)).toBe('file');
    expect(attachmentDisposition(`it's (1).txt`)).toBe(`attachment; filename="it's (1).txt"; filename*=UTF-8''it%27s%20%281%29.txt`);
  });
});
