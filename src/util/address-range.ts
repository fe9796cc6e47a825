/**
 * Which network range a URL's host is in, for outbound checks: an alert receiver on loopback, link-local
 * (cloud metadata at 169.254.169.254), private or shared (CGNAT) address space is reachable from the
 * worker but not from the Internet, so a config pointing there is either a mistake or a way to make the
 * worker talk to internal services. Literal addresses and well-known names only: no DNS lookup (a check
 * that resolves would depend on where it runs).
 */
import { BlockList, isIP } from 'node:net';

export type AddressRange = 'loopback' | 'link-local' | 'metadata' | 'private' | 'unspecified';

const RANGES: [AddressRange, 'ipv4' | 'ipv6', string, number][] = [
  ['unspecified', 'ipv4', '0.0.0.0', 8],
  ['loopback', 'ipv4', '127.0.0.0', 8],
  ['private', 'ipv4', '10.0.0.0', 8],
  ['private', 'ipv4', '172.16.0.0', 12],
  ['private', 'ipv4', '192.168.0.0', 16],
  ['private', 'ipv4', '100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['link-local', 'ipv4', '169.254.0.0', 16],
  ['unspecified', 'ipv6', '::', 128],
  ['loopback', 'ipv6', '::1', 128],
  ['link-local', 'ipv6', 'fe80::', 10],
  ['private', 'ipv6', 'fc00::', 7], // unique local
];

const lists = new Map<AddressRange, BlockList>();
for (const [range, type, net, prefix] of RANGES) {
  const l = lists.get(range) ?? new BlockList();
  l.addSubnet(net, prefix, type);
  lists.set(range, l);
}

/** Instance metadata endpoints of the big clouds (AWS, GCP, Azure, Oracle, Alibaba). */
const METADATA_HOSTS = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', 'metadata.google.internal']);

/** The special range of a host (name or literal address), or undefined for an ordinary public one. */
export function hostRange(host: string): AddressRange | undefined {
  let h = host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
  if (METADATA_HOSTS.has(h)) return 'metadata';
  if (h === 'localhost' || h.endsWith('.localhost')) return 'loopback';
  // ::ffff:10.0.0.1 (which the URL parser writes ::ffff:a00:1) is the IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  const mappedHex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(h);
  if (mapped?.[1]) h = mapped[1];
  else if (mappedHex?.[1] && mappedHex[2]) {
    const [hi, lo] = [parseInt(mappedHex[1], 16), parseInt(mappedHex[2], 16)];
    h = [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
  }
  const v = isIP(h);
  if (!v) return undefined;
  const type = v === 4 ? 'ipv4' : 'ipv6';
  for (const [range, list] of lists) if (list.check(h, type)) return range;
  return undefined;
}

/** The special range of a URL's host, or undefined (public, or not a URL). */
export function urlRange(url: string): AddressRange | undefined {
  try {
    return hostRange(new URL(url).hostname);
  } catch {
    return undefined;
  }
}
