// Filters, sorting and paging run in the database: a table of filters
// over a seeded population, each case's expected set computed here in JavaScript from the
// seed data (RFC 7644 §3.4.2.2 semantics, RFC 7643 caseExact), never by the server's code.
// Injection attempts give the right answer or 400, never 500.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import type { UserView } from '../../src/users/user-presenter.js';
import { createToken, ENTERPRISE_URN, ERROR_URN, filterQuery, json, scimClient, type ScimClient } from './scim-fixtures.js';

interface Person {
  userName: string;
  email: string;
  given?: string;
  family?: string;
  display?: string;
  title?: string;
  kind?: 'user' | 'requester';
  active?: boolean;
  externalId?: string;
  phone?: string;
  department?: string;
  employeeNumber?: string;
  manager?: string;
  locale?: string;
  groups?: string[];
}

const PEOPLE: Person[] = [
  { userName: 'BJensen', email: 'bjensen@example.com', given: 'Barbara', family: 'Jensen', title: 'Engineer', department: 'Sales', externalId: 'EXT-1', phone: '+44 20 7946 0958', manager: 'm1', groups: ['Sales Team'] },
  { userName: 'jsmith@example.org', email: 'jsmith@example.org', given: 'John', family: 'Smith', title: 'engineer', kind: 'requester', externalId: 'ext-2', department: 'sales' },
  { userName: 'Émile.Zola', email: 'emile@example.fr', given: 'Emile', family: 'Zola', title: '100% remote', locale: 'fr-FR' },
  { userName: 'a_b', email: 'ab@example.com', title: 'a_b', active: false, externalId: 'x*y' },
  { userName: 'carol', email: 'Carol@Example.com', family: 'Jensen-Lee', title: 'Hey!', phone: '+1 555 0100', externalId: 'x?y', groups: ['Sales Team', 'Ops'] },
  { userName: 'dave', email: 'dave@example.net', display: 'Dave [ops]', active: false, kind: 'requester', groups: ['Ops'] },
  { userName: "o'brien", email: 'obrien@example.com', given: 'Pat', family: "O'Brien", employeeNumber: '7', department: 'Tour Operations', manager: 'M1' },
  { userName: 'zed', email: 'zed@example.com', title: 'Manager', externalId: 'EXT-10', locale: 'en-GB' },
  { userName: 'erin', email: 'erin@example.com', given: 'Erin', family: 'Jensen', title: 'Engineer', kind: 'requester', phone: '+44 161 496 0000' },
  { userName: 'x%y', email: 'percent@example.com', display: 'Percent', title: 'a%b' },
];

interface Seeded extends Person {
  id: string;
  created: Date;
  modified: Date;
}

const lc = (s: string | undefined) => s?.toLowerCase();
const ciEq = (a: string | undefined, b: string) => lc(a) === b.toLowerCase();
const ciCo = (a: string | undefined, b: string) => !!a && a.toLowerCase().includes(b.toLowerCase());
const active = (p: Person) => p.active !== false;

describeEachDatabase('SCIM: filters, sorting and paging in the database', (h) => {
  let scim: ScimClient;
  let seeded: Seeded[];
  let roleIds: Record<string, string>;

  // Ordering comparisons follow the database: SQLite compares code points, MariaDB its
  // collation (which sorts "é" with "e"). The expected sets model each.
  const orderKey = (s: string) => (h.dialect === 'mysql' ? s.normalize('NFD').replace(/[\u0300-\u036f]/g, '') : s).toLowerCase();

  beforeEach(async () => {
    scim = scimClient(h, await createToken(h));
    // Seeded as the token's connection: its externalIds are the ones the token's filters see.
    const asConnection = { ...h.system(), connectionId: (await h.services.scimTokens.list(h.system()))[0]!.connectionId };
    roleIds = {};
    for (const name of ['Sales Team', 'Ops']) roleIds[name] = (await h.services.roles.create(h.system(), { name })).id;
    seeded = [];
    for (const p of PEOPLE) {
      h.clock.advance(60_000);
      const created: UserView = await h.services.users.create(
        asConnection,
        {
          username: p.userName, email: p.email, givenName: p.given, familyName: p.family, displayName: p.display, title: p.title, kind: p.kind,
          externalId: p.externalId, phone: p.phone, department: p.department, employeeNumber: p.employeeNumber, manager: p.manager, locale: p.locale,
        },
        { source: 'scim', origin: 'directory', status: p.active === false ? 'inactive' : 'active', roleIds: (p.groups ?? []).map((g) => roleIds[g]!) },
      );
      seeded.push({ ...p, id: created.id, created: created.createdAt, modified: created.updatedAt });
    }
  });

  const names = (predicate: (p: Seeded) => boolean) => seeded.filter(predicate).map((p) => p.userName).sort();
  async function usersMatching(filter: string): Promise<string[]> {
    const res = await scim.get(`/Users?${filterQuery(filter)}&count=1000`);
    expect(res.status, `${filter}: ${res.text}`).to.equal(200);
    const body = json(res);
    expect(body.totalResults, filter).to.equal(body.Resources.length);
    return body.Resources.map((r: { userName: string }) => r.userName).sort();
  }

  const CASES: Array<[string, (p: Seeded) => boolean]> = [
    ['userName eq "bjensen"', (p) => ciEq(p.userName, 'bjensen')],
    ['userName eq "ÉMILE.ZOLA"', (p) => p.userName === 'Émile.Zola'],
    ['userName ne "bjensen"', (p) => !ciEq(p.userName, 'bjensen')],
    ['userName co "EN"', (p) => ciCo(p.userName, 'en')],
    ['userName sw "J"', (p) => lc(p.userName)!.startsWith('j')],
    ['userName ew ".ORG"', (p) => lc(p.userName)!.endsWith('.org')],
    ['userName lt "d"', (p) => orderKey(p.userName) < 'd'],
    ['userName ge "o"', (p) => orderKey(p.userName) >= 'o'],
    ['name.familyName eq "jensen"', (p) => ciEq(p.family, 'jensen')],
    ['name.familyName sw "jensen"', (p) => !!p.family && p.family.toLowerCase().startsWith('jensen')],
    ['name.familyName pr', (p) => !!p.family],
    ['not (name.familyName pr)', (p) => !p.family],
    ['name pr', (p) => !!(p.given || p.family)],
    ['title eq "ENGINEER"', (p) => ciEq(p.title, 'engineer')],
    ['title ne "engineer"', (p) => !ciEq(p.title, 'engineer')],
    ['title co "%"', (p) => !!p.title?.includes('%')],
    ['title co "_"', (p) => !!p.title?.includes('_')],
    ['title co "!"', (p) => !!p.title?.includes('!')],
    ['displayName co "["', (p) => !!p.display?.includes('[')],
    ['emails.value ew "@example.com"', (p) => lc(p.email)!.endsWith('@example.com')],
    ['emails co "EXAMPLE.COM"', (p) => ciCo(p.email, 'example.com')],
    ['emails eq "carol@example.com"', (p) => ciEq(p.email, 'carol@example.com')],
    ['emails[type eq "work" and value co "example.org"]', (p) => ciCo(p.email, 'example.org')],
    ['emails[type eq "home"]', () => false],
    ['emails[type eq "work"].value eq "DAVE@example.net"', (p) => ciEq(p.email, 'dave@example.net')],
    ['emails[primary eq true]', () => true],
    ['active eq true', (p) => active(p)],
    ['active eq false', (p) => !active(p)],
    ['active eq "False"', (p) => !active(p)],
    ['not (active eq true)', (p) => !active(p)],
    ['userType eq "Requester"', (p) => p.kind === 'requester'],
    ['externalId eq "EXT-1"', (p) => p.externalId === 'EXT-1'],
    ['externalId eq "ext-1"', (p) => p.externalId === 'ext-1'],
    ['externalId sw "EXT"', (p) => !!p.externalId?.startsWith('EXT')],
    ['externalId co "*"', (p) => !!p.externalId?.includes('*')],
    ['externalId co "?"', (p) => !!p.externalId?.includes('?')],
    ['externalId pr', (p) => !!p.externalId],
    ['not (externalId pr)', (p) => !p.externalId],
    [`${ENTERPRISE_URN}:department eq "SALES"`, (p) => ciEq(p.department, 'sales')],
    ['department co "oper"', (p) => ciCo(p.department, 'oper')],
    [`${ENTERPRISE_URN}:manager.value eq "m1"`, (p) => ciEq(p.manager, 'm1')],
    [`${ENTERPRISE_URN}:employeeNumber pr`, (p) => !!p.employeeNumber],
    ['urn:ietf:params:scim:schemas:core:2.0:User:userName eq "zed"', (p) => p.userName === 'zed'],
    ['phoneNumbers pr', (p) => !!p.phone],
    ['phoneNumbers[type eq "work" and value sw "+44"]', (p) => !!p.phone?.startsWith('+44')],
    ['phoneNumbers.value co "555"', (p) => !!p.phone?.includes('555')],
    ['not (phoneNumbers.value co "555")', (p) => !p.phone?.includes('555')],
    // preferredLanguage is its own attribute: accounts made outside SCIM have none.
    ['preferredLanguage eq "fr-fr"', () => false],
    ['locale eq "fr-fr"', (p) => ciEq(p.locale, 'fr-fr')],
    ['groups pr', (p) => !!p.groups?.length],
    ['groups[display eq "sales team"]', (p) => !!p.groups?.includes('Sales Team')],
    ['groups.display eq "ops" and not (groups.display eq "sales team")', (p) => !!p.groups?.includes('Ops') && !p.groups.includes('Sales Team')],
    ['(userName sw "a" or userName sw "b") and not (title pr)', (p) => /^[ab]/i.test(p.userName) && !p.title],
    ['not (userName eq "zed" or userName eq "dave")', (p) => !['zed', 'dave'].includes(p.userName)],
    ['not (title eq "engineer" and active eq true)', (p) => !(ciEq(p.title, 'engineer') && active(p))],
    ['title eq "engineer" or title eq "manager" and active eq false', (p) => ciEq(p.title, 'engineer') || (ciEq(p.title, 'manager') && !active(p))],
    ['((userType eq "user") and ((title pr) or (phoneNumbers pr)))', (p) => (p.kind ?? 'user') === 'user' && !!(p.title || p.phone)],
    ['meta.resourceType eq "User"', () => true],
    ['userName eq "a\' OR 1=1 --"', () => false],
    ['userName eq "x\\") OR (1=1"', () => false],
    ['userName eq "\\\\\\" OR 1=1 --"', () => false],
    ['title eq "%"', () => false],
    ["userName eq \"o'brien\"", (p) => p.userName === "o'brien"],
    ['userName co "%"', (p) => p.userName.includes('%')],
  ];

  for (const [filter, predicate] of CASES) {
    it(`filter ${filter}`, async () => {
      expect(await usersMatching(filter)).to.deep.equal(names(predicate));
    });
  }

  it('filters on meta.created and meta.lastModified (RFC 3339 timestamps, any offset)', async () => {
    const fourth = seeded[3]!.created;
    expect(await usersMatching(`meta.created gt "${fourth.toISOString()}"`)).to.deep.equal(names((p) => p.created > fourth));
    expect(await usersMatching(`meta.created le "${fourth.toISOString()}"`)).to.deep.equal(names((p) => p.created <= fourth));
    expect(await usersMatching(`meta.created eq "${fourth.toISOString()}"`)).to.deep.equal([seeded[3]!.userName]);
    // The same instant written with a +02:00 offset (whole seconds: the clock moves by minutes).
    const shifted = new Date(fourth.getTime() + 2 * 3_600_000).toISOString().slice(0, 19) + '+02:00';
    expect(await usersMatching(`meta.created eq "${shifted}"`)).to.deep.equal([seeded[3]!.userName]);
    h.clock.advance(3_600_000);
    await h.services.users.update(h.system(), seeded[0]!.id, { title: 'Lead' }, { origin: 'directory' });
    const modified = (await h.services.users.get(seeded[0]!.id)).updatedAt;
    expect(await usersMatching(`meta.lastModified ge "${modified.toISOString()}"`)).to.deep.equal([seeded[0]!.userName]);
  });

  it('filters groups: displayName, members by value and display, presence, absent externalId', async () => {
    const groupsMatching = async (filter: string) => {
      const res = await scim.get(`/Groups?${filterQuery(filter)}&excludedAttributes=members`);
      expect(res.status, `${filter}: ${res.text}`).to.equal(200);
      return json(res).Resources.map((r: { displayName: string }) => r.displayName).sort();
    };
    const carol = seeded.find((p) => p.userName === 'carol')!.id;
    expect(await groupsMatching('displayName eq "sales team"')).to.deep.equal(['Sales Team']);
    expect(await groupsMatching(`members[value eq "${carol}"]`)).to.deep.equal(['Ops', 'Sales Team']);
    expect(await groupsMatching(`members.value eq "${carol.toUpperCase()}"`)).to.deep.equal([]);
    expect(await groupsMatching('members.display eq "DAVE"')).to.deep.equal(['Ops']);
    expect(await groupsMatching('members pr and displayName sw "s"')).to.deep.equal(['Sales Team']);
    expect(await groupsMatching('not (members pr)')).to.deep.equal(['Admin', 'Member', 'Owner', 'Viewer']);
    expect(await groupsMatching('externalId eq "x"')).to.deep.equal([]);
    expect(await groupsMatching('not (externalId pr) and displayName co "o"')).to.deep.equal(['Ops', 'Owner']);
  });

  it('sorts in the database: nulls last ascending, first descending, ties broken by id', async () => {
    const sorted = async (query: string) => json(await scim.get(`/Users?${query}&count=1000`).expect(200)).Resources.map((r: { userName: string }) => r.userName);
    const byFamily = [...seeded].sort((a, b) => (a.family && b.family ? orderKey(a.family).localeCompare(orderKey(b.family)) || (a.id < b.id ? -1 : 1) : a.family ? -1 : b.family ? 1 : a.id < b.id ? -1 : 1));
    expect(await sorted('sortBy=name.familyName')).to.deep.equal(byFamily.map((p) => p.userName));
    const descending = [...seeded].sort((a, b) => (a.family && b.family ? orderKey(b.family).localeCompare(orderKey(a.family)) || (a.id < b.id ? -1 : 1) : a.family ? 1 : b.family ? -1 : a.id < b.id ? -1 : 1));
    expect(await sorted('sortBy=name.familyName&sortOrder=descending')).to.deep.equal(descending.map((p) => p.userName));
    const byUserName = [...seeded].sort((a, b) => (orderKey(a.userName) < orderKey(b.userName) ? -1 : 1)).map((p) => p.userName);
    expect(await sorted('sortBy=userName')).to.deep.equal(byUserName);
    expect(await sorted('sortBy=meta.created&sortOrder=descending')).to.deep.equal([...seeded].reverse().map((p) => p.userName));
    expect(await sorted('sortBy=emails')).to.have.length(seeded.length);
  });

  it('pages with startIndex and count, totalResults counting every match', async () => {
    const all = json(await scim.get('/Users?sortBy=userName&count=1000').expect(200)).Resources.map((r: { id: string }) => r.id);
    const collected: string[] = [];
    for (let start = 1; start <= all.length; start += 3) {
      const page = json(await scim.get(`/Users?sortBy=userName&startIndex=${start}&count=3`).expect(200));
      expect(page).to.include({ totalResults: all.length, startIndex: start, itemsPerPage: Math.min(3, all.length - start + 1) });
      collected.push(...page.Resources.map((r: { id: string }) => r.id));
    }
    expect(collected).to.deep.equal(all);
    const filtered = json(await scim.get(`/Users?${filterQuery('active eq true')}&startIndex=2&count=2&sortBy=userName`).expect(200));
    expect(filtered.totalResults).to.equal(seeded.filter(active).length);
    expect(filtered.Resources).to.have.length(2);
    expect(json(await scim.get('/Users?count=0').expect(200))).to.include({ totalResults: seeded.length, itemsPerPage: 0 });
    expect(json(await scim.get('/Users?startIndex=0&count=-5').expect(200))).to.include({ startIndex: 1, itemsPerPage: 0 });
    expect(json(await scim.get('/Users?startIndex=1000').expect(200))).to.include({ totalResults: seeded.length, itemsPerPage: 0 });
    expect(json(await scim.get('/Users?count=100000').expect(200)).itemsPerPage).to.equal(seeded.length);
  });

  it('searches with POST /Users/.search and POST /.search', async () => {
    const body = { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'title eq "engineer"', attributes: ['userName'], sortBy: 'userName', startIndex: 1, count: 10 };
    const res = json(await scim.post('/Users/.search', body).expect(200));
    expect(res.Resources.map((r: { userName: string }) => r.userName)).to.deep.equal(names((p) => ciEq(p.title, 'engineer')).sort((a, b) => (orderKey(a) < orderKey(b) ? -1 : 1)));
    expect(Object.keys(res.Resources[0]).sort()).to.deep.equal(['id', 'schemas', 'userName']);
    const root = json(await scim.post('/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter: 'displayName sw "s" or userName eq "zed"', count: 50 }).expect(200));
    expect(root.totalResults).to.equal(2);
    expect(root.Resources.map((r: { userName?: string; displayName?: string }) => r.userName ?? r.displayName)).to.deep.equal(['zed', 'Sales Team']);
    await scim.post('/Users/.search', { schemas: ['urn:wrong'] }).expect(400);
    for (const filter of ['nosuch eq "x"', 'active gt true']) {
      expect(json(await scim.post('/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter }).expect(400)).scimType).to.equal('invalidFilter');
    }
    const sortedRoot = json(await scim.post('/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], sortBy: 'userName', startIndex: PEOPLE.length, count: 2 }).expect(200));
    expect(sortedRoot.totalResults).to.equal(PEOPLE.length + 6);
    expect(sortedRoot.Resources.map((r: { userName?: string; displayName?: string }) => r.userName ?? r.displayName)).to.have.length(2);
  });

  it('honours attributes and excludedAttributes', async () => {
    const id = seeded[0]!.id;
    let res = json(await scim.get(`/Users/${id}?attributes=userName,name.givenName,${ENTERPRISE_URN}:department`).expect(200));
    expect(res).to.deep.equal({ schemas: res.schemas, id, userName: 'BJensen', name: { givenName: 'Barbara' }, [ENTERPRISE_URN]: { department: 'Sales' } });
    res = json(await scim.get(`/Users/${id}?excludedAttributes=emails,groups,meta,name.familyName`).expect(200));
    expect(res).not.to.have.any.keys('emails', 'groups', 'meta');
    // name.formatted is returned as sent, never built from the parts.
    expect(res.name).to.deep.equal({ givenName: 'Barbara' });
    res = json(await scim.get(`/Users?${filterQuery('userName eq "bjensen"')}&attributes=emails.value`).expect(200));
    expect(res.Resources[0]).to.deep.equal({ schemas: res.Resources[0].schemas, id, emails: [{ value: 'bjensen@example.com' }] });
  });

  const INVALID: Array<[string, string]> = [
    ['foo eq "x"', 'invalidFilter'],
    ['name eq "x"', 'invalidFilter'],
    ['userName.foo eq "x"', 'invalidFilter'],
    ['active gt true', 'invalidFilter'],
    ['active eq "yes"', 'invalidFilter'],
    ['meta.created co "2030"', 'invalidFilter'],
    ['meta.created gt "yesterday"', 'invalidFilter'],
    ['userName eq 5', 'invalidFilter'],
    ['userName eq null', 'invalidFilter'],
    ['title[value eq "x"]', 'invalidFilter'],
    ['urn:example:unknown:foo eq "x"', 'invalidFilter'],
    ['userName;DROP TABLE users eq "x"', 'invalidFilter'],
    ['id eq "1" or 1 eq 1', 'invalidFilter'],
    ['userName eq "x" --', 'invalidFilter'],
    ['userName eq "x"; DELETE FROM users', 'invalidFilter'],
  ];
  for (const [filter, scimType] of INVALID) {
    it(`answers 400 ${scimType} for ${filter}`, async () => {
      const res = await scim.get(`/Users?${filterQuery(filter)}`).expect(400);
      expect(json(res)).to.include({ status: '400', scimType });
      expect(json(res).schemas).to.deep.equal([ERROR_URN]);
    });
  }

  it('answers 400 for bad sorting and paging parameters, and the table survives every attempt', async () => {
    for (const query of ['sortBy=userName;DROP TABLE users', 'sortBy=userName%20desc', 'sortBy=groups.$ref', 'sortBy=nope', 'sortOrder=sideways', 'startIndex=1;DROP', 'count=1%20OR%201=1', 'count=1&count=2', 'startIndex=abc']) {
      const res = await scim.get(`/Users?${query}`);
      expect(res.status, `${query}: ${res.text}`).to.equal(400);
      expect(json(res).scimType).to.equal('invalidValue');
    }
    expect(json(await scim.get('/Users?count=1000').expect(200)).totalResults).to.equal(PEOPLE.length);
  });
});
