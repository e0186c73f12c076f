// Signing in to the admin pages in tests: a page session created directly (as the sign-in
// callback would), its cookie, and the CSRF double-submit pair (the gh_csrf cookie the
// pages echo into every form's hidden _csrf field).
import request from 'supertest';
import { expect } from 'chai';
import { newToken } from '../../src/ids.js';
import { escapeHtml } from '../../src/html.js';
import type { UserView } from '../../src/users/user-presenter.js';
import type { Harness } from '../helpers/harness.js';
import { addOwner, addUser, addWithRole } from '../accounts/account-fixtures.js';

export type Form = Record<string, string | string[]>;

export interface AdminClient {
  user: UserView | null;
  csrf: string;
  get(path: string): Promise<request.Response>;
  /** Posts a form with the CSRF field filled in, as the page's own form would. */
  post(path: string, form?: Form): Promise<request.Response>;
}

export function clientFor(h: Harness, user: UserView | null, session: string | null): AdminClient {
  const csrf = newToken();
  const cookie = [`gh_csrf=${csrf}`, ...(session ? [`gh_session=${session}`] : [])].join('; ');
  return {
    user,
    csrf,
    get: (path) => request(h.app).get(path).set('Cookie', cookie).set('Accept', 'text/html'),
    post: (path, form = {}) =>
      request(h.app).post(path).set('Cookie', cookie).set('Accept', 'text/html').type('form').send(encode({ _csrf: csrf, ...form })),
  };
}

function encode(form: Form): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) params.append(k, one);
  return params.toString();
}

export async function signIn(h: Harness, user: UserView): Promise<AdminClient> {
  const token = await h.services.webSessions.create(user.id, null);
  return clientFor(h, user, token);
}

export const signedOut = (h: Harness): AdminClient => clientFor(h, null, null);

export type BuiltIn = 'owner' | 'admin' | 'member' | 'viewer';

/** An account holding the built-in role (the owner is the workspace's one owner). */
export function addBuiltIn(h: Harness, role: BuiltIn): Promise<UserView> {
  return role === 'owner' ? addOwner(h) : addWithRole(h, role);
}

export async function asBuiltIn(h: Harness, role: BuiltIn): Promise<AdminClient> {
  return signIn(h, await addBuiltIn(h, role));
}

/** An account holding only a custom role with exactly these permissions. */
export async function asCustom(h: Harness, permissions: string[], name = `Custom ${permissions.join(' ')}`): Promise<AdminClient> {
  const role = await h.services.roles.create(h.system(), { name, permissions });
  return signIn(h, await addUser(h, {}, { roleIds: [role.id] }));
}

/** The message shown beside a field (layout.ts / form-controls.ts render it with this id). */
export function fieldError(body: string, name: string): string | null {
  const m = new RegExp(`<p class="field-error" id="f-${name}-error">([^<]*)</p>`).exec(body);
  return m ? decode(m[1]!) : null;
}

export function expectFieldError(body: string, name: string, includes: string): void {
  const message = fieldError(body, name);
  expect(message, `message beside ${name}`).to.be.a('string');
  expect(message).to.include(includes);
}

/** The value a text input was rendered with. */
export function inputValue(body: string, name: string): string | null {
  const m = new RegExp(`<input id="f-${name}" name="${name}"[^>]*?value="([^"]*)"`).exec(body);
  return m ? decode(m[1]!) : null;
}

export function textareaValue(body: string, name: string): string | null {
  const m = new RegExp(`<textarea id="f-${name}" name="${name}"[^>]*>([\\s\\S]*?)</textarea>`).exec(body);
  return m ? decode(m[1]!) : null;
}

export function isChecked(body: string, name: string, value: string): boolean {
  return new RegExp(`<input type="checkbox" name="${name}" value="${escapeRegExp(escapeHtml(value))}"[^>]*checked`).test(body);
}

export function selectedValue(body: string, name: string): string | null {
  const select = new RegExp(`<select id="f-${name}"[\\s\\S]*?</select>`).exec(body)?.[0] ?? '';
  const m = /<option value="([^"]*)" selected/.exec(select);
  return m ? decode(m[1]!) : null;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function decode(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}
