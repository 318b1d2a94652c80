import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestHeard, type TestHeard } from '../../test/helpers/heard.js';

describe('the agent app at /app', () => {
  const started: TestHeard[] = [];
  afterAll(async () => {
    for (const h of started) await h.stop();
  });

  it('serves the built files, and index.html for every other /app path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heard-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Heard</title>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    const heard = await startTestHeard({}, { webDir: dir });
    started.push(heard);
    const { app } = heard;

    const root = await app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/app/');

    for (const url of ['/app', '/app/', '/app/inbox/mine', '/app/inbox/open/1042', '/app/settings/members']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.body).toContain('<title>Heard</title>');
    }

    const asset = await app.inject({ method: 'GET', url: '/app/assets/index-abc.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['cache-control']).toContain('immutable');

    expect((await app.inject({ method: 'GET', url: '/app/assets/gone.js' })).statusCode).toBe(404);

    // A rebuild under a running server: its new files are served at once.
    writeFileSync(join(dir, 'assets', 'index-new.js'), 'console.log(2)');
    const fresh = await app.inject({ method: 'GET', url: '/app/assets/index-new.js' });
    expect(fresh.statusCode).toBe(200);
    expect(fresh.body).toBe('console.log(2)');
    expect((await app.inject({ method: 'GET', url: '/app/assets/..%2F..%2Fpackage.json' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/v1/nothing-here' })).statusCode).toBe(404);
  });

  it('says how to build it when it is not built', async () => {
    const heard = await startTestHeard({}, { webDir: join(tmpdir(), 'heard-web-missing-dir') });
    started.push(heard);
    const res = await heard.app.inject({ method: 'GET', url: '/app/inbox/mine' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('npm run build');
  });
});
