import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMember, signIn, type Client } from '../../../../test/factories.js';
import { json, startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';

/** A multipart/form-data body with these files, as a browser's FormData sends it. */
function multipart(files: { field?: string; filename: string; contentType: string; bytes: Buffer }[]) {
  const boundary = `----heard${Math.random().toString(16).slice(2)}`;
  const parts = files.map((f) =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'file'}"; filename="${f.filename}"\r\nContent-Type: ${f.contentType}\r\n\r\n`),
      f.bytes,
      Buffer.from('\r\n'),
    ]),
  );
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('rest of a png')]);
const GIF = Buffer.concat([Buffer.from('GIF89a'), Buffer.alloc(20, 1)]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(10)]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(10)]);

describe('avatars', () => {
  let h: TestHeard;
  let dataDir: string;
  let agent: Client;
  let colleague: Client;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'heard-avatar-'));
    h = await startTestHeard({ HEARD_DATA_DIR: dataDir });
    agent = await buildMember(h.ctx, { workspace: 'Avatar Co', role: 'agent' });
    colleague = await buildMember(h.ctx, { workspace: 'Avatar Co', role: 'light' });
  });
  afterAll(async () => {
    await h.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const upload = (headers: Record<string, string>, files: Parameters<typeof multipart>[0]) => {
    const body = multipart(files);
    return h.app.inject({ method: 'POST', url: '/api/v1/me/avatar', headers: { ...headers, 'content-type': body.contentType }, payload: body.payload });
  };

  it('sets my avatar from a browser session; colleagues see it through avatarUrl with cache headers', async () => {
    const session = await signIn(h.app, agent.email);
    const res = await upload(session.headers, [{ filename: 'me.png', contentType: 'image/png', bytes: PNG }]);
    expect(res.statusCode).toBe(200);
    const { avatarUrl } = json(res);
    expect(avatarUrl).toMatch(new RegExp(`^/api/v1/members/${agent.memberId}/avatar\\?v=[0-9a-f]{16}$`));
    expect(json(await h.app.inject({ url: '/api/v1/me', headers: agent.headers })).user.avatarUrl).toBe(avatarUrl);
    expect(json(await h.app.inject({ url: `/api/v1/members/${agent.memberId}`, headers: colleague.headers })).avatarUrl).toBe(avatarUrl);
    const list = json(await h.app.inject({ url: '/api/v1/members', headers: colleague.headers })).items;
    expect(list.find((m: any) => m.id === colleague.memberId).avatarUrl).toBeNull();

    const img = await h.app.inject({ url: avatarUrl, headers: colleague.headers });
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(img.headers['cache-control']).toBe('private, max-age=86400');
    expect(img.headers['x-content-type-options']).toBe('nosniff');
    expect(img.rawPayload.equals(PNG)).toBe(true);

    // Each allowed type, recognised by its bytes whatever the browser claims.
    for (const [bytes, type] of [
      [GIF, 'image/gif'],
      [WEBP, 'image/webp'],
      [JPEG, 'image/jpeg'],
    ] as const) {
      const url = json(await upload(agent.headers, [{ filename: 'x.bin', contentType: 'application/octet-stream', bytes }])).avatarUrl;
      expect((await h.app.inject({ url, headers: agent.headers })).headers['content-type']).toBe(type);
    }
    const del = await h.app.inject({ method: 'DELETE', url: '/api/v1/me/avatar', headers: agent.headers });
    expect(del.statusCode).toBe(204);
    expect(json(await h.app.inject({ url: '/api/v1/me', headers: agent.headers })).user.avatarUrl).toBeNull();
    expect((await h.app.inject({ url: `/api/v1/members/${agent.memberId}/avatar`, headers: agent.headers })).statusCode).toBe(404);
  });

  it('refuses what is not a PNG, JPEG, WebP or GIF by its bytes, what is over 2 MB, and a request without a file', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    for (const [bytes, claimed] of [
      [svg, 'image/svg+xml'],
      [svg, 'image/png'],
      [Buffer.from('<html><script>alert(1)</script></html>'), 'image/gif'],
    ] as const) {
      const res = await upload(colleague.headers, [{ filename: 'evil.png', contentType: claimed, bytes }]);
      expect(res.statusCode, claimed).toBe(422);
      expect(json(res).errors).toEqual([{ field: 'file', reason: expect.stringMatching(/PNG, JPEG, WebP or GIF/) }]);
    }
    const big = await upload(colleague.headers, [{ filename: 'big.png', contentType: 'image/png', bytes: Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]) }]);
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toMatch(/^application\/problem\+json/);
    const notMultipart = await h.app.inject({ method: 'POST', url: '/api/v1/me/avatar', headers: colleague.headers, payload: { file: 'x' } });
    expect(notMultipart.statusCode).toBe(422);
    expect(json(notMultipart).errors[0].field).toBe('file');
    expect(json(await h.app.inject({ url: '/api/v1/me', headers: colleague.headers })).user.avatarUrl).toBeNull();
  });

  it("keeps workspaces apart: another workspace's member gets 404 for an avatar", async () => {
    await upload(colleague.headers, [{ filename: 'me.png', contentType: 'image/png', bytes: PNG }]);
    const stranger = await buildMember(h.ctx, { workspace: 'Avatar Elsewhere' });
    const res = await h.app.inject({ url: `/api/v1/members/${colleague.memberId}/avatar`, headers: stranger.headers });
    expect(res.statusCode).toBe(404);
    expect((await h.app.inject({ url: `/api/v1/members/${colleague.memberId}/avatar` })).statusCode).toBe(401);
  });
});
