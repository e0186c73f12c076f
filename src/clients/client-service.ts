// Applications registered to sign users in. Secrets
// are 256-bit, shown once and stored as SHA-256; the provider compares hashes.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { Context, TxContext } from '../context.js';
import type { Models } from '../db/models.js';
import type { TransactionRunner } from '../db/transaction-runner.js';
import { NotFound, ValidationError, type FieldErrors } from '../errors.js';
import { hashToken, newToken } from '../ids.js';
import type { AuditService } from '../audit/audit-service.js';
import { authorize } from '../roles/authorize.js';
import { textProblem } from '../users/user-validation.js';
import type { RoleService } from '../roles/role-service.js';
import { grantHoldersOf, revokeAccessTokensOf } from './client-payloads.js';
import { corsOriginProblem } from './cors-origin.js';
import { redirectUriProblem } from './redirect-uri.js';
import type { ClientAttributes } from './client-model.js';
import { apiGrantOf, type ApiGrant, type StoredApiGrant } from './api-grant.js';
import { assertCanGrantPermissions } from '../roles/role-service.js';

export const CLIENT_TYPES = ['web', 'public', 'machine'] as const;
export type ClientType = (typeof CLIENT_TYPES)[number];
export const SIGNING_ALGS = ['ES256', 'RS256', 'EdDSA'] as const;
export type SigningAlg = (typeof SIGNING_ALGS)[number];
/** OIDC Registration §2: RS256 unless the client asks otherwise (clients registered earlier keep theirs). */
export const DEFAULT_SIGNING_ALG: SigningAlg = 'RS256';

export interface ClientInput {
  name: string;
  /** web: confidential (secret); public: SPA/native with PKCE and no secret; machine: client credentials only. */
  type: ClientType;
  redirectUris?: string[];
  postLogoutRedirectUris?: string[];
  firstParty?: boolean;
  backchannelLogoutUri?: string | null;
  idTokenSigningAlg?: SigningAlg;
  /** Machine clients only: the management API scopes it may request (api-scopes.ts). */
  apiScopes?: string[];
  /** The permission set it acts with on the API (default: what the registering admin holds but seats and billing). */
  apiPermissions?: string[];
  /** Browser origins allowed to call the management API with its tokens (CORS); none by default. */
  corsOrigins?: string[];
}

export interface ClientView {
  clientId: string;
  name: string;
  type: ClientType;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  firstParty: boolean;
  backchannelLogoutUri: string | null;
  idTokenSigningAlg: SigningAlg;
  /** The management API grant of a machine client; null when it has none. */
  api: ApiGrant | null;
  corsOrigins: string[];
  createdAt: Date;
  updatedAt: Date;
}

interface StoredMetadata {
  type: ClientType;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  backchannel_logout_uri: string | null;
  id_token_signed_response_alg: SigningAlg;
  api?: StoredApiGrant;
  cors_origins?: string[];
}

export class ClientService {
  constructor(
    private readonly models: Models,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly transactions: TransactionRunner,
    private readonly roles: Pick<RoleService, 'assertMayChangeAll'>,
  ) {}

  async list(): Promise<ClientView[]> {
    // Creation times tie within a second on MySQL; the name keeps the page's order stable.
    const rows = await this.models.Client.findAll({ order: [['createdAt', 'ASC'], ['name', 'ASC']] });
    return rows.map((r) => present(r.get({ plain: true })));
  }

  async get(clientId: string): Promise<ClientView> {
    const row = await this.models.Client.findByPk(clientId);
    if (!row) throw new NotFound('No such client.');
    return present(row.get({ plain: true }));
  }

  /** Registers a client; the secret (web and machine clients) is returned once. */
  async add(ctx: Context, input: ClientInput): Promise<{ client: ClientView; clientSecret: string | null }> {
    authorize(ctx.actor, 'clients.manage');
    const metadata = validate(input);
    const api = apiGrantOf(ctx.actor, input);
    if (api) metadata.api = api;
    const clientId = randomBytes(12).toString('base64url');
    const clientSecret = metadata.type === 'public' ? null : newToken();
    const now = this.clock.now();
    await this.transactions.run(ctx, async (tx) => {
      await this.models.Client.create(
        { clientId, name: input.name.trim(), metadata: JSON.stringify(metadata), secretHash: clientSecret ? hashToken(clientSecret) : null, firstParty: !!input.firstParty, createdAt: now, updatedAt: now },
        { transaction: tx.transaction },
      );
      await this.audit.record(tx, 'client.created', { type: metadata.type, redirectUris: metadata.redirect_uris, corsOrigins: metadata.cors_origins ?? [], firstParty: !!input.firstParty, ...(api ? { apiScopes: api.scopes, apiPermissions: api.permissions } : {}) }, { type: 'client', id: clientId, label: input.name.trim() });
    });
    return { client: await this.get(clientId), clientSecret };
  }

  /**
   * Changes an application. Its redirect URIs, API grant and CORS origins decide who can act
   * through it, so changing any of them follows the same rule as a new secret.
   */
  async update(ctx: Context, clientId: string, input: Partial<Omit<ClientInput, 'type'>>): Promise<ClientView> {
    authorize(ctx.actor, 'clients.manage');
    const current = await this.get(clientId);
    const merged: ClientInput = {
      name: input.name ?? current.name,
      type: current.type,
      redirectUris: input.redirectUris ?? current.redirectUris,
      postLogoutRedirectUris: input.postLogoutRedirectUris ?? current.postLogoutRedirectUris,
      firstParty: input.firstParty ?? current.firstParty,
      backchannelLogoutUri: input.backchannelLogoutUri === undefined ? current.backchannelLogoutUri : input.backchannelLogoutUri,
      idTokenSigningAlg: input.idTokenSigningAlg ?? current.idTokenSigningAlg,
      corsOrigins: input.corsOrigins ?? current.corsOrigins,
    };
    const metadata = validate(merged);
    const storedNow = current.api ? { scopes: current.api.scopes, permissions: current.api.permissions, granted_by: current.api.grantedById, granted_by_label: current.api.grantedBy } : null;
    const sameScopes = JSON.stringify([...new Set(input.apiScopes ?? [])].sort()) === JSON.stringify(current.api?.scopes ?? []);
    const asked = (input.apiScopes === undefined || sameScopes) && input.apiPermissions === undefined
      ? storedNow
      : apiGrantOf(ctx.actor, { type: current.type, apiScopes: input.apiScopes ?? current.api?.scopes ?? [], apiPermissions: input.apiPermissions }, current.api?.permissions);
    const grantChanged = JSON.stringify([asked?.scopes, asked?.permissions]) !== JSON.stringify([storedNow?.scopes, storedNow?.permissions]);
    // An unchanged grant stays bound to the admin who gave it.
    const api = grantChanged ? asked : storedNow;
    if (api) metadata.api = api;
    const accessChanged = grantChanged
      || JSON.stringify(metadata.redirect_uris) !== JSON.stringify(current.redirectUris)
      || JSON.stringify(metadata.cors_origins ?? []) !== JSON.stringify(current.corsOrigins);
    await this.transactions.run(ctx, async (tx) => {
      if (accessChanged) await this.assertMayChangeAccess(tx, current);
      await this.models.Client.update(
        { name: merged.name.trim(), metadata: JSON.stringify(metadata), firstParty: !!merged.firstParty, updatedAt: this.clock.now() },
        { where: { clientId }, transaction: tx.transaction },
      );
      await this.audit.record(tx, 'client.updated', { redirectUris: metadata.redirect_uris, corsOrigins: metadata.cors_origins ?? [], firstParty: !!merged.firstParty, idTokenSigningAlg: metadata.id_token_signed_response_alg, ...(grantChanged ? { apiScopes: api?.scopes ?? [], apiPermissions: api?.permissions ?? [] } : {}) }, { type: 'client', id: clientId, label: merged.name });
    });
    return this.get(clientId);
  }

  /**
   * A new secret, returned once; the old one stops working at once (the provider reads the
   * client's stored hash on every request), and so do the access tokens obtained with it.
   */
  async regenerateSecret(ctx: Context, clientId: string): Promise<string> {
    authorize(ctx.actor, 'clients.manage');
    const current = await this.get(clientId);
    if (current.type === 'public') throw new ValidationError({ secret: 'A public application has no secret: it signs in with PKCE alone.' });
    const secret = newToken();
    await this.transactions.run(ctx, async (tx) => {
      await this.assertMayChangeAccess(tx, current);
      await this.models.Client.update({ secretHash: hashToken(secret), updatedAt: this.clock.now() }, { where: { clientId }, transaction: tx.transaction });
      await revokeAccessTokensOf(this.models, clientId, tx);
      await this.audit.record(tx, 'client.secret_regenerated', {}, { type: 'client', id: clientId, label: current.name });
    });
    return secret;
  }

  /**
   * Whoever holds an application's secret, chooses where its codes and tokens go or what it
   * may ask for can exercise everything the application can: its API set (a machine
   * application acts with it) and the people who granted it access (the dominance rule over
   * each of them). Changing any of that needs all of it, so nobody borrows permissions they
   * do not hold through an application.
   */
  private async assertMayChangeAccess(tx: TxContext, current: ClientView): Promise<void> {
    if (current.api) assertCanGrantPermissions(tx.actor, current.api.permissions);
    await this.roles.assertMayChangeAll(tx, await grantHoldersOf(this.models, current.clientId, tx), 'application_access');
  }

  async remove(ctx: Context, clientId: string): Promise<void> {
    authorize(ctx.actor, 'clients.manage');
    const current = await this.get(clientId);
    await this.transactions.run(ctx, async (tx) => {
      await this.models.Client.destroy({ where: { clientId }, transaction: tx.transaction });
      await this.audit.record(tx, 'client.removed', {}, { type: 'client', id: clientId, label: current.name });
    });
  }

  /**
   * Metadata in oidc-provider's (RFC 7591) names; client_secret holds the secret's hash.
   * Plain SQL (sql.ts): the provider asks on every request that names a client.
   */
  async providerMetadata(clientId: string): Promise<Record<string, unknown> | undefined> {
    const rows = await this.models.sql.select<{ clientId: string; name: string; metadata: string; secretHash: string | null; firstParty: boolean | number }>(
      'SELECT client_id AS clientId, name, metadata, secret_hash AS secretHash, first_party AS firstParty FROM oidc_clients WHERE client_id = ?',
      [clientId],
    );
    const raw = rows[0];
    if (!raw) return undefined;
    const row = { ...raw, firstParty: !!raw.firstParty };
    const m = JSON.parse(row.metadata) as StoredMetadata;
    const base = { client_id: row.clientId, client_name: row.name, first_party: row.firstParty, id_token_signed_response_alg: m.id_token_signed_response_alg };
    if (m.type === 'machine') {
      return { ...base, client_secret: row.secretHash, grant_types: ['client_credentials'], response_types: [], redirect_uris: [], token_endpoint_auth_method: 'client_secret_basic', api_scopes: m.api?.scopes ?? [] };
    }
    return {
      ...base,
      ...(m.type === 'web' ? { client_secret: row.secretHash, token_endpoint_auth_method: 'client_secret_basic' } : { token_endpoint_auth_method: 'none' }),
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: m.redirect_uris,
      post_logout_redirect_uris: m.post_logout_redirect_uris,
      api_scopes: m.api?.scopes ?? [],
      ...(m.backchannel_logout_uri ? { backchannel_logout_uri: m.backchannel_logout_uri, backchannel_logout_session_required: true } : {}),
    };
  }
}

// The registration is stored as one JSON text column (64 KB on MySQL): its addresses must
// leave room for the rest, so too many of them is a refusal, not a failed write.
const MAX_ADDRESS_BYTES = 48_000;

function addressBytes(...lists: (readonly string[] | string | null | undefined)[]): number {
  return lists.flat().reduce((sum, a) => sum + (a ? Buffer.byteLength(a) + 3 : 0), 0);
}

function validate(input: ClientInput): StoredMetadata {
  const errors: FieldErrors = {};
  const name = (input.name ?? '').trim();
  if (!name) errors.name = 'Name is required.';
  else {
    const p = textProblem('Name', name, 255);
    if (p) errors.name = p;
  }
  if (!(CLIENT_TYPES as readonly string[]).includes(input.type)) errors.type = `Type must be one of ${CLIENT_TYPES.join(', ')}.`;
  const redirectUris = input.redirectUris ?? [];
  const postLogout = input.postLogoutRedirectUris ?? [];
  if (input.type !== 'machine') {
    if (redirectUris.length === 0) errors.redirectUris = 'Add at least one redirect URI.';
    const bad = redirectUris.map(redirectUriProblem).find(Boolean);
    if (bad) errors.redirectUris = bad;
    const badLogout = postLogout.map(redirectUriProblem).find(Boolean);
    if (badLogout) errors.postLogoutRedirectUris = badLogout;
  }
  if (input.backchannelLogoutUri) {
    const p = redirectUriProblem(input.backchannelLogoutUri);
    if (p) errors.backchannelLogoutUri = p;
  }
  const corsOrigins = [...new Set(input.corsOrigins ?? [])];
  const badOrigin = corsOrigins.map(corsOriginProblem).find(Boolean);
  if (badOrigin) errors.corsOrigins = badOrigin;
  const alg = input.idTokenSigningAlg ?? DEFAULT_SIGNING_ALG;
  if (!(SIGNING_ALGS as readonly string[]).includes(alg)) errors.idTokenSigningAlg = `Signing algorithm must be one of ${SIGNING_ALGS.join(', ')}.`;
  if (!errors.redirectUris && addressBytes(redirectUris, postLogout, corsOrigins, input.backchannelLogoutUri) > MAX_ADDRESS_BYTES) {
    errors.redirectUris = `The addresses together must fit in ${MAX_ADDRESS_BYTES.toLocaleString('en')} bytes: list fewer or shorter ones.`;
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return {
    type: input.type,
    redirect_uris: input.type === 'machine' ? [] : redirectUris,
    post_logout_redirect_uris: input.type === 'machine' ? [] : postLogout,
    backchannel_logout_uri: input.backchannelLogoutUri || null,
    id_token_signed_response_alg: alg,
    ...(corsOrigins.length ? { cors_origins: corsOrigins } : {}),
  };
}

function present(row: ClientAttributes): ClientView {
  const m = JSON.parse(row.metadata) as StoredMetadata;
  return {
    clientId: row.clientId,
    name: row.name,
    type: m.type,
    redirectUris: m.redirect_uris,
    postLogoutRedirectUris: m.post_logout_redirect_uris,
    firstParty: row.firstParty,
    backchannelLogoutUri: m.backchannel_logout_uri,
    idTokenSigningAlg: m.id_token_signed_response_alg,
    api: m.api ? { scopes: m.api.scopes, permissions: m.api.permissions, grantedById: m.api.granted_by, grantedBy: m.api.granted_by_label } : null,
    corsOrigins: m.cors_origins ?? [],
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
