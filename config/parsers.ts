// Parsers for configuration values. Each takes the key (for the message) and the raw
// string, and either returns the typed value or throws ConfigError saying what it expects.
import net from 'node:net';
import type { DatabaseConfig, ListenAddress, TrustProxy } from './value-types.js';

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly expected: string,
  ) {
    super(`Invalid configuration: ${key} must be ${expected}`);
    this.name = 'ConfigError';
  }
}

export type Parser<T> = (key: string, raw: string) => T;

function int(key: string, raw: string, min: number, max: number, expected: string): number {
  if (!/^\d+$/.test(raw)) throw new ConfigError(key, expected);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new ConfigError(key, expected);
  return n;
}

function url(key: string, raw: string, protocols: string[], expected: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(key, expected);
  }
  if (!protocols.includes(u.protocol)) throw new ConfigError(key, expected);
  return u;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];
const TRUST_PROXY_FORMS =
  'false, the number of reverse proxies in front of Gatehouse (usually 1), or a comma-separated list of their addresses, CIDR ranges or the names loopback, linklocal, uniquelocal';

function proxyAddress(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = net.isIP(address ?? '');
  if (!family || rest.length) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}

export const parsers = {
  string: (_key: string, raw: string) => raw,

  port: (key: string, raw: string) => int(key, raw, 0, 65535, 'a port number between 0 and 65535'),

  nonNegativeInt: (key: string, raw: string) => int(key, raw, 0, Number.MAX_SAFE_INTEGER, 'a whole number of 0 or more'),

  positiveInt: (key: string, raw: string) => int(key, raw, 1, Number.MAX_SAFE_INTEGER, 'a whole number of 1 or more'),

  boolean: (key: string, raw: string): boolean => {
    const v = raw.toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    throw new ConfigError(key, 'true or false');
  },

  // "true" would trust every X-Forwarded-For entry, the leftmost of which the client
  // writes: any client could name any address and slip past per-address limits. Only
  // Express's bounded forms are accepted, so the client address is the rightmost one not
  // written by a trusted proxy.
  trustProxy: (key: string, raw: string): TrustProxy => {
    const v = raw.toLowerCase();
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    if (['true', 'yes', 'on'].includes(v)) {
      throw new ConfigError(key, `${TRUST_PROXY_FORMS}; trusting every proxy (true) would trust addresses clients make up (use 1 behind one reverse proxy)`);
    }
    if (/^\d+$/.test(v)) return int(key, v, 1, 32, TRUST_PROXY_FORMS);
    const entries = v.split(',').map((e) => e.trim()).filter(Boolean);
    if (entries.length === 0 || !entries.every(proxyAddress)) throw new ConfigError(key, TRUST_PROXY_FORMS);
    return entries;
  },

  oneOf:
    <T extends string>(values: readonly T[]) =>
    (key: string, raw: string): T => {
      if (!(values as readonly string[]).includes(raw)) throw new ConfigError(key, `one of ${values.join(', ')}`);
      return raw as T;
    },

  httpUrl: (key: string, raw: string): string => {
    const u = url(key, raw, ['http:', 'https:'], 'an absolute http:// or https:// URL such as https://id.example.com');
    if (u.search || u.hash) throw new ConfigError(key, 'a URL without query string or fragment');
    // No trailing slash: links are built by appending absolute paths.
    return u.toString().replace(/\/+$/, '');
  },

  smtpUrl: (key: string, raw: string): string => {
    url(key, raw, ['smtp:', 'smtps:'], 'an smtp:// or smtps:// URL such as smtp://user:pass@mail.example.com:587');
    return raw;
  },

  mailbox: (key: string, raw: string): string => {
    // "Name <addr@host>" or "addr@host"
    if (!/^([^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/.test(raw)) {
      throw new ConfigError(key, 'a mail address such as "Gatehouse <no-reply@example.com>"');
    }
    return raw;
  },

  databaseUrl: (key: string, raw: string): DatabaseConfig => {
    const expected = 'sqlite:PATH (e.g. sqlite:var/gatehouse.sqlite) or mysql://user:password@host:3306/database (several hosts: mysql://user:password@h1:3306,h2:3306/database)';
    if (raw.startsWith('sqlite:')) {
      const storage = raw.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
      if (!storage) throw new ConfigError(key, expected);
      return { dialect: 'sqlite', storage, url: raw };
    }
    // Several hosts (the nodes of one cluster) are not a URL the WHATWG parser accepts:
    // each host is checked on its own, and the URL is kept as given (with mysql:).
    const several = /^(mysql|mariadb):\/\/([^@/]*@)?([^/?#@]*,[^/?#@]*)(\/.*)$/.exec(raw);
    const candidates = several ? several[3]!.split(',').map((h) => `mysql://${several[2] ?? ''}${h.trim()}${several[4]}`) : [raw];
    const hosts = candidates.map((candidate) => {
      const u = url(key, candidate, ['mysql:', 'mariadb:'], expected);
      if (!u.hostname || u.pathname.length <= 1) throw new ConfigError(key, expected);
      return { host: u.hostname.replace(/^\[|\]$/g, ''), port: u.port ? Number(u.port) : 3306 };
    });
    const first = new URL(candidates[0]!);
    first.protocol = 'mysql:';
    return { dialect: 'mysql', url: several ? raw.replace(/^mariadb:/, 'mysql:') : first.toString(), hosts };
  },

  secretList: (key: string, raw: string): string[] => {
    const keys = raw.split(',').map((k) => k.trim()).filter(Boolean);
    if (keys.length === 0 || keys.some((k) => k.length < 32)) {
      throw new ConfigError(key, 'a comma-separated list of secrets of at least 32 characters each');
    }
    return keys;
  },

  secret: (key: string, raw: string): string => {
    if (raw.length < 32) throw new ConfigError(key, 'a secret of at least 32 characters');
    return raw;
  },

  listenAddress: (key: string, raw: string): ListenAddress => {
    const expected = 'HOST:PORT, such as 127.0.0.1:9464 or [::1]:9464';
    const m = /^(?:\[([0-9a-f:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/i.exec(raw);
    if (!m) throw new ConfigError(key, expected);
    const host = m[1] ?? m[2]!;
    if (m[1] && net.isIP(host) !== 6) throw new ConfigError(key, expected);
    return { host, port: int(key, m[3]!, 0, 65535, expected) };
  },

  key32: (key: string, raw: string): string => {
    const expected = '32 random bytes, hex (64 characters) or base64 encoded';
    const bytes = /^[0-9a-f]{64}$/i.test(raw) ? Buffer.from(raw, 'hex') : Buffer.from(raw, 'base64');
    if (bytes.length !== 32) throw new ConfigError(key, expected);
    return raw;
  },
};
