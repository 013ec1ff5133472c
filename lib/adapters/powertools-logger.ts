/**
 * Structured JSON logs for the function through Powertools for AWS Lambda's Logger: one object a line,
 * which Lambda hands to CloudWatch Logs as it is. Each line carries `level`, `message`, `timestamp`,
 * `service`, `cold_start`, `function_name`, `function_request_id` and `xray_trace_id` (the last four
 * once an invocation has started), then our fields. Nothing here ever receives a secret
 * (test/e2e/secrets-never-leak checks the log lines of whole scenarios).
 */
import { Logger as PowertoolsCore } from '@aws-lambda-powertools/logger';
import type { Logger } from '../app/ports.ts';
import { ENVIRONMENT } from './environment.ts';

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What a Lambda context tells us about the invocation (Powertools reads more when it is there). */
export interface InvocationContext {
  readonly awsRequestId?: string;
  readonly functionName?: string;
}

export interface PowertoolsLoggerOptions {
  readonly service: string;
  /** The lowest level written; from the environment when left out (default INFO). */
  readonly level?: LogLevel;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The threshold our variable (`ENVIRONMENT.logLevel`) asks for, INFO when unset; other runtimes' names
 * are understood too. When Lambda's advanced logging controls set one (`AWS_LAMBDA_LOG_LEVEL`),
 * Powertools follows Lambda's, which drops the lines below it in any case.
 */
export function logLevelFromEnv(env: Readonly<Record<string, string | undefined>>): LogLevel {
  const named = (env[ENVIRONMENT.logLevel] ?? '').toUpperCase();
  if (named === 'TRACE') return 'DEBUG';
  if (named === 'WARNING') return 'WARN';
  if (named === 'FATAL' || named === 'CRITICAL') return 'ERROR';
  return (LOG_LEVELS as readonly string[]).includes(named) ? (named as LogLevel) : 'INFO';
}

type LambdaContext = Parameters<PowertoolsCore['addContext']>[0];

/** Our `Logger` port on Powertools Logger. */
export class PowertoolsLogger implements Logger {
  readonly #logger: PowertoolsCore;

  constructor(options: PowertoolsLoggerOptions) {
    this.#logger = new PowertoolsCore({
      serviceName: options.service,
      logLevel: options.level ?? logLevelFromEnv(options.env ?? process.env),
    });
  }

  /** Called at the start of each invocation: later lines carry its request id; only the first is cold. */
  startInvocation(context: InvocationContext | undefined): void {
    // Powertools reads the fields it knows and leaves out those a partial context lacks.
    if (context) this.#logger.addContext(context as LambdaContext);
  }

  debug(message: string, fields: Record<string, unknown> = {}): void {
    this.#logger.debug(message, fields);
  }

  info(message: string, fields: Record<string, unknown> = {}): void {
    this.#logger.info(message, fields);
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.#logger.warn(message, fields);
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.#logger.error(message, fields);
  }
}
