// Logs (pino): JSON lines for machines by default, or pretty single lines for people (see
// log-format.ts). A request id rides in AsyncLocalStorage so every line written while a
// request is handled carries it, including lines from services that know nothing of HTTP.
import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, type Logger, type DestinationStream } from 'pino';
import { prettyStream } from './log-format.js';

export type { Logger } from 'pino';

const requestScope = new AsyncLocalStorage<{ requestId: string }>();

export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return requestScope.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return requestScope.getStore()?.requestId;
}

// Never log secrets: anything under these keys is replaced wherever it appears.
const REDACTED_PATHS = [
  'password',
  'newPassword',
  'token',
  'secret',
  'clientSecret',
  'authorization',
  '*.password',
  '*.token',
  '*.secret',
  '*.authorization',
  '*.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
];

/**
 * `pretty` writes coloured single lines (to `destination`, default stdout) instead of JSON;
 * `resolveLogFormat` decides it from the configuration and the terminal.
 */
export function createLogger(level: string, destination?: DestinationStream, options: { pretty?: boolean } = {}): Logger {
  return pino(
    {
      level,
      base: { service: 'gatehouse' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin: () => {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
    },
    options.pretty ? prettyStream(destination) : destination,
  );
}
