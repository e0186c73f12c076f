// Upstream OpenID providers: configured by admins, offered on the
// sign-in page. A returning identity is matched by its stored subject, a new one by its
// verified email; an account is created on first sign-in only when the registration policy
// or the provider's provisioning policy allows it, through the one creation path (seats).
import type { Clock } from '../clock.js';
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import type { SecretBox } from '../crypto/secret-box.js';
import { DomainError, NotFound, ValidationError, type FieldErrors } from '../errors.js';
import { newId } from '../ids.js';
import type { AuditService } from '../audit/audit-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { RoleService } from '../roles/role-service.js';
import type { SeatService } from '../seats/seat-service.js';
import type { RegistrationService } from '../registration/registration-service.js';
import type { UserService } from '../users/user-service.js';
import type { UserView } from '../users/user-presenter.js';
import { AccountNotActive, type SignInService } from '../signin/sign-in-service.js';
import { authorize } from '../roles/authorize.js';
import { normalize, textProblem } from '../users/user-validation.js';
import { accountByAddress } from '../users/account-by-address.js';
import type { UpstreamProviderAttributes } from './upstream-models.js';
import { EmailLinkPolicy } from './email-link-policy.js';

export interface ClaimMapping {
  email: string;
  emailVerified: string;
  givenName: string;
  familyName: string;
  name: string;
}

export const DEFAULT_CLAIM_MAPPING: ClaimMapping = { email: 'email', emailVerified: 'email_verified', givenName: 'given_name', familyName: 'family_name', name: 'name' };

export interface UpstreamProviderInput {
  label: string;
  issuer: string;
  clientId: string;
  clientSecret?: string | null;
  scopes?: string;
  claimMapping?: Partial<ClaimMapping>;
  createAccounts?: boolean;
  enabled?: boolean;
  enforcesSecondFactor?: boolean;
}

export interface UpstreamProviderView {
  id: string;
  label: string;
  issuer: string;
  clientId: string;
  hasClientSecret: boolean;
  scopes: string;
  claimMapping: ClaimMapping;
  createAccounts: boolean;
  enabled: boolean;
  enforcesSecondFactor: boolean;
  configuredBy: string | null;
}

/** What the OIDC edge needs to talk to the provider (secret opened). */
export interface UpstreamConnection extends UpstreamProviderView {
  clientSecret: string | null;
}

/**
 * What decides which identity the provider asserts and how far Gatehouse trusts it: turning
 * on enforcesSecondFactor drops Gatehouse's own second step for its linked accounts.
 */
const SIGN_IN_FIELDS: ReadonlyArray<keyof UpstreamProviderAttributes> = ['issuer', 'clientId', 'scopes', 'claimMapping', 'enforcesSecondFactor'];

export class UpstreamSignInRefused extends DomainError {
  constructor(message: string) {
    super('upstream_refused', message, 403);
  }
}

/** An email match waiting for the account holder's Gatehouse password before it is linked. */
export interface PendingLink {
  providerId: string;
  providerLabel: string;
  subject: string;
  userId: string;
  email: string;
}

/** Signed in (linked, matched or created), or a link to confirm with the account's password first. */
export type UpstreamOutcome = { user: UserView; pending?: undefined } | { pending: PendingLink; user?: undefined };

export class UpstreamLinkPasswordWrong extends DomainError {
  constructor() {
    super('invalid_credentials', 'That password is not right.', 401);
  }
}

export class UpstreamService {
  private readonly linkPolicy: EmailLinkPolicy;

  constructor(
    private readonly models: Models,
    private readonly users: UserService,
    private readonly roles: RoleService,
    private readonly seats: SeatService,
    private readonly settings: SettingsService,
    private readonly registration: Pick<RegistrationService, 'policy'>,
    private readonly audit: AuditService,
    private readonly secrets: () => Promise<SecretBox>,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly passwords: Pick<SignInService, 'confirmPassword'>,
  ) {
    this.linkPolicy = new EmailLinkPolicy(models, roles);
  }

  /** The enabled sign-in options as the sign-in page links them, by label (plain SQL: every sign-in page shows them). */
  async signInOptions(): Promise<Array<{ id: string; label: string }>> {
    return this.models.sql.select<{ id: string; label: string }>('SELECT id, label FROM upstream_providers WHERE enabled = ? ORDER BY label ASC', [true]);
  }

  async list(options: { enabledOnly?: boolean } = {}): Promise<UpstreamProviderView[]> {
    const rows = await this.models.UpstreamProvider.findAll({ where: options.enabledOnly ? { enabled: true } : {}, order: [['label', 'ASC']] });
    return rows.map((r) => present(r.get({ plain: true })));
  }

  async connection(id: string): Promise<UpstreamConnection> {
    const row = await this.models.UpstreamProvider.findByPk(id);
    if (!row || !row.enabled) throw new NotFound('This sign-in option is not available.');
    const plain = row.get({ plain: true });
    return { ...present(plain), clientSecret: plain.clientSecret ? (await this.secrets()).open(plain.clientSecret) : null };
  }

  async add(ctx: Context, input: UpstreamProviderInput): Promise<UpstreamProviderView> {
    authorize(ctx.actor, 'settings.manage');
    const clean = validate(input);
    const now = this.clock.now();
    const id = newId();
    const sealed = input.clientSecret ? (await this.secrets()).seal(input.clientSecret) : null;
    await this.transactions.run(ctx, async (tx) => {
      await this.models.UpstreamProvider.create({ id, ...clean, clientSecret: sealed, configuredBy: ctx.actor.userId, createdAt: now, updatedAt: now }, { transaction: tx.transaction });
      await this.audit.record(tx, 'upstream.created', { issuer: clean.issuer, createAccounts: clean.createAccounts, enforcesSecondFactor: clean.enforcesSecondFactor }, { type: 'setting', id, label: clean.label });
    });
    return present((await this.models.UpstreamProvider.findByPk(id))!.get({ plain: true }));
  }

  /**
   * Saves a provider's settings. What decides who the provider signs in as (issuer, client,
   * secret, scopes, claim mapping) and whether Gatehouse asks for its own second factor
   * afterwards is changed only by an actor who could change every account linked to the
   * provider. The actor becomes its configurer: linking by email is bounded by them.
   */
  async update(ctx: Context, id: string, input: UpstreamProviderInput): Promise<UpstreamProviderView> {
    authorize(ctx.actor, 'settings.manage');
    const clean = validate(input);
    const sealed = input.clientSecret ? (await this.secrets()).seal(input.clientSecret) : null;
    await this.transactions.run(ctx, async (tx) => {
      const row = await this.models.UpstreamProvider.findByPk(id, { transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
      if (!row) throw new NotFound('No such sign-in provider.');
      const before = row.get({ plain: true });
      if (input.enabled === undefined) clean.enabled = before.enabled;
      const changed = (Object.keys(clean) as Array<keyof typeof clean>).filter((k) => before[k] !== clean[k]);
      const signInChange = changed.some((k) => SIGN_IN_FIELDS.includes(k) && !(k === 'enforcesSecondFactor' && !clean.enforcesSecondFactor)) || sealed !== null;
      if (signInChange) await this.assertMayChangeLinked(tx, id);
      // Only whoever changed what signs people in becomes the configurer: renaming a provider
      // must not widen its email-link reach to the renamer's permissions.
      await row.update({ ...clean, ...(sealed ? { clientSecret: sealed } : {}), ...(signInChange ? { configuredBy: ctx.actor.userId } : {}), updatedAt: this.clock.now() }, { transaction: tx.transaction });
      await this.audit.record(tx, 'upstream.changed', { fields: [...changed, ...(sealed ? ['clientSecret'] : [])] }, { type: 'setting', id, label: clean.label });
    });
    return present((await this.models.UpstreamProvider.findByPk(id))!.get({ plain: true }));
  }

  async get(id: string): Promise<UpstreamProviderView> {
    const row = await this.models.UpstreamProvider.findByPk(id);
    if (!row) throw new NotFound('No such sign-in provider.');
    return present(row.get({ plain: true }));
  }

  async remove(ctx: Context, id: string): Promise<void> {
    authorize(ctx.actor, 'settings.manage');
    await this.transactions.run(ctx, async (tx) => {
      const row = await this.models.UpstreamProvider.findByPk(id, { transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
      if (!row) throw new NotFound('No such sign-in provider.');
      // Removing it unlinks the identities of its accounts: a change to their credentials.
      await this.assertMayChangeLinked(tx, id);
      await row.destroy({ transaction: tx.transaction });
      await this.audit.record(tx, 'upstream.removed', {}, { type: 'setting', id, label: row.label });
    });
  }

  /**
   * The account an upstream identity signs in as: by stored subject, else by verified email
   * (then linked, within EmailLinkPolicy's bounds), else a new account when policy allows.
   * Inactive accounts are refused. An email match with an account holding permissions is
   * not linked yet: the outcome asks for the account's password (confirmLink).
   */
  async resolveAccount(ctx: Context, providerId: string, claims: Record<string, unknown>): Promise<UpstreamOutcome> {
    const provider = await this.connection(providerId);
    const subject = String(claims.sub ?? '');
    if (!subject) throw new UpstreamSignInRefused('The identity provider did not say who you are.');
    const linked = await this.models.UpstreamIdentity.findOne({ where: { providerId, subject } });
    if (linked) return { user: this.usable(await this.users.get(linked.userId)) };

    const m = provider.claimMapping;
    const email = typeof claims[m.email] === 'string' ? (claims[m.email] as string) : '';
    const verified = claims[m.emailVerified] === true || claims[m.emailVerified] === 'true';
    if (!email || !verified) throw new UpstreamSignInRefused(`${provider.label} did not confirm an email address for you, so no account can be matched.`);
    // A refused seat rolls everything back and is audited by the seat service; a refused
    // link commits its audit event alone, then is answered.
    const outcome = await this.seats.runTakingSeat(this.systemOf(ctx, provider), async (tx): Promise<UpstreamOutcome | { refused: string }> => {
      // By address only: never the account whose username this is, nor one without an address.
      const match = await accountByAddress(this.models, normalize(email), tx.transaction);
      let user: UserView;
      if (match) {
        user = await this.users.get(match.id, tx);
        const verdict = await this.linkPolicy.judge(tx, provider, user.id);
        if (!verdict.allowed) {
          await this.audit.record(tx, 'upstream.link_refused', { provider: provider.label, subject, reason: verdict.reason }, { type: 'user', id: user.id, label: user.username });
          return { refused: verdict.message };
        }
        if (verdict.needsPassword) {
          this.usable(user);
          return { pending: { providerId, providerLabel: provider.label, subject, userId: user.id, email: match.email } };
        }
      } else {
        if (!(provider.createAccounts || (await this.registrationAllows(email)))) {
          throw new UpstreamSignInRefused(`There is no account for ${email}. Ask an administrator to invite you.`);
        }
        const roleIds = await this.defaultRoleIds();
        user = await this.users.create(
          tx,
          {
            email,
            givenName: str(claims[m.givenName]),
            familyName: str(claims[m.familyName]),
            displayName: str(claims[m.name]),
          },
          { source: 'upstream', origin: 'directory', status: 'active', emailVerified: true, roleIds },
        );
      }
      await this.link(tx, provider, subject, user, null);
      return { user: this.usable(user) };
    }, { type: 'user', label: email });
    if ('refused' in outcome) throw new UpstreamSignInRefused(outcome.refused);
    return outcome;
  }

  /**
   * Links a pending email match once the account holder gave their Gatehouse password; the
   * link rules are judged again, in the linking transaction (the account's roles, the
   * configurer's, or the provider may have changed meanwhile).
   */
  async confirmLink(ctx: Context, pending: PendingLink, password: string): Promise<UserView> {
    const provider = await this.connection(pending.providerId);
    if (!(await this.passwords.confirmPassword(ctx, pending.userId, password, 'upstream_link'))) throw new UpstreamLinkPasswordWrong();
    const outcome = await this.transactions.run(this.systemOf(ctx, provider), async (tx): Promise<{ user: UserView } | { refused: string }> => {
      const user = await this.users.get(pending.userId, tx);
      const linked = await this.models.UpstreamIdentity.findOne({ where: { providerId: provider.id, subject: pending.subject }, transaction: tx.transaction });
      if (linked) {
        if (linked.userId === user.id) return { user: this.usable(user) };
        return { refused: `This ${provider.label} identity is linked to another account.` };
      }
      if (user.email?.toLowerCase() !== pending.email.toLowerCase()) return { refused: `The account's email address changed meanwhile. Start the sign-in again.` };
      const verdict = await this.linkPolicy.judge(tx, provider, user.id);
      if (!verdict.allowed) {
        await this.audit.record(tx, 'upstream.link_refused', { provider: provider.label, subject: pending.subject, reason: verdict.reason }, { type: 'user', id: user.id, label: user.username });
        return { refused: verdict.message };
      }
      this.usable(user);
      await this.link(tx, provider, pending.subject, user, 'password');
      return { user };
    });
    if ('refused' in outcome) throw new UpstreamSignInRefused(outcome.refused);
    return outcome.user;
  }

  private async link(tx: TxContext, provider: UpstreamConnection, subject: string, user: UserView, confirmedWith: 'password' | null): Promise<void> {
    await this.models.UpstreamIdentity.create({ providerId: provider.id, subject, userId: user.id, createdAt: this.clock.now() }, { transaction: tx.transaction });
    await this.audit.record(tx, 'upstream.linked', { provider: provider.label, subject, confirmedWith }, { type: 'user', id: user.id, label: user.username });
  }

  /** The dominance rule over every account linked to the provider. */
  private async assertMayChangeLinked(tx: TxContext, providerId: string): Promise<void> {
    const linked = await this.models.UpstreamIdentity.findAll({ attributes: ['userId'], where: { providerId }, transaction: tx.transaction });
    await this.roles.assertMayChangeAll(tx, linked.map((l) => l.userId), 'identity_link');
  }

  /** Upstream sign-in acts as the system (no account signed in yet), named after the provider. */
  private systemOf(ctx: Context, provider: UpstreamProviderView): Context {
    return { ...ctx, actor: { userId: null, label: `upstream:${provider.label}`, permissions: new Set(['*']) } };
  }

  private usable(user: UserView): UserView {
    if (user.status !== 'active') throw new AccountNotActive(user.status);
    return user;
  }

  private async registrationAllows(email: string): Promise<boolean> {
    const policy = await this.registration.policy();
    return policy.open && (policy.domains === null || policy.domains.includes(email.split('@')[1]?.toLowerCase() ?? ''));
  }

  private async defaultRoleIds(): Promise<string[]> {
    const ids: string[] = [];
    for (const name of await this.settings.get('registrationDefaultRoles')) {
      const role = await this.roles.findByName(name);
      if (role && role.builtin !== 'owner') ids.push(role.id);
    }
    return ids;
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim().slice(0, 255) : null;
}

function validate(input: UpstreamProviderInput): Omit<UpstreamProviderAttributes, 'id' | 'clientSecret' | 'configuredBy' | 'createdAt' | 'updatedAt'> {
  const errors: FieldErrors = {};
  const label = (input.label ?? '').trim();
  if (!label) errors.label = 'Button label is required.';
  else if (textProblem('Label', label, 100)) errors.label = textProblem('Label', label, 100)!;
  const issuer = (input.issuer ?? '').trim().replace(/\/+$/, '');
  try {
    const u = new URL(issuer);
    const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) errors.issuer = 'The issuer must be an https:// URL.';
  } catch {
    errors.issuer = 'The issuer must be an absolute URL such as https://login.microsoftonline.com/<tenant>/v2.0.';
  }
  const clientId = (input.clientId ?? '').trim();
  if (!clientId) errors.clientId = 'Client id is required.';
  const scopes = (input.scopes ?? 'openid email profile').trim();
  if (!scopes.split(/\s+/).includes('openid')) errors.scopes = 'Scopes must include openid.';
  const mapping = { ...DEFAULT_CLAIM_MAPPING, ...input.claimMapping };
  if (Object.values(mapping).some((v) => !/^[A-Za-z0-9_.:/-]{1,100}$/.test(v))) errors.claimMapping = 'Claim names may contain letters, digits and _ . : / -';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return { label, issuer, clientId, scopes, claimMapping: JSON.stringify(mapping), createAccounts: !!input.createAccounts, enabled: input.enabled ?? true, enforcesSecondFactor: !!input.enforcesSecondFactor };
}

function present(row: UpstreamProviderAttributes): UpstreamProviderView {
  return {
    id: row.id,
    label: row.label,
    issuer: row.issuer,
    clientId: row.clientId,
    hasClientSecret: !!row.clientSecret,
    scopes: row.scopes,
    claimMapping: { ...DEFAULT_CLAIM_MAPPING, ...(JSON.parse(row.claimMapping) as Partial<ClaimMapping>) },
    createAccounts: row.createAccounts,
    enabled: row.enabled,
    enforcesSecondFactor: row.enforcesSecondFactor,
    configuredBy: row.configuredBy,
  };
}
