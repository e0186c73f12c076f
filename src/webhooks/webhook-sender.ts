// One HTTP attempt to a receiver: a POST to the address the guard checked (the socket's
// look-up is pinned to it, so TLS still verifies the URL's host name), no redirects
// followed (a 3xx is a failure), a short timeout for the whole exchange, and at most a few
// kilobytes of the answer read.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { resolveWebhookAddress, type AddressPolicy, type Resolver, systemResolver } from './address-guard.js';

export interface SendRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface SendOutcome {
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface SenderOptions extends AddressPolicy {
  timeoutMs: number;
  /** Bytes of the receiver's answer read before the connection is dropped. */
  maxResponseBytes: number;
  resolve?: Resolver;
}

export type WebhookSender = (request: SendRequest) => Promise<SendOutcome>;

export function createWebhookSender(options: SenderOptions): WebhookSender {
  const resolve = options.resolve ?? systemResolver;
  return async (request) => {
    const started = Date.now();
    const took = () => Date.now() - started;
    let pinned;
    const url = new URL(request.url);
    try {
      pinned = await resolveWebhookAddress(url, options, resolve);
    } catch (err) {
      return { ok: false, statusCode: null, error: (err as Error).message, durationMs: took() };
    }
    const lookup: LookupFunction = (_host, opts, callback) => {
      if (opts.all) (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [pinned]);
      else callback(null, pinned.address, pinned.family);
    };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<SendOutcome>((done) => {
      let settled = false;
      const finish = (outcome: Omit<SendOutcome, 'durationMs'>) => {
        if (settled) return;
        settled = true;
        done({ ...outcome, durationMs: took() });
      };
      const req = client.request(
        url,
        {
          method: 'POST',
          lookup,
          agent: false,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(request.body).toString(), 'user-agent': 'Gatehouse-Webhooks', ...request.headers },
          timeout: options.timeoutMs,
        },
        (res) => {
          const statusCode = res.statusCode ?? 0;
          let read = 0;
          const settle = () => {
            const ok = statusCode >= 200 && statusCode < 300;
            finish({ ok, statusCode, error: ok ? null : `answered ${statusCode}` });
          };
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > options.maxResponseBytes) {
              settle();
              res.destroy();
            }
          });
          res.on('end', settle);
          res.on('error', settle);
          res.on('close', settle);
        },
      );
      const timer = setTimeout(() => {
        req.destroy(new Error(`no answer within ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      req.on('close', () => clearTimeout(timer));
      req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
      req.on('error', (err) => finish({ ok: false, statusCode: null, error: err.message.slice(0, 500) }));
      req.end(request.body);
    });
  };
}
