import { describe, expect, it } from 'vitest';
import { JsonLogger, type JsonLoggerOptions, logLevelFromEnv } from '../../../lib/adapters/json-logger.ts';

function capture(options: Partial<JsonLoggerOptions> = {}) {
  const lines: string[] = [];
  const logger = new JsonLogger({
    service: 'ecr-image-updater',
    env: {},
    now: () => new Date('2026-11-24T10:00:00.000Z'),
    write: (line) => lines.push(line),
    ...options,
  });
  const entries = () =>
    lines.map((line) => {
      expect(line.endsWith('\n')).toBe(true);
      expect(line.slice(0, -1)).not.toContain('\n');
      return JSON.parse(line);
    });
  return { logger, entries };
}

describe('JsonLogger', () => {
  it('writes one JSON object a line: the envelope first, then our fields', () => {
    const { logger, entries } = capture({ env: { _X_AMZN_TRACE_ID: 'Root=1-abc-def;Parent=12;Sampled=1' } });
    logger.startInvocation({ awsRequestId: 'req-1', functionName: 'updater' });
    logger.info('flask-app: no change', { app: 'flask-app', outcome: 'unchanged' });
    const [entry] = entries();
    expect(entry).toEqual({
      level: 'INFO',
      message: 'flask-app: no change',
      timestamp: '2026-11-24T10:00:00.000Z',
      service: 'ecr-image-updater',
      cold_start: true,
      function_name: 'updater',
      function_request_id: 'req-1',
      xray_trace_id: '1-abc-def',
      app: 'flask-app',
      outcome: 'unchanged',
    });
    expect(Object.keys(entry).slice(0, 3)).toEqual(['level', 'message', 'timestamp']);
  });

  it('marks only the first invocation of the environment as a cold start, and carries each request id', () => {
    const { logger, entries } = capture();
    logger.info('while loading');
    logger.startInvocation({ awsRequestId: 'req-1' });
    logger.info('first');
    logger.startInvocation({ awsRequestId: 'req-2' });
    logger.info('second');
    expect(entries().map((entry) => [entry.message, entry.cold_start, entry.function_request_id])).toEqual([
      ['while loading', true, undefined],
      ['first', true, 'req-1'],
      ['second', false, 'req-2'],
    ]);
  });

  it('keeps the envelope when a field has the same name', () => {
    const { logger, entries } = capture();
    logger.warn('the real message', { message: 'a field', level: 'DEBUG', app: 'a' });
    expect(entries()[0]).toMatchObject({ level: 'WARN', message: 'the real message', app: 'a' });
  });

  it('writes errors as name, message and stack; bigints as text; a cycle without throwing', () => {
    const { logger, entries } = capture();
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    logger.error('boom', { error: new TypeError('bad'), size: 12n, cycle });
    const [entry] = entries();
    expect(entry.error).toMatchObject({ name: 'TypeError', message: 'bad' });
    expect(entry.error.stack).toContain('TypeError: bad');
    expect(entry.size).toBe('12');
    expect(entry.cycle).toEqual({ name: 'loop', self: '[Circular]' });
  });

  it('writes nothing below its level', () => {
    const { logger, entries } = capture({ level: 'WARN' });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(entries().map((entry) => entry.level)).toEqual(['WARN', 'ERROR']);
  });

  it('takes its level from the environment: ours, then Lambda’s, else INFO', () => {
    expect(logLevelFromEnv({})).toBe('INFO');
    expect(logLevelFromEnv({ ECR_IMAGE_UPDATER_LOG_LEVEL: 'debug' })).toBe('DEBUG');
    expect(logLevelFromEnv({ AWS_LAMBDA_LOG_LEVEL: 'WARN' })).toBe('WARN');
    expect(logLevelFromEnv({ ECR_IMAGE_UPDATER_LOG_LEVEL: 'error', AWS_LAMBDA_LOG_LEVEL: 'DEBUG' })).toBe(
      'ERROR',
    );
    expect(logLevelFromEnv({ AWS_LAMBDA_LOG_LEVEL: 'TRACE' })).toBe('DEBUG');
    expect(logLevelFromEnv({ AWS_LAMBDA_LOG_LEVEL: 'FATAL' })).toBe('ERROR');
    expect(logLevelFromEnv({ ECR_IMAGE_UPDATER_LOG_LEVEL: 'loud' })).toBe('INFO');
    const { logger, entries } = capture({ env: { ECR_IMAGE_UPDATER_LOG_LEVEL: 'DEBUG' } });
    logger.debug('shown');
    expect(entries()).toHaveLength(1);
  });

  it('writes to standard output by default', () => {
    const logger = new JsonLogger({ service: 's', env: {} });
    const original = process.stdout.write.bind(process.stdout);
    const written: string[] = [];
    process.stdout.write = ((chunk: string) => {
      written.push(chunk);
      return true;
    }) as typeof process.stdout.write;
    try {
      logger.info('hello');
    } finally {
      process.stdout.write = original;
    }
    expect(JSON.parse(written.join(''))).toMatchObject({ level: 'INFO', message: 'hello', service: 's' });
  });
});
