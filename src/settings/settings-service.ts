// Organization settings stored as JSON values by key, with documented defaults. Only the
// keys listed here exist; later features add theirs.
import { performance } from 'node:perf_hooks';
import { Op } from 'sequelize';
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import type { AuditService } from '../audit/audit-service.js';
import { ValidationError } from '../errors.js';
import { authorize, can } from '../roles/authorize.js';
import { normalisedSetting, validateSettings } from './settings-validation.js';
import type { Settings } from './settings.js';

export type { Settings } from './settings.js';

export const DEFAULT_SETTINGS: Settings = {
  organizationName: 'Gatehouse',
  invitationExpiryHours: 168,
  registrationMode: 'off',
  registrationDomains: [],
  registrationDefaultRoles: ['viewer'],
  invitationDefaultRoles: ['member'],
  requireEmailConfirmation: true,
  sessionIdleMinutes: 30,
  sessionLifetimeHours: 12,
  totpRequired: 'off',
  totpRequiredRoleIds: [],
  passkeyPolicy: 'allowed',
  passkeyPolicyRoleIds: [],
  provisionedCredentialMode: 'scim_password',
  timeZone: 'UTC',
  accessEndFirstReminderDays: 7,
  accessEndLastReminderDays: 1,
  accessEndRemindPerson: false,
  phoneAtAcceptance: 'optional',
  phoneCodeCountries: [],
};

/**
 * How long `recent` may answer from memory. A change in this process is seen at once; one
 * made by another Gatehouse process on the same database within this bound.
 */
export const RECENT_SETTING_MS = 1_000;

export class SettingsService {
  private readonly recentValues = new Map<keyof Settings, { value: unknown; readAt: number }>();
  private recentGeneration = 0;

  constructor(
    private readonly models: Models,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions?: TransactionRunner,
  ) {}

  async get<K extends keyof Settings>(key: K, ctx?: Context): Promise<Settings[K]> {
    // Plain SQL: sign-in pages read a setting or two on every request (sql.ts).
    const [row] = await this.models.sql.select<{ value: string }>('SELECT `value` FROM settings WHERE `key` = ?', [key], ctx);
    return row ? (JSON.parse(row.value) as Settings[K]) : DEFAULT_SETTINGS[key];
  }

  /**
   * A setting read at most `RECENT_SETTING_MS` ago, for paths that read one on every request
   * of a directory's push (SCIM creates): outside transactions only, where a value a moment
   * old is as good as one read now.
   */
  async recent<K extends keyof Settings>(key: K): Promise<Settings[K]> {
    const cached = this.recentValues.get(key);
    if (cached && performance.now() - cached.readAt < RECENT_SETTING_MS) return cached.value as Settings[K];
    const readAt = performance.now();
    const generation = this.recentGeneration;
    const value = await this.get(key);
    // A change forgotten while this read ran may not be in it: answer it, remember nothing.
    if (generation === this.recentGeneration) this.recentValues.set(key, { value, readAt });
    return value;
  }

  /**
   * Forgets every remembered value: for whoever wrote the settings table without this
   * service in this process (a restore, a test's reset).
   */
  forgetRecent(): void {
    this.recentValues.clear();
    this.recentGeneration++;
  }

  /** Forgets remembered values at a change and again at its commit (a read in between may hold the old one). */
  private forgetRecentAt(ctx: Context): void {
    this.forgetRecent();
    ctx.transaction?.afterCommit(() => this.forgetRecent());
  }

  async all(): Promise<Settings> {
    // Only the organization's settings: the same table also keeps internal keys (cookie
    // keys, the secret box's key) that must never travel with them.
    const rows = await this.models.Setting.findAll({ where: { key: { [Op.in]: Object.keys(DEFAULT_SETTINGS) } } });
    const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)]));
    return { ...DEFAULT_SETTINGS, ...stored } as Settings;
  }

  /**
   * The settings page's one write: authorizes `settings.manage`, validates every given key
   * (per-field messages; nothing is stored if any is wrong), stores the changed keys in one
   * transaction and audits each changed key with its old and new value.
   */
  async update(ctx: Context, partial: Partial<Record<keyof Settings, unknown>>): Promise<Settings> {
    authorize(ctx.actor, 'settings.manage');
    if (!this.transactions) throw new Error('SettingsService.update needs a TransactionRunner');
    const roles = (await this.models.Role.findAll({ attributes: ['id', 'name', 'builtin'] })).map((r) => ({ id: r.id, name: r.name, builtin: r.builtin }));
    const current = await this.all();
    const { values, errors } = validateSettings(partial, current, { roles });
    await this.checkDefaultRoleGrants(ctx, values, current, errors);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    return this.transactions.run(ctx, async (tx) => {
      for (const [key, value] of Object.entries(values) as Array<[keyof Settings, Settings[keyof Settings]]>) {
        const before = await this.get(key, tx);
        if (JSON.stringify(before) === JSON.stringify(value)) continue;
        await this.models.Setting.upsert({ key, value: JSON.stringify(value), updatedAt: this.clock.now() }, { transaction: tx.transaction });
        this.forgetRecentAt(tx);
        // Compared as normalised: a default stored as "member" equals the page's "Member", so
        // only its spelling is stored; the setting did not change, and nothing is audited.
        if (JSON.stringify(normalisedSetting(key, before, { roles })) === JSON.stringify(value)) continue;
        await this.audit.record(tx, 'settings.changed', { key, from: before, to: value }, { type: 'setting', id: key, label: key });
      }
      return { ...current, ...values };
    });
  }

  /**
   * Nobody may grant a role they do not hold. A default role is granted to every
   * account that registers or is invited later, so adding one follows the same rule.
   */
  private async checkDefaultRoleGrants(ctx: Context, values: Partial<Settings>, current: Settings, errors: Record<string, string>): Promise<void> {
    for (const key of ['registrationDefaultRoles', 'invitationDefaultRoles'] as const) {
      const wanted = values[key];
      if (!wanted) continue;
      const before = new Set(current[key].map((n) => n.toLowerCase()));
      const added = wanted.filter((n) => !before.has(n.toLowerCase()));
      if (added.length === 0) continue;
      const roles = await this.models.Role.findAll({ where: { name: { [Op.in]: added } } });
      const perms = await this.models.RolePermission.findAll({ where: { roleId: { [Op.in]: roles.map((r) => r.id) } } });
      for (const role of roles) {
        const missing = perms.filter((p) => p.roleId === role.id && !can(ctx.actor, p.permission)).map((p) => p.permission);
        if (missing.length) {
          errors[key] = `You cannot make ${role.name} a default role: it carries permissions you do not hold (${missing.join(', ')}).`;
          break;
        }
      }
    }
  }

  /** Callers validate and authorize; this stores and audits in the context's transaction. */
  async set<K extends keyof Settings>(ctx: Context, key: K, value: Settings[K]): Promise<void> {
    await this.models.Setting.upsert({ key, value: JSON.stringify(value), updatedAt: this.clock.now() }, { transaction: ctx.transaction });
    this.forgetRecentAt(ctx);
    await this.audit.record(ctx, 'settings.changed', { key, value }, { type: 'setting', id: key });
  }
}
