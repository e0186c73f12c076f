// Reads and saves the LDAP settings (permission directory.manage), keeps the bind password
// sealed with the SecretBox (or takes it from LDAP_BIND_PASSWORD), and tests a connection
// with the settings on the form before they are saved.
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { ValidationError } from '../errors.js';
import type { AuditService } from '../audit/audit-service.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { RoleService } from '../roles/role-service.js';
import { authorize } from '../roles/authorize.js';
import { DirectoryError, LdapSession, type LdapClientOptions } from './ldap-client.js';
import { ldapSettingsProblems, parseStoredSettings, type LdapSettings } from './ldap-settings.js';

const ROW = 'default';

export interface LdapSettingsView {
  settings: LdapSettings;
  /** A bind password is stored (sealed) or configured. */
  hasSecret: boolean;
  /** The password comes from LDAP_BIND_PASSWORD and cannot be changed on the page. */
  secretFromConfig: boolean;
  /** URL and base DN are set: the sync can run. */
  configured: boolean;
  updatedAt: Date | null;
}

/** What the page sends: the password only when typed (empty keeps the stored one). */
export interface LdapSettingsInput extends LdapSettings {
  bindSecret?: string;
  clearSecret?: boolean;
}

export interface ConnectionTest {
  ok: boolean;
  message: string;
}

export class LdapSettingsService {
  constructor(
    private readonly models: Models,
    private readonly roles: RoleService,
    private readonly audit: AuditService,
    private readonly secrets: () => Promise<SecretBox>,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly configuredSecret: string | null,
    private readonly clientOptions: LdapClientOptions = {},
  ) {}

  async get(): Promise<LdapSettingsView> {
    const row = await this.models.LdapConfig.findByPk(ROW);
    const settings = parseStoredSettings(row?.settings);
    return {
      settings,
      hasSecret: this.configuredSecret !== null || !!row?.bindSecret,
      secretFromConfig: this.configuredSecret !== null,
      configured: !!settings.url && !!settings.baseDn,
      updatedAt: row?.updatedAt ?? null,
    };
  }

  /** The bind password in clear, for connecting; never presented. */
  async secret(): Promise<string | null> {
    if (this.configuredSecret !== null) return this.configuredSecret;
    const row = await this.models.LdapConfig.findByPk(ROW, { attributes: ['bindSecret'] });
    return row?.bindSecret ? (await this.secrets()).open(row.bindSecret) : null;
  }

  async save(ctx: Context, input: LdapSettingsInput): Promise<LdapSettingsView> {
    authorize(ctx.actor, 'directory.manage');
    const { bindSecret, clearSecret, ...settings } = input;
    const roles = await this.roles.list();
    const errors = ldapSettingsProblems(settings, roles);
    if (bindSecret && this.configuredSecret !== null) errors.bindSecret = 'The bind password is set by configuration (LDAP_BIND_PASSWORD) and cannot be changed here.';
    if (bindSecret && bindSecret.length > 1024) errors.bindSecret = 'The bind password must be at most 1024 characters.';
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const sealed = bindSecret ? (await this.secrets()).seal(bindSecret) : null;
    await this.transactions.run(ctx, async (tx) => {
      const row = await this.models.LdapConfig.findByPk(ROW, { transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
      const before = parseStoredSettings(row?.settings);
      const changed = (Object.keys(settings) as Array<keyof LdapSettings>).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(settings[k]));
      const secretChange = sealed ? 'set' : clearSecret && row?.bindSecret ? 'cleared' : null;
      const bindSecretValue = sealed ?? (clearSecret ? null : (row?.bindSecret ?? null));
      await this.models.LdapConfig.upsert({ id: ROW, settings: JSON.stringify(settings), bindSecret: bindSecretValue, updatedAt: this.clock.now() }, { transaction: tx.transaction });
      if (changed.length || secretChange) {
        // The password itself is never written to the audit trail.
        await this.audit.record(tx, 'directory.settings_changed', { fields: changed, bindPassword: secretChange }, { type: 'setting', id: 'ldap', label: 'LDAP sync' });
      }
    });
    return this.get();
  }

  /**
   * Connects, binds and searches with the given settings (the form's, before saving); the
   * password typed on the form, else the stored one. Says what worked or what to fix.
   */
  async test(ctx: Context, input: LdapSettingsInput): Promise<ConnectionTest> {
    authorize(ctx.actor, 'directory.manage');
    const { bindSecret, clearSecret, ...settings } = input;
    const errors = ldapSettingsProblems(settings, await this.roles.list());
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const secret = bindSecret || (clearSecret ? null : await this.secret());
    let session: LdapSession | null = null;
    try {
      session = await LdapSession.open(settings, secret, this.clientOptions);
      let count = 0;
      let sample: string | null = null;
      for await (const page of session.pages({ baseDn: settings.baseDn, filter: settings.filter, attributes: ['1.1'] }, settings)) {
        count += page.length;
        sample ??= page[0]?.dn ?? null;
      }
      const who = settings.bindDn ? `bound as ${settings.bindDn}` : 'bound anonymously';
      if (count === 0) return { ok: false, message: `Connected and ${who}, but no entries under ${settings.baseDn} match ${settings.filter}. Check the base DN and filter.` };
      return { ok: true, message: `Connected and ${who}: ${count} ${count === 1 ? 'entry matches' : 'entries match'} the filter (for example ${sample}).` };
    } catch (err) {
      if (err instanceof DirectoryError) return { ok: false, message: err.message };
      throw err;
    } finally {
      await session?.close();
    }
  }
}
