// migrations/009-scim-token-permissions.ts gives tokens from before permission sets their
// creator's current permissions (a command-line token: the Admin role's), flagged for
// review; a token whose creator held only users.view + scim.manage then cannot provision.
// The review confirms or narrows the set, never widens it.
import { expect } from 'chai';
import { backfill } from '../../migrations/009-scim-token-permissions.js';
import { Forbidden, InvalidTransition, ValidationError } from '../../src/errors.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addOwner, addUser, addWithRole, rejection } from '../accounts/account-fixtures.js';
import { auditOf, json, scimClient, USER_URN } from './scim-fixtures.js';

describeEachDatabase('migration 009-scim-token-permissions', (h) => {
  it('backfills each token with its creator\'s current permissions, flagged for review', async () => {
    const owner = await addOwner(h);
    const admin = await addWithRole(h, 'admin');
    const weakRole = await h.services.roles.create(h.system(), { name: 'SCIM viewers', permissions: ['users.view', 'scim.manage'] });
    const weak = await addUser(h, {}, { roleIds: [weakRole.id] });
    const created = {
      owner: await h.services.scimTokens.create(await h.as(owner), 'by owner', ['users.manage']),
      admin: await h.services.scimTokens.create(await h.as(admin), 'by admin', ['users.view']),
      weak: await h.services.scimTokens.create(await h.as(weak), 'by weak'),
      cli: await h.services.scimTokens.create(h.system(), 'by cli', ['users.view']),
      revoked: await h.services.scimTokens.create(await h.as(admin), 'revoked', ['users.view']),
    };
    await h.services.scimTokens.revoke(h.system(), created.revoked.view.id);
    // As an installation from before the migration: no sets.
    await h.db.sequelize.query('UPDATE scim_tokens SET permissions = NULL, needs_review = 0');
    await backfill(h.db.sequelize.getQueryInterface());

    const byName = new Map((await h.services.scimTokens.list(h.system())).map((t) => [t.name, t]));
    const roleSet = async (key: 'owner' | 'admin') => [...(await h.services.roles.builtin(key)).permissions].sort();
    expect(byName.get('by owner')).to.deep.include({ permissions: await roleSet('owner'), needsReview: true, status: 'active' });
    expect(byName.get('by admin')).to.deep.include({ permissions: await roleSet('admin'), needsReview: true });
    expect(byName.get('by weak')).to.deep.include({ permissions: ['scim.manage', 'users.view'], needsReview: true });
    expect(byName.get('by cli')).to.deep.include({ permissions: await roleSet('admin'), needsReview: true });
    expect(byName.get('revoked')).to.deep.include({ permissions: await roleSet('admin'), needsReview: false, status: 'revoked' });

    // Before sets, this token could manage users whatever its creator held; now it cannot.
    const res = await scimClient(h, created.weak.token).post('/Users', { schemas: [USER_URN], userName: 'intruder' });
    expect(res.status).to.equal(403);
    expect(json(res).detail).to.contain('users.manage');
    // Running it again changes nothing.
    await backfill(h.db.sequelize.getQueryInterface());
    expect((await h.services.scimTokens.list(h.system())).find((t) => t.name === 'by weak')!.permissions).to.deep.equal(['scim.manage', 'users.view']);
  });

  it('a review confirms or narrows the set, never widens it, and only by someone holding what remains', async () => {
    const owner = await addOwner(h);
    const admin = await addWithRole(h, 'admin');
    const { view } = await h.services.scimTokens.create(await h.as(owner), 'Entra ID', ['users.view', 'users.manage', 'seats.manage']);
    await h.db.sequelize.query(`UPDATE scim_tokens SET needs_review = 1 WHERE id = '${view.id}'`);

    await rejection(h.services.scimTokens.confirmReview(await h.as(admin), view.id), Forbidden);
    await rejection(h.services.scimTokens.confirmReview(await h.as(owner), view.id, ['users.view', 'roles.manage']), ValidationError);
    const reviewed = await h.services.scimTokens.confirmReview(await h.as(admin), view.id, ['users.view', 'users.manage']);
    expect(reviewed).to.deep.include({ permissions: ['users.manage', 'users.view'], needsReview: false });
    expect((await auditOf(h, 'scim_token.reviewed'))[0]!.details).to.deep.include({ removed: ['seats.manage'] });
    await rejection(h.services.scimTokens.confirmReview(await h.as(admin), view.id), InvalidTransition);
  });
});
