// Self-registration. Off by default; "open" or limited
// to allowed email domains. Registering creates an `unconfirmed` account through the one
// creation path (seat checked) and mails a 24-hour confirmation link; an unconfirmed
// self-registration whose link expired is removed, freeing its seat. Responses never reveal
// whether an address has an account: every accepted form ends the same way, and the mailbox
// learns the rest ("you already have an account", a confirmation link, or "no seats").
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { NotFound, SeatLimitReached, ValidationError, Conflict, type FieldErrors } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Outbox } from '../mail/outbox.js';
import { hashPassword } from '../passwords/password-hasher.js';
import { passwordProblem } from '../passwords/password-policy.js';
import { authorize } from '../roles/authorize.js';
import type { RoleService } from '../roles/role-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { UserService } from '../users/user-service.js';
import { emailProblem, normalize, textProblem } from '../users/user-validation.js';
import type { ConfirmationPurpose } from './email-confirmation-model.js';
import type { EmailConfirmations } from './email-confirmations.js';
import { PUBLIC_PATHS } from './public-paths.js';
import { EqualTiming } from '../equal-timing.js';
import type { SeatService } from '../seats/seat-service.js';
import { isFull } from '../seats/seat-state.js';
import { alreadyHaveAccountMail, registrationNoSeatsMail, registrationWelcomeMail } from './registration-mail.js';
import { accountByAddress } from '../users/account-by-address.js';
import { addressOf } from '../users/user-presenter.js';

export interface RegistrationInput {
  name: string;
  email: string;
  password: string;
  /** The form's "repeat the password", checked with the other fields when given. */
  passwordConfirmation?: string;
}

/**
 * What the visitor is told: to look in their mailbox, or that registration is closed for
 * now because the organization has no free seats (never anything about the address).
 */
export type RegistrationAnswer = 'check_email' | 'no_seats';

/** Self-registered accounts count in the user pool. */
const REGISTRATION_KIND = 'user';

const SYSTEM = (ctx: Context, label: string): Context => ({ ...ctx, source: 'registration', actor: { userId: null, label, permissions: new Set(['*']) } });

export class RegistrationService {
  constructor(
    private readonly models: Models,
    private readonly users: UserService,
    private readonly roles: RoleService,
    private readonly confirmations: EmailConfirmations,
    private readonly outbox: Outbox,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly logger: Logger,
    private readonly publicUrl: string,
    private readonly seats: Pick<SeatService, 'usage'>,
  ) {}

  /** A known address answers after about as long as a new account takes (equal-timing.ts). */
  private readonly timing = new EqualTiming();

  /** Whether the register page exists (404 otherwise) and which domains it accepts. */
  async policy(): Promise<{ open: boolean; domains: string[] | null }> {
    const mode = await this.settings.get('registrationMode');
    if (mode === 'off') return { open: false, domains: null };
    return { open: true, domains: mode === 'domains' ? (await this.settings.get('registrationDomains')).map((d) => d.toLowerCase()) : null };
  }

  /**
   * Registers an address. Throws NotFound when registration is off and ValidationError
   * for the form's own mistakes (which do not depend on whether the address has an
   * account); otherwise returns quietly in every case.
   */
  async register(ctx: Context, input: RegistrationInput): Promise<RegistrationAnswer> {
    const policy = await this.policy();
    if (!policy.open) throw new NotFound('Registration is not open. Ask an administrator for an invitation.');
    const name = String(input.name ?? '').trim();
    const email = String(input.email ?? '').trim();
    const password = String(input.password ?? '');
    const errors: FieldErrors = {};
    const nameProblem = name ? textProblem('Name', name, 255) : 'Enter your name.';
    if (nameProblem) errors.name = nameProblem;
    const addressProblem = emailProblem(email);
    if (addressProblem) errors.email = addressProblem;
    else if (policy.domains && !policy.domains.includes(email.split('@')[1]!.toLowerCase())) {
      errors.email = `Registration is open only to addresses at ${policy.domains.join(', ') || '(no domains yet)'}. Ask an administrator for an invitation.`;
    }
    const pw = passwordProblem(password, { email });
    if (pw) errors.password = pw;
    if (input.passwordConfirmation !== undefined && input.passwordConfirmation !== password) errors.passwordConfirmation = 'The two passwords are not the same.';
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const started = this.timing.start();
    const path = await this.registerValid(ctx, { name, email, password });
    // A full pool is said to every visitor alike, whether or not the address has an
    // account, so the answer tells nothing about the address.
    const answer: RegistrationAnswer = path === 'no_seats' || (path === 'existing' && isFull(await this.seats.usage(REGISTRATION_KIND))) ? 'no_seats' : 'check_email';
    await this.timing.settle(path, started);
    return answer;
  }

  /** The accepted form's work; returns which path it took (never shown to the visitor). */
  private async registerValid(ctx: Context, { name, email, password }: RegistrationInput): Promise<'existing' | 'created' | 'no_seats' | 'raced'> {
    const emailNormalized = normalize(email);
    // An expired, unconfirmed self-registration of this address must not block a new one.
    await this.removeExpiredUnconfirmed(ctx, emailNormalized);
    const existing = await accountByAddress(this.models, emailNormalized);
    if (existing) {
      // The same work as a new registration (one argon2 hash), so timing tells nothing either.
      await hashPassword(password);
      await this.answerExisting(ctx, existing);
      return 'existing';
    }
    try {
      await this.createAccount(ctx, { name, email, password });
      return 'created';
    } catch (err) {
      if (err instanceof SeatLimitReached) {
        await this.transactions.run(SYSTEM(ctx, email), async (tx) => {
          await this.outbox.enqueue(tx, email, registrationNoSeatsMail({ organizationName: await this.settings.get('organizationName', tx) }));
          await this.audit.record(tx, 'registration.refused', { reason: 'seat_limit_reached', pool: err.pool }, undefined);
        });
        return 'no_seats';
      }
      if (err instanceof Conflict && err.field === 'email') {
        // A parallel registration of the same address won the race.
        const winner = await accountByAddress(this.models, emailNormalized);
        if (winner) await this.answerExisting(ctx, winner);
        return 'raced';
      }
      throw err;
    }
  }

  /** The address's owner learns the rest by mail; the response is the same either way. */
  private async answerExisting(ctx: Context, user: { id: string; email: string; username: string; status: string; source: string; givenName: string | null; displayName: string | null; familyName: string | null }): Promise<void> {
    if (user.status === 'unconfirmed') {
      // Still unconfirmed: a fresh confirmation link is what they need.
      const view = await this.users.get(user.id);
      await this.confirmations.issue(SYSTEM(ctx, user.email), view, user.source === 'registration' ? 'registration' : 'admin');
      return;
    }
    await this.transactions.run(SYSTEM(ctx, user.email), async (tx) => {
      const organizationName = await this.settings.get('organizationName', tx);
      await this.outbox.enqueue(tx, user.email, alreadyHaveAccountMail({ organizationName, signInUrl: this.publicUrl + PUBLIC_PATHS.signIn, resetUrl: this.publicUrl + PUBLIC_PATHS.forgotPassword }));
      await this.audit.record(tx, 'registration.existing_address', {}, { type: 'user', id: user.id, label: user.username });
    });
  }

  private async createAccount(ctx: Context, input: RegistrationInput): Promise<void> {
    const roleIds = await this.defaultRoleIds();
    const requireConfirmation = await this.settings.get('requireEmailConfirmation');
    const [givenName, ...rest] = input.name.split(/\s+/);
    await this.transactions.run(SYSTEM(ctx, input.email), async (tx) => {
      const user = await this.users.create(
        tx,
        { email: input.email, displayName: input.name, givenName: givenName || null, familyName: rest.join(' ') || null },
        { source: 'registration', origin: 'page', status: requireConfirmation ? 'unconfirmed' : 'active', emailVerified: false, password: input.password, roleIds },
      );
      await this.audit.record(tx, 'registration.registered', { status: user.status, roles: user.roles.map((r) => r.name) }, { type: 'user', id: user.id, label: user.username });
      if (requireConfirmation) {
        await this.confirmations.issue(tx, user, 'registration');
      } else {
        const organizationName = await this.settings.get('organizationName', tx);
        await this.outbox.enqueue(tx, addressOf(user), registrationWelcomeMail({ organizationName, name: user.name, signInUrl: this.publicUrl + PUBLIC_PATHS.signIn }));
      }
    });
  }

  /** Roles for self-registered accounts, by name from the settings (default viewer). */
  private async defaultRoleIds(): Promise<string[]> {
    const names = await this.settings.get('registrationDefaultRoles');
    const ids: string[] = [];
    for (const name of names) {
      const role = await this.roles.findByName(name);
      if (role && role.builtin !== 'owner') ids.push(role.id);
      else this.logger.warn({ role: name }, 'default role for self-registration not found; skipped');
    }
    return ids;
  }

  /**
   * The "resend confirmation" page: a new link for an unconfirmed account or an active one
   * whose address is not proven yet. Says nothing about whether the address exists.
   */
  async resendConfirmation(ctx: Context, email: string): Promise<void> {
    const address = String(email ?? '').trim();
    const problem = emailProblem(address);
    if (problem) throw new ValidationError({ email: problem });
    const user = await accountByAddress(this.models, normalize(address));
    if (!user) return;
    let purpose: ConfirmationPurpose | null = null;
    if (user.status === 'unconfirmed') purpose = user.source === 'registration' ? 'registration' : 'admin';
    else if (user.status === 'active' && !user.emailVerified) purpose = 'invitation';
    if (!purpose) return;
    await this.confirmations.issue(SYSTEM(ctx, user.email), await this.users.get(user.id), purpose);
  }

  /** The admin's "resend confirmation" for an unconfirmed account (one of its per-status actions). */
  async sendConfirmation(ctx: Context, userId: string): Promise<void> {
    authorize(ctx.actor, 'users.manage');
    const user = await this.users.get(userId);
    if (user.status !== 'unconfirmed') throw new ValidationError({ status: `Only unconfirmed accounts need confirming; this one is ${user.status}.` });
    await this.confirmations.issue(ctx, user, user.source === 'registration' ? 'registration' : 'admin');
  }

  /**
   * Removes self-registered accounts still unconfirmed whose confirmation link expired,
   * freeing their seats. Admin-added unconfirmed accounts stay.
   * Returns how many were removed.
   */
  async removeExpiredUnconfirmed(ctx: Context, onlyEmailNormalized?: string): Promise<number> {
    const candidates = await this.expiredRegistrations(onlyEmailNormalized);
    let removed = 0;
    for (const id of candidates) {
      const done = await this.transactions.run(SYSTEM(ctx, 'registration cleanup'), async (tx) => {
        // Checked again under the row lock: a confirmation or a new link may have come in.
        const user = await this.models.User.findByPk(id, { transaction: tx.transaction, lock: tx.transaction.LOCK.UPDATE });
        // Self-registration always gives an address; an account without one was never registered.
        if (!user || user.status !== 'unconfirmed' || user.source !== 'registration' || !user.emailNormalized) return false;
        if ((await this.expiredRegistrations(user.emailNormalized, tx)).length === 0) return false;
        await this.users.delete(tx, id);
        await this.audit.record(tx, 'registration.expired_removed', { email: user.email }, { type: 'user', id, label: user.username });
        return true;
      });
      if (done) removed++;
    }
    return removed;
  }

  private async expiredRegistrations(emailNormalized?: string, ctx?: Context): Promise<string[]> {
    const rows = await this.models.sequelizeQuery<{ id: string }>(
      `SELECT u.id FROM users u
        WHERE u.source = 'registration' AND u.status = 'unconfirmed'
          ${emailNormalized ? 'AND u.email_normalized = :email' : ''}
          AND NOT EXISTS (SELECT 1 FROM email_confirmations c WHERE c.user_id = u.id AND c.used_at IS NULL AND c.expires_at > :now)`,
      { now: this.clock.now(), email: emailNormalized ?? null },
      ctx,
    );
    return rows.map((r) => r.id);
  }
}

