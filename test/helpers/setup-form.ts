// Drives the first-start setup page over HTTP the way a browser does: GET the form to
// receive the CSRF cookie and hidden field, then POST them back with the fields.
import request from 'supertest';
import type { Express } from 'express';

export interface FormSession {
  cookie: string;
  csrf: string;
}

export function tokenOf(link: string): string {
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}

/** The gh_csrf cookie pair from a response's Set-Cookie headers, or null. */
export function csrfCookieOf(res: request.Response): string | null {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  const pair = (raw ?? []).map((c) => c.split(';')[0]).find((c) => c.startsWith('gh_csrf='));
  return pair ?? null;
}

export function csrfFieldOf(html: string): string | null {
  return html.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? null;
}

/** GETs the setup page and returns the CSRF cookie and field it hands out. */
export async function openSetupForm(app: Express, token: string): Promise<FormSession> {
  const res = await request(app).get(`/setup?token=${encodeURIComponent(token)}`).expect(200);
  const cookie = csrfCookieOf(res);
  const csrf = csrfFieldOf(res.text);
  if (!cookie || !csrf) throw new Error('setup page handed out no CSRF cookie or field');
  return { cookie, csrf };
}

export interface OwnerForm {
  name?: string;
  email?: string;
  password?: string;
  passwordConfirmation?: string;
}

export function postSetup(app: Express, token: string, form: OwnerForm, session: FormSession | null): request.Test {
  const body: Record<string, string> = { token, name: '', email: '', password: '', passwordConfirmation: '', ...form } as Record<string, string>;
  if (form.password !== undefined && form.passwordConfirmation === undefined) body.passwordConfirmation = form.password;
  if (session) body._csrf = session.csrf;
  const req = request(app).post('/setup').type('form').send(body);
  if (session) req.set('Cookie', session.cookie);
  return req;
}

/** The message shown beside a field (layout.ts renders it as #f-NAME-error). */
export function fieldError(html: string, field: string): string | null {
  const m = html.match(new RegExp(`<p class="field-error" id="f-${field}-error">([^<]*)</p>`));
  return m ? m[1] : null;
}

/** The value an input keeps after a failed submission. */
export function fieldValue(html: string, field: string): string | null {
  const m = html.match(new RegExp(`<input id="f-${field}"[^>]*\\bvalue="([^"]*)"`));
  return m ? m[1] : null;
}
