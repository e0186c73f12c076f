// "Add user": an admin creates an account with a typed
// or random password, confirmed or not, optionally with a welcome email — all in one
// transaction with its seat. An account left unconfirmed gets a confirmation link (it
// cannot sign in until its owner proves the address, or an admin confirms it by hand).
// "Send an invitation instead" is the invitation service's job (services.invitations).
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { InvalidTransition, SeatLimitReached, ValidationError, type FieldErrors } from '../errors.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Outbox } from '../mail/outbox.js';
import { userWelcomeMail } from '../mail/templates/user-welcome.js';
import { passwordProblem } from '../passwords/password-policy.js';
import { randomPassword } from '../passwords/random-password.js';
import type { EmailConfirmations } from '../registration/email-confirmations.js';
import { PUBLIC_PATHS } from '../registration/public-paths.js';
import { authorize } from '../roles/authorize.js';
import type { SettingsService } from '../settings/settings-service.js';
import { profileColumns, type ProfileInput } from './user-input.js';
import type { UserView } from './user-presenter.js';
import type { UserService } from './user-service.js';
import { allRoleOptions, canGrant } from './role-choices.js';
import { accessEndProblem } from './access-ends.js';

export interface AddUserInput {
  profile: ProfileInput;
  roleIds: string[];
  /** A typed password, or null for a random one (shown to the admin once). */
  password: string | null;
  /** Off: the account is `unconfirmed` until its owner follows the confirmation link. */
  confirmed: boolean;
  sendWelcome: boolean;
  /** When access ends by itself, or null. */
  accessEndsAt?: Date | null;
}

export interface AddUserResult {
  user: UserView;
  /** The random password, to show once; null when the admin typed one. */
  generatedPassword: string | null;
  confirmationSent: boolean;
  welcomeSent: boolean;
}

export class UserOnboarding {
  constructor(
    private readonly models: Models,
    private readonly users: UserService,
    private readonly confirmations: EmailConfirmations,
    private readonly outbox: Outbox,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly publicUrl: string,
  ) {}

  /** Every field's problem at once (profile, password, roles), for beside the form's fields. */
  async problems(ctx: Context, input: AddUserInput): Promise<FieldErrors> {
    const errors: FieldErrors = {};
    try {
      profileColumns(input.profile, 'page', this.clock.now(), 'new');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      Object.assign(errors, err.fields);
    }
    if (input.password !== null) {
      const problem = input.password === '' ? 'Type a password, or choose a random one.' : passwordProblem(input.password, { email: input.profile.email, username: input.profile.username });
      if (problem) errors.password = problem;
    }
    const endProblem = input.accessEndsAt ? accessEndProblem(input.accessEndsAt, this.clock.now()) : null;
    if (endProblem) errors.accessEndsAt = endProblem;
    const wanted = [...new Set(input.roleIds)];
    const roles = await allRoleOptions(this.models, ctx, wanted);
    if (roles.length !== wanted.length) errors.roles = 'One of the chosen roles does not exist (any more).';
    else {
      const refused = roles.filter((r) => !canGrant(ctx.actor, r));
      if (refused.length) errors.roles = `You cannot give ${refused.map((r) => r.name).join(', ')}: ${refused.some((r) => r.builtin === 'owner') ? 'the owner role moves only by transfer' : 'it carries permissions you do not hold'}.`;
    }
    return errors;
  }

  async add(ctx: Context, input: AddUserInput): Promise<AddUserResult> {
    authorize(ctx.actor, 'users.manage');
    const errors = await this.problems(ctx, input);
    if (Object.keys(errors).length) throw new ValidationError(errors);
    const password = input.password ?? randomPassword();
    try {
      return await this.transactions.run(ctx, async (tx) => {
        const user = await this.users.create(tx, input.profile, {
          source: 'admin',
          origin: 'page',
          status: input.confirmed ? 'active' : 'unconfirmed',
          password,
          roleIds: input.roleIds,
          accessEndsAt: input.accessEndsAt ?? null,
        });
        if (!input.confirmed) await this.confirmations.issue(tx, user, 'admin');
        // Added here, the account always has an address (the form requires one).
        if (input.sendWelcome && user.email) {
          const organizationName = await this.settings.get('organizationName', tx);
          await this.outbox.enqueue(
            tx,
            user.email,
            userWelcomeMail({ organizationName, name: user.name, username: user.username, signInUrl: `${this.publicUrl}${PUBLIC_PATHS.signIn}`, confirmFirst: !input.confirmed }),
          );
        }
        return { user, generatedPassword: input.password === null ? password : null, confirmationSent: !input.confirmed, welcomeSent: input.sendWelcome };
      });
    } catch (err) {
      // Inside this transaction the seat service cannot audit its refusal (it would roll
      // back with the rest); audit it here, after the rollback.
      if (err instanceof SeatLimitReached && !ctx.transaction) {
        await this.audit.record(ctx, 'seats.limit_reached', { pool: err.pool, used: err.used, limit: err.limit, attempted: input.profile.username || input.profile.email || null });
      }
      throw err;
    }
  }

  /** A new confirmation link for an account still `unconfirmed` (older links die). */
  async resendConfirmation(ctx: Context, userId: string): Promise<void> {
    authorize(ctx.actor, 'users.manage');
    await this.transactions.run(ctx, async (tx) => {
      const user = await this.users.getForUpdate(tx, userId);
      if (user.status !== 'unconfirmed') throw new InvalidTransition(`Only unconfirmed accounts get confirmation links; this one is ${user.status}.`);
      await this.confirmations.issue(tx, user, 'admin');
    });
  }
}
