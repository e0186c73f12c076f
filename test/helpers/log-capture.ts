// Captures what a pino logger writes (one JSON object per line) so tests can check what
// is logged: request ids on every line, no tokens or secrets, links of file-written mail.
import type { DestinationStream } from 'pino';
import { createLogger, type Logger } from '../../src/logger.js';

export type LogLine = Record<string, unknown> & { msg?: string; level?: number; requestId?: string };

export class LogCapture implements DestinationStream {
  readonly lines: LogLine[] = [];
  /** Everything written, verbatim, for "never appears anywhere" checks. */
  raw = '';

  write(chunk: string): void {
    this.raw += chunk;
    for (const line of chunk.split('\n')) if (line.trim()) this.lines.push(JSON.parse(line) as LogLine);
  }

  /** A logger writing into this capture (createLogger's real options: redaction, mixin). */
  logger(level = 'info'): Logger {
    return createLogger(level, this);
  }

  withMessage(msg: string): LogLine[] {
    return this.lines.filter((l) => l.msg === msg);
  }

  clear(): void {
    this.lines.length = 0;
    this.raw = '';
  }
}
