// Helpers for the admin invitation pages' suites: a signed-in client that can also upload
// a file as the bulk page's multipart form does, the invite form's row fields, and
// reading the rendered rows back.
import request from 'supertest';
import type { UserView } from '../../src/users/user-presenter.js';
import type { Harness } from '../helpers/harness.js';
import { addWithRole } from '../accounts/account-fixtures.js';
import { clientFor, decode, type AdminClient, type Form } from './admin-kit.js';

export interface InviterClient extends AdminClient {
  user: UserView;
  /** Posts multipart/form-data with the CSRF field, and the file when given. */
  upload(path: string, file: { data: Buffer | string; name?: string } | null, fields?: Record<string, string>): Promise<request.Response>;
}

export async function signInAs(h: Harness, user: UserView): Promise<InviterClient> {
  const session = await h.services.webSessions.create(user.id, null);
  const client = clientFor(h, user, session);
  const cookie = `gh_csrf=${client.csrf}; gh_session=${session}`;
  return {
    ...client,
    user,
    upload: (path, file, fields = {}) => {
      let req = request(h.app).post(path).set('Cookie', cookie).set('Accept', 'text/html').field('_csrf', client.csrf);
      for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
      if (file) req = req.attach('file', Buffer.isBuffer(file.data) ? file.data : Buffer.from(file.data, 'utf8'), { filename: file.name ?? 'people.csv', contentType: 'text/csv' });
      return req;
    },
  };
}

/** An Admin (holds users.invite; may give Admin, Member, Viewer, not Owner). */
export async function asAdmin(h: Harness, input: { givenName?: string; familyName?: string } = {}): Promise<InviterClient> {
  return signInAs(h, await addWithRole(h, 'admin', { givenName: 'Ada', familyName: 'Admin', ...input }));
}

export async function roleIdOf(h: Harness, builtin: 'owner' | 'admin' | 'member' | 'viewer'): Promise<string> {
  return (await h.services.roles.builtin(builtin)).id;
}

/** The invite form's fields for row `i` (names as the page renders them). */
export function rowFields(i: number, row: { addresses?: string; roles?: string[]; kind?: string; givenName?: string; familyName?: string; deliveryEmail?: string; message?: string; method?: 'email' | 'link' }): Form {
  const out: Form = {};
  const set = (field: string, value: string | string[] | undefined) => {
    if (value !== undefined) out[`rows.${i}.${field}`] = value;
  };
  set('addresses', row.addresses);
  set('roles', row.roles);
  set('kind', row.kind ?? 'user');
  set('givenName', row.givenName);
  set('familyName', row.familyName);
  set('deliveryEmail', row.deliveryEmail);
  set('message', row.message);
  set('method', row.method ?? 'email');
  return out;
}

/** Rows of a rendered table: `data-*` attributes and the cells' text. */
export function tableRows(body: string, tableId: string): Array<{ attrs: Record<string, string>; cells: string[] }> {
  const table = new RegExp(`<table id="${tableId}">([\\s\\S]*?)</table>`).exec(body)?.[1] ?? '';
  const tbody = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...tbody.matchAll(/<tr([^>]*)>([\s\S]*?)<\/tr>/g)].map((m) => ({
    attrs: Object.fromEntries([...m[1]!.matchAll(/data-([a-z-]+)="([^"]*)"/g)].map((a) => [a[1]!, decode(a[2]!)])),
    cells: [...m[2]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => textOf(c[1]!)),
  }));
}

/** Visible text (tags dropped, entities decoded, spaces collapsed). */
export function textOf(markup: string): string {
  return decode(markup.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}

/** Every shareable link shown on a page (the read-only inputs). */
export function linksShown(body: string): string[] {
  return [...body.matchAll(/<input type="text" class="link-once" id="[^"]*" readonly value="([^"]*)"/g)].map((m) => decode(m[1]!));
}

export function tokenOf(link: string): string {
  return decodeURIComponent(new URL(link).searchParams.get('token')!);
}
