// Bulk invitations from a CSV: template, upload and review with per-row
// validation (bad address, unknown role, duplicate in file, existing account, over the
// seat limit in input order), then "Send all" with a per-row outcome. The uploaded file is
// kept in the database between review and send (several processes share it) and is
// validated again when sent, since accounts and seats may have changed meanwhile.
//
// Sending writes rows in input order in chunks, one transaction per chunk: a refused row
// (existing account, full pool) is refused before anything of it is written, so the chunk
// carries on; a chunk that fails unexpectedly is redone row by row so only the bad row fails.
import { Op } from 'sequelize';
import { addMs, HOUR_MS, type Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { Conflict, Gone, NotFound, SeatLimitReached, ValidationError } from '../errors.js';
import { newId } from '../ids.js';
import type { Logger } from '../logger.js';
import type { AuditEventInput, AuditService } from '../audit/audit-service.js';
import { authorize, can } from '../roles/authorize.js';
import type { RoleService, RoleView } from '../roles/role-service.js';
import type { SeatService } from '../seats/seat-service.js';
import { KINDS, type Kind } from '../users/user-model.js';
import { emailProblem, kindProblem, normalize, textProblem } from '../users/user-validation.js';
import { applyInOrder } from '../batch.js';
import { csvTemplate, parseInvitationCsv, type CsvInviteRow } from './invitation-csv.js';
import { accessEndOf } from '../users/access-ends.js';
import type { InvitationCreator, Inviter, InviteEnvironment, PreparedInvitation, TxContext } from './invitation-creator.js';
import { MESSAGE_MAX } from './invitation-creator.js';
import { AlreadyHasAccount } from './invitation-errors.js';

export type BulkRowStatus = 'ready' | 'invalid_address' | 'unknown_role' | 'role_not_allowed' | 'invalid' | 'duplicate' | 'already_has_account' | 'over_seat_limit';
export type BulkOutcomeStatus = 'sent' | 'seat_limit_reached' | 'failed' | Exclude<BulkRowStatus, 'ready' | 'over_seat_limit'>;

export interface BulkReviewRow {
  line: number;
  email: string;
  roleNames: string[];
  givenName: string | null;
  familyName: string | null;
  kind: string;
  /** When the account's access will end, or null. */
  accessEndsAt: Date | null;
  status: BulkRowStatus;
  /** Why the row will not be sent (empty when ready). */
  problems: string[];
}

export interface BulkReview {
  batchId: string;
  expiresAt: Date;
  rows: BulkReviewRow[];
  counts: { total: number; ready: number; withProblems: number };
}

export interface BulkOutcome {
  line: number;
  email: string;
  status: BulkOutcomeStatus;
  message: string;
  invitationId?: string;
}

/** A reviewed file stays available for "Send all" this long. */
const BATCH_TTL_HOURS = 24;
const CHUNK = 200;
const LOOKUP_CHUNK = 500;

export class InvitationBulk {
  constructor(
    private readonly models: Models,
    private readonly creator: InvitationCreator,
    private readonly roles: RoleService,
    private readonly seats: SeatService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly logger: Logger,
  ) {}

  /** The template download: email, role, first name, last name, kind. */
  template(): string {
    return csvTemplate();
  }

  /** Parses and validates an upload, keeps it for "Send all", and returns the review. */
  async review(ctx: Context, content: Buffer | string): Promise<BulkReview> {
    authorize(ctx.actor, 'users.invite');
    const rows = parseInvitationCsv(content);
    const reviewed = await this.validate(ctx, rows, true);
    const now = this.clock.now();
    const batchId = newId();
    const expiresAt = addMs(now, BATCH_TTL_HOURS * HOUR_MS);
    const stored = typeof content === 'string' ? content : content.toString('utf8');
    await this.transactions.run(ctx, async (tx) => {
      await this.models.InvitationBatch.destroy({ where: { expiresAt: { [Op.lte]: now } }, transaction: tx.transaction });
      await this.models.InvitationBatch.create({ id: batchId, createdBy: ctx.actor.userId, content: stored, rowCount: rows.length, createdAt: now, expiresAt }, { transaction: tx.transaction });
      await this.audit.record(tx, 'invitation.batch_reviewed', { rows: rows.length, ready: reviewed.filter((r) => r.status === 'ready').length }, { type: 'invitation', id: batchId, label: 'bulk CSV' });
    });
    const ready = reviewed.filter((r) => r.status === 'ready').length;
    return { batchId, expiresAt, rows: reviewed, counts: { total: reviewed.length, ready, withProblems: reviewed.length - ready } };
  }

  /** "Send all": sends every valid row of a reviewed file, once; returns each row's outcome. */
  async send(ctx: Context, batchId: string, options: { message?: string | null } = {}): Promise<{ outcomes: BulkOutcome[]; counts: Record<BulkOutcomeStatus, number> }> {
    authorize(ctx.actor, 'users.invite');
    const message = options.message?.trim() || null;
    const messageProblem = message ? textProblem('Message', message, MESSAGE_MAX, 'multi') : null;
    if (messageProblem) throw new ValidationError({ message: messageProblem });
    const batch = await this.models.InvitationBatch.findByPk(batchId);
    if (!batch) throw new NotFound('This upload is no longer available. Upload the file again.');
    const now = this.clock.now();
    if (batch.expiresAt <= now) throw new Gone('This upload has expired. Upload the file again.');
    // Claimed once: a double-clicked "Send all" sends nothing twice.
    const [claimed] = await this.models.InvitationBatch.update({ sentAt: now }, { where: { id: batchId, sentAt: null } });
    if (claimed !== 1) throw new Conflict('These invitations have already been sent.');

    const rows = parseInvitationCsv(batch.content);
    const reviewed = await this.validate(ctx, rows, false);
    const [inviter, env] = await Promise.all([this.creator.inviterOf(ctx), this.creator.environment(ctx)]);
    const roleByName = await this.roleIndex(ctx);
    const outcomes: BulkOutcome[] = [];
    for (let start = 0; start < reviewed.length; start += CHUNK) {
      const chunk = reviewed.slice(start, start + CHUNK);
      outcomes.push(...(await this.sendChunk(ctx, chunk, roleByName, inviter, env, message)));
    }
    const counts = Object.fromEntries(['sent', 'seat_limit_reached', 'failed', 'invalid_address', 'unknown_role', 'role_not_allowed', 'invalid', 'duplicate', 'already_has_account'].map((s) => [s, 0])) as Record<BulkOutcomeStatus, number>;
    for (const o of outcomes) counts[o.status]++;
    await this.transactions.run(ctx, async (tx) => {
      await this.models.InvitationBatch.update({ content: '' }, { where: { id: batchId }, transaction: tx.transaction });
      await this.audit.record(tx, 'invitation.batch_sent', { rows: outcomes.length, ...counts }, { type: 'invitation', id: batchId, label: 'bulk CSV' });
    });
    return { outcomes, counts };
  }

  private async sendChunk(ctx: Context, chunk: BulkReviewRow[], roleByName: Map<string, RoleView>, inviter: Inviter, env: InviteEnvironment, message: string | null): Promise<BulkOutcome[]> {
    const prepare = (row: BulkReviewRow): PreparedInvitation => ({
      email: row.email,
      emailNormalized: normalize(row.email),
      kind: row.kind as Kind,
      method: 'email',
      roles: row.roleNames.map((n) => roleByName.get(n.toLowerCase())!),
      givenName: row.givenName,
      familyName: row.familyName,
      message,
      deliveryEmail: null,
      accessEndsAt: row.accessEndsAt,
    });
    try {
      return await this.transactions.run(ctx, async (tx) => {
        const ready = chunk.filter((row) => row.status === 'ready');
        const results = await this.creator.createMany(tx, ready.map(prepare), inviter, env);
        const byLine = new Map<number, BulkOutcome>();
        const refusals: AuditEventInput[] = [];
        for (const [i, result] of results.entries()) {
          const row = ready[i]!;
          byLine.set(row.line, result.ok ? sentOutcome(row, result.created.id) : refusedOutcome(row, result.error, refusals));
        }
        // Audited in the chunk's transaction, in one insert: the refusals wrote nothing else.
        await this.audit.recordMany(tx, refusals);
        return chunk.map((row) => byLine.get(row.line) ?? refused(row));
      });
    } catch (err) {
      // Unexpected: redo the chunk one row per transaction, so only the bad row fails.
      this.logger.warn({ err }, 'bulk invitation chunk failed; retrying row by row');
      const results = await applyInOrder(chunk, (row) => (row.status === 'ready' ? this.seats.runTakingSeat(ctx, (tx) => this.sendRow(tx, row, prepare(row), inviter, env)) : Promise.resolve(refused(row))));
      return results.map((r, i) => {
        if (r.ok) return r.value;
        if (r.error) this.logger.error({ err: r.error, line: chunk[i]!.line }, 'bulk invitation row failed');
        return { line: chunk[i]!.line, email: chunk[i]!.email, status: 'failed', message: r.message };
      });
    }
  }

  /** One row in its own transaction (the fallback after a chunk failed unexpectedly). */
  private async sendRow(tx: TxContext, row: BulkReviewRow, p: PreparedInvitation, inviter: Inviter, env: InviteEnvironment): Promise<BulkOutcome> {
    const [result] = await this.creator.createMany(tx, [p], inviter, env);
    if (result!.ok) return sentOutcome(row, result!.created.id);
    const refusals: AuditEventInput[] = [];
    const outcome = refusedOutcome(row, result!.error, refusals);
    await this.audit.recordMany(tx, refusals);
    return outcome;
  }

  /**
   * Per-row validation in input order. With `simulateSeats`, rows beyond the free seats of
   * their pool are marked over the limit (the review's forecast; sending enforces it live).
   */
  private async validate(ctx: Context, rows: CsvInviteRow[], simulateSeats: boolean): Promise<BulkReviewRow[]> {
    const roleByName = await this.roleIndex(ctx);
    const firstLine = new Map<string, number>();
    const [timeZone, now] = [await this.creator.timeZone(ctx), this.clock.now()];
    const out: BulkReviewRow[] = rows.map((r) => {
      const roleNames = r.role.split(/[;|]/).map((n) => n.trim()).filter(Boolean);
      const ends = accessEndOf(r.accessEndsAt, timeZone, now);
      const row: BulkReviewRow = { line: r.line, email: r.email, roleNames, givenName: r.givenName || null, familyName: r.familyName || null, kind: r.kind || 'user', accessEndsAt: 'at' in ends ? ends.at : null, status: 'ready', problems: [] };
      const flag = (status: BulkRowStatus, problem: string) => {
        if (row.status === 'ready') row.status = status;
        row.problems.push(problem);
      };
      const addressProblem = emailProblem(r.email);
      if (addressProblem) flag('invalid_address', r.email ? `${r.email}: ${addressProblem}` : addressProblem);
      if (!roleNames.length) flag('unknown_role', 'No role given.');
      for (const name of roleNames) {
        const role = roleByName.get(name.toLowerCase());
        if (!role) flag('unknown_role', `Unknown role "${name}".`);
        else if (role.builtin === 'owner') flag('role_not_allowed', 'The owner role cannot be given by invitation.');
        else if (role.permissions.some((p) => !can(ctx.actor, p))) flag('role_not_allowed', `You cannot give the role ${role.name}: it carries permissions you do not hold.`);
      }
      const kindError = kindProblem(row.kind);
      if (kindError) flag('invalid', kindError);
      if ('problem' in ends) flag('invalid', ends.problem);
      for (const [label, value] of [['First name', r.givenName], ['Last name', r.familyName]] as const) {
        const problem = value ? textProblem(label, value, 255) : null;
        if (problem) flag('invalid', problem);
      }
      if (r.extraValues) flag('invalid', 'The row has more values than the header has columns.');
      if (!addressProblem) {
        const key = normalize(r.email);
        const first = firstLine.get(key);
        if (first !== undefined) flag('duplicate', `Duplicate: ${r.email} is already on line ${first}.`);
        else firstLine.set(key, r.line);
      }
      return row;
    });

    const candidates = out.filter((r) => r.status === 'ready');
    const existing = await this.existingAccounts(candidates.map((r) => normalize(r.email)));
    for (const row of candidates) {
      if (existing.has(normalize(row.email))) {
        row.status = 'already_has_account';
        row.problems.push(`${row.email} already has an account.`);
      }
    }
    if (simulateSeats) await this.forecastSeats(out.filter((r) => r.status === 'ready'));
    return out;
  }

  /** Marks ready rows beyond each pool's free seats, in input order. */
  private async forecastSeats(rows: BulkReviewRow[]): Promise<void> {
    for (const pool of KINDS) {
      const usage = await this.seats.usage(pool);
      if (usage.limit === null) continue;
      const inPool = rows.filter((r) => r.kind === pool);
      const held = await this.liveInvitations(inPool.map((r) => normalize(r.email)), pool);
      let used = usage.used;
      for (const row of inPool) {
        if (held.has(normalize(row.email))) continue; // its seat is already reserved
        if (used >= usage.limit) {
          row.status = 'over_seat_limit';
          row.problems.push(`Over the seat limit: ${used} of ${usage.limit} ${pool} seats would be in use.`);
        } else used++;
      }
    }
  }

  private async existingAccounts(emails: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < emails.length; i += LOOKUP_CHUNK) {
      const rows = await this.models.User.findAll({ attributes: ['emailNormalized'], where: { emailNormalized: { [Op.in]: emails.slice(i, i + LOOKUP_CHUNK) } } });
      for (const r of rows) if (r.emailNormalized) found.add(r.emailNormalized);
    }
    return found;
  }

  private async liveInvitations(emails: string[], kind: Kind): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < emails.length; i += LOOKUP_CHUNK) {
      const rows = await this.models.Invitation.findAll({
        attributes: ['emailNormalized'],
        where: { emailNormalized: { [Op.in]: emails.slice(i, i + LOOKUP_CHUNK) }, kind, status: 'pending', expiresAt: { [Op.gt]: this.clock.now() } },
      });
      rows.forEach((r) => found.add(r.emailNormalized));
    }
    return found;
  }

  private async roleIndex(ctx: Context): Promise<Map<string, RoleView>> {
    return new Map((await this.roles.list(ctx)).map((r) => [r.name.toLowerCase(), r]));
  }
}

function sentOutcome(row: BulkReviewRow, invitationId: string): BulkOutcome {
  return { line: row.line, email: row.email, status: 'sent', message: `Invitation sent to ${row.email}.`, invitationId };
}

/** The outcome of a row the creator refused; a full pool adds its audit event to `audit`. */
function refusedOutcome(row: BulkReviewRow, err: AlreadyHasAccount | SeatLimitReached, audit: AuditEventInput[]): BulkOutcome {
  const base = { line: row.line, email: row.email };
  if (err instanceof AlreadyHasAccount) return { ...base, status: 'already_has_account', message: err.message };
  audit.push({ action: 'seats.limit_reached', details: { pool: err.pool, used: err.used, limit: err.limit, attempted: row.email } });
  return { ...base, status: 'seat_limit_reached', message: err.message };
}

function refused(row: BulkReviewRow): BulkOutcome {
  const status = row.status === 'ready' || row.status === 'over_seat_limit' ? 'failed' : row.status;
  return { line: row.line, email: row.email, status, message: row.problems.join(' ') };
}

