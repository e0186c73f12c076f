// CSV import of accounts: template,
// upload with a preview of every row (validation, create or update, predicted seat
// refusals in input order), then the import with a per-row report and progress.
//
// The file is read as a stream, twice: once whole before anything changes (a broken file —
// not UTF-8, broken quotes, wrong header, empty — is refused and changes nothing; the
// preview comes from this pass), then again to apply the rows in batches: one lookup query
// per batch, one transaction per row, outcomes kept in batches. Memory stays flat in the
// file's size. An uploaded file is kept in the database in chunks between preview and
// import, so any process may run it. Re-importing a file updates the accounts it made
// (matched by external id, then email) instead of duplicating them.
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import { Conflict, InvalidTransition } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AuditService } from '../audit/audit-service.js';
import type { RoleService } from '../roles/role-service.js';
import type { SeatService } from '../seats/seat-service.js';
import { authorize } from '../roles/authorize.js';
import { KINDS, type Kind } from '../users/user-model.js';
import { readAccountsCsv, type CsvRow } from './csv-reader.js';
import { problemText, RowPreparer, type PreparedRow } from './csv-import-row.js';
import type { AccountIndex, CsvRowWriter, ExistingAccount } from './csv-row-writer.js';
import { BUILTIN_CONNECTIONS } from '../connections/connection-service.js';
import { csvTemplate } from './csv-template.js';
import type { RunTrigger } from './directory-models.js';
import { emptyCounters, type Counters, type DirectoryRunService, type RowRecord, type RunView } from './sync-report.js';
import { readChunks, storeChunks } from './upload-store.js';

export type ByteSource = () => AsyncIterable<Buffer | string>;

const BATCH = 500;
/** The preview keeps the first rows as they will be applied, and every row with a problem up to this many. */
const PREVIEW_FIRST = 100;
const PREVIEW_MAX = 2000;

export interface ImportProgress {
  phase: 'checking' | 'importing' | 'done';
  processed: number;
  total: number;
  counters: Counters;
}

/** Every change of an import is audited as the importing admin, from the source 'csv'. */
function asImport(ctx: Context): Context {
  return { actor: ctx.actor, source: 'csv', ip: ctx.ip, requestId: ctx.requestId, connectionId: BUILTIN_CONNECTIONS.csv.id };
}

export class CsvImportService {
  constructor(
    private readonly models: Models,
    private readonly writer: CsvRowWriter,
    private readonly roles: RoleService,
    private readonly seats: SeatService,
    private readonly audit: AuditService,
    private readonly runs: DirectoryRunService,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly timeZone: () => Promise<string>,
  ) {}

  template(): string {
    return csvTemplate();
  }

  /** Page upload: checks the whole file, keeps it, and records its preview. Throws InvalidImportFile. */
  async stage(given: Context, fileName: string, content: Buffer | string): Promise<RunView> {
    authorize(given.actor, 'users.manage');
    const ctx = asImport(given);
    const source: ByteSource = () => (async function* () {
      yield content;
    })();
    const preview = await this.preview(ctx, source);
    const runId = await this.runs.create({ kind: 'csv', status: 'previewed', trigger: 'page', actorLabel: ctx.actor.label, createdBy: ctx.actor.userId, fileName, total: preview.total });
    await this.runs.progress(runId, { rows: preview.rows, counters: preview.counters, nextSeq: 0 });
    try {
      await storeChunks(this.models, runId, typeof content === 'string' ? content : new TextDecoder('utf-8').decode(content));
    } catch (err) {
      // A preview whose file is not kept whole must not be importable.
      await this.runs.remove(runId).catch(() => undefined);
      throw err;
    }
    return this.runs.get(runId);
  }

  /** Starts the import of a previewed upload; the page follows its progress. */
  async start(given: Context, runId: string, onProgress?: (p: ImportProgress) => void): Promise<{ done: Promise<RunView> }> {
    authorize(given.actor, 'users.manage');
    const ctx = asImport(given);
    const run = await this.runs.get(runId);
    if (run.kind !== 'csv') throw new InvalidTransition('This run is not a CSV import.');
    if (!(await this.runs.transition(runId, 'previewed', 'running'))) throw new InvalidTransition('This import has already been run; upload the file again to import it again.');
    // The preview's rows give way to the outcomes.
    await this.models.DirectoryRunRow.destroy({ where: { runId } });
    const done = this.execute(ctx, runId, run.total, () => readChunks(this.models, runId), onProgress)
      .finally(() => this.models.DirectoryUploadChunk.destroy({ where: { runId } }).catch(() => undefined));
    return { done };
  }

  /** CLI `users import FILE`: checks the file whole, then imports it, reporting progress. */
  async importFile(given: Context, fileName: string, source: ByteSource, options: { trigger?: RunTrigger; onProgress?: (p: ImportProgress) => void } = {}): Promise<RunView> {
    authorize(given.actor, 'users.manage');
    const ctx = asImport(given);
    const preview = await this.preview(ctx, source, (processed) => options.onProgress?.({ phase: 'checking', processed, total: 0, counters: emptyCounters() }));
    const runId = await this.runs.create({ kind: 'csv', status: 'running', trigger: options.trigger ?? 'cli', actorLabel: ctx.actor.label, createdBy: ctx.actor.userId, fileName, total: preview.total });
    return this.execute(ctx, runId, preview.total, source, options.onProgress);
  }

  /** Discards a previewed upload that will not be imported. */
  async discard(ctx: Context, runId: string): Promise<void> {
    authorize(ctx.actor, 'users.manage');
    const run = await this.runs.get(runId);
    if (run.kind === 'csv' && run.status === 'previewed') await this.runs.remove(runId);
  }

  /** Reads the file whole: refuses a broken file; predicts each row's outcome. */
  private async preview(ctx: Context, source: ByteSource, onRow?: (n: number) => void): Promise<{ total: number; counters: Counters; rows: RowRecord[] }> {
    const preparer = new RowPreparer(await this.roles.list(), ctx.actor, this.clock.now(), await this.timeZone());
    const free = await this.freeSeats();
    const counters = emptyCounters();
    const rows: RowRecord[] = [];
    let total = 0;
    await this.batches(source, async (batch) => {
      const index = await this.writer.index(batch.map((r) => preparer.keys(r)));
      for (const raw of batch) {
        total++;
        onRow?.(total);
        const matched = this.matchForPreview(index, preparer.keys(raw));
        const existing = matched.account;
        const row = preparer.prepare(raw, !existing);
        let outcome: string;
        let message: string | null = null;
        if (matched.refusal) {
          outcome = 'invalid';
          message = matched.refusal;
          counters.invalid++;
        } else if (Object.keys(row.problems).length) {
          outcome = 'invalid';
          message = problemText(row.problems);
          counters.invalid++;
        } else {
          const pool = poolOf(row, existing) ?? 'user';
          const takesSeat = existing
            ? (existing.status === 'inactive' && row.status === 'active') || (existing.status !== 'inactive' && row.status !== 'inactive' && pool !== existing.kind)
            : row.status !== 'inactive';
          if (takesSeat && free[pool] <= 0) {
            outcome = 'blocked';
            message = `The ${pool} seat limit would be reached: this row would not be imported.`;
            counters.blocked++;
          } else {
            if (takesSeat) free[pool]--;
            outcome = existing ? 'update' : 'create';
            counters[existing ? 'updated' : 'created']++;
          }
        }
        if (rows.length < PREVIEW_MAX && (total <= PREVIEW_FIRST || outcome === 'invalid' || outcome === 'blocked')) {
          rows.push({ position: row.line, phase: 'preview', outcome, label: row.label, message, kind: poolOf(row, existing) });
        }
      }
    });
    return { total, counters, rows };
  }

  /** The preview shows a match the import would refuse (an ambiguous external id) as the row's problem. */
  private matchForPreview(index: AccountIndex, keys: ReturnType<RowPreparer['keys']>): { account?: ExistingAccount; refusal?: string } {
    try {
      return { account: this.writer.match(index, keys) };
    } catch (err) {
      if (err instanceof Conflict) return { refusal: err.message };
      throw err;
    }
  }

  private async execute(ctx: Context, runId: string, total: number, source: ByteSource, onProgress?: (p: ImportProgress) => void): Promise<RunView> {
    const counters = emptyCounters();
    const blockedPools = new Set<Kind>();
    let processed = 0;
    let seq = 0;
    const report = (phase: ImportProgress['phase']) => onProgress?.({ phase, processed, total, counters: { ...counters } });
    try {
      const preparer = new RowPreparer(await this.roles.list(), ctx.actor, this.clock.now(), await this.timeZone());
      await this.batches(source, async (batch) => {
        const index = await this.writer.index(batch.map((r) => preparer.keys(r)));
        // Prepared one by one as applied: an earlier row may have created a later row's account.
        const { outcomes, prepared } = await this.writer.applyAll(ctx, batch, (raw, isNew) => preparer.prepare(raw, isNew), (raw) => preparer.keys(raw), index, () => {
          processed++;
          report('importing');
        });
        const rows: RowRecord[] = [];
        outcomes.forEach((o, i) => {
          const row = prepared[i] ?? { line: batch[i]!.line, label: batch[i]!.values.email ?? null };
          // After the row was applied, its account (if any) is in the index with its pool.
          const pool = prepared[i] ? poolOf(prepared[i], this.matchForPreview(index, preparer.keys(batch[i]!)).account) : null;
          let outcome: string;
          let message: string | null;
          if (o.ok) {
            outcome = o.value.outcome;
            message = o.value.message;
            counters[o.value.outcome]++;
          } else {
            outcome = o.code === 'seat_limit_reached' ? 'blocked' : o.code === 'validation_failed' ? 'invalid' : 'failed';
            message = o.fields ? Object.values(o.fields).join(' ') : o.message;
            counters[outcome as 'blocked' | 'invalid' | 'failed']++;
            if (outcome === 'blocked' && pool) blockedPools.add(pool);
            if (o.error) this.logger.error({ err: o.error, runId, line: row.line }, 'CSV import row failed');
          }
          if (outcome !== 'unchanged') rows.push({ position: row.line, phase: 'result', outcome, label: row.label, message, kind: pool });
        });
        await this.runs.progress(runId, { rows, counters, processed, nextSeq: seq });
        seq += rows.length;
      });
      const pools = [...blockedPools].join(' and ') || 'a';
      const warnings = counters.blocked ? [`${counters.blocked} ${counters.blocked === 1 ? 'row was' : 'rows were'} not imported: the ${pools} seat limit is reached. Existing accounts were updated.`] : [];
      await this.runs.finish(runId, 'completed', { counters, processed, warnings });
      await this.audit.record(ctx, 'directory.import_completed', { runId, ...counters });
      report('done');
    } catch (err) {
      this.logger.error({ err, runId }, 'CSV import failed');
      await this.runs.finish(runId, 'failed', { counters, processed, message: 'The import stopped unexpectedly; see the server log. Rows reported as imported were applied whole; import the file again to finish.' });
      await this.audit.record(ctx, 'directory.import_failed', { runId, ...counters });
    }
    return this.runs.get(runId);
  }

  private async batches(source: ByteSource, handle: (batch: CsvRow[]) => Promise<void>): Promise<void> {
    let batch: CsvRow[] = [];
    for await (const row of readAccountsCsv(source())) {
      batch.push(row);
      if (batch.length >= BATCH) {
        await handle(batch);
        batch = [];
      }
    }
    if (batch.length) await handle(batch);
  }

  private async freeSeats(): Promise<Record<Kind, number>> {
    const free = {} as Record<Kind, number>;
    for (const pool of KINDS) {
      const usage = await this.seats.usage(pool);
      free[pool] = usage.limit === null ? Number.POSITIVE_INFINITY : Math.max(0, usage.limit - usage.used);
    }
    return free;
  }
}

/** The seat pool a row's account is or would be in: the file's kind, else the account's, else the default; null for a kind the file got wrong. */
function poolOf(row: PreparedRow, account: ExistingAccount | undefined): Kind | null {
  const given = row.input.kind;
  if (typeof given === 'string') return (KINDS as readonly string[]).includes(given) ? (given as Kind) : null;
  return account?.kind ?? 'user';
}
