// Input built to break objects and fields: "__proto__", "constructor" and "prototype" as
// keys (SCIM bodies, filters, sortBy, form fields, CSV headers, settings), and control
// characters in identifiers and one-line values. Each is refused in its protocol's format
// (SCIM error JSON, the page's field message) or taken as plain data — never a 500.
import { expect } from 'chai';
import request from 'supertest';
import { describeEachDatabase } from '../helpers/harness.js';
import { BULK_REQUEST, createToken, ERROR_URN, filterQuery, GROUP_URN, json, patchOp, scimClient, USER_URN, type ScimClient } from '../scim/scim-fixtures.js';
import { asBuiltIn, expectFieldError } from '../admin/admin-kit.js';
import { normalizeUserQuirks } from '../../scim/users/user-quirks.js';
import { controlCharacterProblem, emailProblem, textProblem, usernameProblem } from '../../src/users/user-validation.js';
import { ValidationError } from '../../src/errors.js';
import { validateSettings } from '../../src/settings/settings-validation.js';
import { readHeader } from '../../src/directory/csv-template.js';
import { parseMultipart } from '../../src/web/multipart-form.js';

const CONTROLS = ['\u0000', '\u0007', '\u0009', '\u000a', '\u000d', '\u001b', '\u001f', '\u007f', '\u0080', '\u0085', '\u009f'];
const hex = (c: string) => `U+${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;

describe('hostile input: one control-character rule', () => {
  for (const c of CONTROLS) {
    it(`refuses ${hex(c)} in identifiers and one-line text`, () => {
      expect(controlCharacterProblem('Title', `a${c}b`)).to.equal('Title must not contain control characters.');
      expect(emailProblem(`jane${c}@example.com`)).to.equal('Email must not contain control characters.');
      expect(usernameProblem(`jane${c}`, 'directory')).to.equal('Username must not contain control characters.');
      expect(usernameProblem(`jane${c}`, 'page')).to.equal('Username must not contain control characters.');
      expect(textProblem('Name', `Jane${c}Doe`, 255)).to.equal('Name must not contain control characters.');
    });
  }

  it('keeps line feeds and carriage returns, and only those, in multi-line text', () => {
    expect(textProblem('Message', 'Hello,\r\nwelcome aboard.\n', 500, 'multi')).to.equal(null);
    for (const c of CONTROLS.filter((x) => x !== '\n' && x !== '\r')) {
      expect(textProblem('Message', `Hello${c}`, 500, 'multi'), hex(c)).to.equal('Message must not contain control characters other than line breaks.');
    }
  });

  it('accepts text just outside the control ranges', () => {
    for (const ok of ['\u00a0', '\u00a1', 'Zoë', 'ümlaut', ' ']) expect(controlCharacterProblem('X', `a${ok}b`)).to.equal(null);
  });

  it('takes prototype names as plain keys in the SCIM quirk fixes, settings, CSV headers and multipart forms', () => {
    const raw = JSON.parse('{"userName":"a","__proto__":{"x":1},"constructor":"c","active":"True"}') as Record<string, unknown>;
    const fixed = normalizeUserQuirks(raw);
    expect(Object.getPrototypeOf(fixed)).to.equal(Object.prototype);
    expect(Object.keys(fixed)).to.deep.equal(['userName', '__proto__', 'constructor', 'active']);
    expect(fixed.active).to.equal(true);
    const lookups = { roleExists: () => true } as never;
    const { errors } = validateSettings({ constructor: 'x', toString: 'y' } as never, {} as never, lookups);
    expect(errors).to.deep.equal({ constructor: 'There is no setting named constructor.', toString: 'There is no setting named toString.' });
    for (const cell of ['constructor', 'prototype', '__proto__', 'hasOwnProperty']) expect(() => readHeader([cell, 'email'])).to.throw(/Unknown column/);
    const part = (name: string, value: string, file = '') => `--b\r\nContent-Disposition: form-data; name="${name}"${file}\r\n\r\n${value}\r\n`;
    const form = parseMultipart(Buffer.from(part('__proto__', 'x') + part('constructor', 'y') + part('constructor', 'z') + part('__proto__', 'data', '; filename="a.csv"') + '--b--\r\n'), 'b');
    expect(Object.getPrototypeOf(form)).to.equal(null);
    expect(Object.keys(form)).to.deep.equal(['__proto__', 'constructor']);
    expect(form.constructor).to.deep.equal(['y', 'z']);
    expect(form['__proto__']).to.include({ fileName: 'a.csv' });
  });
});

describeEachDatabase('hostile input: SCIM and pages', (h) => {
  let scim: ScimClient;
  let token: string;
  beforeEach(async () => {
    token = await createToken(h);
    scim = scimClient(h, token);
  });
  const raw = (method: 'post' | 'put' | 'patch', path: string, body: string) =>
    request(h.app)[method](`/scim/v2${path}`).set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/scim+json').send(body);
  const expectScimError = (res: { status: number; text: string }, status: number, scimType?: string) => {
    expect(res.status, res.text).to.equal(status);
    const body = json(res);
    expect(body.schemas).to.deep.equal([ERROR_URN]);
    expect(body.status).to.equal(String(status));
    if (scimType) expect(body.scimType).to.equal(scimType);
    return body;
  };
  const newUser = async (n: string) => json(await scim.post('/Users', { schemas: [USER_URN], userName: n, emails: [{ value: `${n}@example.com` }] }).expect(201));

  it('refuses a "__proto__" key anywhere in a SCIM body with 400 invalidSyntax', async () => {
    const u = await newUser('target');
    const proto = '"__proto__":{"title":"x"}';
    const cases: Array<['post' | 'put' | 'patch', string, string]> = [
      ['post', '/Users', `{"schemas":["${USER_URN}"],"userName":"a",${proto}}`],
      ['post', '/Users', `{"schemas":["${USER_URN}"],"userName":"a","name":{${proto}}}`],
      ['post', '/Users', `{"schemas":["${USER_URN}"],"userName":"a","emails":[{"value":"a@example.com",${proto}}]}`],
      ['put', `/Users/${u.id}`, `{"schemas":["${USER_URN}"],"userName":"target",${proto}}`],
      ['patch', `/Users/${u.id}`, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":{${proto}}}]}`],
      ['post', '/Groups', `{"schemas":["${GROUP_URN}"],"displayName":"g",${proto}}`],
      ['post', '/Bulk', `{"schemas":["${BULK_REQUEST}"],"Operations":[{"method":"POST","path":"/Users","bulkId":"b","data":{"schemas":["${USER_URN}"],"userName":"b",${proto}}}]}`],
      ['post', '/.search', `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],${proto}}`],
    ];
    for (const [method, path, body] of cases) {
      const err = expectScimError(await raw(method, path, body), 400, 'invalidSyntax');
      expect(err.detail).to.include('__proto__');
    }
    expect((await h.services.users.get(u.id)).title).to.equal(null);
  });

  it('refuses bodies nested deeper than any SCIM message', async () => {
    const deep = '{"a":['.repeat(5000) + '"x"' + ']}'.repeat(5000);
    expectScimError(await raw('post', '/Users', `{"schemas":["${USER_URN}"],"userName":"deep","name":${deep}}`), 400, 'invalidSyntax');
    expectScimError(await scim.post('/Users', { schemas: [USER_URN], userName: 'deep', name: { givenName: [[[[[[[[[[[['x']]]]]]]]]]]] } }), 400, 'invalidSyntax');
    expectScimError(await raw('post', '/Users', '['.repeat(100_000) + ']'.repeat(100_000)), 400, 'invalidSyntax');
  });

  it('takes "constructor" and "prototype" as unknown names, never as Object members', async () => {
    const u = await newUser('ctor');
    const ok = [
      await scim.post('/Users', { schemas: [USER_URN], userName: 'c1', emails: [{ value: 'c1@example.com', constructor: 'x' }], constructor: 'x', prototype: 'y', name: { constructor: 1 } }),
      await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'constructor', constructor: 'x', prototype: {} }),
    ];
    for (const res of ok) expect(res.status, res.text).to.equal(201);
    const refused = [
      await scim.get(`/Users?${filterQuery('constructor eq "x"')}`),
      await scim.get(`/Users?${filterQuery('name.constructor eq "x"')}`),
      await scim.get(`/Users?${filterQuery('emails[constructor eq "x"]')}`),
      await scim.get(`/Users?${filterQuery('emails.toString pr')}`),
      await scim.get(`/Users?${filterQuery('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:constructor eq "x"')}`),
      await scim.get(`/Users?${filterQuery('urn:x:constructor:hasOwnProperty eq "x"')}`),
      await scim.get(`/Groups?${filterQuery('prototype eq "x"')}`),
      await scim.get('/Users?sortBy=constructor'),
      await scim.get('/Users?sortBy=name.constructor'),
      await scim.get('/Groups?sortBy=__proto__'),
      await scim.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'constructor', value: 'x' })),
      await scim.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'name.constructor', value: 'x' })),
      await scim.post('/Bulk', { schemas: [BULK_REQUEST], Operations: [{ method: 'constructor', path: '/Users', bulkId: 'constructor', data: {} }] }),
    ];
    for (const res of refused) {
      expect(res.status, res.text).to.be.below(500);
      if (res.status >= 400) expectScimError(res, res.status);
    }
    expect(refused.slice(0, 10).map((r) => r.status)).to.deep.equal(Array(10).fill(400));
  });

  it('refuses control characters in SCIM identifiers and one-line values with a clear detail', async () => {
    for (const c of CONTROLS.filter((x) => x !== '\u0000')) {
      const email = expectScimError(await scim.post('/Users', { schemas: [USER_URN], userName: `e${c.charCodeAt(0)}`, emails: [{ value: `e${c}x@example.com` }] }), 400, 'invalidValue');
      expect(email.detail).to.include('Email must not contain control characters.');
      const username = expectScimError(await scim.post('/Users', { schemas: [USER_URN], userName: `u${c}`, emails: [{ value: `u${c.charCodeAt(0)}@example.com` }] }), 400, 'invalidValue');
      expect(username.detail).to.include('Username must not contain control characters.');
      const group = expectScimError(await scim.post('/Groups', { schemas: [GROUP_URN], displayName: `G${c}` }), 400, 'invalidValue');
      expect(group.detail).to.include('Name must not contain control characters.');
    }
    const u = await newUser('plain');
    for (const [path, value, message] of [
      ['title', 'Boss\u0085', 'Title must not contain control characters.'],
      ['displayName', '\tPlain', 'Display name must not contain control characters.'],
      ['externalId', 'ext\n', 'External id must not contain control characters.'],
      ['name.givenName', 'Ann\u001b[31m', 'First name must not contain control characters.'],
      ['phoneNumbers', [{ value: '+44 1\u0007', type: 'work' }], 'Phone must not contain control characters.'],
    ] as const) {
      const err = expectScimError(await scim.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path, value })), 400, 'invalidValue');
      expect(err.detail, path).to.include(message);
    }
    const untouched = await h.services.users.get(u.id);
    expect(untouched).to.include({ title: null, displayName: null, givenName: null, phone: null });
    expect(untouched.externalIds).to.deep.equal([]);
    // NUL is refused wherever it stands (body, path, query), before anything reaches a service.
    for (const res of [
      await scim.post('/Users', { schemas: [USER_URN], userName: 'n\u0000', emails: [{ value: 'n@example.com' }] }),
      await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'G', members: [{ value: `${u.id}\u0000` }] }),
      await scim.get(`/Users/${u.id}%00`),
      await scim.get(`/Users?${filterQuery('userName eq "a\u0000"')}`),
    ]) {
      expect(expectScimError(res, 400, 'invalidValue').detail).to.equal('The request contains a NUL character (U+0000), which no field accepts.');
    }
    // A trailing line break is refused, not trimmed away.
    expectScimError(await scim.post('/Users', { schemas: [USER_URN], userName: 'trail\n', emails: [{ value: 'trail@example.com' }] }), 400, 'invalidValue');
  });

  it('shows the field message for control characters on the add-user and user pages, and takes prototype names as plain fields', async () => {
    const admin = await asBuiltIn(h, 'admin');
    let res = await admin.post('/admin/users/new', { givenName: 'Gr\u0085ace', username: 'grace', email: 'grace\u0007@example.com', kind: 'user', mode: 'create', passwordMode: 'random', constructor: 'x', __proto__: 'y', hasOwnProperty: 'z' } as never);
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'givenName', 'First name must not contain control characters.');
    expectFieldError(res.text, 'email', 'Email must not contain control characters.');
    const user = await h.services.users.create(h.system(), { username: 'target2', email: 'target2@example.com' }, { source: 'admin', origin: 'page' });
    res = await admin.post(`/admin/users/${user.id}/profile`, { givenName: 'Ann', familyName: 'Lee\u0007', username: 'target2', email: 'target2@example.com', kind: 'user', constructor: 'x' });
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'familyName', 'Last name must not contain control characters.');
    for (const [path, form] of [
      [`/admin/users/${user.id}/roles`, { roles: `${user.id}\u0000` }],
      [`/admin/users/${user.id}%00`, {}],
      ['/admin/users/new', { email: 'a\u0000@example.com' }],
    ] as const) {
      res = await admin.post(path, form);
      expect(res.status, path).to.equal(400);
      expect(res.text).to.match(/^<!doctype html>/i).and.include('The request contains a NUL character (U+0000)');
    }
    res = await admin.post(`/admin/users/${user.id}/deactivate`, { reason: 'Left the company.\r\nReturned badge.' });
    expect(res.status).to.be.below(400);
    expect((await h.services.users.get(user.id)).deactivationReason).to.equal('Left the company.\r\nReturned badge.');
  });

  it('refuses control characters in the service layer for every origin', async () => {
    for (const origin of ['page', 'directory'] as const) {
      try {
        await h.services.users.create(h.system(), { username: 'ok-name', email: 'ok@example.com', title: 'T\u0085' }, { source: 'admin', origin });
        expect.fail('accepted');
      } catch (err) {
        expect(err).to.be.instanceOf(ValidationError);
        expect((err as ValidationError).fields).to.deep.equal({ title: 'Title must not contain control characters.' });
      }
    }
  });
});
