// An administrator's page session used against any Gatehouse process of the cluster, over
// HTTP only: the session row is shared by every process (it lives in the database), so one
// cookie signs the same admin in on each of them. Forms carry the CSRF double-submit pair.
import { randomBytes } from 'node:crypto';
import { systemContext } from '../../src/context.js';
import type { Services } from '../../src/services.js';
import { waitUntil } from '../helpers/wait.js';

export type Form = Record<string, string | string[]>;

export interface Answer {
  status: number;
  location: string | null;
  body: string;
}

export class AdminOverHttp {
  private constructor(private readonly cookie: string, private readonly csrf: string) {}

  /** A new admin account (in the requester pool, so it takes no user seat) and its page session. */
  static async create(services: Services, username: string): Promise<AdminOverHttp> {
    const admin = (await services.roles.findByName('Admin'))!;
    const user = await services.users.create(systemContext('system', 'test'), { username, email: `${username}@example.com`, kind: 'requester' }, { source: 'admin', origin: 'page', roleIds: [admin.id] });
    const session = await services.webSessions.create(user.id, null);
    // The pages ignore (and replace) a shorter cookie value.
    const csrf = randomBytes(32).toString('base64url');
    return new AdminOverHttp(`gh_csrf=${csrf}; gh_session=${session}`, csrf);
  }

  async get(base: string, path: string): Promise<Answer> {
    return this.send(base, path, { method: 'GET' });
  }

  async post(base: string, path: string, form: Form): Promise<Answer> {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries({ _csrf: this.csrf, ...form })) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return this.send(base, path, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** Uploads a CSV to the import page; returns the preview's path. */
  async uploadImport(base: string, csv: string): Promise<string> {
    const form = new FormData();
    form.set('_csrf', this.csrf);
    form.set('file', new Blob([csv], { type: 'text/csv' }), 'people.csv');
    form.set('text', '');
    const answer = await this.send(base, '/admin/directory/import', { method: 'POST', body: form });
    if (!answer.location) throw new Error(`the upload was not accepted (${answer.status}): ${answer.body.slice(0, 400)}`);
    return new URL(answer.location, base).pathname;
  }

  /** Starts the import previewed at `previewPath` and waits for its report: the finished page. */
  async runImport(base: string, previewPath: string): Promise<Answer> {
    const started = await this.post(base, `${previewPath}/run`, {});
    if (!started.location) return started;
    const reportPath = new URL(started.location, base).pathname;
    let report = await this.get(base, reportPath);
    await waitUntil(async () => {
      if (report.status !== 200 || !report.body.includes('http-equiv="refresh"')) return true;
      report = await this.get(base, reportPath);
      return false;
    }, 'the import to finish', 120_000, 200);
    return report;
  }

  private async send(base: string, path: string, init: RequestInit): Promise<Answer> {
    const res = await fetch(new URL(path, base), { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: this.cookie, accept: 'text/html' } });
    return { status: res.status, location: res.headers.get('location'), body: await res.text() };
  }
}
