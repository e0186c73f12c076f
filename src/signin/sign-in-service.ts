// Password sign-in (SPEC "Sign-in"): username or email plus password, throttled per
// account and per IP. Unknown, throttled and wrong-password attempts all answer the same
// and all cost one argon2id verification, so neither the answer nor its timing tells
// whether an account exists. Every success and failure is audited.
import type { Context } from '../context.js';
import { DomainError } from '../errors.js';
import type { AuditService } from '../audit/audit-service.js';
import { hashPassword, verifyPassword } from '../passwords/password-hasher.js';
import type { UserService } from '../users/user-service.js';
import type { UserView } from '../users/user-presenter.js';
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
  handles(user: UserView): boolean;
  verify(user: UserView, password: string): Promise<boolean>;
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

  /** Returns the active user whose password this is, or throws InvalidCredentials / AccountNotActive. */
  async authenticate(ctx: Context, login: string, password: string): Promise<UserView> {
    const key = normalize((login ?? '').trim()).slice(0, 320);
    const user = key ? await this.users.findByLogin(key) : null;
    const accountKey = user ? `user:${user.id}` : `login:${key}`;
    const verdict = await this.throttle.check(accountKey, ctx.ip);
    let ok = false;
    if (!verdict.allowed || !user) {
      await this.burnOneHash(password);
    } else {
      ok = await this.passwordMatches(user, password);
    }
    if (!ok) {
      if (verdict.allowed) await this.throttle.recordFailure(accountKey, ctx.ip);
      await this.audit.record(
        ctx,
        'signin.failed',
        { login: key, reason: !verdict.allowed ? verdict.reason : user ? 'wrong_password' : 'unknown_account' },
        user ? { type: 'user', id: user.id, label: user.username } : undefined,
      );
      throw new InvalidCredentials();
    }
    await this.throttle.recordSuccess(accountKey);
    if (user!.status !== 'active') {
      await this.audit.record(ctx, 'signin.failed', { login: key, reason: `status_${user!.status}` }, { type: 'user', id: user!.id, label: user!.username });
      throw new AccountNotActive(user!.status);
    }
    await this.users.recordSignIn(user!.id);
    await this.audit.record({ ...ctx, actor: { userId: user!.id, label: user!.username, permissions: new Set() } }, 'signin.succeeded', { method: 'password' }, { type: 'user', id: user!.id, label: user!.username });
    return user!;
  }

  private async passwordMatches(user: UserView, password: string): Promise<boolean> {
    const verifier = this.external.find((v) => v.handles(user));
    if (verifier) return verifier.verify(user, password);
    const hash = await this.users.passwordHashOf(user.id);
    if (!hash) {
      await this.burnOneHash(password);
      return false;
    }
    return verifyPassword(hash, password);
  }

  private async burnOneHash(password: string): Promise<void> {
    this.dummyHash ??= hashPassword('gatehouse-timing-equaliser');
    await verifyPassword(await this.dummyHash, password ?? '');
  }
}
