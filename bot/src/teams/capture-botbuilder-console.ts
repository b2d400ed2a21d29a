import { AsyncLocalStorage } from 'node:async_hooks';
import { format } from 'node:util';
import type { Logger } from '../log/create-logger';

const scope = new AsyncLocalStorage<Logger>();
let installed = false;

/** Long enough for what botbuilder says (one line and an error name), short of whole stacks and keys. */
const MAX_TEXT = 300;

/**
 * Runs `work` with botbuilder's console output going to `logger` instead of raw stdout/stderr.
 * botbuilder prints with console.error/warn (a refused token's error and stack, "Error finding
 * key for token" with the issuer's keys, "BadRequest: ..."): unstructured lines, a dozen per
 * refused activity, that no redaction sees. Console calls made within `work`, however deep in
 * its async calls, become one structured, redacted, length-capped log line each; console calls
 * made anywhere else (the test runner, other code) are untouched.
 */
export function captureBotbuilderConsole<T>(logger: Logger, work: () => Promise<T>): Promise<T> {
  if (!installed) install();
  return scope.run(logger, work);
}

function install(): void {
  installed = true;
  const levels = { error: 'warn', warn: 'warn', info: 'debug', log: 'debug', debug: 'debug' } as const;
  for (const [method, level] of Object.entries(levels) as Array<[keyof typeof levels, 'warn' | 'debug']>) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const logger = scope.getStore();
      if (!logger) return original(...args);
      const text = format(...args)
        .split('\n')[0]
        .slice(0, MAX_TEXT);
      logger[level]({ source: 'botbuilder', console: method }, text);
    };
  }
}
