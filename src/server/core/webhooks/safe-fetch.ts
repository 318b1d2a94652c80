import { Agent, request } from 'undici';
import { BlockedAddressError, guardedLookup, isPrivateAddress, literalAddress } from '../net/outbound-guard.js';

const guardedAgent = new Agent({ connect: { lookup: guardedLookup, timeout: 10_000 }, headersTimeout: 15_000, bodyTimeout: 15_000 });
const openAgent = new Agent({ connect: { timeout: 10_000 }, headersTimeout: 15_000, bodyTimeout: 15_000 });

export interface PostResult {
  status: number;
  body: string;
}

/**
 * POSTs JSON to a URL given by a customer's configuration. Redirects are not followed
 * (a 3xx is a failure), responses are read up to 64 KiB, and private addresses are
 * refused unless `allowPrivate`. `timeoutMs` shortens the wait for the answer's headers and
 * body (15 s each by default).
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, allowPrivate: boolean, opts: { timeoutMs?: number } = {}): Promise<PostResult> {
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new BlockedAddressError(`unsupported protocol ${u.protocol}`);
  const literal = literalAddress(u.hostname);
  if (!allowPrivate && literal && isPrivateAddress(literal)) throw new BlockedAddressError(`${literal} is a private address`);
  const res = await request(u, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'user-agent': 'Heard-Webhook/1', ...headers },
    dispatcher: allowPrivate ? openAgent : guardedAgent,
    maxRedirections: 0,
    ...(opts.timeoutMs ? { headersTimeout: opts.timeoutMs, bodyTimeout: opts.timeoutMs } : {}),
  } as Parameters<typeof request>[1]);
  let text = '';
  for await (const chunk of res.body) {
    if (text.length < 65_536) text += chunk.toString();
  }
  return { status: res.statusCode, body: text.slice(0, 65_536) };
}
