import { ConsoleLogger, ConsoleLoggerOptions, LogLevel } from '@nestjs/common';
import { currentCaller, currentRequestId } from './request-context.js';

export type LogFormat = 'text' | 'json';

type JsonLogOptions = Parameters<ConsoleLogger['printAsJson']>[1];

/** Operators know Nest's `log` level as `info`. */
const LEVEL_NAMES: Record<LogLevel, string> = {
  fatal: 'fatal',
  error: 'error',
  warn: 'warn',
  log: 'info',
  debug: 'debug',
  verbose: 'verbose',
};

/**
 * Nest's ConsoleLogger with the current request id and caller added to each line. In `json` format
 * a line is one object with `level`, `time`, `context`, `msg`, `pid` and, inside a request,
 * `requestId` and `caller`.
 */
export class SigSocketLogger extends ConsoleLogger {
  constructor(
    readonly format: LogFormat,
    logLevels: LogLevel[],
    options: ConsoleLoggerOptions = {},
  ) {
    super(
      format === 'json'
        ? { json: true, colors: false, compact: true, logLevels, ...options }
        : { logLevels, ...options },
    );
  }

  protected override printAsJson(message: unknown, options: JsonLogOptions): void {
    const {
      level: _level,
      timestamp: _timestamp,
      message: _message,
      context: _context,
      ...rest
    } = this.getJsonLogObject(message, options);
    const requestId = currentRequestId();
    const caller = currentCaller();
    const line = {
      level: LEVEL_NAMES[options.logLevel],
      time: new Date().toISOString(),
      context: options.context,
      msg: message instanceof Error ? message.message : message,
      ...(requestId === undefined ? {} : { requestId }),
      ...(caller === undefined ? {} : { caller }),
      ...rest,
    };
    process[options.writeStreamType ?? 'stdout'].write(`${this.stringifyJsonLogObject(line)}\n`);
  }

  protected override formatContext(context: string): string {
    const base = super.formatContext(context);
    const requestId = currentRequestId();
    const caller = currentCaller();
    if (requestId === undefined && caller === undefined) return base;
    const scope = [requestId, caller === undefined ? undefined : `caller=${caller}`];
    return `${base}(${scope.filter((part) => part !== undefined).join(' ')}) `;
  }
}
