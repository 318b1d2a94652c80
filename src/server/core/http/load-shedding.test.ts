import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePorts, type Node, processStorage, startNode, stopNode, waitHealthy } from '../../../../test/helpers/heard-process.js';

/**
 * A node under more load than it can carry refuses requests with 429 and Retry-After
 * instead of queueing them until its memory runs out, and keeps answering /healthz. A real
 * `heard` process with a memory ceiling takes 50 concurrent clients; the heap threshold is
 * set below what the process uses at rest, so that it is certainly overloaded.
 */
describe('load shedding', () => {
  let storage: Awaited<ReturnType<typeof processStorage>>;
  let node: Node | undefined;

  beforeAll(async () => {
    storage = await processStorage('shedding');
    const [port] = await freePorts(1);
    node = startNode('heard', port, {
      ...process.env,
      ...storage.env,
      REDIS_URL: '',
      HOST: '127.0.0.1',
      HEARD_SMTP_PORT: '0',
      LOG_LEVEL: 'error',
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=192`.trim(),
      HEARD_SHED_HEAP_PERCENT: '1',
    });
    await waitHealthy(node);
  }, 120_000);

  afterAll(async () => {
    if (node) await stopNode(node);
    await storage?.remove();
  });

  it('answers 2xx or 429 with Retry-After to 50 clients at once, stays up, and /healthz answers throughout', async () => {
    const api = `${node!.url}/api/v1/conversations`;
    // The first memory reading comes a second after the start.
    await expect.poll(async () => (await fetch(api)).status, { timeout: 10_000 }).toBe(429);

    const statuses: number[] = [];
    const problems: string[] = [];
    const health: number[] = [];
    let loading = true;
    const healthChecks = (async () => {
      while (loading) {
        health.push((await fetch(`${node!.url}/healthz`, { signal: AbortSignal.timeout(5000) })).status);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        for (let i = 0; i < 20; i++) {
          const res = await fetch(api, { headers: { authorization: 'Bearer heard_pat_client' }, signal: AbortSignal.timeout(10_000) });
          statuses.push(res.status);
          if (res.status === 429) {
            const body = (await res.json()) as { status: number; retryAfter: number };
            if (!/^\d+$/.test(res.headers.get('retry-after') ?? '') || !res.headers.get('content-type')?.startsWith('application/problem+json') || body.status !== 429) {
              problems.push(`429 without Retry-After or problem+json: ${res.headers.get('retry-after')} ${res.headers.get('content-type')}`);
            }
          } else {
            await res.arrayBuffer();
          }
        }
      }),
    );
    loading = false;
    await healthChecks;

    expect(statuses).toHaveLength(1000);
    expect(statuses.filter((s) => s !== 429 && (s < 200 || s > 299))).toEqual([]);
    expect(statuses).toContain(429);
    expect(problems).toEqual([]);
    expect(health.length).toBeGreaterThan(0);
    expect(health.every((s) => s === 200)).toBe(true);
    expect(node!.child.exitCode).toBeNull();
    expect((await fetch(`${node!.url}/healthz`)).status).toBe(200);
  }, 60_000);
});
