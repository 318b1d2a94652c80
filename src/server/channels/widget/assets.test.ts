import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestHeard, type TestHeard } from '../../../../test/helpers/heard.js';
import { loadDemo } from '../../demo/load-demo.js';

describe('the widget script and the demo page', () => {
  const started: TestHeard[] = [];
  afterAll(async () => {
    for (const h of started) await h.stop();
  });

  it('serves /widget.js to other sites, briefly cached; without a build, a 503 that says how to make one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'heard-widget-'));
    const heard = await startTestHeard({}, { widgetDir: dir });
    started.push(heard);
    const missing = await heard.app.inject({ method: 'GET', url: '/widget.js' });
    expect(missing.statusCode).toBe(503);
    expect(missing.body).toContain('npm run build');

    writeFileSync(join(dir, 'widget.js'), '(function(){})();');
    const res = await heard.app.inject({ method: 'GET', url: '/widget.js', headers: { origin: 'https://shop.example' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/javascript');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body).toBe('(function(){})();');
  });

  it("shows the demo shop with the demo workspace's widget tag, or says how to get one", async () => {
    const heard = await startTestHeard();
    started.push(heard);
    const before = await heard.app.inject({ method: 'GET', url: '/demo' });
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('No widget to show');
    expect(before.body).not.toContain('data-inbox');

    await loadDemo(heard.ctx);
    const res = await heard.app.inject({ method: 'GET', url: '/demo', headers: { host: 'chat.example:3000' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toMatch(/<script src="http:\/\/chat\.example:3000\/widget\.js" data-inbox="pk_[\w-]+" async><\/script>/);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('connect-src');
  });
});
