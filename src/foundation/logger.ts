/**
 * A log method in pino's style: structured fields first, then the message.
 *
 * @group Logging
 */
export type LogFn = (fields: Record<string, unknown>, message: string) => void;

/**
 * The logger the SDK writes to. pino, or any object with these four methods, fits.
 *
 * @group Logging
 */
export interface Logger {
  /** Detail for debugging: every Omnitron request. */
  debug: LogFn;
  /** Flow starts and ends, logins. */
  info: LogFn;
  /** Items that failed, reports that could not be written. */
  warn: LogFn;
  /** Runs that failed. */
  error: LogFn;
}

const noop: LogFn = () => {};

/**
 * A logger that drops everything: the default, so the SDK is silent unless asked.
 *
 * @group Logging
 */
export const silentLogger: Logger = { debug: noop, info: noop, warn: noop, error: noop };

/**
 * Whether a value has the four log methods the SDK calls.
 *
 * @group Logging
 */
export function isLogger(value: unknown): value is Logger {
  return (
    typeof value === 'object' &&
    value !== null &&
    ['debug', 'info', 'warn', 'error'].every(
      (m) => typeof (value as Record<string, unknown>)[m] === 'function',
    )
  );
}
