import dns from 'node:dns';
import net from 'node:net';

/**
 * The guard on connections Heard makes to addresses its users configure (API callbacks,
 * an inbox's SMTP and IMAP servers): loopback, private, link-local (cloud metadata),
 * carrier-grade NAT, multicast and reserved ranges are refused unless the installation
 * allows them (HEARD_ALLOW_PRIVATE_WEBHOOKS), so such settings cannot reach or map the
 * network Heard runs in.
 */
const blocked = new net.BlockList();
for (const [addr, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) blocked.addSubnet(addr, prefix, 'ipv4');
// ::/96 holds the unspecified and loopback addresses and the deprecated IPv4-compatible
// ones (::7f00:1 is 127.0.0.1); IPv4-mapped ones (::ffff:…) are checked by BlockList
// against the IPv4 ranges above.
for (const [addr, prefix] of [['::', 96], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8]] as const) {
  blocked.addSubnet(addr, prefix, 'ipv6');
}

/** True when `ip` is loopback, private, link-local or otherwise not a public address (or not an address at all). */
export function isPrivateAddress(ip: string): boolean {
  const family = net.isIPv4(ip) ? 'ipv4' : net.isIPv6(ip) ? 'ipv6' : null;
  if (!family) return true;
  return blocked.check(ip, family);
}

export class BlockedAddressError extends Error {}

/**
 * The IP address a host setting stands for when it is written as one, in any of the
 * forms a resolver accepts ("2130706433", "0x7f000001", "127.1", "[::ffff:127.0.0.1]"),
 * normalised as a URL's host is; undefined for a name.
 */
export function literalAddress(host: string): string | undefined {
  const bare = host.trim().replace(/^\[|\]$/g, '');
  if (net.isIP(bare)) return bare;
  let hostname: string;
  try {
    hostname = new URL(`http://${bare.includes(':') ? `[${bare}]` : bare}`).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined;
  }
  return net.isIP(hostname) ? hostname : undefined;
}

/**
 * Why a host setting is refused when it is saved: a private address written literally,
 * or localhost; undefined when it may be tried (a name is checked again at each
 * connection, after DNS).
 */
export function refusedHost(host: string): string | undefined {
  const literal = literalAddress(host);
  if (literal) return isPrivateAddress(literal) ? `${literal} is a private or loopback address` : undefined;
  const name = host.trim().toLowerCase().replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return `${name} is this machine`;
  return undefined;
}

/**
 * The address to connect to for a host setting: a name is resolved now and refused if
 * any address it resolves to is private, so a name that points inside (DNS rebinding
 * included) is refused as surely as a literal one. The caller connects to `address`
 * and verifies the server's certificate against `servername` (the name, when it is one).
 */
export async function publicAddress(host: string): Promise<{ address: string; servername?: string }> {
  const literal = literalAddress(host);
  if (literal) {
    if (isPrivateAddress(literal)) throw new BlockedAddressError(`${literal} is a private address`);
    return { address: literal };
  }
  const name = host.trim();
  const list = await dns.promises.lookup(name, { all: true });
  const bad = list.find((a) => isPrivateAddress(a.address));
  if (bad) throw new BlockedAddressError(`${name} resolves to a private address (${bad.address})`);
  return { address: list[0].address, servername: name };
}

/**
 * A dns.lookup for sockets that connect by name: the address is checked at connect time,
 * after DNS, for the same reason as publicAddress().
 */
export function guardedLookup(
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
