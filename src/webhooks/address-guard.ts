// Guard against server-side request forgery: a webhook URL names a host on the public
// internet, reached over https. Its name is resolved once per attempt and every address it
// resolves to must be public unicast (not private, loopback, link-local, carrier-grade NAT,
// multicast, reserved…); the connection then goes to that very address, so a DNS answer
// that changes between the check and the connect (rebinding) cannot reach inside.
// `allowPrivate` (WEBHOOK_ALLOW_PRIVATE_ADDRESSES) lifts the address rule and lets plain
// http reach loopback receivers — for development and tests only.
import dns from 'node:dns/promises';
import ipaddr from 'ipaddr.js';
import { ValidationError } from '../errors.js';

export interface AddressPolicy {
  allowPrivate: boolean;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (host) =>
  (await dns.lookup(host, { all: true, verbatim: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));

/** Why an address may not be called, or null when it is public unicast. */
export function addressProblem(address: string): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
  const range = ipaddr.process(address).range();
  return range === 'unicast' ? null : `${address} is a ${range} address`;
}

function isLoopbackName(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  if (bare === 'localhost') return true;
  return ipaddr.isValid(bare) && ipaddr.process(bare).range() === 'loopback';
}

/** The URL's form: https (http only to loopback when private addresses are allowed), no credentials. */
export function checkWebhookUrl(raw: string, policy: AddressPolicy): URL {
  const text = raw.trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ValidationError({ url: 'Enter a full URL, such as https://app.example.com/hooks/gatehouse.' });
  }
  if (text.length > 2048) throw new ValidationError({ url: 'The URL is longer than 2048 characters.' });
  if (url.username || url.password) throw new ValidationError({ url: 'The URL must not carry a user name or password.' });
  if (url.hash) throw new ValidationError({ url: 'The URL must not have a #fragment.' });
  if (url.protocol === 'http:' && policy.allowPrivate && isLoopbackName(url.hostname)) return url;
  if (url.protocol !== 'https:') throw new ValidationError({ url: 'The URL must use https (plain http only reaches this machine, in development).' });
  const refused = policy.allowPrivate ? null : literalAddressProblem(url.hostname);
  if (refused) throw new ValidationError({ url: `Gatehouse does not send webhooks inside private networks: ${refused}.` });
  return url;
}

/**
 * Why a host written as an address (or as localhost) is refused, known without a DNS
 * look-up, so registration says so at once; names are checked at each attempt.
 */
function literalAddressProblem(hostname: string): string | null {
  const bare = hostname.replace(/^\[|\]$/g, '');
  if (isLoopbackName(bare)) return `${bare} is this machine`;
  return ipaddr.isValid(bare) ? addressProblem(bare) : null;
}

/** The address to connect to, after checking every address the host resolves to. */
export async function resolveWebhookAddress(url: URL, policy: AddressPolicy, resolve: Resolver = systemResolver): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(host) ? [{ address: host, family: (ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4) as 4 | 6 }] : await resolve(host);
  if (addresses.length === 0) throw new AddressRefused(`${host} does not resolve`);
  if (!policy.allowPrivate) {
    for (const a of addresses) {
      const problem = addressProblem(a.address);
      if (problem) throw new AddressRefused(`refused: ${host} resolves to ${problem}`);
    }
  }
  return addresses[0]!;
}

export class AddressRefused extends Error {}
