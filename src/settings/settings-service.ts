// Organization settings stored as JSON values by key, with documented defaults. Only the
// keys listed here exist; later features add theirs.
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { AuditService } from '../audit/audit-service.js';

export interface Settings {
  organizationName: string;
  invitationExpiryHours: number;
  registrationMode: 'off' | 'open' | 'domains';
  registrationDomains: string[];
  registrationDefaultRoles: string[];
  invitationDefaultRoles: string[];
  requireEmailConfirmation: boolean;
  /** Minutes of inactivity after which an admin/account page session ends (seed 003). */
  sessionIdleMinutes: number;
  /** Absolute lifetime of a sign-in session, in hours. */
  sessionLifetimeHours: number;
  /** TOTP requirement: nobody, everyone, or holders of the listed role ids (seed 003). */
  totpRequired: 'off' | 'all' | 'roles';
  totpRequiredRoleIds: string[];
  /**
   * How accounts provisioned by a directory (SCIM) sign in (SPEC "SCIM 2.0"): through an
   * upstream identity provider, a set-password link mailed on creation, or the SCIM
   * `password` attribute (hashed, never returned). The default is the one mode that works
   * with no further setup for directories that send passwords (Okta); Entra ID never sends
   * one, so deployments provisioning from Entra choose `upstream` or `activation_email`.
   */
  provisionedCredentialMode: 'upstream' | 'activation_email' | 'scim_password';
}

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
  provisionedCredentialMode: 'scim_password',
};

export class SettingsService {
  constructor(
    private readonly models: Models,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async get<K extends keyof Settings>(key: K, ctx?: Context): Promise<Settings[K]> {
    const row = await this.models.Setting.findByPk(key, { transaction: ctx?.transaction });
    return row ? (JSON.parse(row.value) as Settings[K]) : DEFAULT_SETTINGS[key];
  }

  async all(): Promise<Settings> {
    const rows = await this.models.Setting.findAll();
    const stored = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value)]));
    return { ...DEFAULT_SETTINGS, ...stored } as Settings;
  }

  /** Callers validate and authorize; this stores and audits in the context's transaction. */
  async set<K extends keyof Settings>(ctx: Context, key: K, value: Settings[K]): Promise<void> {
    await this.models.Setting.upsert({ key, value: JSON.stringify(value), updatedAt: this.clock.now() }, { transaction: ctx.transaction });
    await this.audit.record(ctx, 'settings.changed', { key, value }, { type: 'setting', id: key });
  }
}
