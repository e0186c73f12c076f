// Passkeys (WebAuthn): registration on the account page or as an enrolment the policy
// forces at sign-in, sign-in without a username (discoverable credentials) or as the
// second factor after a password, and removal. Every ceremony is verified by
// @simplewebauthn/server against a challenge stored server-side (passkey-challenges.ts),
// with user verification required. Its signature counter check is kept: a counter that
// did not grow means two authenticators hold the same key (a clone), and the sign-in is
// refused and audited.
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Clock } from '../clock.js';
import type { Context } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import type { AuditService } from '../audit/audit-service.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { UserService } from '../users/user-service.js';
import { Conflict, DomainError, InvalidTransition, NotFound, ValidationError } from '../errors.js';
import { authorize } from '../roles/authorize.js';
import { newId } from '../ids.js';
import { CHALLENGE_TTL_MS, type PasskeyChallenges } from './passkey-challenges.js';
import type { PasskeyPolicies, PasskeyPolicy } from './passkey-policy.js';
import type { PasskeyAttributes } from './passkey-model.js';

/** Where passkeys are scoped: the relying party is this Gatehouse, named by PUBLIC_URL's host. */
export interface RelyingPartyIdentity {
  /** The RP ID: PUBLIC_URL's host name (WebAuthn §5.1.3: a domain, never a port or path). */
  id: string;
  /** The origin browsers report in clientDataJSON: PUBLIC_URL's scheme, host and port. */
  origin: string;
}

export interface PasskeyView {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  /** Synced to the person's other devices by their platform (a multi-device credential). */
  synced: boolean;
}

export interface PasskeyAccount {
  id: string;
  username: string;
  totpEnabled: boolean;
}

/** A passkey answer that does not prove the account: one message whatever went wrong. */
export class PasskeyRefused extends DomainError {
  constructor() {
    super('passkey_refused', 'That passkey was not accepted. Try again, or sign in another way.', 401);
  }
}

const NAME_MAX = 100;

export class PasskeyService {
  constructor(
    private readonly models: Models,
    private readonly challenges: PasskeyChallenges,
    private readonly policies: PasskeyPolicies,
    private readonly users: UserService,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly rp: RelyingPartyIdentity,
  ) {}

  policyFor(userId: string): Promise<PasskeyPolicy> {
    return this.policies.policyFor(userId);
  }

  async list(userId: string): Promise<PasskeyView[]> {
    const rows = await this.models.Passkey.findAll({ where: { userId }, order: [['createdAt', 'ASC'], ['id', 'ASC']] });
    return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.createdAt, lastUsedAt: r.lastUsedAt, synced: r.deviceType === 'multiDevice' }));
  }

  async count(userId: string): Promise<number> {
    return this.models.Passkey.count({ where: { userId } });
  }

  /** Options for navigator.credentials.create(): a resident key preferred, user verification required. */
  async registrationOptions(userId: string, binding: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const user = await this.users.get(userId);
    const existing = await this.models.Passkey.findAll({ where: { userId }, attributes: ['credentialId', 'transports'] });
    const options = await generateRegistrationOptions({
      rpName: await this.settings.get('organizationName'),
      rpID: this.rp.id,
      userName: user.email ?? user.username,
      userDisplayName: user.displayName ?? user.username,
      // The WebAuthn user handle: the account id, so a discoverable credential names its account.
      userID: new TextEncoder().encode(user.id),
      timeout: CHALLENGE_TTL_MS,
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: transportsOf(p.transports) })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    });
    await this.challenges.store(options.challenge, 'register', binding, userId);
    return options;
  }

  /** Verifies a registration answer and keeps the credential under the name given. */
  async register(ctx: Context, userId: string, binding: string, name: string, answer: string): Promise<PasskeyView> {
    const label = (name ?? '').trim().replace(/\s+/g, ' ');
    if (label.length > NAME_MAX) throw new ValidationError({ name: `A passkey name has at most ${NAME_MAX} characters.` });
    const response = parseAnswer<RegistrationResponseJSON>(answer);
    let verified;
    try {
      verified = response
        ? await verifyRegistrationResponse({
            response,
            expectedChallenge: (challenge) => this.challenges.consume(challenge, 'register', binding, userId),
            expectedOrigin: this.rp.origin,
            expectedRPID: this.rp.id,
            requireUserVerification: true,
          })
        : null;
    } catch {
      verified = null;
    }
    if (!verified?.verified) {
      await this.discard(binding);
      throw new ValidationError({ passkey: 'The passkey could not be created. Start again; the request may have expired (you have five minutes).' });
    }
    const info = verified.registrationInfo;
    const now = this.clock.now();
    return this.transactions.run(ctx, async (tx) => {
      const user = await this.users.getForUpdate(tx, userId);
      const count = await this.models.Passkey.count({ where: { userId }, transaction: tx.transaction });
      const row = {
        id: newId(),
        userId,
        name: label || `Passkey ${count + 1}`,
        credentialId: info.credential.id,
        publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
        signCount: info.credential.counter,
        transports: info.credential.transports?.length ? JSON.stringify(info.credential.transports) : null,
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        createdAt: now,
        lastUsedAt: null,
      };
      const taken = await this.models.Passkey.count({ where: { credentialId: row.credentialId }, transaction: tx.transaction });
      if (taken) throw new Conflict('This passkey is already registered.');
      await this.models.Passkey.create(row, { transaction: tx.transaction });
      await this.audit.record(tx, 'passkey.registered', { name: row.name, synced: row.deviceType === 'multiDevice' }, { type: 'user', id: userId, label: user.username });
      return { id: row.id, name: row.name, createdAt: now, lastUsedAt: null, synced: row.deviceType === 'multiDevice' };
    });
  }

  /**
   * Options for navigator.credentials.get(). Without an account the browser offers the
   * discoverable passkeys it holds for this site (no username typed); with one, only that
   * account's passkeys (the second factor after a password).
   */
  async authenticationOptions(binding: string, userId: string | null): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const allow = userId ? await this.models.Passkey.findAll({ where: { userId }, attributes: ['credentialId', 'transports'] }) : null;
    const options = await generateAuthenticationOptions({
      rpID: this.rp.id,
      timeout: CHALLENGE_TTL_MS,
      userVerification: 'required',
      allowCredentials: allow?.map((p) => ({ id: p.credentialId, transports: transportsOf(p.transports) })),
    });
    await this.challenges.store(options.challenge, 'authenticate', binding, userId);
    return options;
  }

  /**
   * Verifies an assertion; returns the active account it proves. `userId` is set when the
   * passkey must belong to that account (a second factor, a step-up).
   */
  async authenticate(ctx: Context, binding: string, answer: string, userId: string | null): Promise<PasskeyAccount> {
    const response = parseAnswer<AuthenticationResponseJSON>(answer);
    const row = response && typeof response.id === 'string' ? await this.models.Passkey.findOne({ where: { credentialId: response.id } }) : null;
    if (!response || !row || (userId !== null && row.userId !== userId)) {
      await this.discard(binding);
      await this.audit.record(ctx, 'passkey.refused', { reason: row ? 'other_account' : 'unknown_credential' }, userId ? { type: 'user', id: userId } : undefined);
      throw new PasskeyRefused();
    }
    const target = { type: 'user' as const, id: row.userId };
    const storedCount = Number(row.signCount);
    let result;
    try {
      result = await verifyAuthenticationResponse({
        response,
        expectedChallenge: (challenge) => this.challenges.consume(challenge, 'authenticate', binding, userId),
        expectedOrigin: this.rp.origin,
        expectedRPID: this.rp.id,
        credential: { id: row.credentialId, publicKey: new Uint8Array(Buffer.from(row.publicKey, 'base64url')), counter: storedCount, transports: transportsOf(row.transports) },
        requireUserVerification: true,
      });
    } catch (err) {
      await this.discard(binding);
      // The library refuses a counter that did not grow past the stored one: a cloned authenticator.
      const reason = err instanceof Error && /counter/i.test(err.message) ? 'counter_not_increased' : 'verification_failed';
      await this.audit.record(ctx, 'passkey.refused', { reason, name: row.name }, target);
      throw new PasskeyRefused();
    }
    if (!result.verified) throw new PasskeyRefused();
    const user = await this.users.get(row.userId);
    if (user.status !== 'active') {
      await this.audit.record(ctx, 'passkey.refused', { reason: `status_${user.status}`, name: row.name }, { ...target, label: user.username });
      throw new PasskeyRefused();
    }
    const { newCounter, credentialBackedUp } = result.authenticationInfo;
    await this.transactions.run(ctx, async (tx) => {
      // Conditional on the counter read: of two answers racing with one counter, one wins.
      const [updated] = await this.models.Passkey.update(
        { signCount: newCounter, lastUsedAt: this.clock.now(), backedUp: credentialBackedUp },
        { where: { id: row.id, signCount: row.signCount }, transaction: tx.transaction },
      );
      if (updated !== 1) throw new PasskeyRefused();
      await this.audit.record(tx, 'passkey.used', { name: row.name, as: userId ? 'second_factor' : 'passwordless' }, { ...target, label: user.username });
      // Without a password the passkey is the sign-in itself, audited (and counted) as one.
      if (!userId) await this.audit.record({ ...tx, actor: { userId: user.id, label: user.username, permissions: new Set() } }, 'signin.succeeded', { method: 'passkey' }, { ...target, label: user.username });
    });
    return { id: user.id, username: user.username, totpEnabled: user.totpEnabled };
  }

  /**
   * Removes one passkey. The person removes their own (not the last one their role
   * requires); someone else needs users.manage and the dominance rule over the account,
   * which is then signed out everywhere and its verified address told.
   */
  async remove(ctx: Context, userId: string, passkeyId: string): Promise<void> {
    const byOther = ctx.actor.userId !== userId;
    if (byOther) authorize(ctx.actor, 'users.manage');
    const policy = byOther ? 'allowed' : await this.policies.policyFor(userId);
    await this.transactions.run(ctx, async (tx) => {
      const user = await this.users.getForUpdate(tx, userId);
      if (byOther) await this.users.assertMayChange(tx, user, 'second_factor');
      const row = await this.models.Passkey.findOne({ where: { id: passkeyId, userId }, transaction: tx.transaction });
      if (!row) throw new NotFound('There is no such passkey on this account.');
      if (policy !== 'allowed' && (await this.models.Passkey.count({ where: { userId }, transaction: tx.transaction })) === 1) {
        throw new InvalidTransition('Your organization requires a passkey for your account: add another one before removing this one.');
      }
      await this.models.Passkey.destroy({ where: { id: row.id }, transaction: tx.transaction });
      await this.audit.record(tx, 'passkey.removed', { name: row.name }, { type: 'user', id: userId, label: user.username });
      if (byOther) await this.users.credentialChangedByOther(tx, user, 'passkey');
    });
  }

  /** A failed ceremony ends every challenge of its binding: none is tried twice. */
  private async discard(binding: string): Promise<void> {
    await this.models.WebAuthnChallenge.destroy({ where: { binding } });
  }
}

function parseAnswer<T extends { id?: unknown; response?: unknown }>(answer: string): T | null {
  if (typeof answer !== 'string' || !answer || answer.length > 64 * 1024) return null;
  try {
    const value = JSON.parse(answer) as T;
    return value && typeof value === 'object' && typeof value.id === 'string' && value.response && typeof value.response === 'object' ? value : null;
  } catch {
    return null;
  }
}

function transportsOf(stored: PasskeyAttributes['transports']): AuthenticatorTransportName[] | undefined {
  if (!stored) return undefined;
  try {
    const list = JSON.parse(stored);
    return Array.isArray(list) ? list.filter((t): t is AuthenticatorTransportName => typeof t === 'string') : undefined;
  } catch {
    return undefined;
  }
}

type AuthenticatorTransportName = 'ble' | 'cable' | 'hybrid' | 'internal' | 'nfc' | 'smart-card' | 'usb';
