// A database that does not answer reaches the provider's clients as OAuth's
// `temporarily_unavailable` with status 503 (redirected to the client on the authorization
// endpoint, as RFC 6749 §4.1.2.1 defines it), not as `server_error` 500. The provider
// builds its error body from the error's own fields, so the translation happens where it
// calls into Gatehouse: the storage adapter and findAccount.
import { errors } from 'oidc-provider';
import { DatabaseUnavailable } from '../src/errors.js';
import { isDatabaseUnavailable } from '../src/db/unavailable.js';
import type { Logger } from '../src/logger.js';

export function toOidcError(err: unknown, logger: Logger): unknown {
  if (!isDatabaseUnavailable(err)) return err;
  logger.warn({ err: (err as { cause?: unknown }).cause ?? err }, 'oidc request failed: database unavailable');
  const out = new errors.TemporarilyUnavailable(new DatabaseUnavailable().message) as errors.OIDCProviderError & { statusCode: number; expose: boolean };
  out.status = out.statusCode = 503;
  out.expose = true;
  return out;
}

/** The adapter class with every method's failures passed through toOidcError. */
export function translatingUnavailable<C extends new (...args: any[]) => object>(Adapter: C, logger: Logger): C {
  const translating = class extends Adapter {};
  for (const name of Object.getOwnPropertyNames(Adapter.prototype)) {
    const method = (Adapter.prototype as Record<string, unknown>)[name];
    if (name === 'constructor' || typeof method !== 'function') continue;
    Object.defineProperty(translating.prototype, name, {
      value: async function (this: object, ...args: unknown[]) {
        try {
          return await (method as (...a: unknown[]) => Promise<unknown>).apply(this, args);
        } catch (err) {
          throw toOidcError(err, logger);
        }
      },
    });
  }
  return translating;
}

/** Provider middleware: a 503 (set by the provider's error handler) tells when to try again. */
export async function retryAfterOn503(ctx: { status: number; set(name: string, value: string): void }, next: () => Promise<unknown>): Promise<void> {
  await next();
  if (ctx.status === 503) ctx.set('Retry-After', String(DatabaseUnavailable.retryAfterSeconds));
}
