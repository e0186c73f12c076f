// Browser origins allowed to call the management API for an application (CORS). An origin
// is a scheme, host and port only (RFC 6454), compared exactly with the Origin header:
// https, or plain http for loopback hosts during development, as redirect URIs.
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function corsOriginProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not an origin (https://host[:port]).`;
  }
  if (url.origin !== value) return `"${value}" is not an origin: give scheme, host and port only, as in ${url.origin === 'null' ? 'https://app.example.com' : url.origin}.`;
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return null;
  return `"${value}" must use https (plain http is only allowed for localhost).`;
}
