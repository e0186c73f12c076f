// Reads and saves the LDAP settings (permission directory.manage), keeps the bind password
// sealed with the SecretBox (or takes it from LDAP_BIND_PASSWORD), and tests a connection
// with the settings on the form before they are saved. Whoever decides where the directory
// is and how it is read decides who signs in as its accounts: changing that needs the
// dominance rule over every account the directory signs in.
import type { Clock } from '../clock.js';
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { ValidationError } from '../errors.js';
import type { AuditService } from '../audit/audit-service.js';
import type { SecretBox } from '../crypto/secret-box.js';
import type { RoleService } from '../roles/role-service.js';
import { authorize, can } from '../roles/authorize.js';
import { DirectoryError, LdapSession, type LdapClientOptions } from './ldap-client.js';
import { ldapSettingsProblems, normalizeDn, parseStoredSettings, type LdapSettings } from './ldap-settings.js';

const ROW = 'default';

/**
 * The settings deciding which server answers the sign-in binds and the sync, which of its
 * entries become which account, and what the sync then sets on them: changing any of them
 * (or the bind password) could make another server or entry sign in as an existing account,
 * or let the next sync change a stronger account's seat pool (kind) or roles (group mappings).
 */
const SIGN_IN_FIELDS: ReadonlyArray<keyof LdapSettings> = ['url', 'startTls', 'tlsCa', 'bindDn', 'baseDn', 'filter', 'attributes', 'kind', 'groupRoles'];

const changedFields = (before: LdapSettings, after: LdapSettings) => (Object.keys(after) as Array<keyof LdapSettings>).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));

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
    // A group mapping gives its role to every member the directory names: nobody maps a
    // role carrying permissions they do not hold (mappings already saved stay as they are).
    const saved = (await this.get()).settings.groupRoles;
    settings.groupRoles.forEach((g, i) => {
      if (errors[`groupRole_${i}`] || saved.some((s) => s.roleId === g.roleId && normalizeDn(s.groupDn) === normalizeDn(g.groupDn))) return;
      const missing = roles.find((r) => r.id === g.roleId)?.permissions.filter((p) => !can(ctx.actor, p)) ?? [];
      if (missing.length) errors[`groupRole_${i}`] = `You cannot map a group to this role: it carries permissions you do not hold (${missing.join(', ')}).`;
    });
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const sealed = bindSecret ? (await this.secrets()).seal(bindSecret) : null;
    await this.transactions.run(ctx, async (tx) => {
      const row = await this.models.LdapConfig.findByPk(ROW, { transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
      const before = parseStoredSettings(row?.settings);
      const changed = changedFields(before, settings);
      const secretChange = sealed ? 'set' : clearSecret && row?.bindSecret ? 'cleared' : null;
      if (secretChange || changed.some((k) => SIGN_IN_FIELDS.includes(k))) await this.assertMayChangeSignIns(tx);
      const bindSecretValue = sealed ?? (clearSecret ? null : (row?.bindSecret ?? null));
      await this.models.LdapConfig.upsert(
        { id: ROW, settings: JSON.stringify(settings), bindSecret: bindSecretValue, configuredBy: ctx.actor.userId, updatedAt: this.clock.now() },
        { transaction: tx.transaction },
      );
      if (changed.length || secretChange) {
        // The password itself is never written to the audit trail.
        await this.audit.record(tx, 'directory.settings_changed', { fields: changed, bindPassword: secretChange }, { type: 'setting', id: 'ldap', label: 'LDAP sync' });
      }
    });
    return this.get();
  }

  /**
   * The accounts the directory signs in (synced from it, or created by it) that hold any
   * role: the actor must dominate each. Accounts without roles hold no permission, which
   * every actor dominates, so they are left out of the check.
   */
  private async assertMayChangeSignIns(tx: TxContext): Promise<void> {
    const rows = await this.models.sequelizeQuery<{ id: string }>(
      "SELECT DISTINCT ur.user_id AS id FROM user_roles ur WHERE ur.user_id IN (SELECT user_id FROM ldap_accounts) OR ur.user_id IN (SELECT id FROM users WHERE source = 'ldap')",
      {},
      tx,
    );
    await this.roles.assertMayChangeAll(tx, rows.map((r) => r.id), 'identity_link');
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
    // The stored password goes only to the server it was stored for, unless the actor may
    // change the settings that point elsewhere.
    if (!bindSecret && secret !== null && changedFields((await this.get()).settings, settings).some((k) => SIGN_IN_FIELDS.includes(k))) {
      await this.transactions.run(ctx, (tx) => this.assertMayChangeSignIns(tx));
    }
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
