// Every SCIM response leaves through here: the SCIM media type, the ETag of a single
// resource, Location on create (RFC 7644 §3.3), and error bodies.
import type { Response } from 'express';
import { errorBody, type ScimError } from '../errors.js';
import { DatabaseUnavailable } from '../../src/errors.js';
import { SCIM_CONTENT_TYPE } from '../urns.js';

export interface ResourceResult {
  status: number;
  body?: object;
  etag?: string;
  location?: string;
}

export function sendResult(res: Response, result: ResourceResult): void {
  if (result.etag) res.setHeader('ETag', result.etag);
  if (result.location) res.setHeader('Location', result.location);
  res.status(result.status);
  if (result.body === undefined || result.status === 204 || result.status === 304) {
    res.end();
    return;
  }
  // res.end, not res.send: Express would add its own body-hash ETag and answer 304 by it.
  const json = JSON.stringify(result.body);
  res.setHeader('Content-Type', SCIM_CONTENT_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}

export function sendError(res: Response, err: ScimError): void {
  if (err.status === 401) res.setHeader('WWW-Authenticate', 'Bearer realm="Gatehouse SCIM"');
  if (err.status === 503) res.setHeader('Retry-After', String(DatabaseUnavailable.retryAfterSeconds));
  sendResult(res, { status: err.status, body: errorBody(err) });
}
