// Redirect URI rules for registered clients (RFC 6749 §3.1.2, OAuth 2.0 Security BCP):
// absolute, no fragment, https — plain http only for loopback hosts (native apps and
// development, RFC 8252 §7.3) — compared exactly by the provider.
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

export function redirectUriProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not an absolute URL.`;
  }
  if (url.hash || value.includes('#')) return `"${value}" must not contain a fragment (#).`;
  if (url.username || url.password) return `"${value}" must not contain credentials.`;
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && LOOPBACK.has(url.hostname)) return null;
  if (url.protocol === 'http:') return `"${value}" must use https (plain http is only allowed for localhost).`;
  // Private-use schemes for native apps (RFC 8252 §7.1) look like com.example.app:/callback.
  if (/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+:$/.test(url.protocol)) return null;
  return `"${value}" must use https.`;
}

/** Splits a textarea or comma list into URIs, dropping blanks and duplicates. */
export function splitUris(raw: string | string[] | undefined): string[] {
  const parts = Array.isArray(raw) ? raw : (raw ?? '').split(/[\s,]+/);
  return [...new Set(parts.map((p) => p.trim()).filter(Boolean))];
}
