// Passkeys on the server, on both databases: challenges (single-use, bound to what asked
// for them, five minutes), the ceremony options (resident key preferred, user verification
// required, the RP ID from PUBLIC_URL), answers that prove nothing refused and audited,
// removal by the person and by someone else (dominance, signed out, told), the role
// policy and its setting. The ceremonies themselves run in passkeys-browser.test.ts.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addOwner, addWithRole, auditEvents, rejection } from '../accounts/account-fixtures.js';
import { signIn } from '../admin/admin-kit.js';
import { PasskeyChallenges, CHALLENGE_TTL_MS } from '../../src/passkeys/passkey-challenges.js';
import { PasskeyRefused } from '../../src/passkeys/passkey-service.js';
import { Forbidden, InvalidTransition, NotFound, ValidationError } from '../../src/errors.js';
import { newId } from '../../src/ids.js';

/** A stored passkey row (its key never checked here: no ceremony runs in these tests). */
async function storePasskey(h: Harness, userId: string, name = 'Laptop'): Promise<string> {
  const id = newId();
  await h.services.models.Passkey.create({
    id, userId, name, credentialId: `cred-${id}`, publicKey: 'AQID', signCount: 0, transports: '["internal"]', deviceType: 'singleDevice', backedUp: false, createdAt: h.clock.now(), lastUsedAt: null,
  });
  return id;
}

describeEachDatabase('passkeys: challenges, options, removal and policy', (h) => {
  describe('challenges', () => {
    it('answer once, only for their own binding and purpose, and only for five minutes', async () => {
      const challenges = new PasskeyChallenges(h.services.models, h.clock);
      await challenges.store('c1', 'authenticate', 'interaction:a', null);
      expect(await challenges.consume('c1', 'authenticate', 'interaction:b', null)).to.equal(false);
      expect(await challenges.consume('c1', 'register', 'interaction:a', null)).to.equal(false);
      expect(await challenges.consume('c1', 'authenticate', 'interaction:a', null)).to.equal(true);
      expect(await challenges.consume('c1', 'authenticate', 'interaction:a', null)).to.equal(false);

      await challenges.store('c2', 'register', 'session:x', null);
      h.clock.advance(CHALLENGE_TTL_MS);
      expect(await challenges.consume('c2', 'register', 'session:x', null)).to.equal(false);
      // Expired ones are cleared as new ones are stored.
      await challenges.store('c3', 'register', 'session:x', null);
      expect((await h.services.models.WebAuthnChallenge.findAll()).map((c) => c.challenge)).to.deep.equal(['c3']);
    });

    it('are tied to the account a second step or a registration is for', async () => {
      const user = await addWithRole(h, 'member');
      const challenges = new PasskeyChallenges(h.services.models, h.clock);
      await challenges.store('c4', 'register', 'session:y', user.id);
      expect(await challenges.consume('c4', 'register', 'session:y', null)).to.equal(false);
      expect(await challenges.consume('c4', 'register', 'session:y', user.id)).to.equal(true);
    });
  });

  describe('ceremony options', () => {
    it('register with the host of PUBLIC_URL as RP ID, a resident key preferred, user verification required, existing passkeys excluded', async () => {
      const user = await addWithRole(h, 'member', { username: 'rita', email: 'rita@example.com' });
      await storePasskey(h, user.id);
      const options = await h.services.passkeys.registrationOptions(user.id, 'session:s');
      expect(options.rp.id).to.equal(new URL(h.config.publicUrl).hostname);
      expect(options.user.name).to.equal('rita@example.com');
      expect(options.authenticatorSelection).to.include({ residentKey: 'preferred', userVerification: 'required' });
      expect(options.attestation).to.equal('none');
      expect(options.excludeCredentials!.map((c) => c.id)).to.have.length(1);
      expect(await h.services.models.WebAuthnChallenge.count({ where: { challenge: options.challenge, purpose: 'register', userId: user.id } })).to.equal(1);
    });

    it('ask for any discoverable passkey without an account, and for that account\'s own with one', async () => {
      const user = await addWithRole(h, 'member');
      await storePasskey(h, user.id);
      const open = await h.services.passkeys.authenticationOptions('interaction:i', null);
      expect(open.userVerification).to.equal('required');
      expect(open.allowCredentials ?? []).to.deep.equal([]);
      const second = await h.services.passkeys.authenticationOptions('interaction:j', user.id);
      expect(second.allowCredentials!.map((c) => c.id)).to.deep.equal((await h.services.models.Passkey.findAll()).map((p) => p.credentialId));
    });
  });

  describe('answers that prove nothing', () => {
    it('refuses an unknown credential or one of another account, audits it, and ends the binding\'s challenges', async () => {
      const user = await addWithRole(h, 'member');
      const other = await addWithRole(h, 'member');
      const passkeyId = await storePasskey(h, other.id);
      const credentialId = (await h.services.models.Passkey.findByPk(passkeyId))!.credentialId;
      await h.services.passkeys.authenticationOptions('interaction:k', user.id);
      const answer = JSON.stringify({ id: credentialId, rawId: credentialId, type: 'public-key', response: { clientDataJSON: 'e30', authenticatorData: 'AA', signature: 'AA' }, clientExtensionResults: {} });
      await rejection(h.services.passkeys.authenticate(h.system(), 'interaction:k', answer, user.id), PasskeyRefused);
      await rejection(h.services.passkeys.authenticate(h.system(), 'interaction:k', '{not json', null), PasskeyRefused);
      expect(await h.services.models.WebAuthnChallenge.count()).to.equal(0);
      expect((await auditEvents(h, { action: 'passkey.refused' })).map((e) => e.details)).to.deep.include.members([{ reason: 'other_account' }, { reason: 'unknown_credential' }]);
    });

    it('refuses a registration answer that does not verify, storing nothing', async () => {
      const user = await addWithRole(h, 'member');
      await h.services.passkeys.registrationOptions(user.id, 'session:r');
      const err = await rejection(h.services.passkeys.register(await h.as(user), user.id, 'session:r', 'Key', '{"id":"x","response":{}}'), ValidationError);
      expect(err.fields.passkey).to.include('could not be created');
      expect(await h.services.models.Passkey.count()).to.equal(0);
      expect(await h.services.models.WebAuthnChallenge.count()).to.equal(0);
    });
  });

  describe('removal', () => {
    it('by the person: audited, no notice, sessions kept', async () => {
      const user = await addWithRole(h, 'member');
      const id = await storePasskey(h, user.id, 'Old phone');
      await h.services.passkeys.remove(await h.as(user), user.id, id);
      expect(await h.services.models.Passkey.count()).to.equal(0);
      expect((await auditEvents(h, { action: 'passkey.removed', targetId: user.id }))[0]!.details).to.deep.equal({ name: 'Old phone' });
      expect(h.revoker.calls).to.deep.equal([]);
      await rejection(h.services.passkeys.remove(await h.as(user), user.id, id), NotFound);
    });

    it('keeps the last passkey a role requires', async () => {
      const user = await addWithRole(h, 'member');
      const member = (await h.services.roles.findByName('Member'))!;
      await h.services.settings.update(h.system(), { passkeyPolicy: 'second_factor', passkeyPolicyRoleIds: [member.id] });
      const id = await storePasskey(h, user.id);
      await rejection(h.services.passkeys.remove(await h.as(user), user.id, id), InvalidTransition);
      await storePasskey(h, user.id, 'Spare');
      await h.services.passkeys.remove(await h.as(user), user.id, id);
      expect(await h.services.passkeys.count(user.id)).to.equal(1);
    });

    it('by an admin from the user page: signed out everywhere and the verified address told', async () => {
      const admin = await signIn(h, await addWithRole(h, 'admin'));
      const member = await addWithRole(h, 'member', { username: 'mia', email: 'mia@example.com' });
      // A proven mailbox is told (an unproven one may not be the owner's yet).
      await h.services.models.User.update({ emailVerified: true }, { where: { id: member.id } });
      const id = await storePasskey(h, member.id, 'Lost key');
      const page = await admin.get(`/admin/users/${member.id}`);
      expect(page.text).to.include('Lost key').and.include(`/admin/users/${member.id}/passkeys/${id}/remove`);
      const res = await admin.post(`/admin/users/${member.id}/passkeys/${id}/remove`);
      expect(res.status).to.equal(303);
      expect(await h.services.models.Passkey.count()).to.equal(0);
      expect(h.revoker.calls).to.deep.include({ userId: member.id, reason: 'second_factor_reset', inTransaction: true });
      const mailed = (await h.services.models.MailOutbox.findAll({ where: { toAddress: 'mia@example.com' } })).map((m) => m.template);
      expect(mailed).to.include('passkey-removed-by-someone-else');
      expect(await auditEvents(h, { action: 'passkey.removed', targetId: member.id })).to.have.length(1);
    });

    it("refuses someone holding less than the account (dominance), and anyone without users.manage", async () => {
      const owner = await addOwner(h, { email: 'olivia@example.com' });
      const id = await storePasskey(h, owner.id);
      const admin = await addWithRole(h, 'admin');
      await rejection(h.services.passkeys.remove(await h.as(admin), owner.id, id), Forbidden);
      const viewer = await addWithRole(h, 'viewer');
      await rejection(h.services.passkeys.remove(await h.as(viewer), owner.id, id), Forbidden);
      expect(await h.services.passkeys.count(owner.id)).to.equal(1);
      expect(await auditEvents(h, { action: 'access.refused' })).to.have.length.greaterThan(0);
    });
  });

  describe('policy', () => {
    it('applies to holders of the chosen roles only, and the setting needs roles', async () => {
      const admin = await addWithRole(h, 'admin');
      const member = await addWithRole(h, 'member');
      const adminRole = (await h.services.roles.findByName('Admin'))!;
      expect(await h.services.passkeys.policyFor(admin.id)).to.equal('allowed');
      const err = await rejection(h.services.settings.update(h.system(), { passkeyPolicy: 'passkey_only' }), ValidationError);
      expect(err.fields.passkeyPolicyRoleIds).to.include('Choose the roles');
      await rejection(h.services.settings.update(h.system(), { passkeyPolicy: 'sometimes' }), ValidationError);
      await h.services.settings.update(h.system(), { passkeyPolicy: 'passkey_only', passkeyPolicyRoleIds: [adminRole.id] });
      expect(await h.services.passkeys.policyFor(admin.id)).to.equal('passkey_only');
      expect(await h.services.passkeys.policyFor(member.id)).to.equal('allowed');
    });
  });
});
