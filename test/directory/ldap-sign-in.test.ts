// Accounts synced from LDAP sign in with their directory password by an LDAP bind to a real
// slapd: right and wrong password, no copy kept, and a directory outage giving a
// clear sign-in error that neither counts as a wrong password nor locks out local accounts —
// through the sign-in service and through the real sign-in page.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { UserAgent, type Page } from '../helpers/user-agent.js';
import { rejection } from '../accounts/account-fixtures.js';
import { InvalidCredentials } from '../../src/signin/sign-in-service.js';
import { DirectoryUnreachable } from '../../src/directory/ldap-client.js';
import { byUsername, configure, nextOu, sync, withLdapServer } from './directory-fixtures.js';

const DIRECTORY_PASSWORD = 'directory password of dana';
const LOCAL_PASSWORD = 'a long enough local passphrase';
const OUTAGE = /The directory is not reachable right now/;

withLdapServer({}, (ldap) => {
  describeEachDatabase(
    'LDAP bind sign-in',
    (h) => {
      async function syncDana(): Promise<void> {
        const ou = await ldap.server.addOu(nextOu());
        await ldap.server.addPerson(ou, { uid: 'dana', givenName: 'Dana', sn: 'Scully', mail: 'dana@corp.example', password: DIRECTORY_PASSWORD });
        await configure(h, ldap.server, { baseDn: ou });
        expect((await sync(h)).created).to.equal(1);
      }

      const ctx = (): Parameters<Harness['services']['signIn']['authenticate']>[0] => ({ actor: { userId: null, label: 'anonymous', permissions: new Set() }, source: 'oidc', ip: '198.51.100.7' });

      it('signs in with the directory password (bound as the entry), refuses a wrong or empty one, and keeps no copy', async () => {
        await syncDana();
        const dana = await h.services.signIn.authenticate(ctx(), 'dana', DIRECTORY_PASSWORD);
        expect(dana).to.include({ username: 'dana', source: 'ldap' });
        expect(await h.services.signIn.authenticate(ctx(), 'dana@corp.example', DIRECTORY_PASSWORD)).to.include({ id: dana.id });
        await rejection(h.services.signIn.authenticate(ctx(), 'dana', 'not her password'), InvalidCredentials);
        await rejection(h.services.signIn.authenticate(ctx(), 'dana', ''), InvalidCredentials);
        expect(await h.services.users.passwordHashOf(dana.id)).to.equal(null);
        const failed = (await h.services.audit.recent(10)).filter((e) => e.action === 'signin.failed');
        expect(failed.map((e) => e.details.reason)).to.deep.equal(['wrong_password', 'wrong_password']);
      });

      it('answers a directory outage with a clear error, counts no failure, and local accounts still sign in', async () => {
        await syncDana();
        const local = await h.services.users.create(h.system(), { username: 'local', email: 'local@corp.example' }, { source: 'admin', origin: 'page', password: LOCAL_PASSWORD });
        await ldap.server.stop();
        try {
          for (let i = 0; i < 12; i++) {
            const err = await rejection(h.services.signIn.authenticate(ctx(), 'dana', DIRECTORY_PASSWORD), DirectoryUnreachable);
            expect(err.message).to.match(OUTAGE);
          }
          expect(await h.services.models.SignInFailure.count()).to.equal(0);
          expect((await h.services.signIn.authenticate(ctx(), 'local', LOCAL_PASSWORD)).id).to.equal(local.id);
        } finally {
          await ldap.server.restart();
        }
        // Back up: Dana signs in at once (no lock-out was built up meanwhile).
        expect((await h.services.signIn.authenticate(ctx(), 'dana', DIRECTORY_PASSWORD)).username).to.equal('dana');
      });

      it('signs in through the sign-in page with the directory password; an outage is shown on the page', async () => {
        await syncDana();
        const signIn = async (password: string): Promise<Page> => {
          const ua = new UserAgent(h.baseUrl);
          const form = await ua.get('/account');
          expect(form.body).to.include('Sign in');
          return ua.submit(form, '/login', { login: 'dana', password });
        };
        const ok = await signIn(DIRECTORY_PASSWORD);
        expect(ok.url).to.match(/\/account$/);
        expect(ok.body).to.include('Signed in as <strong>dana</strong>');
        const wrong = await signIn('wrong password');
        expect(wrong.status).to.equal(401);
        expect(wrong.body).to.include('The username or password is not right.');
        await ldap.server.stop();
        try {
          const down = await signIn(DIRECTORY_PASSWORD);
          expect(down.status).to.equal(503);
          expect(down.body).to.match(OUTAGE);
        } finally {
          await ldap.server.restart();
        }
        expect((await byUsername(h, 'dana')).lastSignInAt).to.not.equal(null);
      });
    },
    { serve: true },
  );
});
