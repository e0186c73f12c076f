// What a management API request acts as, whichever kind of token named it: the context its
// one service call runs in, the scopes it may use, and what limits and keys are counted by.
import type { Request } from 'express';
import type { Context } from '../context.js';

export interface ApiCaller {
  /** Who rate limits and idempotency keys are counted by: the application, or the application and person for a person's token. */
  clientId: string;
  ctx: Context;
  scopes: ReadonlySet<string>;
  /** Browser origins the token's application lists (CORS). */
  corsOrigins: readonly string[];
}

export function apiContext(req: Request, actor: Context['actor']): Context {
  return { actor, source: 'api', ip: req.ip ?? null, requestId: req.id };
}
