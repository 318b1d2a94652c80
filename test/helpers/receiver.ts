import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The delivered message's id and text, when the body is Heard's JSON callback. */
  id?: string;
  text?: string;
}

/**
 * A real HTTP server standing in for the system behind an API channel inbox: it records
 * every callback Heard delivers, and answers with the status `answer` gives for the n-th.
 */
export function startReceiver(answer: (n: number) => number = () => 200) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      let parsed: { id?: string; message?: { text?: string } } = {};
      try {
        parsed = JSON.parse(body);
      } catch {
        // Not JSON: kept as the raw body only.
      }
      received.push({ headers: req.headers, body, id: parsed.id, text: parsed.message?.text });
      res.writeHead(answer(received.length)).end();
    });
  });
  return new Promise<{ url: string; received: Received[]; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/hook`, received, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}

/** Polls `fn` until it returns something truthy (background work: deliveries, jobs), or fails after `ms`. */
export async function waitFor<T>(fn: () => Promise<T | undefined | false | null> | T | undefined | false | null, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
