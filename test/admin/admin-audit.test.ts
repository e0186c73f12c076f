// The audit log page over HTTP: filters by actor,
// action, target and dates; newest first with cursor paging; deleted targets still
// readable; the CSV export of the filtered set, streamed and CSV-injection safe.
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { HOUR_MS, addMs } from '../../src/clock.js';
import type { Context } from '../../src/context.js';
import { describeEachDatabase, type Harness } from '../helpers/harness.js';
import { addUser, auditEvents } from '../accounts/account-fixtures.js';
import { addBuiltIn, asBuiltIn, decode, signIn, expectFieldError, inputValue, selectedValue } from './admin-kit.js';

interface Row {
  time: string;
  actor: string;
  action: string;
  target: string;
  details: string;
}

/** The events table's rows as text: each cell's text, the details' lines joined by " | ". */
function rowsOf(body: string): Row[] {
  const table = /<table id="audit-events"[\s\S]*?<\/table>/.exec(body)?.[0] ?? '';
  const text = (cell: string) => decode(cell.replace(/<\/li><li>/g, ' | ').replace(/<[^>]+>/g, '').trim());
  return [...table.matchAll(/<tr><td[\s\S]*?<\/tr>/g)].map((m) => {
    const cells = [...m[0].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => text(c[1]!));
    return { time: cells[0]!, actor: cells[1]!, action: cells[2]!, target: cells[3]!, details: cells[4]! };
  });
}

function link(body: string, rel: 'prev' | 'next'): string | null {
  const m = new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(body);
  return m ? decode(m[1]!) : null;
}

function actorCtx(label: string, userId: string | null = null): Context {
  return { actor: { userId, label, permissions: new Set() }, source: 'admin', ip: '203.0.113.7' };
}

/** Writes many events at once, one minute apart (faster than one insert each). */
async function bulkEvents(h: Harness, count: number, actorLabel: string, action = 'signin.failed'): Promise<void> {
  const start = h.clock.now();
  await h.services.models.AuditEvent.bulkCreate(
    Array.from({ length: count }, (_, i) => ({
      occurredAt: addMs(start, i * 60_000), action, actorId: null, actorLabel, source: 'oidc', ip: null, requestId: null,
      targetType: 'setting', targetId: `t-${i}`, targetLabel: `target ${i}`, details: JSON.stringify({ n: i }),
    })),
  );
}

describeEachDatabase('admin pages: audit log', (h) => {
  /** A few events on four days; bob exists, the role "Auditors" does not (any more). */
  async function story(): Promise<void> {
    const bob = await addUser(h, { username: 'bob' });
    h.clock.set('2030-03-01T10:00:00.000Z');
    await h.services.audit.record(actorCtx('alice', 'a-1'), 'user.created', { source: 'admin' }, { type: 'user', id: bob.id, label: 'bob' });
    h.clock.set('2030-03-02T10:00:00.000Z');
    await h.services.audit.record(actorCtx('carol'), 'role.created', { permissions: [] }, { type: 'role', id: 'r-1', label: 'Auditors' });
    h.clock.set('2030-03-03T23:59:00.000Z');
    await h.services.audit.record(actorCtx('alice', 'a-1'), 'user.deactivated', { reason: 'left' }, { type: 'user', id: bob.id, label: 'bob' });
    h.clock.set('2030-03-04T00:00:00.000Z');
    await h.services.audit.record(actorCtx('Malice'), 'settings.changed', { key: 'organizationName' }, { type: 'setting', id: 'organizationName', label: 'organizationName' });
  }

  it('shows events newest first and filters by actor, action, target and dates', async () => {
    const admin = await addBuiltIn(h, 'admin');
    await story();
    const auditor = await signIn(h, admin); // after the clock moved: sessions live 12 h
    let rows = rowsOf((await auditor.get('/admin/audit?from=2030-03-01')).text);
    expect(rows.map((r) => r.action)).to.deep.equal(['settings.changed', 'user.deactivated', 'role.created', 'user.created']);
    expect(rows[1]).to.deep.include({ time: '3 Mar 2030, 23:59 UTC', actor: 'alice', details: 'reason: left' });

    rows = rowsOf((await auditor.get('/admin/audit?actor=alice')).text);
    expect(rows.map((r) => `${r.actor} ${r.action}`)).to.deep.equal(['Malice settings.changed', 'alice user.deactivated', 'alice user.created']);
    rows = rowsOf((await auditor.get('/admin/audit?actor=a-1')).text);
    expect(rows.map((r) => r.action), 'an exact actor id').to.deep.equal(['user.deactivated', 'user.created']);
    rows = rowsOf((await auditor.get('/admin/audit?action=role.created')).text);
    expect(rows.map((r) => r.target)).to.deep.equal(['deleted role (Auditors)']);
    rows = rowsOf((await auditor.get('/admin/audit?target=bob&action=user.deactivated')).text);
    expect(rows.map((r) => r.action)).to.deep.equal(['user.deactivated']);
    // "To" includes its whole day (UTC): 23:59 on the 3rd is in, midnight of the 4th is not.
    rows = rowsOf((await auditor.get('/admin/audit?from=2030-03-02&to=2030-03-03')).text);
    expect(rows.map((r) => r.action)).to.deep.equal(['user.deactivated', 'role.created']);
    // LIKE wildcards typed by a person are taken literally.
    expect(rowsOf((await auditor.get('/admin/audit?actor=%25')).text)).to.deep.equal([]);

    const page = await auditor.get('/admin/audit?actor=alice&action=user.created&from=2030-03-01');
    expect(inputValue(page.text, 'actor')).to.equal('alice');
    expect(selectedValue(page.text, 'action')).to.equal('user.created');
    expect(page.text).to.include('href="/admin/audit/export.csv?actor=alice&amp;action=user.created&amp;from=2030-03-01"');
  });

  it('pages by cursor, newer and older, over a long log', async () => {
    const auditor = await asBuiltIn(h, 'admin');
    await bulkEvents(h, 120, 'pager');
    const first = await auditor.get('/admin/audit?actor=pager');
    let rows = rowsOf(first.text);
    expect(rows).to.have.length(50);
    expect(rows[0]!.target).to.equal('setting: target 119');
    expect(rows[49]!.target).to.equal('setting: target 70');
    expect(link(first.text, 'prev')).to.equal(null);

    const second = await auditor.get(link(first.text, 'next')!);
    rows = rowsOf(second.text);
    expect(rows.map((r) => r.target)[0]).to.equal('setting: target 69');
    expect(link(second.text, 'next')).to.match(/actor=pager/);

    const third = await auditor.get(link(second.text, 'next')!);
    rows = rowsOf(third.text);
    expect(rows).to.have.length(20);
    expect(rows[19]!.target).to.equal('setting: target 0');
    expect(link(third.text, 'next')).to.equal(null);

    const back = await auditor.get(link(third.text, 'prev')!);
    expect(rowsOf(back.text)).to.deep.equal(rowsOf(second.text));
    const front = await auditor.get(link(back.text, 'prev')!);
    expect(rowsOf(front.text)).to.deep.equal(rowsOf(first.text));
    expect(link(front.text, 'prev')).to.equal(null);
  });

  it('keeps events about a deleted user readable, labelled "deleted user"', async () => {
    const auditor = await asBuiltIn(h, 'admin');
    const gone = await addUser(h, { username: 'temp.worker' });
    const kept = await addUser(h, { username: 'still.here' });
    await h.services.users.deactivate(h.system(), gone.id, 'contract ended');
    await h.services.users.delete(h.system(), gone.id);
    const rows = rowsOf((await auditor.get(`/admin/audit?target=${gone.id}`)).text);
    expect(rows.map((r) => r.action)).to.deep.equal(['user.deleted', 'user.deactivated', 'user.created']);
    for (const row of rows) expect(row.target).to.equal('deleted user (temp.worker)');
    expect(rows[1]!.details).to.include('contract ended');
    const keptRows = rowsOf((await auditor.get(`/admin/audit?target=${kept.id}`)).text);
    expect(keptRows[0]!.target).to.equal('user: still.here');
  });

  it('refuses a bad filter beside its field, keeping what was typed', async () => {
    const auditor = await asBuiltIn(h, 'admin');
    let res = await auditor.get('/admin/audit?from=2030-02-30&to=yesterday&action=user.exploded&actor=bob');
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'from', 'From must be a real date.');
    expectFieldError(res.text, 'to', 'To must be a date such as 2030-01-31.');
    expectFieldError(res.text, 'action', 'There is no action named "user.exploded".');
    expect(inputValue(res.text, 'from')).to.equal('2030-02-30');
    expect(inputValue(res.text, 'actor')).to.equal('bob');
    expect(rowsOf(res.text)).to.deep.equal([]);
    res = await auditor.get('/admin/audit?from=2030-03-05&to=2030-03-04');
    expect(res.status).to.equal(400);
    expectFieldError(res.text, 'to', 'To must be on or after From.');
    res = await auditor.get('/admin/audit/export.csv?from=someday');
    expect(res.status).to.equal(400);
  });

  it('exports the filtered set as CSV, formula cells defused, and audits the export', async () => {
    const admin = await addBuiltIn(h, 'admin');
    await story();
    const auditor = await signIn(h, admin); // after the clock moved: sessions live 12 h
    await h.services.audit.record(actorCtx('=HYPERLINK("http://evil.example","x")'), 'user.updated', { note: '+SUM(A1)' }, { type: 'setting', id: '@cmd', label: '@cmd' });
    await h.services.audit.record(actorCtx('-2+3'), 'user.updated', {}, { type: 'setting', id: '-1', label: '\tTabbed' });
    const res = await auditor.get('/admin/audit/export.csv?action=user.updated');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).to.match(/^attachment; filename="?audit-log-2030-03-04\.csv"?$/);
    const records = parse(res.text, { columns: true }) as Array<Record<string, string>>;
    expect(records).to.have.length(2);
    expect(Object.keys(records[0]!)).to.deep.equal(['time', 'actor', 'actor_id', 'action', 'target_type', 'target_id', 'target', 'details', 'source', 'ip']);
    expect(records[0]!).to.deep.include({ actor: "'-2+3", target: 'setting: \tTabbed', target_id: "'-1", ip: '203.0.113.7' });
    expect(records[1]!).to.deep.include({ actor: `'=HYPERLINK("http://evil.example","x")`, target_id: "'@cmd", target: 'setting: @cmd', details: '{"note":"+SUM(A1)"}' });
    // Every cell a spreadsheet would run as a formula starts with an apostrophe.
    for (const record of records) for (const cell of Object.values(record)) expect(cell).to.not.match(/^[=+\-@\t\r]/);

    const deleted = await auditor.get('/admin/audit/export.csv?action=role.created');
    const [role] = parse(deleted.text, { columns: true }) as Array<Record<string, string>>;
    expect(role).to.deep.include({ actor: 'carol', target: 'deleted role (Auditors)', time: '2030-03-02T10:00:00.000Z' });

    const exports = await auditEvents(h, { action: 'audit.exported' });
    expect(exports.map((e) => e.details)).to.deep.equal([{ filter: { action: 'user.updated' } }, { filter: { action: 'role.created' } }]);
    expect(exports[0]!.actorId).to.equal(auditor.user!.id);
  });

  it('streams a long export in batches, every matching event once', async () => {
    await bulkEvents(h, 1234, 'bulk');
    h.clock.advance(2000 * 60_000);
    await bulkEvents(h, 3, 'other');
    const auditor = await asBuiltIn(h, 'admin');
    const res = await auditor.get(`/admin/audit/export.csv?actor=bulk&to=${addMs(h.clock.now(), HOUR_MS).toISOString().slice(0, 10)}`);
    const records = parse(res.text, { columns: true }) as Array<Record<string, string>>;
    expect(records).to.have.length(1234);
    expect(new Set(records.map((r) => r.target_id)).size).to.equal(1234);
    expect(records[0]!.target_id).to.equal('t-1233');
    expect(records[1233]!.target_id).to.equal('t-0');
  });
});
