// Filters on multi-valued attributes and their sub-attributes (RFC 7644 §3.4.2.2), value
// paths included, run in the database and checked against sets computed here from the
// seeded values; operators the RFC rules out for a type answer 400 invalidFilter.
import { expect } from 'chai';
import { describeEachDatabase } from '../helpers/harness.js';
import { createToken, ENTERPRISE_URN, filterQuery, json, scimClient, USER_URN, type ScimClient } from './scim-fixtures.js';

interface Value { value?: string; type?: string; primary?: boolean; display?: string; locality?: string; postalCode?: string; formatted?: string; streetAddress?: string }
interface Person { userName: string; emails: Value[]; phoneNumbers?: Value[]; addresses?: Value[]; ims?: Value[]; roles?: Value[]; x509Certificates?: Value[]; costCenter?: string }

const CITIES = ['Hollywood', 'Burbank', 'Glendale', 'Pasadena'];
const PEOPLE: Person[] = Array.from({ length: 12 }, (_, i) => {
  const p: Person = { userName: `person${i}`, emails: [{ value: `person${i}@work.example`, type: 'work', primary: true }] };
  if (i % 2 === 0) p.emails.push({ value: `Person${i}@Home.example`, type: 'home' });
  if (i % 3 === 0) p.phoneNumbers = [{ value: `+1 555 01${i}`, type: i % 2 ? 'work' : 'mobile' }];
  if (i % 4 !== 3) {
    p.addresses = [{ type: 'work', locality: CITIES[i % 4], postalCode: `9160${i % 3}`, formatted: `${i} Main St\n${CITIES[i % 4]}`, streetAddress: `${i} Main St`, primary: true }];
    if (i % 5 === 0) p.addresses.push({ type: 'home', locality: CITIES[(i + 1) % 4] });
  }
  if (i % 3 === 1) p.ims = [{ value: `im${i}`, type: 'xmpp', display: `IM ${i}` }];
  if (i % 6 === 0) p.roles = [{ value: 'Guide', type: 'job' }];
  if (i === 7) p.x509Certificates = [{ value: 'QUJDRA==' }];
  if (i % 2) p.costCenter = `CC-${i}`;
  return p;
});

const lc = (s: string | undefined) => (s ?? '').toLowerCase();
const some = (list: Value[] | undefined, test: (v: Value) => boolean) => (list ?? []).some(test);

const CASES: Array<[string, (p: Person) => boolean]> = [
  ['emails.value eq "person4@home.example"', (p) => some(p.emails, (v) => lc(v.value) === 'person4@home.example')],
  ['emails co "@home."', (p) => some(p.emails, (v) => lc(v.value).includes('@home.'))],
  ['emails[type eq "home"]', (p) => some(p.emails, (v) => v.type === 'home')],
  ['emails[type eq "home" and value sw "person1"]', (p) => some(p.emails, (v) => v.type === 'home' && lc(v.value).startsWith('person1'))],
  ['not (emails[type eq "home"])', (p) => !some(p.emails, (v) => v.type === 'home')],
  ['emails[primary eq true and type eq "work"]', (p) => some(p.emails, (v) => v.primary === true && v.type === 'work')],
  ['phoneNumbers pr', (p) => !!p.phoneNumbers?.length],
  ['phoneNumbers.type eq "mobile"', (p) => some(p.phoneNumbers, (v) => v.type === 'mobile')],
  ['addresses.locality eq "hollywood"', (p) => some(p.addresses, (v) => lc(v.locality) === 'hollywood')],
  ['addresses[type eq "home" and locality sw "Pa"]', (p) => some(p.addresses, (v) => v.type === 'home' && lc(v.locality).startsWith('pa'))],
  ['addresses.postalCode ew "1"', (p) => some(p.addresses, (v) => lc(v.postalCode).endsWith('1'))],
  ['addresses.formatted co "main st\\nburbank"', (p) => some(p.addresses, (v) => lc(v.formatted).includes('main st\nburbank'))],
  ['addresses.streetAddress pr', (p) => some(p.addresses, (v) => !!v.streetAddress)],
  ['addresses[locality eq "Glendale"] or ims pr', (p) => some(p.addresses, (v) => v.locality === 'Glendale') || !!p.ims?.length],
  ['ims.display co "im 1"', (p) => some(p.ims, (v) => lc(v.display).includes('im 1'))],
  ['roles.value eq "guide"', (p) => some(p.roles, (v) => lc(v.value) === 'guide')],
  ['x509Certificates.value eq "QUJDRA=="', (p) => some(p.x509Certificates, (v) => v.value === 'QUJDRA==')],
  ['x509Certificates.value eq "qujdra=="', () => false],
  [`${ENTERPRISE_URN}:costCenter sw "cc-1"`, (p) => lc(p.costCenter).startsWith('cc-1')],
];

describeEachDatabase('SCIM: filters on multi-valued attributes', (h) => {
  let scim: ScimClient;
  beforeEach(async () => {
    scim = scimClient(h, await createToken(h));
    for (const p of PEOPLE) {
      const { costCenter, ...core } = p;
      await scim.post('/Users', { schemas: [USER_URN, ENTERPRISE_URN], ...core, ...(costCenter ? { [ENTERPRISE_URN]: { costCenter } } : {}) }).expect(201);
    }
  });

  it('matches the independently computed set for each filter', async () => {
    for (const [filter, expected] of CASES) {
      const res = await scim.get(`/Users?${filterQuery(filter)}&count=100`);
      expect(res.status, `${filter}: ${res.text}`).to.equal(200);
      const got = (json(res).Resources as Array<{ userName: string }>).map((r) => r.userName).sort();
      expect(got, filter).to.deep.equal(PEOPLE.filter(expected).map((p) => p.userName).sort());
    }
  });

  it('sorts by a multi-valued attribute\'s primary value', async () => {
    const res = json(await scim.get('/Users?sortBy=addresses.locality&sortOrder=descending&count=100').expect(200));
    const localities = (res.Resources as Array<{ addresses?: Value[] }>).map((r) => r.addresses?.find((a) => a.primary)?.locality ?? null);
    const withValue = localities.filter((l): l is string => l !== null);
    expect(withValue).to.deep.equal([...withValue].sort().reverse());
    expect(localities.slice(0, localities.length - withValue.length)).to.deep.equal(localities.filter((l) => l === null));
  });

  it('answers 400 invalidFilter for operators the RFC rules out for a type', async () => {
    for (const filter of ['emails.primary gt true', 'emails[primary co "t"]', 'x509Certificates.value gt "A"', 'meta.created co "2030"', 'active lt false', 'addresses.nope eq "x"']) {
      const res = await scim.get(`/Users?${filterQuery(filter)}`);
      expect(res.status, filter).to.equal(400);
      expect(json(res), filter).to.include({ scimType: 'invalidFilter' });
    }
  });
});
