// A SCIM request's token and the credential setting are kept in memory for a moment (a
// directory's push reads neither on every request), yet every change made in this process
// applies to the very next request: revocation, rotation, a creator losing a permission or
// being deactivated, a changed credential setting.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import type { Harness } from '../helpers/harness.js';
import { addOwner, addUser } from '../accounts/account-fixtures.js';
import { json, scimClient, USER_URN } from './scim-fixtures.js';

const newUser = (n: string, extra: Record<string, unknown> = {}) => ({ schemas: [USER_URN], userName: n, emails: [{ value: `${n}@example.com`, type: 'work', primary: true }], ...extra });

async function creatorWith(h: Harness, permissions: string[]) {
  const role = await h.services.roles.create(h.system(), { name: 'Directory admins', permissions });
  const creator = await addUser(h, { username: 'creator', email: 'creator@example.com' }, { roleIds: [role.id] });
  return { role, creator };
}

describeEachDatabase('SCIM: remembered tokens and settings follow every change at once', (h) => {
  it('a revoked token answers 401 on the request after its revocation, though it was just used', async () => {
    await addOwner(h);
    const { token, view } = await h.services.scimTokens.create(h.system(), 'Entra');
    const scim = scimClient(h, token);
    await scim.post('/Users', newUser('ann')).expect(201);
    await h.services.scimTokens.revoke(h.system(), view.id);
    expect(json(await scim.get('/Users').expect(401)).detail).to.contain('not valid or has been revoked');
  });

  it('a rotated token stops at once and its successor works', async () => {
    const { token, view } = await h.services.scimTokens.create(h.system(), 'Okta');
    await scimClient(h, token).get('/Users').expect(200);
    const rotated = await h.services.scimTokens.rotate(h.system(), view.id);
    await scimClient(h, token).get('/Users').expect(401);
    await scimClient(h, rotated.token).post('/Users', newUser('ben')).expect(201);
  });

  it("a creator's lost permission and deactivation apply to the token's next request", async () => {
    await addOwner(h);
    const { role, creator } = await creatorWith(h, ['users.view', 'users.manage', 'scim.manage']);
    const { token } = await h.services.scimTokens.create(await h.as(creator), 'HR directory', ['users.view', 'users.manage']);
    const scim = scimClient(h, token);
    await scim.post('/Users', newUser('cat')).expect(201);
    await h.services.roles.setPermissions(h.system(), role.id, ['users.view', 'scim.manage']);
    expect((await scim.post('/Users', newUser('dan'))).status).to.equal(403);
    await scim.get('/Users').expect(200);
    await h.services.users.deactivate(h.system(), creator.id);
    expect(json(await scim.get('/Users').expect(401)).detail).to.contain('deactivated');
  });

  it('a changed credential setting applies to the next create', async () => {
    const { token } = await h.services.scimTokens.create(h.system(), 'Entra');
    const scim = scimClient(h, token);
    await h.services.settings.set(h.system(), 'provisionedCredentialMode', 'upstream');
    await scim.post('/Users', newUser('eve', { password: 'a password nobody keeps 1' })).expect(201);
    expect((await h.services.users.findByLogin('eve'))!.hasPassword).to.equal(false);
    await h.services.settings.set(h.system(), 'provisionedCredentialMode', 'scim_password');
    await scim.post('/Users', newUser('fay', { password: 'a password that is kept 2' })).expect(201);
    expect((await h.services.users.findByLogin('fay'))!.hasPassword).to.equal(true);
  });
});
