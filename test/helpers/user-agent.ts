// A tiny browser for HTTP tests: keeps cookies per host and path, follows redirects on the
// server's own origin, stops at a redirect to anywhere else (a client's callback), and can
// submit a page's form with its hidden fields (CSRF token included).
export interface Page {
  status: number;
  url: string;
  body: string;
  location: string | null;
}

interface Cookie {
  host: string;
  name: string;
  value: string;
  path: string;
}

/** One HTTP exchange, redirects not followed: how the agent talks to servers. */
export type Transport = (request: { method: string; url: URL; headers: Record<string, string>; body?: string }) => Promise<{ status: number; location: string | null; setCookies: string[]; body: string }>;

const fetchTransport: Transport = async ({ method, url, headers, body }) => {
  const res = await fetch(url, { method, redirect: 'manual', headers, body });
  return { status: res.status, location: res.headers.get('location'), setCookies: res.headers.getSetCookie(), body: await res.text() };
};

export class UserAgent {
  private readonly jar = new Map<string, Cookie>();

  private readonly followOrigins: Set<string>;

  private readonly transport: Transport;

  /**
   * Redirects are followed on `origin` and on `alsoFollow` (e.g. an upstream provider).
   * `transport` defaults to fetch; a load generator may pass a cheaper one.
   */
  constructor(
    private readonly origin: string,
    options: { alsoFollow?: string[]; transport?: Transport } = {},
  ) {
    this.followOrigins = new Set([origin, ...(options.alsoFollow ?? [])].map((o) => new URL(o).origin));
    this.transport = options.transport ?? fetchTransport;
  }

  cookie(name: string): string | undefined {
    return [...this.jar.values()].find((c) => c.name === name)?.value;
  }

  dropCookie(name: string): void {
    for (const [k, c] of this.jar) if (c.name === name) this.jar.delete(k);
  }

  async get(url: string): Promise<Page> {
    return this.request('GET', url);
  }

  async post(url: string, form: Record<string, string>): Promise<Page> {
    return this.request('POST', url, new URLSearchParams(form).toString());
  }

  /** Posts an already url-encoded body (repeated or odd field names included), with the agent's cookies. */
  async postEncoded(url: string, body: string): Promise<Page> {
    return this.request('POST', url, body);
  }

  /** Submits the form whose action matches, merging its hidden inputs with `fields`. */
  async submit(page: Page, actionIncludes: string, fields: Record<string, string> = {}): Promise<Page> {
    const forms = [...page.body.matchAll(/<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)];
    const form = forms.find((f) => decode(f[1]!).includes(actionIncludes));
    if (!form) throw new Error(`no form with action containing ${actionIncludes} on ${page.url}:\n${page.body.slice(0, 2000)}`);
    const hidden: Record<string, string> = {};
    for (const input of form[2]!.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(input[0])?.[1];
      const value = /value="([^"]*)"/.exec(input[0])?.[1] ?? '';
      if (name) hidden[name] = decode(value);
    }
    return this.post(new URL(decode(form[1]!), page.url).toString(), { ...hidden, ...fields });
  }

  private async request(method: string, url: string, body?: string, hops = 0): Promise<Page> {
    const target = new URL(url, this.origin);
    const res = await this.transport({
      method,
      url: target,
      headers: { cookie: this.cookieHeader(target), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), accept: 'text/html' },
      body,
    });
    this.store(res.setCookies, target);
    const { location, body: text } = res;
    if (location && res.status >= 300 && res.status < 400 && hops < 20) {
      const next = new URL(location, target);
      if (this.followOrigins.has(next.origin)) return this.request('GET', next.toString(), undefined, hops + 1);
    }
    return { status: res.status, url: target.toString(), body: text, location: location ? new URL(location, target).toString() : null };
  }

  private cookieHeader(url: URL): string {
    return [...this.jar.values()].filter((c) => c.host === url.host && url.pathname.startsWith(c.path)).map((c) => `${c.name}=${c.value}`).join('; ');
  }

  private store(setCookies: string[], url: URL): void {
    for (const line of setCookies) {
      const [pair, ...attrs] = line.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      const path = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path='))?.slice(5) || url.pathname.replace(/\/[^/]*$/, '') || '/';
      const expired = attrs.some((a) => /^expires=/i.test(a.trim()) && new Date(a.trim().slice(8)).getTime() < Date.now()) || attrs.some((a) => /^max-age=0/i.test(a.trim()));
      const key = `${url.host}|${name}|${path}`;
      if (expired || value === '') this.jar.delete(key);
      else this.jar.set(key, { host: url.host, name, value, path });
    }
  }
}

function decode(s: string): string {
  return s.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}
