// How log lines look. JSON stays the default, for log collectors; a person at a terminal gets
// one coloured line per entry instead. The one-time setup link must catch the eye in both:
// in JSON it is its own `setupLink` field, in pretty output its line is highlighted.
import type { DestinationStream } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'auto' | 'json' | 'pretty';

/** `auto` means pretty exactly when stdout is a terminal (a person is reading). */
export function resolveLogFormat(configured: LogFormat, stdoutIsTerminal: boolean): 'json' | 'pretty' {
  if (configured === 'auto') return stdoutIsTerminal ? 'pretty' : 'json';
  return configured;
}

/** Fields that only repeat the message, or say what every line of one process says. */
const NOT_SHOWN = 'pid,hostname,service,setupLink';

/** pino-pretty as a synchronous stream in this thread: no worker, nothing to resolve at run time. */
export function prettyStream(destination?: DestinationStream, options: { colorize?: boolean } = {}): DestinationStream {
  return pretty({
    ...(options.colorize === undefined ? {} : { colorize: options.colorize }),
    singleLine: true,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: NOT_SHOWN,
    sync: true,
    ...(destination ? { destination } : {}),
    messageFormat: (log, messageKey, _level, { colors }) => {
      const message = String(log[messageKey] ?? '');
      if (typeof log.setupLink !== 'string') return message;
      // Framed, and bright when colours are on, so the link is found among the start-up lines at a glance.
      return colors.bold(colors.inverse(colors.green(`>>> ${message} <<<`)));
    },
  });
}
