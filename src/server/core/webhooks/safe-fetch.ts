import dns from 'node:dns';
import net from 'node:net';
import { Agent, request } from 'undici';

// Addresses an outbound callback must never reach unless explicitly allowed: loopback,
// private, link-local (cloud metadata), carrier-grade NAT, multicast and reserved ranges.
const blocked = new net.BlockList();
for (const [addr, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(addr, prefix, 'ipv4');
for (const [addr, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  blocked.addSubnet(addr, prefix, 'ipv6');
}

/** True when `ip` is loopback, private, link-local or otherwise not a public address. */
export function isPrivateAddress(ip: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return blocked.check(mapped[1], 'ipv4');
  const family = net.isIPv4(ip) ? 'ipv4' : net.isIPv6(ip) ? 'ipv6' : null;
  if (!family) return true;
  return blocked.check(ip, family);
}

export class BlockedAddressError extends Error {}

/**
 * The address is checked at connect time, after DNS, so a host name that resolves to a
 * private address (DNS rebinding included) is refused as surely as a literal one.
 */
function guardedLookup(
  hostname: string,
  options: dns.LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void,
) {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const list = addresses as dns.LookupAddress[];
    const bad = list.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(new BlockedAddressError(`${hostname} resolves to a private address (${bad.address})`), '');
    if (options.all) return callback(null, list);
    callback(null, list[0].address, list[0].family);
  });
}

const guardedAgent = new Agent({ connect: { lookup: guardedLookup, timeout: 10_000 }, headersTimeout: 15_000, bodyTimeout: 15_000 });
const openAgent = new Agent({ connect: { timeout: 10_000 }, headersTimeout: 15_000, bodyTimeout: 15_000 });

export interface PostResult {
  status: number;
  body: string;
}

/**
 * POSTs JSON to a URL given by a customer's configuration. Redirects are not followed
 * (a 3xx is a failure), responses are read up to 64 KiB, and private addresses are
 * refused unless `allowPrivate`.
 */
export async function postJson(url: string, body: string, headers: Record<string, string>, allowPrivate: boolean): Promise<PostResult> {
  const u = new URL(url);
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new BlockedAddressError(`unsupported protocol ${u.protocol}`);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && net.isIP(host) && isPrivateAddress(host)) {
    throw new BlockedAddressError(`${host} is a private address`);
  }
  const res = await request(u, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'user-agent': 'Heard-Webhook/1', ...headers },
    dispatcher: allowPrivate ? openAgent : guardedAgent,
    maxRedirections: 0,
  } as Parameters<typeof request>[1]);
  let text = '';
  for await (const chunk of res.body) {
    if (text.length < 65_536) text += chunk.toString();
  }
  return { status: res.statusCode, body: text.slice(0, 65_536) };
}
