// A three-node MariaDB Galera cluster on this host, started from Debian's mariadb-server,
// galera-4 and rsync: one data directory per node under a temporary directory, SQL ports
// 3307-3309, group communication 4567/4577/4587 (IST one above, SST two above). Node 1
// bootstraps the cluster; nodes 2 and 3 join it and receive its state by rsync. Each node
// reads only its own option file (never the system's), so the machine's own MariaDB on
// 3306 is left alone.
//
// When Galera cannot run here (no provider library, no mariadbd) the suite skips with one
// line; under CI=true that fails the run (require-server.ts).
//
// Starting the cluster costs most of the suite's time, so a run that uses it twice (CI:
// the benchmark, then the suite) starts it once (`shared-galera.ts start`) and names its
// directory in GALERA_CLUSTER_DIR: `start()` then attaches to the running nodes instead,
// and `stop()` leaves them running for the next user (each user works in its own database).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { requireServer } from './require-server.js';
import { sleep, waitUntil } from './wait.js';

export const GALERA_PROVIDER = '/usr/lib/galera/libgalera_smm.so';
const MARIADBD = '/usr/sbin/mariadbd';
const SQL_PORTS = [3307, 3308, 3309];
const GCOMM_PORTS = [4567, 4577, 4587];
const USER = 'gatehouse';
const PASSWORD = 'gatehouse';

/** Why Galera cannot run on this machine, or null when it can. */
export function galeraMissing(): string | null {
  for (const file of [GALERA_PROVIDER, MARIADBD, '/usr/bin/mariadb-install-db', '/usr/bin/rsync']) {
    if (!fs.existsSync(file)) return `${file} is missing (Debian packages mariadb-server, galera-4, rsync)`;
  }
  return null;
}

/** Skips the suite with one line when Galera cannot run (fails under CI=true). */
export function requireGalera(ctx: Mocha.Context): void {
  const missing = galeraMissing();
  requireServer(ctx, missing === null, `a Galera cluster (${missing})`);
}

export interface GaleraNode {
  index: number;
  port: number;
  dir: string;
  /** The node's process when this helper started it; null when stopped or attached to. */
  process: ChildProcess | null;
}

/** Names the directory of a cluster started earlier by `shared-galera.ts start`. */
export const SHARED_CLUSTER_ENV = 'GALERA_CLUSTER_DIR';

export class GaleraCluster {
  private constructor(
    readonly root: string,
    readonly nodes: GaleraNode[],
    /** Attached to a cluster someone else started: `stop()` leaves it running. */
    readonly shared: boolean,
  ) {}

  /**
   * Starts three nodes and waits until all three are synced members of one cluster — or,
   * when GALERA_CLUSTER_DIR names a running shared cluster, attaches to it.
   * `detached`: the nodes outlive this process (the shared cluster's own start).
   */
  static async start({ detached = false } = {}): Promise<GaleraCluster> {
    const missing = galeraMissing();
    if (missing) throw new Error(`Galera cannot run: ${missing}`);
    const sharedDir = process.env[SHARED_CLUSTER_ENV];
    if (sharedDir && !detached) return GaleraCluster.attach(sharedDir);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-galera-'));
    const cluster = new GaleraCluster(root, GaleraCluster.nodesUnder(root), false);
    cluster.detached = detached;
    const nodes = cluster.nodes;
    try {
      for (const node of nodes) cluster.writeOptions(node);
      if (process.getuid?.() === 0) spawnSync('chown', ['-R', 'mysql:mysql', root]);
      // Node 1 gets system tables and the test user, stops cleanly (its state then names the
      // cluster and position), and the other two start from copies of that state: they join
      // without a full state transfer, which takes ~20 s per node here. A node killed later
      // still rejoins by state transfer (restart).
      cluster.installSystemTables(nodes[0]!);
      await cluster.startNode(0, { bootstrap: true });
      await cluster.createTestUser();
      await cluster.stopNode(0);
      for (const node of nodes.slice(1)) fs.cpSync(path.join(nodes[0]!.dir, 'data'), path.join(node.dir, 'data'), { recursive: true });
      if (process.getuid?.() === 0) spawnSync('chown', ['-R', 'mysql:mysql', root]);
      await cluster.startNode(0, { bootstrap: true });
      await Promise.all([cluster.startNode(1), cluster.startNode(2)]);
      await cluster.waitForSize(3);
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  private detached = false;

  private static nodesUnder(root: string): GaleraNode[] {
    return SQL_PORTS.map((port, i) => ({ index: i, port, dir: path.join(root, `node${i + 1}`), process: null }));
  }

  /** The running cluster under `root`, checked to be three synced nodes. */
  static async attach(root: string): Promise<GaleraCluster> {
    const cluster = new GaleraCluster(root, GaleraCluster.nodesUnder(root), true);
    for (const node of cluster.nodes) if (!(await cluster.synced(node))) throw new Error(`${SHARED_CLUSTER_ENV}=${root}: node ${node.index + 1} is not a synced member of a running cluster`);
    return cluster;
  }

  /** Stops the nodes of the shared cluster under `root` (started with `detached`). */
  static async stopShared(root: string): Promise<void> {
    const cluster = new GaleraCluster(root, GaleraCluster.nodesUnder(root), false);
    await cluster.stop();
  }

  /** A URL for one node (0-based), as a Gatehouse process given only that node would use it. */
  urlFor(index: number, database: string): string {
    return `mysql://${USER}:${PASSWORD}@127.0.0.1:${this.nodes[index]!.port}/${database}`;
  }

  /** A URL naming every node, in the order given (the first answering one is used). */
  multiHostUrl(database: string, order: number[] = [0, 1, 2]): string {
    return `mysql://${USER}:${PASSWORD}@${order.map((i) => `127.0.0.1:${this.nodes[i]!.port}`).join(',')}/${database}`;
  }

  /** Creates a database (replicated to every node) and returns its name. */
  async createDatabase(name: string): Promise<string> {
    await this.admin(0, (c) => c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`));
    return name;
  }

  /** Runs `use` on a connection to one node as the test user (no database selected). */
  async admin<T>(index: number, use: (c: mysql.Connection) => Promise<T>): Promise<T> {
    const connection = await mysql.createConnection({ host: '127.0.0.1', port: this.nodes[index]!.port, user: USER, password: PASSWORD, multipleStatements: true });
    try {
      return await use(connection);
    } finally {
      await connection.end().catch(() => undefined);
    }
  }

  /** wsrep status variable of one node. */
  async status(index: number, variable: string): Promise<string> {
    const [rows] = await this.admin(index, (c) => c.query(`SHOW STATUS LIKE '${variable}'`));
    return String((rows as Array<{ Value: string }>)[0]?.Value ?? '');
  }

  /** Kills one node at once (SIGKILL), as a crash or a lost machine would. */
  async kill(index: number): Promise<void> {
    await this.signal(index, 'SIGKILL');
  }

  /**
   * Cuts one node off from the other two without stopping it, as a network partition
   * would: it stays up but, alone, is no longer in the primary component, so it refuses
   * queries (1047) while the other two carry on as a cluster of two.
   */
  async isolate(index: number): Promise<void> {
    await this.admin(index, (c) => c.query("SET GLOBAL wsrep_provider_options = 'gmcast.isolate=1'"));
    const other = index === 0 ? 1 : 0;
    await this.waitForSize(2, other);
    await waitUntil(async () => (await this.status(index, 'wsrep_ready').catch(() => '')) === 'OFF', `node ${index + 1} to leave the primary component`, 60_000, 250);
  }

  /** Ends the partition: the node rejoins and catches up (IST) before it reports ready. */
  async reconnect(index: number): Promise<void> {
    await this.admin(index, (c) => c.query("SET GLOBAL wsrep_provider_options = 'gmcast.isolate=0'"));
    await this.waitForSize(3);
    await waitUntil(() => this.synced(this.nodes[index]!), `node ${index + 1} to be synced again`, 120_000, 250);
  }

  /** Starts a stopped node again: it rejoins and catches up by IST (or SST). */
  async restart(index: number): Promise<void> {
    await this.startNode(index);
    await this.waitForSize(3);
  }

  async waitForSize(size: number, index = 0): Promise<void> {
    await waitUntil(async () => (await this.status(index, 'wsrep_cluster_size').catch(() => '')) === String(size), `a Galera cluster of ${size}`, 120_000, 250);
  }

  /** Stops every node cleanly and removes the directories; a shared cluster is left running. */
  async stop(): Promise<void> {
    if (this.shared) return;
    // Joiners first, the bootstrap node last, so nobody waits on a departed primary.
    for (const node of [...this.nodes].reverse()) await this.stopNode(node.index);
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  /** Stops one node cleanly (SIGTERM, then SIGKILL after 30 s). */
  async stopNode(index: number): Promise<void> {
    await this.signal(index, 'SIGTERM');
  }

  /**
   * Sends `signal` to a node and waits until it has exited (SIGKILL after 30 s). A node
   * this helper did not start (a shared cluster's) is found by its pid file.
   */
  private async signal(index: number, signal: NodeJS.Signals): Promise<void> {
    const node = this.nodes[index]!;
    const child = node.process;
    if (child) {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill(signal);
        const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
        await exited;
        clearTimeout(timer);
      }
      node.process = null;
      return;
    }
    const pid = this.pidOf(node);
    if (pid === null || !isRunning(pid)) return;
    process.kill(pid, signal);
    const deadline = Date.now() + 30_000;
    while (isRunning(pid)) {
      if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
      await sleep(100);
    }
  }

  private pidOf(node: GaleraNode): number | null {
    const file = path.join(node.dir, 'mysqld.pid');
    const pid = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8').trim()) : NaN;
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  }

  /** The tail of a node's error log (for a failure message). */
  errorLog(index: number): string {
    const file = path.join(this.nodes[index]!.dir, 'error.log');
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(-300).join('\n') : '';
  }

  private optionFile(node: GaleraNode): string {
    return path.join(node.dir, 'my.cnf');
  }

  private writeOptions(node: GaleraNode): void {
    fs.mkdirSync(path.join(node.dir, 'data'), { recursive: true });
    const gcomm = GCOMM_PORTS[node.index]!;
    const asRoot = process.getuid?.() === 0;
    const options = [
      '[mysqld]',
      `datadir=${path.join(node.dir, 'data')}`,
      `socket=${path.join(node.dir, 'mysqld.sock')}`,
      `pid-file=${path.join(node.dir, 'mysqld.pid')}`,
      `log-error=${path.join(node.dir, 'error.log')}`,
      `port=${node.port}`,
      'bind-address=127.0.0.1',
      // As root, rsync's daemon would write the transferred state as `nobody`: run as mysql.
      ...(asRoot ? ['user=mysql'] : []),
      'skip-name-resolve',
      // Galera's requirements: row-based replication, InnoDB, interleaved auto-increment locks.
      'binlog_format=ROW',
      'default_storage_engine=InnoDB',
      'innodb_autoinc_lock_mode=2',
      // Small: three nodes share this host with the tests.
      'innodb_buffer_pool_size=64M',
      'innodb_log_file_size=32M',
      'innodb_flush_log_at_trx_commit=2',
      'performance_schema=OFF',
      'max_connections=200',
      'wsrep_on=ON',
      `wsrep_provider=${GALERA_PROVIDER}`,
      'wsrep_cluster_name=gatehouse_test',
      `wsrep_cluster_address=gcomm://${GCOMM_PORTS.map((p) => `127.0.0.1:${p}`).join(',')}`,
      `wsrep_node_name=node${node.index + 1}`,
      `wsrep_node_address=127.0.0.1:${gcomm}`,
      `wsrep_provider_options="base_port=${gcomm};ist.recv_addr=127.0.0.1:${gcomm + 1};gcache.size=64M;evs.suspect_timeout=PT3S;evs.inactive_timeout=PT6S;evs.install_timeout=PT6S"`,
      'wsrep_sst_method=rsync',
      `wsrep_sst_receive_address=127.0.0.1:${gcomm + 2}`,
      'wsrep_slave_threads=2',
      '',
    ];
    fs.writeFileSync(this.optionFile(node), options.join('\n'));
  }

  private installSystemTables(node: GaleraNode): void {
    const asRoot = process.getuid?.() === 0;
    const result = spawnSync('mariadb-install-db', [`--defaults-file=${this.optionFile(node)}`, '--auth-root-authentication-method=normal', '--skip-test-db', ...(asRoot ? ['--user=mysql'] : [])], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`mariadb-install-db failed:\n${result.stdout}\n${result.stderr}`);
  }

  private async startNode(index: number, { bootstrap = false } = {}): Promise<void> {
    const node = this.nodes[index]!;
    const args = [`--defaults-file=${this.optionFile(node)}`, ...(bootstrap ? ['--wsrep-new-cluster'] : [])];
    // A shared cluster's nodes outlive the process that starts them (and the tests attach).
    const outlive = this.detached || this.shared;
    const child = spawn(MARIADBD, args, { stdio: 'ignore', detached: outlive });
    if (outlive) child.unref();
    node.process = outlive ? null : child;
    let exited = false;
    child.once('exit', () => (exited = true));
    await waitUntil(async () => {
      if (exited) throw new Error(`Galera node ${index + 1} exited while starting:\n${this.errorLog(index)}`);
      return this.synced(node);
    }, `Galera node ${index + 1} to be synced`, 120_000, 250);
  }

  /** Whether the node accepts SQL and is a synced member of the primary component. */
  private async synced(node: GaleraNode): Promise<boolean> {
    let connection: mysql.Connection | null = null;
    try {
      connection = await mysql.createConnection({ socketPath: path.join(node.dir, 'mysqld.sock'), user: 'root' });
      const [rows] = await connection.query("SHOW STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_ready')");
      const values = Object.fromEntries((rows as Array<{ Variable_name: string; Value: string }>).map((r) => [r.Variable_name, r.Value]));
      return values.wsrep_local_state_comment === 'Synced' && values.wsrep_ready === 'ON';
    } catch {
      await sleep(0);
      return false;
    } finally {
      await connection?.end().catch(() => undefined);
    }
  }

  /** The test user, on the bootstrap node; Galera replicates it to the others. */
  private async createTestUser(): Promise<void> {
    const connection = await mysql.createConnection({ socketPath: path.join(this.nodes[0]!.dir, 'mysqld.sock'), user: 'root', multipleStatements: true });
    try {
      await connection.query(
        `CREATE USER '${USER}'@'127.0.0.1' IDENTIFIED BY '${PASSWORD}';` +
          `GRANT ALL PRIVILEGES ON *.* TO '${USER}'@'127.0.0.1';`,
      );
    } finally {
      await connection.end();
    }
  }
}

/** Whether a process runs (a zombie left for its reaper counts as gone). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
