// Upstream providers cannot be used to take over accounts: an admin who may manage settings
// adds a provider (over the admin page) whose upstream asserts someone else's verified email.
// The owner is never linked; an account holding permissions beyond the configuring admin's
// is not linked; one holding permissions is linked only after its holder's own password; a
// configurer who is gone links nothing. And the second factor still applies after upstream
// sign-in, unless the provider is marked as enforcing one — through the real pages, with a
// real upstream OpenID provider.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { asCustom, signIn, type AdminClient } from '../admin/admin-kit.js';
import { addOwner, addUser, addWithRole } from '../accounts/account-fixtures.js';
import { currentTotpCode } from '../../src/totp/totp-service.js';
import { defineOidcModels } from '../../oidc/oidc-models.js';
import { startUpstream, startUpstreamSignIn, UPSTREAM_CLIENT, type UpstreamIdp } from './upstream-idp.js';
import { addressOf } from '../../src/users/user-presenter.js';

const MEMBER_PASSWORD = 'the member passphrase, long enough';
const APP_CALLBACK = /^http:\/\/127\.0\.0\.1:9\/cb\?code=/;

describeEachDatabase(
  'upstream sign-in cannot take over accounts',
  (h) => {
    let idp: UpstreamIdp;

    beforeEach(async () => {
      idp = await startUpstream(h.baseUrl);
    });
    afterEach(async () => idp.close());

    /** The admin adds the provider on /admin/upstream, as an attacker with settings.manage would. */
    async function addProvider(admin: AdminClient, extra: Record<string, string> = {}): Promise<string> {
      const label = `Sign in with Contoso ${Math.random().toString(36).slice(2, 8)}`;
      const res = await admin.post('/admin/upstream', { label, issuer: idp.url, ...UPSTREAM_CLIENT, scopes: 'openid email profile', emailClaim: 'email', ...extra });
      expect(res.status, res.text.slice(0, 500)).to.equal(303);
      const provider = (await h.services.upstream.list()).find((p) => p.label === label)!;
      expect(provider.configuredBy).to.equal(admin.user!.id);
      return provider.id;
    }

    const linksOf = (providerId: string) => h.services.models.UpstreamIdentity.count({ where: { providerId } });

    /** How the sign-in behind an authorization code was made (its stored payload's amr). */
    async function amrOf(redirect: string): Promise<string[]> {
      const code = new URL(redirect).searchParams.get('code')!;
      const { OidcPayload } = defineOidcModels(h.services.db.sequelize);
      const row = await OidcPayload.findOne({ where: { model: 'AuthorizationCode', id: code } });
      return (JSON.parse(row!.payload) as { amr: string[] }).amr;
    }

    async function auditOf(h: Harness, action: string) {
      return (await h.services.audit.recent(50)).filter((e) => e.action === action);
    }

    it("an admin's provider asserting the owner's verified email does not sign in as the owner, and links nothing", async () => {
      const owner = await addOwner(h);
      const admin = await signIn(h, await addWithRole(h, 'admin'));
      const providerId = await addProvider(admin);
      idp.accounts.set('sub-evil', { email: addressOf(owner), email_verified: true, name: 'Not the owner' });

      const { page } = await startUpstreamSignIn(h, idp, providerId, 'sub-evil');
      expect(page.status).to.equal(403);
      expect(page.location).to.equal(null);
      expect(page.body).to.include('Sign-in did not complete');
      expect(page.body).to.include("The owner&#39;s account is never linked to another sign-in provider by email address.");
      expect(await linksOf(providerId)).to.equal(0);
      const [refused] = await auditOf(h, 'upstream.link_refused');
      expect(refused?.target?.id).to.equal(owner.id);
      expect(refused?.details).to.include({ reason: 'owner', subject: 'sub-evil' });
    });

    it('links by email only accounts the configuring admin dominates, and nothing once that admin is gone', async () => {
      const configurer = await asCustom(h, ['settings.manage']);
      const providerId = await addProvider(configurer);
      // A Viewer holds permissions the configurer does not: not linked.
      const viewer = await addWithRole(h, 'viewer');
      idp.accounts.set('sub-viewer', { email: addressOf(viewer), email_verified: true, name: 'V' });
      let page = (await startUpstreamSignIn(h, idp, providerId, 'sub-viewer')).page;
      expect(page.status).to.equal(403);
      expect(page.body).to.include('cannot be linked to this account by email address: the account holds permissions the administrator who set');
      expect(await linksOf(providerId)).to.equal(0);
      expect((await auditOf(h, 'upstream.link_refused'))[0]?.details).to.include({ reason: 'not_dominated' });

      // An account without permissions is linked (no password asked).
      const plain = await addUser(h);
      idp.accounts.set('sub-plain', { email: addressOf(plain), email_verified: true, name: 'P' });
      page = (await startUpstreamSignIn(h, idp, providerId, 'sub-plain')).page;
      expect(page.location, page.body.slice(0, 400)).to.match(APP_CALLBACK);
      expect(await linksOf(providerId)).to.equal(1);

      // The configurer is deactivated: the provider still signs in the linked identity, but links no one new.
      await h.services.users.deactivate(h.system(), configurer.user!.id, 'left');
      const other = await addUser(h);
      idp.accounts.set('sub-other', { email: addressOf(other), email_verified: true, name: 'O' });
      page = (await startUpstreamSignIn(h, idp, providerId, 'sub-other')).page;
      expect(page.status).to.equal(403);
      expect(page.body).to.include('no longer links accounts by email address');
      expect(await linksOf(providerId)).to.equal(1);
      page = (await startUpstreamSignIn(h, idp, providerId, 'sub-plain')).page;
      expect(page.location).to.match(APP_CALLBACK);
      // Deleted, the configurer stays recorded: still no linking.
      await h.services.users.delete(h.system(), configurer.user!.id);
      page = (await startUpstreamSignIn(h, idp, providerId, 'sub-other')).page;
      expect(page.status).to.equal(403);
      expect(page.body).to.include('no longer links accounts by email address');
      expect(await linksOf(providerId)).to.equal(1);
    });

    it("asks for a permission-holding member's Gatehouse password before the first link, then no more", async () => {
      const admin = await signIn(h, await addWithRole(h, 'admin'));
      const providerId = await addProvider(admin);
      const member = await addWithRole(h, 'member', { username: 'mia' });
      await h.services.users.setPassword(h.system(), member.id, MEMBER_PASSWORD);
      idp.accounts.set('sub-mia', { email: addressOf(member), email_verified: true, name: 'Mia' });

      const { page, ua } = await startUpstreamSignIn(h, idp, providerId, 'sub-mia');
      expect(page.status).to.equal(200);
      expect(page.url).to.match(/\/upstream-link$/);
      expect(page.body).to.include("Confirm it's you: enter your Gatehouse password to link Sign in with Contoso");
      expect(await linksOf(providerId)).to.equal(0);

      const wrong = await ua.submit(page, '/upstream-link', { password: 'not her password' });
      expect(wrong.status).to.equal(401);
      expect(wrong.body).to.include('That password is not right.');
      expect(await linksOf(providerId)).to.equal(0);
      const [failed] = await auditOf(h, 'signin.failed');
      expect(failed?.details).to.include({ step: 'upstream_link', reason: 'wrong_password' });

      const done = await ua.submit(wrong, '/upstream-link', { password: MEMBER_PASSWORD });
      expect(done.location, done.body.slice(0, 400)).to.match(APP_CALLBACK);
      const link = await h.services.models.UpstreamIdentity.findOne({ where: { providerId, subject: 'sub-mia' } });
      expect(link?.userId).to.equal(member.id);
      expect((await auditOf(h, 'upstream.linked'))[0]?.details).to.include({ subject: 'sub-mia', confirmedWith: 'password' });

      // Linked by subject now: straight through.
      const again = (await startUpstreamSignIn(h, idp, providerId, 'sub-mia')).page;
      expect(again.location).to.match(APP_CALLBACK);
    });

    it('asks a TOTP-enrolled account for its code after upstream sign-in, unless the provider enforces a second factor', async () => {
      const admin = await signIn(h, await addWithRole(h, 'admin'));
      const plain = await addUser(h);
      const enrolment = await h.services.totp.startEnrolment(plain.id);
      await h.services.totp.confirmEnrolment(h.system(), plain.id, currentTotpCode(enrolment.secret, h.clock.now()));
      idp.accounts.set('sub-totp', { email: addressOf(plain), email_verified: true, name: 'T' });

      const asking = await addProvider(admin);
      const run = await startUpstreamSignIn(h, idp, asking, 'sub-totp');
      expect(run.page.body).to.include('Two-step verification');
      expect(run.page.location).to.equal(null);
      const wrong = await run.ua.submit(run.page, '/totp', { code: currentTotpCode(enrolment.secret, h.clock.now()) === '000000' ? '111111' : '000000' });
      expect(wrong.status).to.equal(401);
      const done = await run.ua.submit(wrong, '/totp', { code: currentTotpCode(enrolment.secret, h.clock.now()) });
      expect(done.location, done.body.slice(0, 400)).to.match(APP_CALLBACK);
      expect(await amrOf(done.location!)).to.deep.equal(['fed', 'otp', 'mfa']);
      expect((await run.tokens(done)).claims()!.sub).to.equal(plain.id);

      const enforcing = await addProvider(admin, { enforcesSecondFactor: 'on' });
      expect((await admin.get('/admin/upstream')).text).to.include('enforced by the provider');
      const trusted = await startUpstreamSignIn(h, idp, enforcing, 'sub-totp');
      expect(trusted.page.location, trusted.page.body.slice(0, 400)).to.match(APP_CALLBACK);
      expect(await amrOf(trusted.page.location!)).to.deep.equal(['fed', 'mfa']);
    });

    it('changes who a provider signs in as (issuer, client, claims, second factor), or removes it, only for an actor dominating every linked account', async () => {
      const providerId = await addProvider(await signIn(h, await addWithRole(h, 'admin')));
      const linked = await addWithRole(h, 'admin');
      await h.services.models.UpstreamIdentity.create({ providerId, subject: 'sub-linked', userId: linked.id, createdAt: h.clock.now() });
      const provider = await h.services.upstream.get(providerId);
      const fields = { label: provider.label, issuer: provider.issuer, clientId: provider.clientId, scopes: provider.scopes, emailClaim: 'email' };

      const weak = await asCustom(h, ['settings.manage']);
      const page = await weak.get(`/admin/upstream/${providerId}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.include('A secret is stored (encrypted). Leave empty to keep it.');
      const changes: Array<Record<string, string>> = [{ issuer: 'https://login.attacker.example' }, { clientId: 'other' }, { emailClaim: 'preferred_username' }, { enforcesSecondFactor: 'on' }, { clientSecret: 'new secret' }];
      for (const change of changes) {
        const res = await weak.post(`/admin/upstream/${providerId}`, { ...fields, ...change });
        expect(res.status, JSON.stringify(change)).to.equal(403);
        expect(res.text).to.include('only someone who could manage every account linked to it may change them');
      }
      expect(await h.services.upstream.get(providerId)).to.deep.equal(provider);
      const refused = (await auditOf(h, 'access.refused')).filter((e) => e.target?.id === linked.id);
      expect(refused).to.have.length(changes.length);

      // Nor remove it (that unlinks the accounts signing in with it).
      const removal = await weak.post(`/admin/upstream/${providerId}/remove`);
      expect(removal.status).to.equal(403);
      expect(removal.text).to.include('only someone who could manage every one of them may remove it');
      expect(await linksOf(providerId)).to.equal(1);

      // The label alone is not who it signs in as: anyone may rename it, and the configurer
      // (whose permissions bound the email links) stays — a rename must not widen its reach.
      expect((await weak.post(`/admin/upstream/${providerId}`, { ...fields, label: 'Contoso (new name)' })).status).to.equal(303);
      expect(await h.services.upstream.get(providerId)).to.include({ label: 'Contoso (new name)', configuredBy: provider.configuredBy, issuer: provider.issuer });

      const peer = await signIn(h, await addWithRole(h, 'admin'));
      expect((await peer.post(`/admin/upstream/${providerId}`, { ...fields, label: 'Contoso (new name)', issuer: 'https://login2.contoso.example', enforcesSecondFactor: 'on' })).status).to.equal(303);
      expect(await h.services.upstream.get(providerId)).to.include({ issuer: 'https://login2.contoso.example', enforcesSecondFactor: true, configuredBy: peer.user!.id });
      expect((await auditOf(h, 'upstream.changed'))[0]?.details.fields).to.have.members(['issuer', 'enforcesSecondFactor']);
      expect((await peer.post(`/admin/upstream/${providerId}/remove`)).status).to.equal(303);
      expect(await linksOf(providerId)).to.equal(0);
    });
  },
  { serve: true },
);
