// The kept report of every LDAP sync and CSV import (created / updated / deactivated /
// blocked / failed, kept and shown): one run row with its counters and
// progress, and a row per entry or line that needs reading (anything but "unchanged"),
// written in batches so a long run costs a few inserts, not one per row.
import { Op } from 'sequelize';
import type { Clock } from '../clock.js';
import type { Models } from '../db/models.js';
import { NotFound } from '../errors.js';
import { newId } from '../ids.js';
import {
  RUN_COUNTERS, type DirectoryRunAttributes, type DirectoryRunRowAttributes, type RunCounter, type RunKind, type RunStatus, type RunTrigger,
} from './directory-models.js';

/** A running run whose heartbeat is older than this was killed with its process. */
export const STALE_AFTER_MS = 2 * 60_000;

export type Counters = Record<RunCounter, number>;

export interface RunView extends Omit<DirectoryRunAttributes, 'warnings' | 'heartbeatAt'> {
  /** `interrupted` also when a running run stopped beating (its process died). */
  status: RunStatus;
  warnings: string[];
}

export interface RowRecord {
  position: number;
  phase: 'preview' | 'result';
  outcome: string;
  label: string | null;
  message: string | null;
  /** The seat pool of the row's account (CSV rows; null when unknown). */
  kind?: string | null;
}

export interface RowView extends RowRecord {
  seq: number;
}

export function emptyCounters(): Counters {
  return Object.fromEntries(RUN_COUNTERS.map((c) => [c, 0])) as Counters;
}

export class DirectoryRunService {
  constructor(
    private readonly models: Models,
    private readonly clock: Clock,
  ) {}

  async create(input: { kind: RunKind; status: RunStatus; trigger: RunTrigger; actorLabel: string; createdBy?: string | null; fileName?: string | null; total?: number }): Promise<string> {
    const id = newId();
    const now = this.clock.now();
    await this.models.DirectoryRun.create({
      id,
      kind: input.kind,
      status: input.status,
      trigger: input.trigger,
      actorLabel: input.actorLabel.slice(0, 255),
      createdBy: input.createdBy ?? null,
      fileName: input.fileName?.slice(0, 255) ?? null,
      total: input.total ?? 0,
      createdAt: now,
      startedAt: input.status === 'running' ? now : null,
      heartbeatAt: input.status === 'running' ? now : null,
    });
    return id;
  }

  /** Moves a run from `from` to `to`; false when it was not in `from` (a double click). */
  async transition(id: string, from: RunStatus, to: RunStatus): Promise<boolean> {
    const now = this.clock.now();
    const [n] = await this.models.DirectoryRun.update(
      { status: to, ...(to === 'running' ? { startedAt: now, heartbeatAt: now } : {}) },
      { where: { id, status: from } },
    );
    return n === 1;
  }

  /** Appends rows (numbered after those already kept) and updates counters and progress. */
  async progress(id: string, update: { rows?: RowRecord[]; counters?: Counters; processed?: number; total?: number; nextSeq?: number }): Promise<void> {
    if (update.rows?.length) {
      const start = update.nextSeq ?? (await this.models.DirectoryRunRow.count({ where: { runId: id } }));
      await this.models.DirectoryRunRow.bulkCreate(
        update.rows.map((r, i) => ({ runId: id, seq: start + i, position: r.position, phase: r.phase, outcome: r.outcome, label: r.label?.slice(0, 500) ?? null, message: r.message, kind: r.kind ?? null })),
      );
    }
    await this.models.DirectoryRun.update(
      {
        ...(update.counters ?? {}),
        ...(update.processed !== undefined ? { processed: update.processed } : {}),
        ...(update.total !== undefined ? { total: update.total } : {}),
        heartbeatAt: this.clock.now(),
      },
      { where: { id } },
    );
  }

  async finish(id: string, status: Exclude<RunStatus, 'previewed' | 'running'>, details: { message?: string | null; warnings?: string[]; counters?: Counters; processed?: number } = {}): Promise<void> {
    await this.models.DirectoryRun.update(
      {
        status,
        ...(details.counters ?? {}),
        ...(details.processed !== undefined ? { processed: details.processed } : {}),
        message: details.message ?? null,
        warnings: details.warnings?.length ? JSON.stringify(details.warnings) : null,
        finishedAt: this.clock.now(),
      },
      { where: { id } },
    );
  }

  /** Marks runs of a kind still recorded as running as interrupted (their runner is gone). */
  async markInterrupted(kind: RunKind, exceptId?: string): Promise<number> {
    const [n] = await this.models.DirectoryRun.update(
      { status: 'interrupted', message: 'The run stopped before it finished (its process ended). Every account it handled was applied whole; run it again to finish.', finishedAt: this.clock.now() },
      { where: { kind, status: 'running', ...(exceptId ? { id: { [Op.ne]: exceptId } } : {}) } },
    );
    return n;
  }

  async get(id: string): Promise<RunView> {
    const row = await this.models.DirectoryRun.findByPk(id);
    if (!row) throw new NotFound('No such sync or import run.');
    return this.present(row.get({ plain: true }));
  }

  async recent(kind: RunKind, limit = 10): Promise<RunView[]> {
    const rows = await this.models.DirectoryRun.findAll({ where: { kind, status: { [Op.ne]: 'previewed' } }, order: [['createdAt', 'DESC']], limit });
    return rows.map((r) => this.present(r.get({ plain: true })));
  }

  /** The newest run of a kind that started (for the schedule). */
  async lastStarted(kind: RunKind): Promise<RunView | null> {
    const row = await this.models.DirectoryRun.findOne({ where: { kind, startedAt: { [Op.ne]: null } }, order: [['startedAt', 'DESC']] });
    return row ? this.present(row.get({ plain: true })) : null;
  }

  async rows(id: string, options: { phase: 'preview' | 'result'; offset?: number; limit?: number; outcomes?: string[] }): Promise<{ rows: RowView[]; total: number }> {
    const where = { runId: id, phase: options.phase, ...(options.outcomes ? { outcome: { [Op.in]: options.outcomes } } : {}) };
    const [rows, total] = await Promise.all([
      this.models.DirectoryRunRow.findAll({ where, order: [['seq', 'ASC']], offset: options.offset ?? 0, limit: Math.min(options.limit ?? 100, 1000) }),
      this.models.DirectoryRunRow.count({ where }),
    ]);
    return { rows: rows.map((r) => presentRow(r.get({ plain: true }))), total };
  }

  async remove(id: string): Promise<void> {
    await this.models.DirectoryUploadChunk.destroy({ where: { runId: id } });
    await this.models.DirectoryRunRow.destroy({ where: { runId: id } });
    await this.models.DirectoryRun.destroy({ where: { id } });
  }

  private present(r: DirectoryRunAttributes): RunView {
    const stale = r.status === 'running' && (!r.heartbeatAt || this.clock.now().getTime() - new Date(r.heartbeatAt).getTime() > STALE_AFTER_MS);
    return {
      id: r.id,
      kind: r.kind,
      status: stale ? 'interrupted' : r.status,
      trigger: r.trigger,
      actorLabel: r.actorLabel,
      createdBy: r.createdBy,
      fileName: r.fileName,
      total: r.total,
      processed: r.processed,
      ...(Object.fromEntries(RUN_COUNTERS.map((c) => [c, r[c]])) as Counters),
      message: stale && !r.message ? 'The run stopped before it finished (its process ended). Every account it handled was applied whole; run it again to finish.' : r.message,
      warnings: r.warnings ? (JSON.parse(r.warnings) as string[]) : [],
      createdAt: r.createdAt,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
    };
  }
}

function presentRow(r: DirectoryRunRowAttributes): RowView {
  return { seq: r.seq, position: r.position, phase: r.phase, outcome: r.outcome, label: r.label, message: r.message, kind: r.kind };
}
