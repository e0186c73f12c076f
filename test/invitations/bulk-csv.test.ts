// Bulk invitations from CSV: the template, review with per-row validation (bad
// address, unknown role, duplicate in file, existing account, over the seat limit in input
// order), send all with per-row outcomes, a 10,000-row file (delivery checked on a sample
// over real SMTP), and every kind of broken file refused with nothing sent.
import { expect } from 'chai';
import { Op } from 'sequelize';
import { Conflict } from '../../src/errors.js';
import { InvalidCsv } from '../../src/invitations/invitation-csv.js';
import { describeEachDatabase } from '../helpers/harness.js';
import { SmtpTestServer } from '../helpers/smtp-test-server.js';
import { addUser, auditEvents, rejection, setLimit, used } from '../accounts/account-fixtures.js';
import { addAdmin, FormClient, GOOD_PASSWORD, linkTo, pathOf, receivedBy, smtpWorker } from './invite-kit.js';

describeEachDatabase('invitations: bulk CSV', (h) => {
  async function nothingSent(): Promise<void> {
    expect(await h.services.models.Invitation.count()).to.equal(0);
    expect(await h.services.models.MailOutbox.count({ where: { template: 'invitation' } })).to.equal(0);
    expect(await h.services.models.InvitationBatch.count()).to.equal(0);
  }

  it('offers a template with the columns email, role, first name, last name, kind', () => {
    expect(h.services.invitations.bulk.template()).to.equal('email,role,first name,last name,kind\r\n');
  });

  it('reviews every row, then sends the valid ones with a per-row outcome', async () => {
    const admin = await addAdmin(h);
    await addUser(h, { email: 'member@example.com' });
    await setLimit(h, 5); // admin and member hold 2: three seats are free
    const csv = [
      'Email,Role,First Name,Last Name,Kind',
      'ann@example.com,Member,Ann,Able,user',
      'not an address,Member,,,',
      'bob@example.com,Wizard,,,',
      '"ANN@example.com",Viewer,,,',
      'member@example.com,Member,,,',
      'cy@example.com,member;viewer,Cy,,',
      'dee@example.com,Owner,,,',
      'req@example.com,Viewer,,,requester',
      'eve@example.com,Viewer,,,',
      'fay@example.com,Viewer,,,',
      'gus@example.com,Viewer,,,robot',
    ].join('\n');
    const review = await h.services.invitations.bulk.review(admin.ctx, Buffer.from(csv));
    expect(review.rows.map((r) => [r.line, r.email, r.status])).to.deep.equal([
      [2, 'ann@example.com', 'ready'],
      [3, 'not an address', 'invalid_address'],
      [4, 'bob@example.com', 'unknown_role'],
      [5, 'ANN@example.com', 'duplicate'],
      [6, 'member@example.com', 'already_has_account'],
      [7, 'cy@example.com', 'ready'],
      [8, 'dee@example.com', 'role_not_allowed'],
      [9, 'req@example.com', 'ready'],
      [10, 'eve@example.com', 'ready'],
      [11, 'fay@example.com', 'over_seat_limit'],
      [12, 'gus@example.com', 'invalid'],
    ]);
    expect(review.rows[2]!.problems).to.deep.equal(['Unknown role "Wizard".']);
    expect(review.rows[3]!.problems).to.deep.equal(['Duplicate: ANN@example.com is already on line 2.']);
    expect(review.rows[9]!.problems).to.deep.equal(['Over the seat limit: 5 of 5 user seats would be in use.']);
    expect(review.rows[5]!.roleNames).to.deep.equal(['member', 'viewer']);
    expect(review.counts).to.deep.equal({ total: 11, ready: 4, withProblems: 7 });
    expect(await h.services.models.Invitation.count(), 'the review sends nothing').to.equal(0);

    const { outcomes, counts } = await h.services.invitations.bulk.send(admin.ctx, review.batchId, { message: 'See you Monday' });
    expect(outcomes.map((o) => [o.line, o.status])).to.deep.equal([
      [2, 'sent'],
      [3, 'invalid_address'],
      [4, 'unknown_role'],
      [5, 'duplicate'],
      [6, 'already_has_account'],
      [7, 'sent'],
      [8, 'role_not_allowed'],
      [9, 'sent'],
      [10, 'sent'],
      [11, 'seat_limit_reached'],
      [12, 'invalid'],
    ]);
    expect(counts).to.deep.include({ sent: 4, seat_limit_reached: 1 });
    expect(await used(h)).to.equal(5);
    const cy = await h.services.models.Invitation.findOne({ where: { emailNormalized: 'cy@example.com' } });
    expect(cy).to.deep.include({ givenName: 'Cy', kind: 'user', message: 'See you Monday', method: 'email' });
    expect((await h.services.models.Invitation.findOne({ where: { emailNormalized: 'req@example.com' } }))!.kind).to.equal('requester');
    expect(await auditEvents(h, { action: 'invitation.batch_sent' })).to.have.length(1);
    expect((await auditEvents(h, { action: 'seats.limit_reached' }))[0]!.details).to.deep.include({ attempted: 'fay@example.com' });

    // "Send all" works once.
    await rejection(h.services.invitations.bulk.send(admin.ctx, review.batchId), Conflict);
    expect(await h.services.models.Invitation.count()).to.equal(4);
  });

  it('validates again when sending: an account created after the review is reported, not invited', async () => {
    const admin = await addAdmin(h);
    const review = await h.services.invitations.bulk.review(admin.ctx, 'email,role\nlate@example.com,Member\nok@example.com,Member\n');
    await addUser(h, { email: 'late@example.com' });
    const { outcomes } = await h.services.invitations.bulk.send(admin.ctx, review.batchId);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['already_has_account', 'sent']);
  });

  describe('broken files get a clear error and nothing is sent', () => {
    const cases: Array<[string, Buffer | string, RegExp]> = [
      ['an empty file', Buffer.alloc(0), /The file is empty/],
      ['only blank lines', '\n\n  \n', /The file is empty/],
      ['a header without rows', 'email,role\n', /header but no rows/],
      ['a wrong header', 'mail,rank\nx@example.com,Member\n', /Unknown column "mail"\. The first line must be the header email,role,first name,last name,kind/],
      ['no header', 'x@example.com,Member\n', /looks like data, not a header/],
      ['a header without the role column', 'email,first name\nx@example.com,X\n', /no "role" column/],
      ['bad encoding (Latin-1, not UTF-8)', Buffer.concat([Buffer.from('email,role,first name\nzoe@example.com,Member,Zo'), Buffer.from([0xeb]), Buffer.from('\n')]), /not UTF-8 text/],
      ['broken quotes (never closed)', 'email,role\n"x@example.com,Member\ny@example.com,Member\n', /quoted value is never closed/],
      ['broken quotes (stray quote)', 'email,role\nx@example.com,Mem"ber\n', /quote \(".*misplaced/],
    ];
    for (const [what, content, message] of cases) {
      it(what, async () => {
        const admin = await addAdmin(h);
        const err = await rejection(h.services.invitations.bulk.review(admin.ctx, content), InvalidCsv);
        expect(err.message).to.match(message);
        expect(err.message).to.include('Nothing was sent.');
        expect(err.status).to.equal(400);
        await nothingSent();
      });
    }
  });

  describe('a file of 10,000 rows', () => {
    const smtp = new SmtpTestServer();
    before(async () => smtp.start());
    after(async () => smtp.stop());

    it('is reviewed and sent in full; a sample is delivered over SMTP and its link works', async function () {
      this.timeout(600_000); // bounds a hung run only; nothing asserts the time
      const admin = await addAdmin(h);
      const lines = ['email,role,first name,last name,kind'];
      for (let i = 0; i < 10_000; i++) lines.push(`person${i}@bulk.example,${i % 3 ? 'Member' : 'Viewer'},Person,Number ${i},${i % 10 ? 'user' : 'requester'}`);
      const csv = Buffer.from(lines.join('\r\n') + '\r\n');
      expect(csv.length).to.be.greaterThan(500_000);

      const review = await h.services.invitations.bulk.review(admin.ctx, csv);
      expect(review.counts).to.deep.equal({ total: 10_000, ready: 10_000, withProblems: 0 });
      const { outcomes, counts } = await h.services.invitations.bulk.send(admin.ctx, review.batchId);
      expect(outcomes).to.have.length(10_000);
      expect(counts.sent).to.equal(10_000);
      expect(outcomes[9_999]).to.deep.include({ line: 10_001, email: 'person9999@bulk.example', status: 'sent' });
      expect(await h.services.models.Invitation.count()).to.equal(10_000);
      expect(await h.services.models.Invitation.count({ where: { kind: 'requester' } })).to.equal(1_000);
      expect(await h.services.models.MailOutbox.count({ where: { template: 'invitation', status: 'pending' } })).to.equal(10_000);
      expect(await h.services.invitations.pendingCount()).to.equal(10_000);

      // Deliver a sample over real SMTP: first, middle and last.
      const sample = ['person0@bulk.example', 'person5000@bulk.example', 'person9999@bulk.example'];
      await h.services.models.MailOutbox.update({ status: 'sent' }, { where: { toAddress: { [Op.notIn]: sample } } });
      const { worker, transport } = smtpWorker(h, smtp);
      try {
        expect(await worker.runOnce()).to.equal(3);
      } finally {
        transport.close();
      }
      for (const address of sample) {
        const [mail] = receivedBy(smtp, address);
        expect(mail, address).to.exist;
        expect(mail!.parsed.text).to.include(`with the role ${address === 'person5000@bulk.example' ? 'Member' : 'Viewer'}.`);
      }
      const link = linkTo(receivedBy(smtp, 'person5000@bulk.example')[0]!.parsed.text!, '/invitations/accept');
      const res = await new FormClient(h.app).submit(pathOf(link), '/invitations/accept', { password: GOOD_PASSWORD, passwordConfirmation: GOOD_PASSWORD });
      // Accepted: the new account is sent on to sign in (login ticket) and lands on /account.
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal('/auth/login?returnTo=%2Faccount%3Fdone%3Dwelcome');
      const user = (await h.services.users.findByLogin('person5000@bulk.example'))!;
      expect(user).to.deep.include({ status: 'active', givenName: 'Person', familyName: 'Number 5000' });
    });
  });
});
