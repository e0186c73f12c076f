// Gatehouse on a three-node Galera cluster: the cluster (galera-cluster.ts), one migrated
// schema, services in this process for seeding and checking (connected like a process
// would be, through every node), and N real Gatehouse processes, process i preferring
// node i % 3 and naming the other nodes after it (DATABASE_URL with several hosts), so
// each serves from its own node and moves on when that node leaves. All share one
// PUBLIC_URL (a switching proxy playing the load balancer) and one set of cookie keys.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../config/index.js';
import { parsers } from '../../config/parsers.js';
import { systemClock } from '../../src/clock.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { migrate } from '../../src/db/migrator.js';
import { createServices, type Services } from '../../src/services.js';
import { freePort } from '../helpers/free-port.js';
import { GaleraCluster } from '../helpers/galera-cluster.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { SwitchingProxy } from '../helpers/switching-proxy.js';
import { testLogger } from '../helpers/test-databases.js';
import { waitUntil } from '../helpers/wait.js';

export interface GatehouseProcess {
  server: ServerProcess;
  port: number;
  url: string;
  /** The node (0-based) this process prefers. */
  node: number;
  mailDir: string;
}

export interface GatehouseOnCluster {
  cluster: GaleraCluster;
  db: Database;
  services: Services;
  processes: GatehouseProcess[];
  proxy: SwitchingProxy;
  databaseName: string;
  /** Services in this process connected to one node only (0-based), opened on first use. */
  servicesOn(node: number): Promise<Services>;
  /** Another Gatehouse process on the same database and settings, given its own DATABASE_URL. */
  startProcess(databaseUrl: string, node: number): Promise<GatehouseProcess>;
  /** Kills every process of `processes` and starts them again, all at once. */
  restartProcesses(): Promise<void>;
  stop(): Promise<void>;
}

async function waitReady(p: GatehouseProcess): Promise<void> {
  await waitUntil(async () => {
    if (p.server.hasExited()) throw new Error(`gatehouse on port ${p.port} exited:\n${p.server.stdout()}\n${p.server.stderr()}`);
    return fetch(`${p.url}/readyz`).then((r) => r.ok, () => false);
  }, `gatehouse on port ${p.port} to be ready`, 90_000, 100);
}

/** Node order for a process preferring `node`: its own first, then the others. */
function preferring(node: number): number[] {
  return [node, ...[0, 1, 2].filter((i) => i !== node)];
}

export async function startGatehouseOnCluster(options: { processes: number; env?: Record<string, string> }): Promise<GatehouseOnCluster> {
  const cluster = await GaleraCluster.start();
  const cleanups: Array<() => Promise<void> | void> = [() => cluster.stop()];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
  };
  try {
    // Its own database: a shared cluster may hold another user's.
    const databaseName = await cluster.createDatabase(`gatehouse_cluster_${randomBytes(4).toString('hex')}`);
    cleanups.push(async () => {
      await cluster.admin(0, (c) => c.query(`DROP DATABASE \`${databaseName}\``));
    });
    const varDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-cluster-'));
    cleanups.push(() => fs.rmSync(varDir, { recursive: true, force: true }));
    const proxy = await SwitchingProxy.start(0);
    cleanups.push(() => proxy.close());
    const env: Record<string, string> = {
      PUBLIC_URL: proxy.url,
      COOKIE_KEYS: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'warn',
      MAIL_WORKER: 'false',
      HOST: '127.0.0.1',
      VAR_DIR: varDir,
      ...options.env,
    };
    const config = parsers.databaseUrl('DATABASE_URL', cluster.multiHostUrl(databaseName));
    const db = await openDatabase(config, testLogger(), 30_000);
    cleanups.push(() => db.close());
    await migrate(db);
    const services = createServices(loadConfig({ ...env, DATABASE_URL: config.url }), db, testLogger(), systemClock, { mailTransport: { send: async () => undefined, close: () => undefined } });

    const processes: GatehouseProcess[] = [];
    const spawnProcess = async (i: number, databaseUrl: string, node: number): Promise<GatehouseProcess> => {
      const port = await freePort();
      const mailDir = path.join(varDir, `mail-${i}`);
      const server = spawnServer({ ...env, DATABASE_URL: databaseUrl, PORT: String(port), VAR_DIR: path.join(varDir, `p${i}`), MAIL_DIR: mailDir });
      cleanups.push(async () => {
        server.kill();
        await server.exited;
      });
      return { server, port, url: `http://127.0.0.1:${port}`, node, mailDir };
    };
    const urlPreferring = (node: number) => cluster.multiHostUrl(databaseName, preferring(node));
    for (let i = 0; i < options.processes; i++) {
      processes.push(await spawnProcess(i, urlPreferring(i % 3), i % 3));
      // The first start creates the signing keys; the others, started together, read them.
      if (i === 0) await waitReady(processes[0]!);
    }
    await Promise.all(processes.slice(1).map(waitReady));
    let spawned = processes.length;
    const startProcess = async (databaseUrl: string, node: number) => {
      const p = await spawnProcess(spawned++, databaseUrl, node);
      await waitReady(p);
      return p;
    };
    const restartProcesses = async () => {
      for (const p of processes) p.server.kill();
      await Promise.all(processes.map((p) => p.server.exited));
      const fresh = await Promise.all(processes.map((p, i) => spawnProcess(i, urlPreferring(p.node), p.node)));
      processes.splice(0, processes.length, ...fresh);
      await Promise.all(processes.map(waitReady));
    };
    proxy.target = processes[0]!.port;
    const perNode = new Map<number, Promise<Services>>();
    const servicesOn = (node: number) => {
      if (!perNode.has(node)) {
        perNode.set(node, (async () => {
          const nodeDb = await openDatabase(parsers.databaseUrl('DATABASE_URL', cluster.urlFor(node, databaseName)), testLogger(), 30_000);
          cleanups.push(() => nodeDb.close());
          return createServices(loadConfig({ ...env, DATABASE_URL: cluster.urlFor(node, databaseName) }), nodeDb, testLogger(), systemClock, { mailTransport: { send: async () => undefined, close: () => undefined } });
        })());
      }
      return perNode.get(node)!;
    };
    return { cluster, db, services, processes, proxy, databaseName, servicesOn, startProcess, restartProcesses, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
