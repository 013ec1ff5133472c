/**
 * Structured JSON logs for the function: one object a line on standard output, which Lambda hands to
 * CloudWatch Logs as it is (Logs Insights reads the fields). Each line carries the level, the message,
 * the time, the service, the cold-start flag, the request id and the X-Ray trace id, then our fields.
 *
 * Written here rather than taken from Powertools Logger, whose field names it keeps: that is 21 KiB of
 * the bundle for the few fields we use (docs/adr/0004-json-lines-logger-in-the-lambda.md). Nothing here
 * ever receives a secret (test/e2e/secrets-never-leak checks the log lines of whole scenarios).
 */
import type { Logger } from '../app/ports.ts';
import { ENVIRONMENT } from './environment.ts';

export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What a Lambda context tells us about the invocation. */
export interface InvocationContext {
  readonly awsRequestId?: string;
  readonly functionName?: string;
}

export interface JsonLoggerOptions {
  readonly service: string;
  /** The lowest level written; from the environment when left out (default INFO). */
  readonly level?: LogLevel;
  /** Where each line goes (with its newline). */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** The threshold the environment asks for: ours, then Lambda's, then INFO. Unknown names mean INFO. */
export function logLevelFromEnv(env: Readonly<Record<string, string | undefined>>): LogLevel {
  const named = (env[ENVIRONMENT.logLevel] || env.AWS_LAMBDA_LOG_LEVEL || '').toUpperCase();
  if (named === 'TRACE') return 'DEBUG';
  if (named === 'WARNING') return 'WARN';
  if (named === 'FATAL' || named === 'CRITICAL') return 'ERROR';
  return (LOG_LEVELS as readonly string[]).includes(named) ? (named as LogLevel) : 'INFO';
}

/** Errors as their name, message and stack (JSON would give `{}`); bigints as text; cycles cut. */
function safeReplacer(): (key: string, value: unknown) => unknown {
  const seen = new WeakSet<object>();
  return (_key, value) => {
    if (typeof value === 'bigint') return value.toString();
    if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
    if (typeof value === 'object' && value !== null) {
      if (seen.has(value)) return '[Circular]';
      seen.add(value);
    }
    return value;
  };
}

export class JsonLogger implements Logger {
  readonly #service: string;
  readonly #threshold: number;
  readonly #write: (line: string) => void;
  readonly #now: () => Date;
  readonly #env: Readonly<Record<string, string | undefined>>;
  #context: InvocationContext = {};
  #invocations = 0;

  constructor(options: JsonLoggerOptions) {
    this.#service = options.service;
    this.#env = options.env ?? process.env;
    this.#threshold = LOG_LEVELS.indexOf(options.level ?? logLevelFromEnv(this.#env));
    this.#write = options.write ?? ((line) => process.stdout.write(line));
    this.#now = options.now ?? (() => new Date());
  }

  /** Called at the start of each invocation: later lines carry its request id; only the first is cold. */
  startInvocation(context: InvocationContext | undefined): void {
    this.#invocations += 1;
    this.#context = context ?? {};
  }

  debug(message: string, fields: Record<string, unknown> = {}): void {
    this.#log('DEBUG', message, fields);
  }

  info(message: string, fields: Record<string, unknown> = {}): void {
    this.#log('INFO', message, fields);
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.#log('WARN', message, fields);
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.#log('ERROR', message, fields);
  }

  #log(level: LogLevel, message: string, fields: Record<string, unknown>): void {
    if (LOG_LEVELS.indexOf(level) < this.#threshold) return;
    const traceId = this.#env._X_AMZN_TRACE_ID?.split(';')[0]?.replace(/^Root=/, '');
    const envelope = {
      level,
      message,
      timestamp: this.#now().toISOString(),
      service: this.#service,
      cold_start: this.#invocations <= 1,
      ...(this.#context.functionName ? { function_name: this.#context.functionName } : {}),
      ...(this.#context.awsRequestId ? { function_request_id: this.#context.awsRequestId } : {}),
      ...(traceId ? { xray_trace_id: traceId } : {}),
    };
    // The envelope first on the line, and its values win over a field of the same name.
    const entry = Object.assign({ ...envelope, ...fields }, envelope);
    this.#write(`${JSON.stringify(entry, safeReplacer())}\n`);
  }
}
