// A real OpenLDAP server (Debian `slapd`) for the directory suites: a temporary cn=config
// (mdb backend, suffix dc=example,dc=com, a root DN and password) loaded with slapadd, a
// directory seeded offline with slapadd (thousands of entries in a second), then slapd on a
// free port of 127.0.0.1. It can be stopped (the directory is down) and started again on
// the same port. Tests change entries through a real LDAP client bound as the root DN.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Attribute, Change, Client } from 'ldapts';
import { freePort } from './free-port.js';

export const SLAPD = '/usr/sbin/slapd';
export const SLAPADD = '/usr/sbin/slapadd';
export const SUFFIX = 'dc=example,dc=com';
export const ROOT_DN = `cn=admin,${SUFFIX}`;
export const ROOT_PASSWORD = 'root-secret-for-tests';
const SCHEMAS = ['core', 'cosine', 'nis', 'inetorgperson'];

export function slapdAvailable(): boolean {
  return fs.existsSync(SLAPD) && fs.existsSync(SLAPADD) && SCHEMAS.every((s) => fs.existsSync(`/etc/ldap/schema/${s}.ldif`));
}

export interface Person {
  uid: string;
  givenName?: string;
  sn?: string;
  cn?: string;
  mail?: string;
  displayName?: string;
  title?: string;
  telephoneNumber?: string;
  departmentNumber?: string;
  employeeType?: string;
  password?: string;
}

/** {SSHA}: salted SHA-1, a scheme slapd verifies at bind. */
export function ssha(password: string): string {
  const salt = randomBytes(8);
  return '{SSHA}' + Buffer.concat([createHash('sha1').update(password).update(salt).digest(), salt]).toString('base64');
}

function personAttributes(p: Person): Record<string, string> {
  const attrs: Record<string, string | undefined> = {
    uid: p.uid,
    cn: p.cn ?? ([p.givenName, p.sn].filter(Boolean).join(' ') || p.uid),
    sn: p.sn ?? p.uid,
    givenName: p.givenName,
    mail: p.mail,
    displayName: p.displayName,
    title: p.title,
    telephoneNumber: p.telephoneNumber,
    departmentNumber: p.departmentNumber,
    employeeType: p.employeeType,
    userPassword: p.password ? ssha(p.password) : undefined,
  };
  return Object.fromEntries(Object.entries(attrs).filter((e): e is [string, string] => e[1] !== undefined));
}

export function personLdif(ouDn: string, p: Person): string {
  const lines = [`dn: uid=${p.uid},${ouDn}`, 'objectClass: inetOrgPerson'];
  for (const [k, v] of Object.entries(personAttributes(p))) lines.push(`${k}: ${v}`);
  return lines.join('\n') + '\n\n';
}

/** A seeded population: `count` people uid=person00001… in ou=people, every 10th a requester (employeeType), and groups. */
export function seededPeople(count: number): Person[] {
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(5, '0');
    return {
      uid: `person${n}`,
      givenName: `Given${n}`,
      sn: `Family${n}`,
      mail: `person${n}@example.com`,
      title: i % 3 === 0 ? 'Engineer' : 'Analyst',
      departmentNumber: `D${i % 7}`,
      telephoneNumber: `+1 555 ${n}`,
      employeeType: i % 10 === 9 ? 'requester' : 'staff',
    };
  });
}

export interface LdapServerOptions {
  /** People seeded in ou=people before the server starts. */
  people?: number;
  /** Members of cn=staff,ou=groups (the first N seeded people). */
  staffMembers?: number;
}

export class LdapTestServer {
  private child: ChildProcess | null = null;
  readonly url: string;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {
    this.url = `ldap://127.0.0.1:${port}`;
  }

  static async start(options: LdapServerOptions = {}): Promise<LdapTestServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-slapd-'));
    fs.mkdirSync(path.join(dir, 'config'));
    fs.mkdirSync(path.join(dir, 'data'));
    fs.writeFileSync(path.join(dir, 'config.ldif'), configLdif(dir));
    run(SLAPADD, ['-n', '0', '-F', path.join(dir, 'config'), '-l', path.join(dir, 'config.ldif')]);
    const people = seededPeople(options.people ?? 0);
    const staff = people.slice(0, options.staffMembers ?? 0).map((p) => `uid=${p.uid},ou=people,${SUFFIX}`);
    const out = fs.createWriteStream(path.join(dir, 'data.ldif'));
    out.write(`dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Example\ndc: example\n\n`);
    out.write(`dn: ou=people,${SUFFIX}\nobjectClass: organizationalUnit\nou: people\n\n`);
    out.write(`dn: ou=groups,${SUFFIX}\nobjectClass: organizationalUnit\nou: groups\n\n`);
    for (const p of people) out.write(personLdif(`ou=people,${SUFFIX}`, p));
    if (staff.length) out.write(`dn: cn=staff,ou=groups,${SUFFIX}\nobjectClass: groupOfNames\ncn: staff\n${staff.map((m) => `member: ${m}`).join('\n')}\n\n`);
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    // -q: no consistency checks, fast for thousands of entries; entryUUID etc. are still added.
    run(SLAPADD, ['-q', '-n', '1', '-F', path.join(dir, 'config'), '-l', path.join(dir, 'data.ldif')]);
    const server = new LdapTestServer(dir, await freePort());
    // A run that exits without its after hooks (process.exit, a failed hook) still leaves
    // no slapd and no files behind.
    process.once('exit', server.onExit);
    await server.startProcess();
    return server;
  }

  private readonly onExit = () => {
    this.child?.kill('SIGKILL');
    fs.rmSync(this.dir, { recursive: true, force: true });
  };

  get running(): boolean {
    return this.child !== null;
  }

  /** The directory goes down (connections refused). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }

  /** Back up on the same port with the same data. */
  async restart(): Promise<void> {
    await this.stop();
    await this.startProcess();
  }

  /** Stops the server and removes its files. */
  async destroy(): Promise<void> {
    await this.stop();
    process.removeListener('exit', this.onExit);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** A client bound as the root DN; close it with unbind(). */
  async admin(): Promise<Client> {
    const client = new Client({ url: this.url, timeout: 10_000, connectTimeout: 5_000 });
    await client.bind(ROOT_DN, ROOT_PASSWORD);
    return client;
  }

  async withAdmin<T>(work: (c: Client) => Promise<T>): Promise<T> {
    const client = await this.admin();
    try {
      return await work(client);
    } finally {
      await client.unbind();
    }
  }

  /** A fresh organizational unit (each test its own), returning its DN. */
  async addOu(name: string): Promise<string> {
    const dn = `ou=${name},${SUFFIX}`;
    await this.withAdmin((c) => c.add(dn, { objectClass: 'organizationalUnit', ou: name }));
    return dn;
  }

  async addPerson(ouDn: string, p: Person): Promise<string> {
    const dn = `uid=${p.uid},${ouDn}`;
    await this.withAdmin((c) => c.add(dn, { objectClass: 'inetOrgPerson', ...personAttributes(p) }));
    return dn;
  }

  async addGroup(ouDn: string, cn: string, memberDns: string[]): Promise<string> {
    const dn = `cn=${cn},${ouDn}`;
    // groupOfNames needs at least one member (RFC 4519): an empty group holds its own DN.
    await this.withAdmin((c) => c.add(dn, { objectClass: 'groupOfNames', cn, member: memberDns.length ? memberDns : [dn] }));
    return dn;
  }

  async replace(dn: string, attribute: string, values: string[]): Promise<void> {
    await this.withAdmin((c) => c.modify(dn, new Change({ operation: 'replace', modification: new Attribute({ type: attribute, values }) })));
  }

  async addValue(dn: string, attribute: string, value: string): Promise<void> {
    await this.withAdmin((c) => c.modify(dn, new Change({ operation: 'add', modification: new Attribute({ type: attribute, values: [value] }) })));
  }

  async remove(dn: string): Promise<void> {
    await this.withAdmin((c) => c.del(dn));
  }

  private async startProcess(): Promise<void> {
    const child = spawn(SLAPD, ['-h', `${this.url}/`, '-F', path.join(this.dir, 'config'), '-d', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    let exited = false;
    child.once('exit', () => {
      exited = true;
      if (this.child === child) this.child = null;
    });
    this.child = child;
    const deadline = Date.now() + 15_000;
    while (!(await accepts(this.port))) {
      if (exited) throw new Error(`slapd exited at start:\n${stderr}`);
      if (Date.now() > deadline) throw new Error(`slapd did not listen on ${this.url}:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function run(cmd: string, args: string[]): void {
  const result = spawnSync(cmd, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${result.stderr}${result.stdout}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function configLdif(dir: string): string {
  return `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${path.join(dir, 'slapd.pid')}

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

${SCHEMAS.map((s) => `include: file:///etc/ldap/schema/${s}.ldif`).join('\n\n')}

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcSizeLimit: unlimited

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: ${SUFFIX}
olcRootDN: ${ROOT_DN}
olcRootPW: ${ROOT_PASSWORD}
olcDbDirectory: ${path.join(dir, 'data')}
olcDbMaxSize: 4294967296
olcDbIndex: objectClass eq
olcDbIndex: uid eq
olcDbIndex: member eq
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to * by * read
`;
}
