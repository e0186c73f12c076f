// One runner across several Gatehouse processes (processes share one
// database): a named lease row with a holder and an expiry. Taking it is one conditional
// UPDATE that the database applies atomically, so of two processes asking at once exactly
// one wins; the holder renews the expiry while it runs. A holder that died leaves the lease
// until it expires — or at once when the holder was a process on this host that no longer
// exists (a killed CLI run), so the next run need not wait.
import fs from 'node:fs';
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { Op, UniqueConstraintError } from 'sequelize';
import type { Clock } from '../clock.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';

export const LEASE_TTL_MS = 60_000;

export interface LeaseHolder {
  holder: string;
  expiresAt: Date;
  acquiredAt: Date | null;
}

export class DirectoryLease {
  /** "<host>|<pid>|<nonce>": the nonce tells two leases of one process apart. */
  readonly holderId = `${os.hostname()}|${process.pid}|${randomBytes(6).toString('hex')}`;

  constructor(
    private readonly models: Models,
    private readonly clock: Clock,
    private readonly ttlMs = LEASE_TTL_MS,
    /**
     * Runs each lease write as its own unit of work: on a multi-primary cluster two nodes
     * updating the row at once make one lose certification (1213), and the loser must ask
     * again to learn it lost rather than fail its tick.
     */
    private readonly transactions?: Pick<TransactionRunner, 'queuedWrite'>,
  ) {}

  private write<T>(update: () => Promise<T>): Promise<T> {
    return this.transactions ? this.transactions.queuedWrite(update) : update();
  }

  /** Takes the lease if it is free, expired, or held by a dead process on this host. */
  async acquire(name: string): Promise<boolean> {
    await this.ensureRow(name);
    const now = this.clock.now();
    const [taken] = await this.write(() =>
      this.models.DirectoryLease.update(
        { holder: this.holderId, expiresAt: new Date(now.getTime() + this.ttlMs), acquiredAt: now },
        { where: { name, [Op.or]: [{ holder: null }, { expiresAt: null }, { expiresAt: { [Op.lt]: now } }] } },
      ),
    );
    if (taken === 1) return true;
    const current = await this.current(name);
    if (!current || !holderIsDeadHere(current.holder)) return false;
    // Only the dead holder's exact row is replaced: a live process that took it meanwhile wins.
    const [stolen] = await this.write(() =>
      this.models.DirectoryLease.update(
        { holder: this.holderId, expiresAt: new Date(now.getTime() + this.ttlMs), acquiredAt: now },
        { where: { name, holder: current.holder } },
      ),
    );
    return stolen === 1;
  }

  /** Extends the expiry; false when the lease is no longer ours (the run must stop). */
  async renew(name: string): Promise<boolean> {
    const [n] = await this.write(() =>
      this.models.DirectoryLease.update({ expiresAt: new Date(this.clock.now().getTime() + this.ttlMs) }, { where: { name, holder: this.holderId } }),
    );
    if (n === 1) return true;
    // MySQL counts changed rows, not matched ones: an expiry renewed to the same instant is 0.
    return (await this.models.DirectoryLease.findByPk(name))?.holder === this.holderId;
  }

  async release(name: string): Promise<void> {
    await this.write(() => this.models.DirectoryLease.update({ holder: null, expiresAt: null }, { where: { name, holder: this.holderId } }));
  }

  /** The live holder, if any. */
  async current(name: string): Promise<LeaseHolder | null> {
    const row = await this.models.DirectoryLease.findByPk(name);
    if (!row?.holder || !row.expiresAt || row.expiresAt < this.clock.now()) return null;
    return { holder: row.holder, expiresAt: row.expiresAt, acquiredAt: row.acquiredAt };
  }

  private async ensureRow(name: string): Promise<void> {
    if (await this.models.DirectoryLease.findByPk(name)) return;
    try {
      await this.models.DirectoryLease.create({ name, holder: null, expiresAt: null, acquiredAt: null });
    } catch (err) {
      if (!(err instanceof UniqueConstraintError)) throw err;
    }
  }
}

function holderIsDeadHere(holder: string): boolean {
  const [host, pidText] = holder.split('|');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  // A killed process whose parent died too may linger as a zombie until reaped: dead all the same.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}
