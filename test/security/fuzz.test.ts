// Fuzzing the input edges with a fixed seed and a fixed number of cases: SCIM (Users and
// Groups by POST, PUT and PATCH, Bulk, filters and search) and the sign-in, registration
// and admin forms (add user, user detail edit). The cases carry prototype names as keys,
// control characters, 10,000-character values, numbers, arrays, objects, null and booleans
// where strings belong, and deep nesting. The assertion: no 5xx, and every error answer in
// its protocol's format (SCIM error JSON; an HTML page for the forms). A failure lists the
// first cases by target and index: the same seed replays them.
import { expect } from 'chai';
import request from 'supertest';
import { describeEachDatabase } from '../helpers/harness.js';
import { BULK_REQUEST, createToken, ERROR_URN, GROUP_URN, json, PATCH_OP, SEARCH_REQUEST, USER_URN } from '../scim/scim-fixtures.js';
import { registerClient, startAuth } from '../helpers/relying-party.js';
import { UserAgent } from '../helpers/user-agent.js';
import { addOwner } from '../accounts/account-fixtures.js';
import { newToken } from '../../src/ids.js';
import { Fuzz } from './fuzz-kit.js';

const SEED = 0x6a7e5;
// SQLite runs every target at full size; MariaDB (slower per statement) re-runs the same
// seeds with fewer cases, which still covers its own column limits and collations.
// Sizes keep the whole file near two minutes on both databases on a loaded 2-core machine:
// the write targets cost a transaction (and an audit row) per accepted case, filters are reads.
const CASES = {
  sqlite: { scim: 800, bulk: 300, filters: 2000, forms: 200, signIn: 40 },
  mysql: { scim: 150, bulk: 60, filters: 300, forms: 40, signIn: 15 },
} as const;

const USER_ATTRIBUTES = [
  'schemas', 'id', 'externalId', 'userName', 'name', 'displayName', 'nickName', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone', 'active',
  'password', 'emails', 'phoneNumbers', 'addresses', 'groups', 'roles', 'meta', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
];
const USER_PATHS = [
  'userName', 'name.givenName', 'name.familyName', 'name', 'displayName', 'title', 'active', 'emails', 'emails[type eq "work"].value', 'emails[primary eq true]',
  'phoneNumbers', 'phoneNumbers[type eq "mobile"].value', 'externalId', 'locale', 'preferredLanguage', 'userType', 'password', 'addresses[type eq "work"].formatted',
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', 'meta.created', 'id', 'groups',
];
const GROUP_ATTRIBUTES = ['schemas', 'id', 'externalId', 'displayName', 'members', 'meta'];
const GROUP_PATHS = ['displayName', 'members', 'members[value eq "x"]', 'members.value', 'externalId', 'id'];
const FILTER_ATTRIBUTES = [
  'userName', 'id', 'externalId', 'name.givenName', 'name.familyName', 'emails', 'emails.value', 'emails.type', 'emails.primary', 'phoneNumbers.value', 'active', 'title',
  'meta.created', 'meta.lastModified', 'userType', 'groups.value', 'groups.display', 'displayName', 'members.value', 'members', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
];

/** A path segment from any string (a lone surrogate cannot be percent-encoded: it goes as U+FFFD). */
function pathSegment(s: string): string {
  return encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

interface Problem {
  target: string;
  index: number;
  status: number;
  request: string;
  response: string;
}

describeEachDatabase(
  'fuzz: hostile input at every edge',
  (h) => {
    const problems: Problem[] = [];
    let token = '';
    const cases = () => CASES[h.dialect];

    beforeEach(async () => {
      problems.length = 0;
      token = await createToken(h, 'Fuzz');
    });

    /** Ends each target: every case ran; the first few that broke the rules are shown. */
    function expectNoProblems(): void {
      if (!problems.length) return;
      const sample = problems.slice(0, 8).map((p) => `#${p.index} ${p.target} → ${p.status}\n  sent: ${p.request.slice(0, 400)}\n  got:  ${p.response.slice(0, 300)}`);
      expect.fail(`${problems.length} case(s) broke the rules (seed ${SEED}):\n${sample.join('\n')}`);
    }

    const scim = (method: 'get' | 'post' | 'put' | 'patch', path: string, body?: string) => {
      const t = request(h.app)[method](`/scim/v2${path}`).set('Authorization', `Bearer ${token}`).set('Accept', 'application/scim+json');
      return body === undefined ? t : t.set('Content-Type', 'application/scim+json').send(body);
    };

    /** A SCIM answer: below 500, and an error is SCIM error JSON with the same status. */
    function checkScim(target: string, index: number, sent: string, res: request.Response): void {
      const bad = (why: string) => problems.push({ target, index, status: res.status, request: sent, response: `${why}: ${res.text}` });
      if (res.status >= 500) return void bad('server error');
      if (res.status < 400) return;
      if (!/^application\/scim\+json/.test(res.headers['content-type'] ?? '')) return void bad(`content-type ${res.headers['content-type']}`);
      let body: Record<string, unknown>;
      try {
        body = json(res);
      } catch {
        return void bad('not JSON');
      }
      if (JSON.stringify(body.schemas) !== JSON.stringify([ERROR_URN]) || body.status !== String(res.status) || typeof body.detail !== 'string') bad('not a SCIM error');
    }

    /** A page answer: below 500, and an error is an HTML page. */
    function checkPage(target: string, index: number, sent: string, status: number, contentType: string | undefined, text: string): void {
      if (status >= 500) problems.push({ target, index, status, request: sent, response: text });
      else if (status >= 400 && !/^text\/html/.test(contentType ?? '')) problems.push({ target, index, status, request: sent, response: `content-type ${contentType}: ${text}` });
    }

    function jsonOf(value: unknown): string {
      return JSON.stringify(value);
    }

    async function someUsers(n: number): Promise<string[]> {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) ids.push(json(await scim('post', '/Users', jsonOf({ schemas: [USER_URN], userName: `base${i}`, emails: [{ value: `base${i}@example.com` }] })).expect(201)).id);
      return ids;
    }

    function userDoc(f: Fuzz, i: number): Record<string, unknown> {
      const doc: Record<string, unknown> = { schemas: [USER_URN], userName: `fz${i}`, emails: [{ value: `fz${i}@example.com`, type: 'work', primary: true }], name: { givenName: 'F', familyName: 'Z' } };
      const r = f.int(5);
      if (r === 0) f.mutate(doc.name as Record<string, unknown>, ['givenName', 'familyName', 'formatted', 'middleName']);
      else if (r === 1) f.mutate((doc.emails as Array<Record<string, unknown>>)[0]!, ['value', 'type', 'primary', 'display']);
      else if (r === 2) doc['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'] = f.mutate({}, ['manager', 'department', 'employeeNumber', 'organization']);
      if (r !== 4 || f.chance(0.5)) f.mutate(doc, USER_ATTRIBUTES);
      return doc;
    }

    function patchDoc(f: Fuzz, paths: readonly string[], attributes: readonly string[]): Record<string, unknown> {
      const op = () => {
        const o: Record<string, unknown> = { op: f.chance(0.85) ? f.pick(['add', 'replace', 'remove', 'Add', 'Replace']) : f.value() };
        if (f.chance(0.8)) o.path = f.chance(0.7) ? f.randomCase(f.pick(paths)) : f.chance(0.5) ? f.key(attributes) : f.filter(FILTER_ATTRIBUTES).slice(0, 500);
        if (f.chance(0.85)) o.value = f.chance(0.3) ? f.mutate({}, attributes) : f.value();
        if (f.chance(0.1)) f.mutate(o, ['op', 'path', 'value']);
        return o;
      };
      const doc: Record<string, unknown> = { schemas: f.chance(0.9) ? [PATCH_OP] : f.value(), Operations: f.chance(0.9) ? Array.from({ length: 1 + f.int(3) }, op) : f.value() };
      if (f.chance(0.1)) f.mutate(doc, ['schemas', 'Operations']);
      return doc;
    }

    function groupDoc(f: Fuzz, i: number, userIds: string[]): Record<string, unknown> {
      const doc: Record<string, unknown> = { schemas: [GROUP_URN], displayName: `Fuzz group ${i}`, members: [{ value: f.pick(userIds) }] };
      if (f.chance(0.5)) (doc.members as unknown[]).push(f.chance(0.5) ? f.mutate({}, ['value', 'type', 'display', '$ref']) : f.value());
      return f.mutate(doc, GROUP_ATTRIBUTES);
    }

    it('SCIM POST /Users', async () => {
      const f = new Fuzz(SEED + 1);
      for (let i = 0; i < cases().scim; i++) {
        const body = jsonOf(userDoc(f, i));
        checkScim('POST /Users', i, body, await scim('post', '/Users', body));
      }
      expectNoProblems();
    });

    it('SCIM PUT and PATCH /Users/:id', async () => {
      const f = new Fuzz(SEED + 2);
      const ids = await someUsers(5);
      for (let i = 0; i < cases().scim; i++) {
        const id = f.chance(0.95) ? f.pick(ids) : pathSegment(f.string().slice(0, 100));
        if (f.chance(0.4)) {
          const body = jsonOf(userDoc(f, i));
          checkScim('PUT /Users/:id', i, body, await scim('put', `/Users/${id}`, body));
        } else {
          const body = jsonOf(patchDoc(f, USER_PATHS, USER_ATTRIBUTES));
          checkScim('PATCH /Users/:id', i, body, await scim('patch', `/Users/${id}`, body));
        }
      }
      expectNoProblems();
    });

    it('SCIM POST, PUT and PATCH /Groups', async () => {
      const f = new Fuzz(SEED + 3);
      const userIds = await someUsers(3);
      const groups = [json(await scim('post', '/Groups', jsonOf({ schemas: [GROUP_URN], displayName: 'Fuzz base' })).expect(201)).id as string];
      for (let i = 0; i < cases().scim; i++) {
        const r = f.int(3);
        if (r === 0) {
          const body = jsonOf(groupDoc(f, i, userIds));
          const res = await scim('post', '/Groups', body);
          if (res.status === 201 && groups.length < 20) groups.push(json(res).id);
          checkScim('POST /Groups', i, body, res);
        } else if (r === 1) {
          const body = jsonOf(groupDoc(f, i, userIds));
          checkScim('PUT /Groups/:id', i, body, await scim('put', `/Groups/${f.pick(groups)}`, body));
        } else {
          const body = jsonOf(patchDoc(f, GROUP_PATHS, GROUP_ATTRIBUTES));
          checkScim('PATCH /Groups/:id', i, body, await scim('patch', `/Groups/${f.pick(groups)}`, body));
        }
      }
      expectNoProblems();
    });

    it('SCIM Bulk', async () => {
      const f = new Fuzz(SEED + 4);
      const userIds = await someUsers(2);
      for (let i = 0; i < cases().bulk; i++) {
        const operation = (k: number) => {
          const method = f.chance(0.8) ? f.pick(['POST', 'PUT', 'PATCH', 'DELETE', 'post']) : f.value();
          const resource = f.pick(['/Users', '/Groups']);
          const path = f.chance(0.8) ? (method === 'POST' ? resource : `${resource}/${f.chance(0.5) ? f.pick(userIds) : `bulkId:b${f.int(4)}`}`) : f.value();
          const data = resource === '/Users' ? (method === 'PATCH' ? patchDoc(f, USER_PATHS, USER_ATTRIBUTES) : userDoc(f, i * 10 + k)) : method === 'PATCH' ? patchDoc(f, GROUP_PATHS, GROUP_ATTRIBUTES) : groupDoc(f, i * 10 + k, [...userIds, `bulkId:b${f.int(4)}`]);
          const op: Record<string, unknown> = { method, path, bulkId: f.chance(0.8) ? `b${k}` : f.value(), data: f.chance(0.9) ? data : f.value() };
          return f.chance(0.15) ? f.mutate(op, ['method', 'path', 'bulkId', 'data', 'version']) : op;
        };
        const doc: Record<string, unknown> = { schemas: [BULK_REQUEST], failOnErrors: f.chance(0.8) ? f.pick([undefined, 1, 2]) : f.value(), Operations: Array.from({ length: 1 + f.int(4) }, (_, k) => operation(k)) };
        if (f.chance(0.15)) f.mutate(doc, ['schemas', 'Operations', 'failOnErrors']);
        const body = jsonOf(doc);
        checkScim('POST /Bulk', i, body, await scim('post', '/Bulk', body));
      }
      expectNoProblems();
    });

    it('SCIM filters, sorting, paging and search', async () => {
      const f = new Fuzz(SEED + 5);
      await someUsers(3);
      const params = ['filter', 'sortBy', 'sortOrder', 'startIndex', 'count', 'attributes', 'excludedAttributes'];
      for (let i = 0; i < cases().filters; i++) {
        const resource = f.pick(['/Users', '/Groups', '']);
        const query: Record<string, unknown> = { filter: f.filter(FILTER_ATTRIBUTES) };
        if (f.chance(0.3)) query.sortBy = f.chance(0.6) ? f.randomCase(f.pick(FILTER_ATTRIBUTES)) : f.key(FILTER_ATTRIBUTES);
        if (f.chance(0.2)) query.sortOrder = f.pick(['ascending', 'descending', 'DESC', f.string().slice(0, 30)]);
        if (f.chance(0.2)) query.startIndex = f.pick([0, -1, 1, 2 ** 31, '1e3', 'x', 1.5]);
        if (f.chance(0.2)) query.count = f.pick([0, -1, 5, 10 ** 9, 'ten', 2.5]);
        if (f.chance(0.2)) query[f.pick(['attributes', 'excludedAttributes'])] = f.chance(0.5) ? f.key(FILTER_ATTRIBUTES) : [f.key(FILTER_ATTRIBUTES), f.key(FILTER_ATTRIBUTES)].join(',');
        if (f.chance(0.1)) f.mutate(query, params);
        const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as [string, string])).toString();
        // Query strings stay within Node's 16 kB header limit (beyond it Node itself answers
        // 431 before any application code runs); longer filters go by POST .search.
        if (resource !== '' && qs.length < 8000 && f.chance(0.5)) {
          checkScim(`GET ${resource}`, i, qs, await scim('get', `${resource}?${qs}`));
        } else {
          const body = jsonOf({ schemas: f.chance(0.9) ? [SEARCH_REQUEST] : f.value(), ...query });
          checkScim(`POST ${resource}/.search`, i, body, await scim('post', `${resource}/.search`, body));
        }
      }
      expectNoProblems();
    });

    /** Posts an encoded form as a signed-in page would (session cookie, CSRF pair). */
    async function pageSession(): Promise<{ cookie: string; csrf: string }> {
      const owner = await addOwner(h);
      const csrf = newToken();
      return { csrf, cookie: `gh_csrf=${csrf}; gh_session=${await h.services.webSessions.create(owner.id, null)}` };
    }

    async function postForm(target: string, index: number, path: string, cookie: string, body: string): Promise<void> {
      const res = await request(h.app).post(path).set('Cookie', cookie).set('Accept', 'text/html').type('form').send(body);
      checkPage(target, index, body, res.status, res.headers['content-type'], res.text);
    }

    it('sign-in form', async () => {
      const f = new Fuzz(SEED + 6);
      await h.services.users.create(h.system(), { username: 'alice', email: 'alice@example.com' }, { source: 'admin', origin: 'page', password: 'a long enough passphrase' });
      const { config } = await registerClient(h);
      const ua = new UserAgent(h.baseUrl);
      const page = await ua.get((await startAuth(config)).url.toString());
      const action = new URL(/action="([^"]*\/login)"/.exec(page.body)![1]!, page.url).toString();
      const csrf = /name="_csrf" value="([^"]*)"/.exec(page.body)![1]!;
      for (let i = 0; i < cases().signIn; i++) {
        const body = f.form(['login', 'password'], [['_csrf', csrf], ['login', f.pick(['alice', 'alice@example.com', 'ALICE', 'nobody'])], ['password', 'wrong']]);
        const res = await ua.postEncoded(action, body);
        // The agent keeps no headers: an HTML document stands for text/html here.
        checkPage('POST /interaction/:uid/login', i, body, res.status, /^\s*<!doctype html|<html/i.test(res.body) ? 'text/html' : 'unknown', res.body);
      }
      expectNoProblems();
    });

    it('registration form', async () => {
      const f = new Fuzz(SEED + 7);
      await h.services.settings.set(h.system(), 'registrationMode', 'open');
      const csrf = newToken();
      const known = ['name', 'email', 'password', 'passwordConfirmation'];
      for (let i = 0; i < cases().forms; i++) {
        // A quarter of the cases carry a good password, so the hostile fields also reach account creation.
        const password = f.chance(0.25) ? 'a long and quiet river 7' : 'x';
        const body = f.form(known, [['_csrf', csrf], ['name', `Reg ${i}`], ['email', `reg${i}@example.com`], ['password', password], ['passwordConfirmation', password]]);
        await postForm('POST /register', i, '/register', `gh_csrf=${csrf}`, body);
      }
      expectNoProblems();
    });

    it('admin forms: add user and user detail edit', async () => {
      const f = new Fuzz(SEED + 8);
      const { cookie, csrf } = await pageSession();
      const target = await h.services.users.create(h.system(), { username: 'target', email: 'target@example.com' }, { source: 'admin', origin: 'page' });
      const member = (await h.services.roles.builtin('member')).id;
      const addKnown = ['givenName', 'familyName', 'username', 'email', 'countryCode', 'phone', 'gender', 'birthdate', 'department', 'title', 'kind', 'roles', 'mode', 'passwordMode', 'password', 'passwordConfirmation', 'confirmed', 'sendWelcome', 'deliveryEmail'];
      const profileKnown = ['givenName', 'familyName', 'username', 'email', 'countryCode', 'phone', 'gender', 'birthdate', 'department', 'title', 'kind'];
      for (let i = 0; i < cases().forms; i++) {
        if (f.chance(0.5)) {
          const base: Array<[string, string]> = [['_csrf', csrf], ['username', `add${i}`], ['email', `add${i}@example.com`], ['kind', 'user'], ['roles', member], ['mode', 'create'], ['passwordMode', 'random']];
          await postForm('POST /admin/users/new', i, '/admin/users/new', cookie, f.form(addKnown, base));
        } else {
          const form = f.pick(['profile', 'profile', 'roles']);
          const base: Array<[string, string]> = form === 'profile' ? [['_csrf', csrf], ['username', 'target'], ['email', 'target@example.com'], ['kind', 'user']] : [['_csrf', csrf], ['roles', member]];
          await postForm(`POST /admin/users/:id/${form}`, i, `/admin/users/${target.id}/${form}`, cookie, f.form(form === 'profile' ? profileKnown : ['roles', 'reason'], base));
        }
      }
      expectNoProblems();
    });
  },
  { serve: true },
);
