// The one place that talks to the LDAP server (ldapts 8): connect (ldaps:// or StartTLS),
// bind, paged search, group members, and the bind that checks a user's directory password
// at sign-in. Network and protocol failures become errors whose message an admin can act
// on (DirectoryError) or, at sign-in, the "directory not reachable" answer.
import type { ConnectionOptions } from 'node:tls';
import { Client, InvalidCredentialsError, NoSuchObjectError, ResultCodeError, type Entry } from 'ldapts';
import { DomainError } from '../errors.js';
import type { LdapSettings } from './ldap-settings.js';

export type { Entry } from 'ldapts';

/** The directory refused or failed an operation; the message says what to check. */
export class DirectoryError extends DomainError {
  constructor(message: string) {
    super('directory_error', message, 502);
  }
}

/** An outage gives a clear sign-in error, never a lock-out. */
export class DirectoryUnreachable extends DomainError {
  constructor() {
    super(
      'directory_unreachable',
      'The directory is not reachable right now, so accounts from the company directory cannot sign in. Try again in a few minutes, or contact your administrator.',
      503,
    );
  }
}

export interface LdapClientOptions {
  /** Milliseconds to wait for the TCP (and TLS) connection. */
  connectTimeoutMs?: number;
  /** Milliseconds any single operation may take. */
  operationTimeoutMs?: number;
}

const DEFAULTS = { connectTimeoutMs: 5_000, operationTimeoutMs: 30_000 };
// Pages of entries per search request (RFC 2696 simple paged results): bounded memory.
export const PAGE_SIZE = 500;

type Where = Pick<LdapSettings, 'url' | 'startTls' | 'tlsCa'>;

function tlsOptions(s: Where): ConnectionOptions | undefined {
  return s.tlsCa ? { ca: s.tlsCa } : undefined;
}

/** Opens a connection (StartTLS if asked); the caller binds and must close it. */
async function connect(s: Where, options: LdapClientOptions): Promise<Client> {
  const client = new Client({
    url: s.url,
    connectTimeout: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    timeout: options.operationTimeoutMs ?? DEFAULTS.operationTimeoutMs,
    tlsOptions: tlsOptions(s),
    strictDN: false,
  });
  if (s.startTls) {
    try {
      await client.startTLS(tlsOptions(s) ?? {});
    } catch (err) {
      await close(client);
      throw err;
    }
  }
  return client;
}

async function close(client: Client): Promise<void> {
  try {
    await client.unbind();
  } catch {
    // the connection is gone already
  }
}

/** Network-level failure (not an LDAP result code): the directory is down or unreachable. */
export function isNetworkError(err: unknown): boolean {
  if (err instanceof ResultCodeError) return false;
  const code = (err as { code?: string }).code ?? '';
  const message = String((err as Error)?.message ?? '');
  return /^(ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE)$/.test(code) || /timeout|timed out|closed|socket/i.test(message);
}

/** Explains a failure so an admin knows what to check (test button, run report). */
export function explain(err: unknown, s: Pick<LdapSettings, 'url' | 'baseDn' | 'bindDn'>): string {
  const code = (err as { code?: string }).code ?? '';
  const message = String((err as Error)?.message ?? err);
  if (code === 'ECONNREFUSED') return `Nothing answers at ${s.url} (connection refused). Check the URL and port, and that the directory server is running.`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The host name in ${s.url} cannot be resolved. Check the URL.`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `The host in ${s.url} cannot be reached from this server (network unreachable).`;
  if (/timeout|timed out/i.test(message) || code === 'ETIMEDOUT') return `The directory at ${s.url} did not answer in time. Check the URL, firewalls, and that the server is up.`;
  if (/certificate|self[- ]signed|CERT_|unable to verify/i.test(message + code)) return `The directory's TLS certificate is not trusted (${message}). Paste its CA certificate in the settings.`;
  if (err instanceof InvalidCredentialsError) return `The directory refused the bind DN or password (invalid credentials)${s.bindDn ? ` for ${s.bindDn}` : ''}.`;
  if (err instanceof NoSuchObjectError) return `The base DN ${s.baseDn} does not exist in the directory.`;
  if (err instanceof ResultCodeError) return `The directory refused the request: ${message} (LDAP result ${err.code}).`;
  if (isNetworkError(err)) return `The connection to ${s.url} failed: ${message}.`;
  return `The directory request failed: ${message}.`;
}

export interface SearchSpec {
  baseDn: string;
  filter: string;
  attributes: string[];
  /** Attributes that are binary (objectGUID) and must arrive as buffers. */
  binaryAttributes?: string[];
}

/** A bound connection for the sync: searches page by page. */
export class LdapSession {
  private constructor(private readonly client: Client) {}

  /** Connects and binds as the sync's bind DN (anonymous when empty). Throws DirectoryError. */
  static async open(s: LdapSettings, secret: string | null, options: LdapClientOptions = {}): Promise<LdapSession> {
    // A DN without a password is an unauthenticated bind (RFC 4513 §5.1.2): servers accept
    // it and then refuse the searches, which would read as an empty directory.
    if (s.bindDn && !secret) throw new DirectoryError(`No bind password is stored for ${s.bindDn}: enter it in the directory settings (or set LDAP_BIND_PASSWORD).`);
    let client: Client | null = null;
    try {
      client = await connect(s, options);
      if (s.bindDn) await client.bind(s.bindDn, secret ?? '');
      return new LdapSession(client);
    } catch (err) {
      if (client) await close(client);
      throw new DirectoryError(explain(err, s));
    }
  }

  /** Entries page by page, in the order the directory returns them. */
  async *pages(spec: SearchSpec, settings: Pick<LdapSettings, 'url' | 'baseDn' | 'bindDn'>): AsyncGenerator<Entry[]> {
    try {
      for await (const page of this.client.searchPaginated(spec.baseDn, {
        scope: 'sub',
        filter: spec.filter,
        attributes: spec.attributes,
        explicitBufferAttributes: spec.binaryAttributes ?? [],
        paged: { pageSize: PAGE_SIZE },
      })) {
        yield page.searchEntries;
      }
    } catch (err) {
      throw new DirectoryError(explain(err, settings));
    }
  }

  /** Member DNs of one group (groupOfNames `member`, groupOfUniqueNames `uniqueMember`). */
  async groupMembers(groupDn: string, settings: Pick<LdapSettings, 'url' | 'baseDn' | 'bindDn'>): Promise<string[] | null> {
    try {
      const { searchEntries } = await this.client.search(groupDn, { scope: 'base', filter: '(objectClass=*)', attributes: ['member', 'uniqueMember'] });
      const entry = searchEntries[0];
      if (!entry) return null;
      return [...values(entry, 'member'), ...values(entry, 'uniqueMember')];
    } catch (err) {
      if (err instanceof NoSuchObjectError) return null;
      throw new DirectoryError(explain(err, settings));
    }
  }

  async close(): Promise<void> {
    await close(this.client);
  }
}

/**
 * Checks a user's directory password by binding as their DN (an LDAP bind,
 * nothing stored). False for a wrong password; DirectoryUnreachable when the directory cannot be
 * asked. An empty password is refused before asking: LDAP treats a bind with a DN and no
 * password as an unauthenticated bind that succeeds (RFC 4513 §5.1.2).
 */
export async function bindAsUser(s: Where, dn: string, password: string, options: LdapClientOptions = {}): Promise<boolean> {
  if (!password) return false;
  let client: Client;
  try {
    client = await connect(s, options);
  } catch {
    throw new DirectoryUnreachable();
  }
  try {
    await client.bind(dn, password);
    return true;
  } catch (err) {
    // Any LDAP answer (invalid credentials, a locked or unknown entry) refuses this password;
    // only a directory that cannot be asked is an outage.
    if (err instanceof ResultCodeError) return false;
    throw new DirectoryUnreachable();
  } finally {
    await close(client);
  }
}

/** Every value of an attribute (name case-insensitive) as strings; binary values as buffers. */
export function values(entry: Entry, attribute: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  if (!key || key === 'dn') return [];
  const v = entry[key] as string | string[] | Buffer | Buffer[];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (Buffer.isBuffer(x) ? formatBinary(attribute, x) : String(x)));
}

/** Active Directory's objectGUID is 16 bytes in mixed-endian GUID order; others as hex. */
function formatBinary(attribute: string, b: Buffer): string {
  if (attribute.toLowerCase() === 'objectguid' && b.length === 16) {
    const h = (i: number) => b[i]!.toString(16).padStart(2, '0');
    return [
      [3, 2, 1, 0].map(h).join(''),
      [5, 4].map(h).join(''),
      [7, 6].map(h).join(''),
      [8, 9].map(h).join(''),
      [10, 11, 12, 13, 14, 15].map(h).join(''),
    ].join('-');
  }
  return b.toString('hex');
}
