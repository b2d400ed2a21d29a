import pino, { type DestinationStream, type Logger } from 'pino';
import { redactLogValue, redactText } from './redact-log-value';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level: string;
  /** Where lines go; stdout by default. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
  name?: string;
}

/** Structured JSON logs, one object per line, redacted before they are written. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name ?? 'jira-teams',
      level: options.level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redactLogValue(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          // The message string itself may carry interpolated text: scrub it too.
          const scrubbed = args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg));
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
