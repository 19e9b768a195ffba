/**
 * Structured logs: one JSON object per line on stdout, which Lambda's JSON log format and
 * CloudWatch Logs Insights read as fields. A child logger carries the request id.
 *
 * The level is Lambda's own: the function's logging_config application log level, which the
 * runtime passes as AWS_LAMBDA_LOG_LEVEL (TRACE, DEBUG, INFO, WARN, ERROR, FATAL). Lines below
 * it are not written at all (Lambda would also drop them: each line carries `level`).
 * Unset (local runs without it): INFO.
 */
const LEVELS = { trace: 5, debug: 10, info: 20, warn: 30, error: 40, fatal: 50 } as const;
type Level = 'debug' | 'info' | 'warn' | 'error';

function threshold(): number {
  const wanted = (process.env.AWS_LAMBDA_LOG_LEVEL ?? 'INFO').toLowerCase() as keyof typeof LEVELS;
  return LEVELS[wanted] ?? LEVELS.info;
}

/** A logger bound to some fields (service, request id). */
export class Logger {
  constructor(private readonly fields: Record<string, unknown>) {}

  /** The same logger with more fields on every line. */
  child(fields: Record<string, unknown>): Logger {
    return new Logger({ ...this.fields, ...fields });
  }

  debug(message: string, fields: Record<string, unknown> = {}): void {
    this.write('debug', message, fields);
  }
  info(message: string, fields: Record<string, unknown> = {}): void {
    this.write('info', message, fields);
  }
  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.write('warn', message, fields);
  }
  error(message: string, fields: Record<string, unknown> = {}): void {
    this.write('error', message, fields);
  }

  private write(level: Level, message: string, fields: Record<string, unknown>): void {
    if (LEVELS[level] < threshold()) return;
    const line = { level: level.toUpperCase(), message, timestamp: new Date().toISOString(), ...this.fields, ...fields };
    process.stdout.write(`${JSON.stringify(line, errorsAsFields)}\n`);
  }
}

/** Errors serialize as name, message and code (no stack of SDK internals in every line). */
function errorsAsFields(_key: string, value: unknown): unknown {
  if (value instanceof Error) {
    return { name: value.name, message: value.message, code: (value as { code?: unknown }).code };
  }
  return value;
}

/** The logger of a function, named from Lambda's environment or the given name. */
export function functionLogger(name: string): Logger {
  return new Logger({ service: process.env.AWS_LAMBDA_FUNCTION_NAME ?? name });
}
