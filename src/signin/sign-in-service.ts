// Password sign-in: username or email plus password, throttled per
// account and per IP. Unknown, throttled and wrong-password attempts all answer the same
// and all cost one argon2id verification, so neither the answer nor its timing tells
// whether an account exists. Every success and failure is audited.
import type { Context } from '../context.js';
import { DomainError } from '../errors.js';
import type { AuditService } from '../audit/audit-service.js';
import { hashPassword, verifyPassword } from '../passwords/password-hasher.js';
import type { UserService } from '../users/user-service.js';
import type { SignInAccount } from '../users/user-presenter.js';
import { normalize } from '../users/user-validation.js';
import type { SignInThrottle } from './sign-in-throttle.js';

export class InvalidCredentials extends DomainError {
  constructor() {
    super('invalid_credentials', 'The username or password is not right.', 401);
  }
}

export class AccountNotActive extends DomainError {
  constructor(status: string) {
    super(
      'account_not_active',
      status === 'unconfirmed'
        ? 'This account is not confirmed yet. Follow the link in the confirmation email first.'
        : 'This account is deactivated. Contact your administrator.',
      403,
    );
  }
}

/** A check of the password a directory holds (LDAP bind), for accounts synced from one. */
export interface ExternalPasswordVerifier {
  handles(account: SignInAccount): boolean;
  verify(account: SignInAccount, password: string): Promise<boolean>;
}

export class SignInService {
  private dummyHash: Promise<string> | null = null;
  private readonly external: ExternalPasswordVerifier[] = [];

  constructor(
    private readonly users: UserService,
    private readonly throttle: SignInThrottle,
    private readonly audit: AuditService,
  ) {}

  addExternalVerifier(verifier: ExternalPasswordVerifier): void {
    this.external.push(verifier);
  }

  /** Returns the active account whose password this is, or throws InvalidCredentials / AccountNotActive. */
  async authenticate(ctx: Context, login: string, password: string): Promise<SignInAccount> {
    const key = normalize((login ?? '').trim()).slice(0, 320);
    const found = key ? await this.users.findForSignIn(key) : null;
    const account = found?.account ?? null;
    const target = account ? { type: 'user' as const, id: account.id, label: account.username } : undefined;
    const accountKey = account ? `user:${account.id}` : `login:${key}`;
    const verdict = await this.throttle.check(accountKey, ctx.ip);
    let ok = false;
    if (!verdict.allowed || !found) {
      await this.burnOneHash(password);
    } else {
      ok = await this.passwordMatches(found.account, found.passwordHash, password);
    }
    if (!ok) {
      if (verdict.allowed) await this.throttle.recordFailure(accountKey, ctx.ip);
      await this.audit.record(ctx, 'signin.failed', { login: key, reason: !verdict.allowed ? verdict.reason : account ? 'wrong_password' : 'unknown_account' }, target);
      throw new InvalidCredentials();
    }
    if (verdict.accountFailures > 0) await this.throttle.recordSuccess(accountKey);
    if (account!.status !== 'active') {
      await this.audit.record(ctx, 'signin.failed', { login: key, reason: `status_${account!.status}` }, target);
      throw new AccountNotActive(account!.status);
    }
    await this.users.recordSignIn(account!.id);
    await this.audit.record({ ...ctx, actor: { userId: account!.id, label: account!.username, permissions: new Set() } }, 'signin.succeeded', { method: 'password' }, target);
    return account!;
  }

  /**
   * Whether `password` is the account's own Gatehouse password (or its directory's, for
   * accounts synced from one): a signed-in step asking "is it you?" before a sensitive
   * change. Throttled and audited like a sign-in, on the same account counters, so it
   * cannot be used to guess a password faster than the sign-in form allows.
   */
  async confirmPassword(ctx: Context, accountId: string, password: string, step: string): Promise<boolean> {
    const user = await this.users.get(accountId);
    const found = await this.users.findForSignIn(user.username);
    const target = { type: 'user' as const, id: user.id, label: user.username };
    const accountKey = `user:${user.id}`;
    const verdict = await this.throttle.check(accountKey, ctx.ip);
    let ok = false;
    if (!verdict.allowed || !found || found.account.id !== user.id) await this.burnOneHash(password);
    else ok = await this.passwordMatches(found.account, found.passwordHash, password);
    if (!ok) {
      if (verdict.allowed) await this.throttle.recordFailure(accountKey, ctx.ip);
      await this.audit.record(ctx, 'signin.failed', { login: user.username, step, reason: verdict.allowed ? 'wrong_password' : verdict.reason }, target);
      return false;
    }
    if (verdict.accountFailures > 0) await this.throttle.recordSuccess(accountKey);
    return true;
  }

  private async passwordMatches(account: SignInAccount, passwordHash: string | null, password: string): Promise<boolean> {
    const verifier = this.external.find((v) => v.handles(account));
    if (verifier) return verifier.verify(account, password);
    if (!passwordHash) {
      await this.burnOneHash(password);
      return false;
    }
    return verifyPassword(passwordHash, password);
  }

  private async burnOneHash(password: string): Promise<void> {
    this.dummyHash ??= hashPassword('gatehouse-timing-equaliser');
    await verifyPassword(await this.dummyHash, password ?? '');
  }
}
