// The SCIM client of `npm run bench:scim`'s Entra run, in its own process (forked with an IPC
// channel) so building and sending requests never takes the server's event loop, as with a
// real directory. Each job POSTs `count` Users shaped like Entra ID's — name, two emails, a
// phone, an address, the enterprise extension, externalId — with `concurrency` in flight, and
// answers with the latency summary and this process's own CPU per request.
import { httpTransport } from './keep-alive-transport.js';
import { run, type Stats } from './latency-stats.js';

export interface EntraJob {
  url: string;
  authorization: string;
  /** The first request's number: userName and externalId are unique across jobs. */
  first: number;
  count: number;
  concurrency: number;
}

export type EntraResult = { ok: true; stats: Stats } | { ok: false; error: string };

const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** A User as Entra ID provisions one with its default attribute mappings. */
export function entraUser(n: number): Record<string, unknown> {
  const id = String(n).padStart(7, '0');
  const userName = `entra${id}@contoso.example`;
  return {
    schemas: [USER_URN, ENTERPRISE_URN],
    externalId: `0b1c${id}-5d6e-4f70-8a9b-c0d1e2f3a4b5`,
    userName,
    active: true,
    displayName: `Entra User ${id}`,
    title: 'Account Executive',
    preferredLanguage: 'en-US',
    name: { formatted: `Entra User ${id}`, givenName: 'Entra', familyName: `User ${id}` },
    emails: [
      { primary: true, type: 'work', value: userName },
      { type: 'home', value: `entra${id}@home.example` },
    ],
    phoneNumbers: [{ type: 'work', value: '+1 425 555 0100' }],
    addresses: [{ type: 'work', primary: true, formatted: 'One Microsoft Way\nRedmond, WA 98052\nUS', streetAddress: 'One Microsoft Way', locality: 'Redmond', region: 'WA', postalCode: '98052', country: 'US' }],
    [ENTERPRISE_URN]: { employeeNumber: id, department: 'Sales', costCenter: 'CC-4410', organization: 'Contoso', division: 'EMEA' },
  };
}

async function post(job: EntraJob): Promise<Stats> {
  const url = new URL(job.url);
  const headers = { Authorization: job.authorization, 'Content-Type': 'application/scim+json' };
  return run(job.count, job.concurrency, async (i) => {
    const res = await httpTransport({ method: 'POST', url, headers, body: JSON.stringify(entraUser(job.first + i)) });
    if (res.status !== 201) throw new Error(`POST /Users: ${res.status} ${res.body.slice(0, 300)}`);
  });
}

process.on('message', (job: EntraJob) => {
  post(job).then(
    (stats) => process.send!({ ok: true, stats } satisfies EntraResult),
    (err: Error) => process.send!({ ok: false, error: err.message } satisfies EntraResult),
  );
});
process.on('disconnect', () => process.exit(0));
