// Request bodies: SCIM JSON only (RFC 7644 §3.1: application/scim+json; application/json is
// accepted as clients send it), at most 1 MB (the Bulk maxPayloadSize),
// one JSON object. Each refusal is a SCIM error, never the app's HTML error page.
// No SCIM attribute is named "__proto__" and no SCIM message nests deeper than a few
// levels (Bulk > Operations > data > attribute > value > sub-attribute): a body with
// either is refused here, before any mapper copies its keys onto objects or recurses; so
// is a NUL character in any key or value (src/nul-character.ts).
import express, { type NextFunction, type Request, type Response } from 'express';
import { invalidSyntax, invalidValue, ScimError } from '../errors.js';
import { LIMITS } from '../urns.js';
import { sendError } from './responses.js';
import { NUL_MESSAGE } from '../../src/nul-character.js';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const ACCEPTED_TYPES = ['application/scim+json', 'application/json'];

/** Bulk > Operations > op > data > attribute > value > sub-attribute, with room to spare. */
const MAX_DEPTH = 12;

const parseJson = express.json({ type: () => true, limit: LIMITS.maxPayloadBytes, strict: false });

function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

export function scimBody() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!WITH_BODY.has(req.method) || !hasBody(req)) return next();
    if (!req.is(ACCEPTED_TYPES)) {
      return sendError(res, new ScimError(415, null, `Send the body as application/scim+json (or application/json), not ${req.headers['content-type'] ?? 'an unnamed type'}.`));
    }
    parseJson(req, res, (err?: unknown) => {
      if (err) return sendError(res, bodyError(err as { type?: string; status?: number }));
      const body = req.body as unknown;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) {
        return sendError(res, invalidSyntax('The request body must be one JSON object.'));
      }
      const problem = shapeProblem(body);
      if (problem) return sendError(res, problem);
      next();
    });
  };
}

function bodyError(err: { type?: string; status?: number }): ScimError {
  switch (err.type) {
    case 'entity.too.large':
      return new ScimError(413, null, `The request body exceeds the maximum payload size of ${LIMITS.maxPayloadBytes} bytes.`);
    case 'entity.parse.failed':
      return invalidSyntax('The request body is not valid JSON.');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new ScimError(415, null, 'Send the body as UTF-8 JSON.');
    default:
      return invalidSyntax('The request body could not be read.');
  }
}

/** Walks the parsed body without recursion (a deep body must not exhaust the stack here). */
function shapeProblem(body: object): ScimError | null {
  const stack: Array<[unknown, number]> = [[body, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (typeof value === 'string' && value.includes('\u0000')) return invalidValue(NUL_MESSAGE);
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_DEPTH) return invalidSyntax(`The request body nests deeper than ${MAX_DEPTH} levels.`);
    if (Array.isArray(value)) {
      for (const item of value) stack.push([item, depth + 1]);
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return invalidValue(NUL_MESSAGE);
      if (key === '__proto__') return invalidSyntax('The request body has an attribute named "__proto__", which no SCIM schema defines.');
      stack.push([item, depth + 1]);
    }
  }
  return null;
}
