// The OIDC edge: builds the provider with its keys and storage, registers the revoker,
// and routes provider paths and interaction pages.
import { Router, type NextFunction, type Request, type Response } from 'express';
import type { Provider } from 'oidc-provider';
import type { Services } from '../src/services.js';
import { HOUR_MS } from '../src/clock.js';
import { defineOidcModels } from './oidc-models.js';
import { KeyStore } from './key-store.js';
import { createProvider, OIDC_PREFIX, OIDC_ROUTES } from './provider.js';

/** Every path the provider answers, for naming its requests in the metrics. */
export const OIDC_ENDPOINT_PATHS: readonly string[] = [...Object.values(OIDC_ROUTES), '/.well-known/openid-configuration', OIDC_PREFIX];
import { ProviderRevoker } from './provider-revoker.js';
import { adminClientSecret } from './admin-client.js';
import { interactionRoutes } from './interactions/interaction-routes.js';
import { upstreamRoutes } from './upstream/upstream-routes.js';
import { deleteExpiredPayloads } from './database-adapter.js';
import { apiTokenVerifier } from './api-token-verifier.js';
import type { ApiTokenVerifier } from '../src/clients/api-scopes.js';

export { ADMIN_CLIENT_ID, ADMIN_CALLBACK_PATH, SIGNED_OUT_PATH, adminClientSecret } from './admin-client.js';

export interface OidcEdge {
  provider: Provider;
  /** Provider endpoints (/oidc/*, discovery) — mount before body parsers. */
  providerRouter: (req: Request, res: Response, next: NextFunction) => void;
  /** Interaction pages — mount after body parsing and CSRF. */
  interactionRouter: Router;
  keyStore: KeyStore;
  cleanupExpired(): Promise<number>;
  /** Checks management API bearer tokens through the provider's own storage. */
  apiTokens: ApiTokenVerifier;
}

export async function createOidcEdge(services: Services, options: { storage?: 'database' | 'memory' } = {}): Promise<OidcEdge> {
  const oidcModels = defineOidcModels(services.db.sequelize);
  const keyStore = new KeyStore(oidcModels, await services.secrets(), services.clock);
  const cookieKeys = await services.cookieKeys();
  const lifetimeHours = await services.settings.get('sessionLifetimeHours');
  const provider = await createProvider({
    services,
    oidcModels,
    keyStore,
    cookieKeys,
    adminClientSecret: adminClientSecret(cookieKeys),
    sessionLifetimeSeconds: Math.round((lifetimeHours * HOUR_MS) / 1000),
    storage: options.storage,
  });
  const providerRevoker = new ProviderRevoker(provider, oidcModels, services);
  services.revokers.add(providerRevoker);
  services.ownProviderSessions.useEnder(providerRevoker);
  const callback = provider.callback();
  const providerRouter = (req: Request, res: Response, next: NextFunction) => {
    if (req.path.startsWith(`${OIDC_PREFIX}/`) || req.path === '/.well-known/openid-configuration') return callback(req, res);
    next();
  };
  return {
    provider,
    providerRouter,
    interactionRouter: Router().use(interactionRoutes(provider, services), upstreamRoutes(provider, services)),
    keyStore,
    cleanupExpired: () => deleteExpiredPayloads(oidcModels, services.clock),
    apiTokens: apiTokenVerifier(provider, services.config.publicUrl),
  };
}
