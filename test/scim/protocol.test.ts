// The protocol edge: bearer tokens (401 with a SCIM error body), malformed input (a SCIM
// error each, the process keeps serving), error mapping (409 uniqueness, never 404 for a
// database failure, never a stack trace), discovery documents that tell the truth, and the
// token's name on every audited write.
import { expect } from 'chai';
import request from 'supertest';
import { describeEachDatabase } from '../helpers/harness.js';
import { auditOf, createToken, ERROR_URN, GROUP_URN, filterQuery, json, patchOp, scimClient, USER_URN, type ScimClient } from './scim-fixtures.js';

const user = (n: string, extra: Record<string, unknown> = {}) => ({ schemas: [USER_URN], userName: n, emails: [{ value: `${n}@example.com`, type: 'work', primary: true }], ...extra });

describeEachDatabase('SCIM: protocol, errors and tokens', (h) => {
  let token: string;
  let scim: ScimClient;
  beforeEach(async () => {
    token = await createToken(h, 'Directory A');
    scim = scimClient(h, token);
  });

  function expectScimError(res: { status: number; text: string; headers: Record<string, string> }, status: number, scimType?: string) {
    expect(res.status, res.text).to.equal(status);
    expect(res.headers['content-type']).to.match(/^application\/scim\+json/);
    const body = json(res);
    expect(body.schemas).to.deep.equal([ERROR_URN]);
    expect(body.status).to.equal(String(status));
    if (scimType) expect(body.scimType).to.equal(scimType);
    expect(body.detail).to.be.a('string').and.not.match(/\n\s+at /);
    return body;
  }

  describe('bearer tokens', () => {
    it('answers 401 with a SCIM error without a token, with a wrong one, and with a revoked one', async () => {
      let res = await request(h.app).get('/scim/v2/Users');
      expectScimError(res, 401);
      expect(res.headers['www-authenticate']).to.match(/^Bearer/);
      res = await request(h.app).get('/scim/v2/Users').set('Authorization', 'Bearer not-a-token');
      expectScimError(res, 401);
      res = await request(h.app).get('/scim/v2/Users').set('Authorization', `Basic ${Buffer.from('a:b').toString('base64')}`);
      expectScimError(res, 401);
      await scim.get('/Users').expect(200);
      const [live] = await h.services.scimTokens.list(h.withPermissions(['scim.manage']));
      await h.services.scimTokens.revoke(h.withPermissions(['scim.manage']), live!.id);
      expectScimError(await scim.get('/Users'), 401);
      expectScimError(await scim.post('/Users', user('late')), 401);
      expect(await h.services.users.findByLogin('late')).to.equal(null);
    });

    it('stores only the hash, records last use, and labels every write with the token name', async () => {
      const rows = await h.services.models.ScimToken.findAll();
      expect(rows).to.have.length(1);
      expect(rows[0]!.tokenHash).to.match(/^[0-9a-f]{64}$/);
      expect(JSON.stringify(rows[0]!.get())).not.to.contain(token);
      expect(rows[0]!.lastUsedAt).to.equal(null);
      const id = json(await scim.post('/Users', user('labelled')).expect(201)).id;
      const [view] = await h.services.scimTokens.list(h.withPermissions(['scim.manage']));
      expect(view!.lastUsedAt?.toISOString()).to.equal(h.clock.now().toISOString());
      await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'x' })).expect(200);
      const gid = json(await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Labelled', members: [{ value: id }] }).expect(201)).id;
      await scim.delete(`/Groups/${gid}`).expect(204);
      const events = (await h.services.audit.recent(100)).filter((e) => e.source === 'scim');
      expect(events.map((e) => e.action).sort()).to.deep.equal(['role.created', 'role.deleted', 'user.created', 'user.roles_changed', 'user.roles_changed', 'user.updated']);
      for (const e of events) expect(e.actorLabel).to.equal('Directory A');
      // Reads are not audited.
      await scim.get(`/Users/${id}`).expect(200);
      expect((await h.services.audit.recent(100)).filter((e) => e.source === 'scim')).to.have.length(events.length);
    });

    it('needs scim.manage to create, list or revoke tokens, and names are unique among live tokens', async () => {
      const err = await h.services.scimTokens.create(h.withPermissions(['users.manage']), 'X').catch((e: Error) => e);
      expect(err).to.have.property('code', 'forbidden');
      const dup = await h.services.scimTokens.create(h.withPermissions(['scim.manage']), 'directory a').catch((e: Error) => e);
      expect(dup).to.have.property('code', 'validation_failed');
      expect((await auditOf(h, 'scim_token.created'))[0]).to.deep.include({ target: { type: 'scim_token', id: (await h.services.scimTokens.list(h.withPermissions(['scim.manage'])))[0]!.id, label: 'Directory A' } });
    });
  });

  describe('malformed input', () => {
    it('answers each with a SCIM error and keeps serving', async () => {
      const raw = (method: 'post' | 'put' | 'patch', path: string) => request(h.app)[method](`/scim/v2${path}`).set('Authorization', `Bearer ${token}`);
      expectScimError(await raw('post', '/Users').set('Content-Type', 'application/scim+json').send('{"userName": "broken",'), 400, 'invalidSyntax');
      expectScimError(await raw('post', '/Users').set('Content-Type', 'application/json').send('[1,2]'), 400, 'invalidSyntax');
      expectScimError(await raw('post', '/Users').set('Content-Type', 'application/json').send('"just a string"'), 400, 'invalidSyntax');
      expectScimError(await raw('post', '/Users').set('Content-Type', 'text/plain').send(JSON.stringify(user('textplain'))), 415);
      expectScimError(await raw('post', '/Users').set('Content-Type', 'application/x-www-form-urlencoded').send('userName=form'), 415);
      expectScimError(await raw('post', '/Users'), 400, 'invalidSyntax');
      expectScimError(await raw('post', '/Users').set('Content-Type', 'application/json').send(JSON.stringify({ ...user('big'), title: 'x'.repeat(1_100_000) })), 413);
      expectScimError(await scim.post('/Users', { ...user('bogus'), schemas: ['urn:example:bogus'] }), 400, 'invalidSyntax');
      expectScimError(await scim.post('/Users', { ...user('bogus2'), schemas: [USER_URN, 'urn:example:bogus'], 'urn:example:bogus': { x: 1 } }), 400, 'invalidSyntax');
      expectScimError(await scim.post('/Users', { ...user('bogus3'), 'urn:example:bogus:color': 'red' }), 400, 'invalidSyntax');
      expectScimError(await scim.post('/Users', user('badtype', { userName: 5 })), 400, 'invalidValue');
      expectScimError(await scim.post('/Users', user('badtype2', { emails: 'a@example.com' })), 400, 'invalidValue');
      expectScimError(await scim.post('/Users', user('badtype3', { active: 'maybe' })), 400, 'invalidValue');
      expectScimError(await scim.post('/Users', user('badtype4', { name: 'Just A String' })), 400, 'invalidValue');
      expectScimError(await scim.post('/Users', user('badtype5', { userType: 'Employee' })), 400, 'invalidValue');
      expectScimError(await scim.post('/Users', user('bademail', { emails: [{ value: 'not an address', primary: true }] })), 400, 'invalidValue');
      expectScimError(await scim.post('/Users', user('ctrl\u0001char')), 400, 'invalidValue');
      expectScimError(await scim.post('/Users', { schemas: [USER_URN], displayName: 'no userName' }), 400, 'invalidValue');
      expectScimError(await scim.post('/Groups', { schemas: [GROUP_URN] }), 400, 'invalidValue');
      expectScimError(await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'G', members: [{ value: 'no-such-user' }] }), 400, 'invalidValue');

      const id = json(await scim.post('/Users', user('target')).expect(201)).id;
      expectScimError(await scim.patch(`/Users/${id}`, { Operations: [{ op: 'replace', path: 'title', value: 'x' }] }), 400, 'invalidSyntax');
      expectScimError(await scim.patch(`/Users/${id}`, patchOp()), 400, 'invalidValue');
      expectScimError(await scim.patch(`/Users/${id}`, patchOp({ op: 'merge', path: 'title', value: 'x' })), 400, 'invalidSyntax');
      expectScimError(await scim.patch(`/Users/${id}`, patchOp({ op: 'remove' })), 400, 'noTarget');
      expectScimError(await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'nosuch', value: 'x' })), 400, 'invalidPath');
      expectScimError(await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'emails[type eq', value: 'x' })), 400, 'invalidPath');
      expectScimError(await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'id', value: 'other' })), 400, 'mutability');
      expectScimError(await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'active', value: 'perhaps' })), 400, 'invalidValue');
      expectScimError(await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', value: 'not an object' })), 400, 'invalidValue');
      expectScimError(await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'emails[type eq "home"]', value: { value: 'h@example.com' } })), 400, 'noTarget');
      expectScimError(await scim.put(`/Users/${id}`, { schemas: [USER_URN] }), 400, 'invalidValue');

      // Still serving, and nothing half-written.
      const after = await h.services.users.get(id);
      expect(after.title).to.equal(null);
      expect((await h.services.users.list()).map((u) => u.username)).to.deep.equal(['target']);
      await scim.get('/Users').expect(200);
    });

    it('answers 404 for unknown resources and endpoints, 501 for /Me', async () => {
      expectScimError(await scim.get('/Users/00000000-0000-0000-0000-000000000000'), 404);
      expectScimError(await scim.patch('/Users/nope', patchOp({ op: 'replace', path: 'title', value: 'x' })), 404);
      expectScimError(await scim.delete('/Groups/nope'), 404);
      expectScimError(await scim.get('/Widgets'), 404);
      expectScimError(await scim.delete('/Users'), 404);
      expectScimError(await scim.get('/Me'), 501);
      expectScimError(await scim.patch('/Me', patchOp({ op: 'replace', path: 'title', value: 'x' })), 501);
    });

    it('never answers 404 for a database failure, and never shows the error', async () => {
      const id = json(await scim.post('/Users', user('dbfail')).expect(201)).id;
      const qi = h.db.sequelize.getQueryInterface();
      await qi.renameTable('user_roles', 'user_roles_away');
      try {
        for (const res of [await scim.get(`/Users/${id}`), await scim.get('/Users'), await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'x' }))]) {
          const body = expectScimError(res, 500);
          expect(body.detail).to.match(/error id [0-9a-f-]{36}/);
          expect(body.detail).not.to.match(/user_roles|SQL|sqlite|mysql/i);
        }
      } finally {
        await qi.renameTable('user_roles_away', 'user_roles');
      }
      await scim.get(`/Users/${id}`).expect(200);
    });
  });

  describe('uniqueness', () => {
    it('answers 409 uniqueness for duplicate userName and email, also in parallel; externalId is not unique', async () => {
      await scim.post('/Users', user('dup', { externalId: 'E1' })).expect(201);
      expectScimError(await scim.post('/Users', user('DUP')), 409, 'uniqueness');
      expectScimError(await scim.post('/Users', user('other', { emails: [{ value: 'DUP@example.com', primary: true }] })), 409, 'uniqueness');
      // RFC 7643 §3.1: the server does not enforce externalId's uniqueness; a client may reuse one.
      await scim.post('/Users', user('other2', { externalId: 'E1' })).expect(201);
      expect(json(await scim.get(`/Users?${filterQuery('externalId eq "E1"')}`).expect(200)).totalResults).to.equal(2);
      const results = await Promise.all(Array.from({ length: 8 }, () => scim.post('/Users', user('racer'))));
      expect(results.map((r) => r.status).sort()).to.deep.equal([201, 409, 409, 409, 409, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) expect(json(r).scimType).to.equal('uniqueness');
      const groups = await Promise.all(Array.from({ length: 6 }, () => scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Racing Group' })));
      expect(groups.map((r) => r.status).sort()).to.deep.equal([201, 409, 409, 409, 409, 409]);
      expectScimError(await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'admin' }), 409, 'uniqueness');
    });
  });

  describe('ETags and Location', () => {
    it('moves meta.version on every write; If-Match mismatch answers 412, If-None-Match 304', async () => {
      const res = await scim.post('/Users', user('etag')).expect(201);
      const { id } = json(res);
      const v1 = res.headers.etag as string;
      expect(v1).to.match(/^W\/"\d+"$/);
      expect((await scim.get(`/Users/${id}`).set('If-None-Match', v1)).status).to.equal(304);
      const fresh = await scim.get(`/Users/${id}`).set('If-None-Match', 'W/"999"').expect(200);
      expect(fresh.headers.etag).to.equal(v1);
      const v2 = (await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'A' })).set('If-Match', v1).expect(200)).headers.etag as string;
      expect(v2).not.to.equal(v1);
      expectScimError(await scim.patch(`/Users/${id}`, patchOp({ op: 'replace', path: 'title', value: 'B' })).set('If-Match', v1), 412);
      expectScimError(await scim.put(`/Users/${id}`, user('etag')).set('If-Match', v1), 412);
      expectScimError(await scim.delete(`/Users/${id}`).set('If-Match', v1), 412);
      expect((await h.services.users.get(id)).title).to.equal('A');
      await scim.put(`/Users/${id}`, user('etag', { title: 'C' })).set('If-Match', `"nope", ${v2}`).expect(200);
      await scim.delete(`/Users/${id}`).set('If-Match', '*').expect(204);

      // A group's version moves when its members change, and the member's too.
      const member = json(await scim.post('/Users', user('member')).expect(201));
      const g = await scim.post('/Groups', { schemas: [GROUP_URN], displayName: 'Versioned' }).expect(201);
      const gv1 = g.headers.etag as string;
      const gv2 = (await scim.patch(`/Groups/${json(g).id}`, patchOp({ op: 'add', path: 'members', value: [{ value: member.id }] })).set('If-Match', gv1).expect(200)).headers.etag;
      expect(gv2).not.to.equal(gv1);
      expect((await scim.get(`/Users/${member.id}`).expect(200)).headers.etag).not.to.equal(member.meta.version);
      expectScimError(await scim.patch(`/Groups/${json(g).id}`, patchOp({ op: 'replace', path: 'displayName', value: 'X' })).set('If-Match', gv1), 412);
      await scim.delete(`/Users/${member.id}`).expect(204);
      expect((await scim.get(`/Groups/${json(g).id}`).expect(200)).headers.etag).not.to.equal(gv2);
    });
  });

  describe('discovery', () => {
    it('ServiceProviderConfig tells the truth, including changePassword per the credentials setting', async () => {
      let spc = json(await scim.get('/ServiceProviderConfig').expect(200));
      expect(spc).to.deep.include({
        patch: { supported: true },
        bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
        filter: { supported: true, maxResults: 1000 },
        changePassword: { supported: true },
        sort: { supported: true },
        etag: { supported: true },
      });
      expect(spc.authenticationSchemes).to.have.length(1);
      expect(spc.authenticationSchemes[0].type).to.equal('oauthbearertoken');

      await h.services.settings.set(h.system(), 'provisionedCredentialMode', 'upstream');
      spc = json(await scim.get('/ServiceProviderConfig').expect(200));
      expect(spc.changePassword).to.deep.equal({ supported: false });
      const id = json(await scim.post('/Users', user('nopass', { password: 'ignored-by-upstream-mode' })).expect(201)).id;
      expect(await h.services.users.passwordHashOf(id)).to.equal(null);
    });

    it('lists ResourceTypes and Schemas, each also by id', async () => {
      const types = json(await scim.get('/ResourceTypes').expect(200));
      expect(types.Resources.map((t: { id: string }) => t.id)).to.deep.equal(['User', 'Group']);
      expect(json(await scim.get('/ResourceTypes/User').expect(200)).schemaExtensions).to.deep.equal([
        { schema: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', required: false },
        { schema: 'urn:gatehouse:params:scim:schemas:extension:2.0:User', required: false },
      ]);
      const schemas = json(await scim.get('/Schemas').expect(200));
      expect(schemas.Resources.map((s: { id: string }) => s.id)).to.deep.equal([USER_URN, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', 'urn:gatehouse:params:scim:schemas:extension:2.0:User', GROUP_URN]);
      const userSchema = json(await scim.get(`/Schemas/${USER_URN}`).expect(200));
      expect(userSchema.attributes.find((a: { name: string }) => a.name === 'userName')).to.include({ caseExact: false, uniqueness: 'server' });
      expectScimError(await scim.get('/Schemas/urn:nope'), 404);
      expectScimError(await scim.get('/ResourceTypes/Widget'), 404);
    });
  });
});
