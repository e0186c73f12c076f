// `npm run bench:cluster`: Gatehouse on a three-node Galera cluster started on this host
// (test/helpers/galera-cluster.ts), three Gatehouse processes each on its own node. It
// prints what the cluster costs and what it refuses:
//   - a seat race: N parallel SCIM creations spread over the three processes at a limit of
//     N/8, against the same race sent to one process (the baseline: no cross-node conflicts);
//   - unlimited creations at a fixed concurrency, spread over three processes vs one;
// each row with requests, accounts created, seat refusals, transactions retried after a
// certification failure (wsrep_local_cert_failures + wsrep_local_bf_aborts, summed over the
// nodes: every such failure reaches Gatehouse as 1213 and is retried) and 5xx answers;
//   - the cost of read-your-writes: point SELECTs on one node with wsrep_sync_wait = 1 (what
//     Gatehouse sets) against 0, in the same run.
//
//   --creations N / BENCH_CREATIONS    SCIM POSTs per row (default 400; CI: 60)
//   --concurrency N / BENCH_CONCURRENCY in flight for the unlimited rows (default 12)
//   --reads N / BENCH_READS            SELECTs per sync-wait measurement (default 5000; CI: 500)
import { parseArgs } from 'node:util';
import { systemContext } from '../../src/context.js';
import { galeraMissing } from '../helpers/galera-cluster.js';
import { IN_CI } from '../helpers/require-server.js';
import { startGatehouseOnCluster, type GatehouseOnCluster } from '../cluster/gatehouse-on-cluster.js';
import { median, positive } from './bench-kit.js';

const { values: flags } = parseArgs({ options: { creations: { type: 'string' }, concurrency: { type: 'string' }, reads: { type: 'string' } } });
const env = process.env;
const CREATIONS = positive('--creations/BENCH_CREATIONS', flags.creations ?? env.BENCH_CREATIONS, 400);
const CONCURRENCY = positive('--concurrency/BENCH_CONCURRENCY', flags.concurrency ?? env.BENCH_CONCURRENCY, 12);
const READS = positive('--reads/BENCH_READS', flags.reads ?? env.BENCH_READS, 5000);
const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';

interface Row {
  scenario: string;
  requests: number;
  created: number;
  refusals: number;
  certRetries: number;
  errors5xx: number;
  perSecond: number;
}

async function certificationFailures(g: GatehouseOnCluster): Promise<number> {
  let total = 0;
  for (const node of [0, 1, 2]) total += Number(await g.cluster.status(node, 'wsrep_local_cert_failures')) + Number(await g.cluster.status(node, 'wsrep_local_bf_aborts'));
  return total;
}

async function run(g: GatehouseOnCluster, token: string, scenario: string, processes: number[], concurrency: number, prefix: string): Promise<Row> {
  const statuses: number[] = [];
  const certBefore = await certificationFailures(g);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < CREATIONS; i = next++) {
        const userName = `${prefix}-${i}`;
        const res = await fetch(`${g.processes[processes[i % processes.length]!]!.url}/scim/v2/Users`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/scim+json' },
          body: JSON.stringify({ schemas: [USER_URN], userName, emails: [{ value: `${userName}@example.com`, type: 'work', primary: true }] }),
        }).catch(() => null);
        statuses.push(res?.status ?? 599);
        await res?.arrayBuffer();
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return {
    scenario,
    requests: statuses.length,
    created: statuses.filter((s) => s === 201).length,
    refusals: statuses.filter((s) => s === 403).length,
    certRetries: (await certificationFailures(g)) - certBefore,
    errors5xx: statuses.filter((s) => s >= 500).length,
    perSecond: statuses.length / seconds,
  };
}

/** Microseconds per point SELECT on node 2 with the given wsrep_sync_wait. */
async function readCost(g: GatehouseOnCluster, syncWait: 0 | 1): Promise<number> {
  return g.cluster.admin(1, async (c) => {
    await c.query(`SET SESSION wsrep_sync_wait = ${syncWait}`);
    const started = performance.now();
    for (let i = 0; i < READS; i++) await c.query(`SELECT id FROM \`${g.databaseName}\`.users WHERE username = ?`, [`bench-${i}`]);
    return ((performance.now() - started) * 1000) / READS;
  });
}

const missing = galeraMissing();
if (missing) {
  console.log(`bench:cluster skipped: Galera cannot run here (${missing})`);
  process.exit(IN_CI ? 1 : 0);
}

const g = await startGatehouseOnCluster({ processes: 3 });
try {
  const system = systemContext('system', 'bench');
  const token = (await g.services.scimTokens.create(system, 'bench')).token;
  const limit = Math.max(1, Math.floor(CREATIONS / 8));
  const rows: Row[] = [];
  const race = async (scenario: string, processes: number[], prefix: string) => {
    // `limit` more seats than are in use: the earlier rows' accounts stay.
    await g.services.seats.setLimit(system, 'user', (await g.services.seats.usage('user')).used + limit);
    rows.push(await run(g, token, scenario, processes, CREATIONS, prefix));
    await g.services.seats.setLimit(system, 'user', null);
  };
  await race(`seat race, ${limit} free seats, 1 process (baseline)`, [0], 'race-one');
  await race(`seat race, ${limit} free seats, 3 processes/nodes`, [0, 1, 2], 'race-three');
  rows.push(await run(g, token, `unlimited, ${CONCURRENCY} in flight, 1 process (baseline)`, [0], CONCURRENCY, 'one'));
  rows.push(await run(g, token, `unlimited, ${CONCURRENCY} in flight, 3 processes/nodes`, [0, 1, 2], CONCURRENCY, 'three'));

  console.log(`\nbench:cluster — ${CREATIONS} SCIM creations per row, three-node Galera on one host`);
  console.table(rows.map((r) => ({ scenario: r.scenario, requests: r.requests, created: r.created, 'seat refusals': r.refusals, 'retries after certification failure': r.certRetries, '5xx': r.errors5xx, 'req/s': Math.round(r.perSecond) })));

  // A warm-up, then alternating rounds (medians), so neither setting profits from going second.
  await readCost(g, 0);
  const rounds: Array<[number, number]> = [];
  for (let r = 0; r < 3; r++) rounds.push([await readCost(g, 0), await readCost(g, 1)]);
  const [off, on] = [median(rounds.map((r) => r[0])), median(rounds.map((r) => r[1]))];
  console.log(`read-your-writes (wsrep_sync_wait), ${READS} point SELECTs on one node, median of 3 alternating rounds`);
  console.table([
    { setting: 'wsrep_sync_wait = 0 (baseline)', 'µs per read': Math.round(off) },
    { setting: 'wsrep_sync_wait = 1 (Gatehouse)', 'µs per read': Math.round(on), 'vs baseline': `${(on / off).toFixed(2)}×` },
  ]);
} finally {
  await g.stop();
}
