// A self-signed certificate for 127.0.0.1, made once per test run with openssl, and the
// clients that trust exactly it: a UserAgent transport and a fetch for openid-client.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transport } from './user-agent.js';

let made: { key: string; cert: string } | null = null;

export function selfSignedCertificate(): { key: string; cert: string } {
  if (made) return made;
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    made = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
    return made;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Exchange {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function exchange(url: URL, method: string, headers: Record<string, string>, body?: string): Promise<Exchange> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, ca: selfSignedCertificate().cert }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** For `new UserAgent(origin, { transport: tlsTransport })`. */
export const tlsTransport: Transport = async ({ method, url, headers, body }) => {
  const res = await exchange(url, method, headers, body);
  const setCookie = res.headers['set-cookie'];
  const location = res.headers.location;
  return { status: res.status, location: typeof location === 'string' ? location : null, setCookies: Array.isArray(setCookie) ? setCookie : [], body: res.body };
};

/** Raw Set-Cookie lines of one request (to read cookie attributes). */
export async function setCookiesOf(url: string, method = 'GET', body?: string): Promise<string[]> {
  const res = await exchange(new URL(url), method, body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}, body);
  const setCookie = res.headers['set-cookie'];
  return Array.isArray(setCookie) ? setCookie : [];
}

/** openid-client's customFetch, trusting the test certificate. */
export async function tlsFetch(url: string, options: { method?: string; headers?: Record<string, string> | Headers; body?: unknown }): Promise<Response> {
  const headers: Record<string, string> = {};
  new Headers(options.headers as HeadersInit | undefined).forEach((v, k) => (headers[k] = v));
  const body = options.body === undefined || options.body === null ? undefined : String(options.body);
  const res = await exchange(new URL(url), options.method ?? 'GET', headers, body);
  const out = new Headers();
  for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
  return new Response(res.status === 204 || res.status === 304 ? null : res.body, { status: res.status, headers: out });
}
