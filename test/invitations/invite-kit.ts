// Helpers shared by the invitation and registration suites: an inviting admin, the pages'
// forms over HTTP (CSRF cookie and field kept by a supertest agent), links taken from
// mail, and delivery of the outbox to the real SMTP test server.
import { expect } from 'chai';
import request from 'supertest';
import type { Context } from '../../src/context.js';
import { OutboxWorker } from '../../src/mail/outbox-worker.js';
import { createSmtpTransport, type MailTransport, type OutgoingMail } from '../../src/mail/transport.js';
import type { UserView } from '../../src/users/user-presenter.js';
import type { Harness } from '../helpers/harness.js';
import { SmtpTestServer, type ReceivedMail } from '../helpers/smtp-test-server.js';
import { testLogger } from '../helpers/test-databases.js';
import { addWithRole } from '../accounts/account-fixtures.js';

export const PUBLIC_URL = 'http://gatehouse.test';
export const GOOD_PASSWORD = 'a long and quiet river 7';

export interface Admin {
  user: UserView;
  ctx: Context;
}

/** An account with the built-in admin role (may invite; may not give the owner role). */
export async function addAdmin(h: Harness, input: { email?: string; givenName?: string; familyName?: string } = {}): Promise<Admin> {
  const user = await addWithRole(h, 'admin', { givenName: 'Ada', familyName: 'Admin', ...input });
  return { user, ctx: await h.as(user) };
}

export async function roleId(h: Harness, builtin: 'admin' | 'member' | 'viewer'): Promise<string> {
  return (await h.services.roles.builtin(builtin)).id;
}

/** The path and query of a link built from PUBLIC_URL, for supertest. */
export function pathOf(url: string): string {
  expect(url.startsWith(PUBLIC_URL + '/'), `${url} is built from PUBLIC_URL`).to.equal(true);
  return url.slice(PUBLIC_URL.length);
}

/** The first link to `path` in a text. */
export function linkTo(text: string, path: string): string {
  const escaped = (PUBLIC_URL + path).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = text.match(new RegExp(`${escaped}\\?token=[A-Za-z0-9_%-]+`));
  if (!match) expect.fail(`no link to ${path} in:\n${text}`);
  return match[0];
}

export function tokenOf(url: string): string {
  return decodeURIComponent(new URL(url).searchParams.get('token')!);
}

/** Mail delivered so far by the in-memory transport (worker runs on demand). */
export async function deliverToMemory(h: Harness): Promise<OutgoingMail[]> {
  await h.services.mailWorker.runOnce();
  return h.mail.sent;
}

/** The latest in-memory message to `address` (after delivering the outbox). */
export async function lastMailTo(h: Harness, address: string): Promise<OutgoingMail> {
  await h.services.mailWorker.runOnce();
  const mails = h.mail.to(address);
  if (!mails.length) expect.fail(`no mail to ${address}; sent: ${h.mail.sent.map((m) => m.to).join(', ')}`);
  return mails[mails.length - 1]!;
}

/** A worker delivering this harness's outbox to the real SMTP test server. */
export function smtpWorker(h: Harness, smtp: SmtpTestServer): { worker: OutboxWorker; transport: MailTransport } {
  const transport = createSmtpTransport(smtp.url);
  const worker = new OutboxWorker(h.services.models, h.services.outbox, transport, h.clock, testLogger(), { from: 'Gatehouse <no-reply@gatehouse.test>', baseBackoffMs: 1_000 });
  return { worker, transport };
}

/**
 * A real SMTP server for the enclosing describe, emptied before each test, and a worker
 * that delivers this harness's outbox to it.
 */
export function useSmtp(h: Harness): { smtp: SmtpTestServer; deliver(): Promise<unknown> } {
  const smtp = new SmtpTestServer();
  let delivery: { worker: OutboxWorker; transport: MailTransport } | null = null;
  before(async () => {
    await smtp.start();
    delivery = smtpWorker(h, smtp);
  });
  beforeEach(() => {
    smtp.received.length = 0;
  });
  after(async () => {
    delivery?.transport.close();
    await smtp.stop();
  });
  return { smtp, deliver: () => delivery!.worker.runOnce() };
}

export function receivedBy(smtp: SmtpTestServer, address: string): ReceivedMail[] {
  return smtp.received.filter((m) => m.envelopeTo.includes(address));
}

/** A browser-like client: keeps the CSRF cookie and reads the form's hidden field. */
export class FormClient {
  readonly agent;
  constructor(app: Harness['app']) {
    this.agent = request.agent(app);
  }

  async get(path: string) {
    return this.agent.get(path).set('Accept', 'text/html');
  }

  /** Loads the page holding the form, then posts `fields` with its CSRF field and hidden inputs. */
  async submit(pagePath: string, action: string, fields: Record<string, string>) {
    const page = await this.get(pagePath);
    expect(page.status, `GET ${pagePath}: ${page.text.slice(0, 400)}`).to.equal(200);
    const hidden = hiddenFields(page.text);
    return this.agent.post(action).type('form').set('Accept', 'text/html').send({ ...hidden, ...fields });
  }
}

export function hiddenFields(html: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) out[m[1]!] = decodeEntities(m[2]!);
  return out;
}

export function decodeEntities(s: string): string {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Visible text of an HTML page (tags dropped, entities decoded, spaces collapsed). */
export function textOf(html: string): string {
  return decodeEntities(html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
}
