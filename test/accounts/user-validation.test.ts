// Usernames typed in pages are 1–64 letters, digits, periods, dashes and underscores
// with a letter; directories send any
// RFC 7643 string (Entra sends UPNs); pages store phones in E.164, directories' phones
// are kept as given. Every refusal names its field in ValidationError.fields.
import { expect } from 'chai';
import { ValidationError } from '../../src/errors.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { addUser, nextEmail, rejection } from './account-fixtures.js';

describeEachDatabase('accounts: field validation', (h) => {
  const page = (input: Record<string, string | null>) => addUser(h, input, { origin: 'page' });
  const directory = (input: Record<string, string | null>) => addUser(h, input, { origin: 'directory', source: 'scim' });

  describe('page usernames', () => {
    for (const ok of ['jane', 'Jane.Doe', 'jane-doe_2', 'j', 'a1', '_x_', 'x'.repeat(64), '1a']) {
      it(`accepts "${ok.length > 20 ? ok.slice(0, 8) + '…(' + ok.length + ')' : ok}"`, async () => {
        const u = await page({ username: ok });
        expect(u.username).to.equal(ok);
      });
    }

    const refused: Array<[string, string]> = [
      ['.jane', 'Username cannot start or end with a period.'],
      ['jane.', 'Username cannot start or end with a period.'],
      ['jane doe', 'Username may contain only letters, digits, periods, dashes and underscores.'],
      ['jane@example.com', 'Username may contain only letters, digits, periods, dashes and underscores.'],
      ['12345', 'Username must contain at least one letter.'],
      ['1-2_3', 'Username must contain at least one letter.'],
      ['x'.repeat(65), 'Username must be 1 to 64 characters.'],
    ];
    for (const [bad, message] of refused) {
      it(`refuses "${bad.length > 20 ? bad.slice(0, 8) + '…(' + bad.length + ')' : bad}" with a username message`, async () => {
        const err = await rejection(page({ username: bad }), ValidationError);
        expect(err.fields).to.deep.equal({ username: message });
      });
    }

    it('defaults the username to the email address when none is typed', async () => {
      const email = nextEmail('Default');
      const u = await page({ email });
      expect(u.username).to.equal(email);
    });
  });

  describe('directory usernames', () => {
    for (const ok of ['Jane.Doe@contoso.onmicrosoft.com', 'jane doe', 'Zoë Ünal', '.leading.period.', '12345', 'CONTOSO\\jdoe', 'x'.repeat(255)]) {
      it(`accepts "${ok.length > 40 ? ok.slice(0, 8) + '…(' + ok.length + ')' : ok}"`, async () => {
        const u = await directory({ username: ok });
        expect(u.username).to.equal(ok);
      });
    }

    it('refuses 256 characters', async () => {
      const err = await rejection(directory({ username: 'x'.repeat(256) }), ValidationError);
      expect(err.fields).to.deep.equal({ username: 'Username must be 1 to 255 characters.' });
    });

    for (const [name, bad] of [['a tab', 'jane\tdoe'], ['a newline', 'jane\ndoe'], ['NUL', 'jane\u0000'], ['DEL', 'jane\u007f']]) {
      it(`refuses ${name}`, async () => {
        const err = await rejection(directory({ username: bad! }), ValidationError);
        expect(err.fields).to.deep.equal({ username: 'Username must not contain control characters.' });
      });
    }
  });

  describe('email', () => {
    for (const ok of ['a@example.com', 'Jane.Doe+tag@Mail.Example.co.uk', "o'brien@example.ie", 'x@sub-domain.example']) {
      it(`accepts ${ok}`, async () => {
        expect((await page({ email: ok })).email).to.equal(ok);
      });
    }
    for (const bad of ['', 'plain', 'a@b', 'a@@example.com', 'a b@example.com', 'a@-example.com', 'a@example..com', '<a@example.com>']) {
      it(`refuses "${bad}" with an email message`, async () => {
        const err = await rejection(page({ email: bad, username: 'someone' }), ValidationError);
        expect(Object.keys(err.fields)).to.deep.equal(['email']);
        expect(err.fields.email).to.match(/email/i);
      });
    }
    it('keeps the typed case but compares case-insensitively', async () => {
      const u = await page({ email: 'Mixed.Case@Example.COM' });
      expect(u.email).to.equal('Mixed.Case@Example.COM');
      expect((await h.services.users.findByLogin('mixed.case@example.com'))?.id).to.equal(u.id);
    });
  });

  describe('phones', () => {
    it('pages require E.164', async () => {
      expect((await page({ phone: '+442079460958' })).phone).to.equal('+442079460958');
      for (const bad of ['020 7946 0958', '+44 20 7946 0958', '442079460958', '+0123456789', '+1']) {
        const err = await rejection(page({ phone: bad }), ValidationError);
        expect(err.fields).to.deep.equal({ phone: 'Enter the phone number with its country code, such as +44 20 7946 0958.' });
      }
    });

    it('directories keep the value as given', async () => {
      for (const given of ['020 7946 0958', '+1 (555) 010-0199 ext. 12', 'n/a']) {
        expect((await directory({ phone: given })).phone).to.equal(given);
      }
    });

    it('directories still refuse control characters and over-long values', async () => {
      const err = await rejection(directory({ phone: '1'.repeat(65) }), ValidationError);
      expect(err.fields).to.have.keys('phone');
    });
  });

  describe('per-field messages', () => {
    it('reports every bad field at once', async () => {
      const err = await rejection(page({ username: '.x', email: 'nope', phone: '12', birthdate: '1990-02-30', locale: 'english!', kind: 'robot' }), ValidationError);
      expect(err.fields).to.have.keys('username', 'email', 'phone', 'birthdate', 'locale', 'kind');
      expect(err.fields.birthdate).to.equal('Birthdate must be a real date.');
      expect(err.fields.kind).to.equal('Kind must be one of user, requester.');
    });

    it('validates updates field by field too', async () => {
      const u = await page({});
      const err = await rejection(h.services.users.update(h.system(), u.id, { username: 'bad name', phone: '555' }, { origin: 'page' }), ValidationError);
      expect(err.fields).to.have.keys('username', 'phone');
      expect((await h.services.users.get(u.id)).username).to.equal(u.username);
    });

    it('creates nothing when validation fails', async () => {
      await rejection(page({ email: 'nope' }), ValidationError);
      expect(await h.services.users.list()).to.have.length(0);
    });
  });
});
