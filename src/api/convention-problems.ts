// Problem types of the API's HTTP conventions (preconditions, idempotency keys, rate
// limits), beside the domain's in problem.ts.
export const CONVENTION_PROBLEM_TYPES = {
  precondition_failed: 'If-Match names a version the resource no longer has: read it again (its ETag) and retry the change on what it is now.',
  precondition_required: 'The If-Match header is not a list of entity tags or `*`.',
  idempotency_key_invalid: 'The Idempotency-Key header must be 1 to 255 visible ASCII characters.',
  idempotency_key_reused: 'This Idempotency-Key was used by this application for a different request (another path or body); keys are one per request.',
  idempotency_key_in_progress: 'A request with this Idempotency-Key is still running; retry after it finishes to receive its answer.',
  rate_limited: 'The application sent more requests than its limit allows in the current window; retry after `Retry-After` seconds (RateLimit headers say how many are left).',
} as const;

export const CONVENTION_PROBLEM_TITLES: Record<keyof typeof CONVENTION_PROBLEM_TYPES, string> = {
  precondition_failed: 'Precondition failed',
  precondition_required: 'Bad precondition',
  idempotency_key_invalid: 'Invalid idempotency key',
  idempotency_key_reused: 'Idempotency key reused',
  idempotency_key_in_progress: 'Idempotency key in progress',
  rate_limited: 'Too many requests',
};
