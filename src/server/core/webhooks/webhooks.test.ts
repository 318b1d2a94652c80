import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlockedAddressError, isPrivateAddress } from '../net/outbound-guard.js';
import { postJson } from './safe-fetch.js';
import { signPayload, verifySignature } from './signature.js';

describe('callback signatures', () => {
  const secret = 'whsec_test';
  const body = '{"id":"m1","text":"hi"}';

  it('verifies what it signed, and nothing else', () => {
    const { timestamp, signature } = signPayload(secret, body);
    expect(verifySignature(secret, body, timestamp, signature)).toEqual({ ok: true });
    expect(verifySignature(secret, body + ' ', timestamp, signature)).toEqual({ ok: false, reason: 'signature does not match' });
    expect(verifySignature('other', body, timestamp, signature).ok).toBe(false);
    expect(verifySignature(secret, body, String(Number(timestamp) + 1), signature).ok).toBe(false);
  });

  it('refuses a replay outside the tolerance window', () => {
    const then = Math.floor(Date.now() / 1000) - 600;
    const { timestamp, signature } = signPayload(secret, body, then);
    expect(verifySignature(secret, body, timestamp, signature, 300)).toEqual({ ok: false, reason: 'timestamp outside the tolerance window' });
    expect(verifySignature(secret, body, timestamp, signature, 900)).toEqual({ ok: true });
  });

  it('names what is malformed', () => {
    expect(verifySignature(secret, body, undefined, 'v1=00')).toEqual({ ok: false, reason: 'missing or malformed Heard-Timestamp' });
    const { timestamp } = signPayload(secret, body);
    expect(verifySignature(secret, body, timestamp, 'sha256=abc')).toEqual({ ok: false, reason: 'missing or malformed Heard-Signature' });
  });
});

describe('outbound request guard', () => {
  it.each([
    ['127.0.0.1', true], ['10.1.2.3', true], ['172.16.0.1', true], ['172.32.0.1', false], ['192.168.1.1', true],
    ['169.254.169.254', true], ['100.64.0.1', true], ['0.0.0.0', true], ['::1', true], ['::', true], ['fd00::1', true],
    ['fe80::1', true], ['::ffff:127.0.0.1', true], ['::ffff:7f00:1', true], ['::7f00:1', true], ['::ffff:8.8.8.8', false], ['8.8.8.8', false], ['2606:4700::1111', false],
    ['not-an-ip', true],
  ])('%s is private: %s', (ip, expected) => {
    expect(isPrivateAddress(ip)).toBe(expected);
  });

  let server: http.Server;
  let port: number;
  let hits = 0;
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits++;
      if (req.url === '/redirect') res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end();
      else res.writeHead(200).end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('refuses loopback by literal address and by a name that resolves to it', async () => {
    const before = hits;
    await expect(postJson(`http://127.0.0.1:${port}/`, '{}', {}, false)).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(postJson(`http://localhost:${port}/`, '{}', {}, false)).rejects.toThrow(/private address/);
    await expect(postJson(`http://[::1]:${port}/`, '{}', {}, false)).rejects.toBeInstanceOf(BlockedAddressError);
    expect(hits).toBe(before);
  });

  it('refuses other protocols', async () => {
    await expect(postJson('file:///etc/passwd', '{}', {}, true)).rejects.toThrow(/unsupported protocol/);
  });

  it('reaches a private address only when allowed, and does not follow redirects', async () => {
    expect(await postJson(`http://127.0.0.1:${port}/`, '{}', {}, true)).toEqual({ status: 200, body: 'ok' });
    const res = await postJson(`http://127.0.0.1:${port}/redirect`, '{}', {}, true);
    expect(res.status).toBe(302);
  });
});
