// Bulk invitations through the pages: the template download, a multipart upload
// (a plain file input, no JavaScript), the review with per-row validation and counts,
// "Send all" with the per-row outcome, and each kind of broken file refused with a clear
// message and nothing sent.
import { expect } from 'chai';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addUser, setLimit } from '../accounts/account-fixtures.js';
import { expectFieldError, textareaValue } from './admin-kit.js';
import { asAdmin, tableRows, textOf, type InviterClient } from './admin-invitations-kit.js';

describeEachDatabase('admin pages: bulk invitations from CSV', (h: Harness) => {
  let admin: InviterClient;
  beforeEach(async () => {
    admin = await asAdmin(h);
  });

  async function nothingSent(): Promise<void> {
    expect(await h.services.models.Invitation.count()).to.equal(0);
    expect(await h.services.models.MailOutbox.count()).to.equal(0);
    expect(await h.services.models.InvitationBatch.count()).to.equal(0);
  }

  const batchIdOf = (body: string) => /action="\/admin\/invitations\/bulk\/([^/"]+)\/send"/.exec(body)?.[1];

  it('offers the upload form and the template as a CSV attachment', async () => {
    const page = await admin.get('/admin/invitations/bulk');
    expect(page.status).to.equal(200);
    expect(page.text).to.include('enctype="multipart/form-data"');
    expect(page.text).to.include('<input type="file" id="f-file" name="file"');
    expect(page.text).to.include('href="/admin/invitations/bulk/template.csv"');
    const template = await admin.get('/admin/invitations/bulk/template.csv');
    expect(template.status).to.equal(200);
    expect(template.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(template.headers['content-disposition']).to.match(/^attachment; filename="?gatehouse-invitations\.csv"?$/);
    expect(template.text).to.equal('email,role,first name,last name,kind\r\n');
  });

  it('reviews an upload row by row, then sends all valid rows with a per-row outcome', async () => {
    await addUser(h, { email: 'member@example.com' });
    await setLimit(h, 4); // admin and member hold two: two seats are free
    const csv = [
      'email,role,first name,last name,kind',
      'ann@example.com,Member,Ann,Able,user',
      'not an address,Member,,,',
      'bob@example.com,Wizard,,,',
      'ann@example.com,Viewer,,,',
      'member@example.com,Member,,,',
      'cy@example.com,Member;Viewer,Cy,,',
      'req@example.com,Viewer,,,requester',
      'dee@example.com,Viewer,,,',
    ].join('\r\n');
    const review = await admin.upload('/admin/invitations/bulk', { data: csv, name: 'C:\\Users\\ada\\team.csv' });
    expect(review.status, textOf(review.text).slice(0, 400)).to.equal(200);
    expect(textOf(review.text)).to.include('Review team.csv');
    expect(textOf(review.text)).to.match(/8 rows 3 ready to send 5 with problems/);
    const problems = tableRows(review.text, 'problem-rows');
    expect(problems.map((r) => [r.attrs.line, r.attrs.status])).to.deep.equal([
      ['3', 'invalid_address'],
      ['4', 'unknown_role'],
      ['5', 'duplicate'],
      ['6', 'already_has_account'],
      ['9', 'over_seat_limit'], // the review's forecast: the third new user seat of two free ones
    ]);
    expect(problems[1]!.cells[5]).to.equal('Unknown role Unknown role "Wizard".');
    expect(problems[2]!.cells[5]).to.include('Duplicate: ann@example.com is already on line 2.');
    const ready = tableRows(review.text, 'ready-rows');
    expect(ready.map((r) => r.cells[1])).to.deep.equal(['ann@example.com', 'cy@example.com', 'req@example.com']);
    expect(ready[1]!.cells[2]).to.equal('Member, Viewer');
    expect(await h.services.models.Invitation.count(), 'the review sends nothing').to.equal(0);

    expect(textOf(review.text)).to.include('Send all 3 invitations');
    const batchId = batchIdOf(review.text)!;
    const sent = await admin.post(`/admin/invitations/bulk/${batchId}/send`, { message: 'See you Monday', fileName: 'team.csv' });
    expect(sent.status).to.equal(200);
    // Sending checks seats live: the over-limit row is refused by the seat limit itself.
    expect(textOf(sent.text)).to.include('3 of 8 invitations sent.');
    const notSent = tableRows(sent.text, 'not-sent');
    expect(notSent.map((r) => [r.attrs.line, r.attrs.status])).to.deep.equal([
      ['3', 'invalid_address'],
      ['4', 'unknown_role'],
      ['5', 'duplicate'],
      ['6', 'already_has_account'],
      ['9', 'seat_limit_reached'],
    ]);
    expect(tableRows(sent.text, 'sent').map((r) => r.cells[1])).to.deep.equal(['ann@example.com', 'cy@example.com', 'req@example.com']);
    const cy = await h.services.models.Invitation.findOne({ where: { emailNormalized: 'cy@example.com' } });
    expect(cy).to.deep.include({ givenName: 'Cy', message: 'See you Monday' });
    expect(await h.services.models.MailOutbox.count({ where: { template: 'invitation' } })).to.equal(3);

    // "Send all" works once.
    const again = await admin.post(`/admin/invitations/bulk/${batchId}/send`, {});
    expect(again.status).to.equal(409);
    expect(textOf(again.text)).to.include('These invitations have already been sent.');
    expect(await h.services.models.Invitation.count()).to.equal(3);
  });

  it('shows the first rows of a long file and counts them all', async () => {
    const lines = ['email,role'];
    for (let i = 0; i < 620; i++) lines.push(`p${i}@bulk.example,Member`);
    lines.push('broken,Member');
    const review = await admin.upload('/admin/invitations/bulk', { data: lines.join('\n') });
    expect(review.status).to.equal(200);
    expect(textOf(review.text)).to.match(/621 rows 620 ready to send 1 with problems/);
    expect(tableRows(review.text, 'ready-rows')).to.have.length(500);
    expect(textOf(review.text)).to.include('… and 120 more rows ready to send.');
    expect(tableRows(review.text, 'problem-rows').map((r) => r.attrs.line)).to.deep.equal(['622']);
  });

  it('a message that is too long comes back beside its field; nothing is sent until it is fixed', async () => {
    const review = await admin.upload('/admin/invitations/bulk', { data: 'email,role\nann@example.com,Member\n' });
    const batchId = batchIdOf(review.text)!;
    const long = 'x'.repeat(2001);
    const refused = await admin.post(`/admin/invitations/bulk/${batchId}/send`, { message: long, fileName: 'people.csv' });
    expect(refused.status).to.equal(400);
    expectFieldError(refused.text, 'message', 'Message must be at most 2000 characters.');
    expect(textareaValue(refused.text, 'message')).to.equal(long);
    expect(await h.services.models.Invitation.count()).to.equal(0);
    const sent = await admin.post(`/admin/invitations/bulk/${batchIdOf(refused.text)}/send`, { message: 'Hi' });
    expect(sent.status).to.equal(200);
    expect(await h.services.models.Invitation.count()).to.equal(1);
    expect((await admin.post('/admin/invitations/bulk/no-such-batch/send', {})).status).to.equal(404);
  });

  describe('broken files get a clear error on the upload page and nothing is sent', () => {
    const cases: Array<[string, Buffer | string | null, RegExp]> = [
      ['no file chosen', null, /Choose a CSV file to upload\. Nothing was sent\./],
      ['an empty file', Buffer.alloc(0), /The file is empty\. Nothing was sent\./],
      ['a header without rows', 'email,role\n', /header but no rows/],
      ['a wrong header', 'mail,rank\nx@example.com,Member\n', /Unknown column "mail"\. The first line must be the header email,role,first name,last name,kind/],
      ['no header', 'x@example.com,Member\n', /looks like data, not a header/],
      ['bad encoding (Latin-1, not UTF-8)', Buffer.concat([Buffer.from('email,role,first name\nzoe@example.com,Member,Zo'), Buffer.from([0xeb]), Buffer.from('\n')]), /not UTF-8 text/],
      ['broken quotes (never closed)', 'email,role\n"x@example.com,Member\ny@example.com,Member\n', /quoted value is never closed/],
      ['broken quotes (stray quote)', 'email,role\nx@example.com,Mem"ber\n', /quote \(".*misplaced/],
    ];
    for (const [what, content, message] of cases) {
      it(what, async () => {
        const res = await admin.upload('/admin/invitations/bulk', content === null ? null : { data: content, name: 'broken.csv' });
        expect(res.status).to.equal(400);
        const error = /<p class="error-box" role="alert" id="upload-error">([\s\S]*?)<\/p>/.exec(res.text)?.[1];
        expect(textOf(error ?? '')).to.match(message);
        if (content !== null) expect(textOf(error!)).to.match(/^broken\.csv: .*Nothing was sent\.$/);
        expect(res.text, 'the upload form is offered again').to.include('<input type="file" id="f-file" name="file"');
        await nothingSent();
      });
    }
  });
});
