// One management API operation: its path, the OAuth scope it needs, the JSON Schemas of its
// query, body and answers, and its handler. The router validates with these schemas and
// the OpenAPI document is printed from them, so the two cannot drift.
import type { Writable } from 'node:stream';
import type { Request } from 'express';
import type { Context } from '../context.js';
import type { Services } from '../services.js';
import type { ApiScope } from '../clients/api-scopes.js';

export type JsonSchema = Record<string, unknown>;

export interface ApiCall {
  services: Services;
  ctx: Context;
  req: Request;
  params: Record<string, string>;
  query: Record<string, unknown>;
  body: unknown;
}

export interface ApiAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Writes a body that is not JSON (a CSV export) to the response, streamed. */
  stream?: (out: Writable) => Promise<void>;
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template under /api/v1, e.g. /people/{id}. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  scope: ApiScope;
  /** Path parameters (each a string schema). */
  params?: Record<string, JsonSchema>;
  /** Query parameters: an object schema (additionalProperties false). */
  query?: JsonSchema;
  body?: JsonSchema;
  /** Success answers by status; problem answers are added to every operation. */
  responses: Record<number, { description: string; schema?: JsonSchema; contentType?: string }>;
  /** A creation honouring Idempotency-Key: a retry with the same key gets the first answer. */
  idempotent?: boolean;
  /**
   * An update's target as its GET answers it: If-Match is checked against its ETag before
   * the change, and the answer carries the ETag of what it is after.
   */
  current?(call: ApiCall): Promise<unknown>;
  handler(call: ApiCall): Promise<ApiAnswer>;
}
