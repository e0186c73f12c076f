// The HTTP conventions the router applies around an operation's handler: the per-application
// rate limit, If-Match preconditions and ETags of updates, and Idempotency-Key replays of
// creations. Each answers a refusal as a problem and otherwise leaves the handler as it is.
import type { Request, Response } from 'express';
import { etagOf, ifMatchHolds, parseIfMatch } from './etag.js';
import { parseIdempotencyKey, requestFingerprint, type IdempotencyKeys } from './idempotency-keys.js';
import type { ApiAnswer, ApiCall, Operation } from './operation.js';
import { problem, type Problem } from './problem.js';
import type { ApiRateLimiter } from './rate-limit.js';

/** Counts the request against the application's limit; the RateLimit headers go on every answer. */
export function rateLimited(limiter: ApiRateLimiter, clientId: string, res: Response): Problem | null {
  if (!limiter.enabled) return null;
  const verdict = limiter.take(clientId);
  for (const [k, v] of Object.entries(verdict.headers)) res.setHeader(k, v);
  if (verdict.allowed) return null;
  res.setHeader('Retry-After', String(verdict.resetSeconds));
  return problem('rate_limited', 429, `This application sent more requests than its limit allows; retry in ${verdict.resetSeconds} s.`);
}

/** Refuses the change when If-Match names another version of the target than it has now. */
export async function failedPrecondition(op: Operation, call: ApiCall): Promise<Problem | null> {
  const header = call.req.get('if-match');
  if (!op.current || header === undefined) return null;
  const condition = parseIfMatch(header);
  if (condition === null) return problem('precondition_required', 400, 'If-Match must be `*` or a list of entity tags, such as "abc".');
  const tag = etagOf(await op.current(call));
  if (ifMatchHolds(condition, tag)) return null;
  return problem('precondition_failed', 412, 'The resource changed since that ETag was read; read it again and retry on what it is now.');
}

/** The ETag of what an update left (read again: the answer may be another shape than the GET). */
export async function withEtag(op: Operation, call: ApiCall, answer: ApiAnswer, req: Request): Promise<ApiAnswer> {
  if (answer.status !== 200 || answer.body === undefined) return answer;
  if (req.method === 'GET') return { ...answer, headers: { ...answer.headers, ETag: etagOf(answer.body) } };
  if (!op.current || req.method === 'DELETE') return answer;
  return { ...answer, headers: { ...answer.headers, ETag: etagOf(await op.current(call)) } };
}

/** Runs a creation once per Idempotency-Key, answering its retries with the first answer. */
export async function idempotently(keys: IdempotencyKeys, op: Operation, clientId: string, call: ApiCall, run: () => Promise<ApiAnswer>): Promise<ApiAnswer | Problem> {
  const header = call.req.get('idempotency-key');
  if (!op.idempotent || header === undefined) return run();
  const key = parseIdempotencyKey(header);
  if (key === null) return problem('idempotency_key_invalid', 400, 'Idempotency-Key must be 1 to 255 visible ASCII characters.');
  const claim = await keys.claim(clientId, key, requestFingerprint(call.req.method, call.req.baseUrl + call.req.path, call.req.body));
  if (claim.state === 'reused') return problem('idempotency_key_reused', 422, 'This Idempotency-Key was already used for a different request.');
  if (claim.state === 'in_progress') return problem('idempotency_key_in_progress', 409, 'A request with this Idempotency-Key is still running.');
  if (claim.state === 'replay') return { ...claim.answer, headers: { ...claim.answer.headers, 'Idempotent-Replayed': 'true' } };
  let answer: ApiAnswer;
  try {
    answer = await run();
  } catch (err) {
    await keys.release(clientId, key);
    throw err;
  }
  await keys.finish(clientId, key, answer);
  return answer;
}
