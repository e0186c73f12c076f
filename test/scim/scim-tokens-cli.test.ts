// The SCIM token commands (`npm run cli -- scim-tokens …`, until the admin page exists), as a
// real child process against the suite's database: create prints the token once, list
// shows last use and never the token, revoke makes the next SCIM request answer 401.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { describeEachDatabase } from '../helpers/harness.js';
import { auditOf } from './scim-fixtures.js';
import { runCli } from '../helpers/cli-process.js';

describeEachDatabase('SCIM: token commands', (h) => {
  let varDir = '';
  before(() => (varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-scim-cli-'))));
  after(() => fs.rmSync(varDir, { recursive: true, force: true }));
  const run = (...args: string[]) => runCli(h.config.database.url, args, { varDir });

  it('scim-tokens create, list, revoke', async function () {
    this.timeout(120_000);
    const created = await run('scim-tokens', 'create', 'Entra', 'ID');
    expect(created.code, created.stderr).to.equal(0);
    const token = created.stdout.trim().split('\n').pop()!;
    expect(token).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(created.stdout).to.contain('Created SCIM token "Entra ID"');
    expect(created.stdout).to.contain('users.manage, users.view');
    expect(created.stdout).not.to.match(/seats\.manage|billing\.manage/);
    await request(h.app).get('/scim/v2/Users').set('Authorization', `Bearer ${token}`).expect(200);

    const listed = await run('scim-tokens', 'list');
    expect(listed.code, listed.stderr).to.equal(0);
    expect(listed.stdout).to.match(/NAME\s+STARTS WITH\s+CREATED\s+LAST USED\s+STATUS/);
    expect(listed.stdout).to.contain('Entra ID');
    expect(listed.stdout).to.contain(`${token.slice(0, 6)}…`);
    expect(listed.stdout).not.to.contain(token);
    expect(listed.stdout).to.contain('live');
    expect(listed.stdout).not.to.match(/never/);

    const id = (await h.services.scimTokens.list(h.withPermissions(['scim.manage'])))[0]!.id;
    const revoked = await run('scim-tokens', 'revoke', id);
    expect(revoked.code, revoked.stderr).to.equal(0);
    expect(revoked.stdout).to.contain('Revoked SCIM token "Entra ID"');
    await request(h.app).get('/scim/v2/Users').set('Authorization', `Bearer ${token}`).expect(401);
    const again = await run('scim-tokens', 'revoke', id);
    expect(again.code).to.equal(1);
    expect(again.stderr).to.contain('already revoked');
    expect((await auditOf(h, 'scim_token.revoked'))[0]).to.include({ actorLabel: 'command line', source: 'cli' });
  });

  it('scim-tokens create --permissions chooses the set; without it, every permission but seats and billing', async function () {
    this.timeout(120_000);
    const created = await run('scim-tokens', 'create', 'Reader', '--permissions', 'users.view, scim.manage');
    expect(created.code, created.stderr).to.equal(0);
    expect(created.stdout).to.contain('with permissions scim.manage, users.view');
    const token = created.stdout.trim().split('\n').pop()!;
    const refused = await request(h.app).post('/scim/v2/Users').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/scim+json')
      .send(JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ann' }));
    expect(refused.status).to.equal(403);
    const listed = await run('scim-tokens', 'list');
    expect(listed.stdout).to.match(/PERMISSIONS/);
    expect(listed.stdout).to.contain('scim.manage,users.view');
    const bad = await run('scim-tokens', 'create', 'Bad', '--permissions', 'not a permission');
    expect(bad.code).to.equal(1);
    expect(bad.stderr).to.contain('not a valid permission');
  });
});
