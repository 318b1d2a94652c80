/**
 * The HTTP load generator of the API channel benchmark, in its own process so that its
 * work (JSON, HTTP client) neither slows Heard's event loop nor counts in its memory.
 * Started by part.ts with IPC; answers one job with its figures, then exits.
 */
import { Agent, request } from 'undici';
import { drive, percentiles, Workload, type MessageSpec } from './workload.js';

export interface LoadJob {
  url: string;
  token: string;
  inboxId: string;
  warmup: number;
  n: number;
  concurrency: number;
  seed: number;
  prefix: string;
}

export interface LoadResult {
  messages: number;
  elapsedMs: number;
  latency: ReturnType<typeof percentiles>;
  /** Failed requests, warm-up included. */
  failures: { count: number; first: string[] };
  /** Failed requests of the measured run alone. */
  runFailures: number;
}

// Whoever started this process is gone (interrupted): stop too.
process.once('disconnect', () => process.exit(1));

process.once('message', async (job: LoadJob) => {
  const agent = new Agent({ connections: job.concurrency, pipelining: 1, keepAliveTimeout: 30_000 });
  const endpoint = `${job.url}/api/v1/inboxes/${job.inboxId}/messages`;
  const headers = { authorization: `Bearer ${job.token}`, 'content-type': 'application/json' };
  const send = async (spec: MessageSpec) => {
    const res = await request(endpoint, {
      method: 'POST',
      dispatcher: agent,
      headers,
      body: JSON.stringify({ contact: spec.contact, text: spec.text, clientMessageId: spec.clientMessageId }),
    });
    const body = await res.body.text();
    if (res.statusCode < 200 || res.statusCode > 299) throw new Error(`HTTP ${res.statusCode}: ${body.slice(0, 300)}`);
    // A 200 means "already stored": with unique clientMessageIds that would be a bug.
    if (res.statusCode !== 201) throw new Error(`HTTP ${res.statusCode} (duplicate?): ${body.slice(0, 300)}`);
    return {};
  };
  const workload = new Workload(job.seed, job.prefix);
  const warm = await drive(workload, job.warmup, job.concurrency, send);
  const run = await drive(workload, job.n, job.concurrency, send);
  await agent.close();
  const result: LoadResult = {
    messages: run.messages,
    elapsedMs: run.elapsedMs,
    latency: percentiles(run.latenciesMs),
    failures: { count: warm.failures.length + run.failures.length, first: [...warm.failures, ...run.failures].slice(0, 5).map((f) => f.message) },
    runFailures: run.failures.length,
  };
  process.send!(result, () => process.exit(0));
});
